// Telegram wiring. With PUBLIC_URL: the webhook route and setWebhook (with the secret).
// Without: long polling, started once the HTTP server is up. Never both.
// One getMe at start checks the token; no per-request initialisation.
import { Api, GrammyError } from 'grammy';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';
import type { Engine } from '../../engine/engine.ts';
import type { Logger } from '../../logger.ts';
import type { Metrics } from '../../metrics.ts';
import type { Channel } from '../types.ts';
import { parseUpdate, type TelegramUpdate } from './parse.ts';
import { ALLOWED_UPDATES, type Poller, startPolling } from './poll.ts';
import { answerCallback, TelegramChannel } from './send.ts';
import { registerWebhook, WEBHOOK_PATH } from './webhook.ts';

export interface TelegramDeps {
  app: FastifyInstance;
  engine: Engine;
  config: Config;
  log: Logger;
  metrics: Metrics;
}

export interface TelegramHandle {
  channel: Channel;
  /** The same bot for reminders: a 429 is reported at once to the shared rate limiter. */
  bulkChannel: Channel;
  mode: 'webhook' | 'polling';
  stop(): Promise<void>;
  afterListen(): Promise<void>;
}

/** Sends must finish well inside a webhook turn; getUpdates holds up to its own timeout. */
const SEND_TIMEOUT_SECONDS = 10;
const POLL_TIMEOUT_SECONDS = 25;

export async function startTelegram(deps: TelegramDeps): Promise<TelegramHandle> {
  const { app, engine, config, log, metrics } = deps;
  const token = config.TELEGRAM_BOT_TOKEN;
  if (!token) throw new Error('startTelegram needs TELEGRAM_BOT_TOKEN');
  const apiRoot = config.TELEGRAM_API_ROOT.replace(/\/+$/, '');
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

  async function processUpdate(update: TelegramUpdate): Promise<void> {
    const parsed = parseUpdate(update, new Date());
    // Answer the button at once (in parallel with the turn), whatever happens next.
    const answered = 'callbackQueryId' in parsed && parsed.callbackQueryId ? answerCallback(api, parsed.callbackQueryId, log) : null;
    try {
      if (parsed.type === 'event') await engine.handle(parsed.event, channel, parsed.truncated);
      else if (parsed.type === 'blocked') {
        await engine.markContact(engine.subjectOf('telegram', parsed.address), 'blocked');
        metrics.updates.inc({ channel: 'telegram', outcome: 'blocked' });
      } else metrics.updates.inc({ channel: 'telegram', outcome: 'ignored' });
    } finally {
      await answered;
    }
  }

  const mode = config.PUBLIC_URL ? 'webhook' : 'polling';
  let poller: Poller | null = null;

  if (mode === 'webhook') {
    const secret = config.TELEGRAM_WEBHOOK_SECRET;
    // Without a secret anyone could post updates as any chat.
    if (!secret) throw new Error('Configuration error: TELEGRAM_WEBHOOK_SECRET is required for the Telegram webhook');
    registerWebhook(app, { secret, log, process: processUpdate });
  }

  return {
    channel,
    // Reminders go through the shared, cross-instance rate limiter: a 429 must come back to it
    // at once (so every instance pauses), not be waited out here.
    bulkChannel: new TelegramChannel({ api, log, maxRateLimitWaitMs: 0 }),
    mode,
    async afterListen() {
      if (mode === 'webhook') {
        const url = `${config.PUBLIC_URL!.replace(/\/+$/, '')}${WEBHOOK_PATH}`;
        try {
          await api.setWebhook(url, { secret_token: config.TELEGRAM_WEBHOOK_SECRET!, allowed_updates: [...ALLOWED_UPDATES] });
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
