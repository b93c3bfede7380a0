// Telegram wiring. With PUBLIC_URL: the webhook route and setWebhook (with the secret).
// Without: long polling, started once the HTTP server is up. Never both.
// One getMe at start checks the token; no per-request initialisation.
import { Api, GrammyError } from 'grammy';
import type { TelegramSettings } from '../../config.ts';
import type { ChannelDeps, ChannelHandle } from '../wiring.ts';
import { parseUpdate, type TelegramUpdate } from './parse.ts';
import { ALLOWED_UPDATES, type Poller, startPolling } from './poll.ts';
import { answerCallback, TelegramChannel } from './send.ts';
import { WebhookReply } from '../webhook-secret.ts';
import { registerWebhook, WEBHOOK_PATH } from './webhook.ts';

export type TelegramDeps = Pick<ChannelDeps, 'app' | 'engine' | 'log' | 'metrics'>;

/** Sends must finish well inside a webhook turn; getUpdates holds up to its own timeout. */
const SEND_TIMEOUT_SECONDS = 10;
/** A tapped button's spinner waits at most this long for the webhook's response. */
const ANSWER_WITHIN_MS = 1000;
const POLL_TIMEOUT_SECONDS = 25;

export async function startTelegram(deps: TelegramDeps, settings: TelegramSettings): Promise<ChannelHandle & { mode: 'webhook' | 'polling' }> {
  const { app, engine, log, metrics } = deps;
  const { token, apiRoot, webhook } = settings;
  const api = new Api(token, { apiRoot, timeoutSeconds: SEND_TIMEOUT_SECONDS });
  const channel = new TelegramChannel({ api, log });

  try {
    const me = await api.getMe();
    log.info({ channel: 'telegram', bot: me.username }, 'telegram bot identified');
  } catch (err) {
    // A refused token is a configuration error; an unreachable API may come back.
    if (err instanceof GrammyError && (err.error_code === 401 || err.error_code === 404)) {
      throw new Error(`Configuration error: TELEGRAM_BOT_TOKEN was refused by the Bot API (${err.error_code})`);
    }
    log.warn({ channel: 'telegram', error: (err as Error).name }, 'telegram getMe failed; continuing');
  }

  /** One update. A tapped button is answered (its spinner stopped) in the webhook's own
   * response, which saves a request of its own per tap (Telegram runs the call and stops the
   * spinner as the reply arrives); by a request when polling, when the turn fails, or when it
   * takes longer than `answerWithinMs` (a reply held up by a 429 must not leave the spinner
   * turning meanwhile). */
  async function processUpdate(update: TelegramUpdate, viaWebhook = false): Promise<WebhookReply | undefined> {
    const parsed = parseUpdate(update, new Date());
    const queryId = 'callbackQueryId' in parsed ? parsed.callbackQueryId : undefined;
    const within = settings.answerWithinMs ?? ANSWER_WITHIN_MS;
    let answered: Promise<void> | null = null;
    const answerNow = () => {
      if (queryId) answered ??= answerCallback(api, queryId, log);
    };
    const inResponse = Boolean(queryId) && viaWebhook && within > 0;
    if (!inResponse) answerNow();
    const late = inResponse ? setTimeout(answerNow, within) : null;
    try {
      // Answered once committed: the replies are the outbox's from then on (engine.handle).
      if (parsed.type === 'event') await engine.handle(parsed.event, channel, parsed.truncated, true);
      else if (parsed.type === 'blocked') {
        await engine.markContact(engine.subjectOf('telegram', parsed.address), 'blocked');
        metrics.updates.inc({ channel: 'telegram', outcome: 'blocked' });
      } else metrics.updates.inc({ channel: 'telegram', outcome: 'ignored' });
    } catch (err) {
      // A failed turn answers 500, which carries no call.
      answerNow();
      throw err;
    } finally {
      if (late) clearTimeout(late);
      await answered;
    }
    return inResponse && answered === null ? new WebhookReply({ method: 'answerCallbackQuery', callback_query_id: queryId! }) : undefined;
  }

  const mode = webhook ? 'webhook' : 'polling';
  let poller: Poller | null = null;
  if (webhook) registerWebhook(app, webhook.secret, log, processUpdate);

  return {
    channel,
    // Reminders go through the shared, cross-instance rate limiter: a 429 must come back to it
    // at once (so every instance pauses), not be waited out here.
    bulkChannel: new TelegramChannel({ api, log, maxRateLimitWaitMs: 0 }),
    mode,
    readiness: () => null,
    async afterListen() {
      if (webhook) {
        const url = `${webhook.publicUrl}${WEBHOOK_PATH}`;
        try {
          await api.setWebhook(url, { secret_token: webhook.secret, allowed_updates: [...ALLOWED_UPDATES] });
          log.info({ channel: 'telegram', mode }, 'telegram webhook set');
        } catch (err) {
          if (err instanceof GrammyError && err.error_code < 500) {
            throw new Error(`Telegram refused setWebhook for PUBLIC_URL (${err.error_code}: ${err.description})`);
          }
          // The registration from the last start usually still holds.
          log.error({ channel: 'telegram', error: (err as Error).name }, 'telegram setWebhook failed');
        }
        return;
      }
      // getUpdates fails with 409 while a webhook is set.
      await api.deleteWebhook().catch((err: Error) => log.warn({ channel: 'telegram', error: err.name }, 'telegram deleteWebhook failed'));
      const pollApi = new Api(token, { apiRoot, timeoutSeconds: POLL_TIMEOUT_SECONDS + 15 });
      poller = startPolling({ api: pollApi, log, process: processUpdate, timeoutSeconds: POLL_TIMEOUT_SECONDS });
      log.info({ channel: 'telegram', mode }, 'telegram polling started');
    },
    async stop() {
      // The webhook stays registered: other instances keep serving it.
      await poller?.stop();
      poller = null;
    },
  };
}
