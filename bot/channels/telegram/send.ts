// The Telegram Channel: renders and sends, and maps Bot API failures onto SendResult.
// 429 waits retry_after (bounded, so a webhook turn finishes well inside Telegram's 60 s);
// 403 means blocked; 400 means we sent something wrong; 5xx and network errors get one retry.
// Errors are never logged whole: a GrammyError carries the payload (chat id and text).
import { setTimeout as sleep } from 'node:timers/promises';
import { type Api, GrammyError, HttpError } from 'grammy';
import type { Logger } from '../../logger.ts';
import type { Channel, OutboundMessage, SendResult } from '../types.ts';
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
  private readonly maxWaitMs: number;
  private readonly retryDelayMs: number;

  constructor(o: TelegramChannelOptions) {
    this.api = o.api;
    this.log = o.log;
    this.maxWaitMs = o.maxRateLimitWaitMs ?? 10_000;
    this.retryDelayMs = o.transientRetryDelayMs ?? 500;
  }

  async send(address: string, message: OutboundMessage): Promise<SendResult> {
    let last: SendResult = { ok: true };
    for (const part of render(message)) {
      last = await this.sendOne(address, part);
      if (!last.ok) return last;
    }
    return last;
  }

  private async sendOne(address: string, part: RenderedMessage): Promise<SendResult> {
    const { text, ...other } = part;
    let waitedMs = 0;
    let retried = false;
    for (;;) {
      try {
        const sent = await this.api.sendMessage(address, text, other);
        return { ok: true, messageId: String(sent.message_id) };
      } catch (err) {
        const f = classify(err);
        if (f.kind === 'rate_limited') {
          if (waitedMs + f.retryAfterMs <= this.maxWaitMs) {
            waitedMs += f.retryAfterMs;
            await sleep(f.retryAfterMs);
            continue;
          }
          this.log.warn({ channel: 'telegram', retryAfterMs: f.retryAfterMs, waitedMs }, 'telegram rate limit: giving up on this message');
          return { ok: false, reason: 'rate_limited', retryAfterMs: f.retryAfterMs };
        }
        if (f.kind === 'transient' && !retried) {
          retried = true;
          await sleep(this.retryDelayMs);
          continue;
        }
        const level = f.kind === 'blocked' ? 'info' : 'warn';
        this.log[level]({ channel: 'telegram', code: f.code, description: f.description, error: (err as Error).name }, `telegram send failed: ${f.kind}`);
        return { ok: false, reason: f.kind };
      }
    }
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
