// Zalo Bot Platform wiring. With PUBLIC_URL: the webhook route and setWebhook (with the secret).
// Without: long polling, started once the HTTP server is up. Never both. Both paths record
// updates in the durable inbox; turns run from there, in arrival order per person.
import type { ZaloBotSettings } from '../../config.ts';
import type { Channel } from '../types.ts';
import { type ChannelDeps, type ChannelHandle, inboxFor } from '../wiring.ts';
import { BotApi } from './api.ts';
import { createIntake } from './intake.ts';
import { type BotPoller, startBotPolling } from './poll.ts';
import { ZaloBotChannel } from './send.ts';
import { registerBotWebhook, WEBHOOK_PATH } from './webhook.ts';

/** getUpdates long-poll timeout, seconds (sent as a string, as documented). */
const POLL_TIMEOUT_SECONDS = 30;

export async function startZaloBot(deps: ChannelDeps, settings: ZaloBotSettings): Promise<ChannelHandle & { mode: 'webhook' | 'polling' }> {
  const { app, log, metrics } = deps;
  const { webhook } = settings;
  const api = new BotApi({ apiRoot: settings.apiRoot, token: settings.token });
  let problem: string | null = null;

  const me = await api.call('getMe');
  if (me.kind === 'error' && (me.code === 401 || me.code === 404)) {
    throw new Error(`Configuration error: ZALO_BOT_TOKEN was refused by the Zalo Bot API (${me.code})`);
  }
  if (me.kind === 'ok') log.info({ channel: 'zalo-bot' }, 'zalo bot identified');
  else log.warn({ channel: 'zalo-bot', code: me.kind === 'error' ? me.code : me.name }, 'zalo-bot getMe failed; continuing');

  const channel: Channel = new ZaloBotChannel({ api, log });
  const inbox = inboxFor(deps, 'zalo-bot', channel);
  const accept = createIntake({ inbox, metrics, log });

  const mode = webhook ? 'webhook' : 'polling';
  let poller: BotPoller | null = null;
  if (webhook) registerBotWebhook(app, webhook.secret, log, accept);

  return {
    channel,
    mode,
    readiness: () => problem,
    async afterListen() {
      if (webhook) {
        const url = `${webhook.publicUrl}${WEBHOOK_PATH}`;
        const r = await api.call('setWebhook', { url, secret_token: webhook.secret });
        if (r.kind === 'ok') log.info({ channel: 'zalo-bot', mode }, 'zalo-bot webhook set');
        else if (r.kind === 'error' && r.code < 500 && r.code !== 408 && r.code !== 429) {
          throw new Error(`Zalo Bot API refused setWebhook for PUBLIC_URL (${r.code}: ${r.description})`);
        } else {
          // The registration from the last start usually still holds.
          problem = 'zalo-bot: setWebhook failed at start';
          log.error({ channel: 'zalo-bot', code: r.kind === 'error' ? r.code : r.name }, 'zalo-bot setWebhook failed');
        }
        return;
      }
      // Polling and a webhook exclude each other.
      const del = await api.call('deleteWebhook');
      if (del.kind !== 'ok') log.warn({ channel: 'zalo-bot', code: del.kind === 'error' ? del.code : del.name }, 'zalo-bot deleteWebhook failed');
      poller = startBotPolling({
        api,
        log,
        accept,
        timeoutSeconds: POLL_TIMEOUT_SECONDS,
        onProblem: (p) => {
          problem = p;
        },
      });
      log.info({ channel: 'zalo-bot', mode }, 'zalo-bot polling started');
    },
    async stop() {
      await poller?.stop();
      poller = null;
      await inbox.stop();
    },
  };
}
