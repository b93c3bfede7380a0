// The Telegram Channel: renders and sends, and maps Bot API failures onto SendResult.
// 429 waits retry_after (bounded, so a webhook turn finishes well inside Telegram's 60 s; a
// longer one is left to the outbox); 403 means blocked; 400 means we sent something wrong; 5xx
// and network errors get one retry (bot/channels/retry.ts).
// Errors are never logged whole: a GrammyError carries the payload (chat id and text).
import { type Api, GrammyError, HttpError } from 'grammy';
import type { Logger } from '../../logger.ts';
import { policyOf, type RetryPolicy, sendParts, sendWithRetry, type Verdict } from '../retry.ts';
import type { Channel, OutboundMessage, PartProgress, SendResult } from '../types.ts';
import { type RenderedMessage, render } from './render.ts';

export interface TelegramChannelOptions {
  api: Api;
  log: Logger;
  /** Longest total wait on 429s for one message before giving up as rate_limited. */
  maxRateLimitWaitMs?: number;
  /** Pause before the single retry of a 5xx or network failure. */
  transientRetryDelayMs?: number;
}

type Failure =
  | { kind: 'rate_limited'; retryAfterMs: number }
  | { kind: 'blocked' | 'invalid' | 'transient'; code: number | null; description?: string };

export function classify(err: unknown): Failure {
  if (err instanceof GrammyError) {
    const code = err.error_code;
    if (code === 429) return { kind: 'rate_limited', retryAfterMs: Math.max(0, err.parameters.retry_after ?? 1) * 1000 };
    if (code === 403) return { kind: 'blocked', code };
    if (code >= 500) return { kind: 'transient', code };
    // Telegram's descriptions name the problem ("chat not found", "BUTTON_URL_INVALID"), never the text.
    return { kind: 'invalid', code, description: err.description.slice(0, 120) };
  }
  if (err instanceof HttpError) return { kind: 'transient', code: null };
  return { kind: 'transient', code: null };
}

export class TelegramChannel implements Channel {
  readonly name = 'telegram' as const;
  private readonly api: Api;
  private readonly log: Logger;
  private readonly policy: RetryPolicy;

  constructor(o: TelegramChannelOptions) {
    this.api = o.api;
    this.log = o.log;
    this.policy = policyOf(o);
  }

  async send(address: string, message: OutboundMessage, progress?: PartProgress): Promise<SendResult> {
    return sendParts(render(message), (part) => this.sendOne(address, part), progress);
  }

  private sendOne(address: string, part: RenderedMessage): Promise<SendResult> {
    const { text, ...other } = part;
    return sendWithRetry(
      'telegram',
      this.log,
      () => this.api.sendMessage(address, text, other).then((sent) => ({ sent }), (err: unknown) => ({ err })),
      (r): Verdict => {
        if ('sent' in r) return { kind: 'ok', messageId: String(r.sent.message_id) };
        const f = classify(r.err);
        if (f.kind === 'rate_limited') return { kind: 'rate_limited', retryAfterMs: f.retryAfterMs };
        return { kind: f.kind, detail: { code: f.code, description: f.description, error: (r.err as Error).name } };
      },
      this.policy,
    );
  }
}

/** Stop the button's spinner. Never throws: an old or already answered query is not our problem. */
export async function answerCallback(api: Api, id: string, log: Logger): Promise<void> {
  try {
    await api.answerCallbackQuery(id);
  } catch (err) {
    const f = classify(err);
    log.debug({ channel: 'telegram', code: 'code' in f ? f.code : 429 }, 'answerCallbackQuery failed');
  }
}
