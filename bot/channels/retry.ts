// One send-with-retry for every channel: the channel makes one attempt and says what its
// answer means (classify); this loop waits out short rate limits, retries a transient failure
// once, and reports everything else as a SendResult. Longer waits are the outbox's business
// (bot/engine/outbox.ts): it keeps the reply and tries again with back-off.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logger.ts';
import type { ChannelName, PartProgress, SendResult } from './types.ts';

export type Verdict =
  | { kind: 'ok'; messageId?: string }
  /** Try again at once, once (e.g. the access token was refreshed). */
  | { kind: 'again' }
  /** Without retryAfterMs the wait doubles from the policy's first back-off. */
  | { kind: 'rate_limited'; retryAfterMs?: number; detail?: Record<string, unknown> }
  | { kind: 'transient' | 'blocked' | 'outside_window' | 'invalid'; detail?: Record<string, unknown> };

export interface RetryPolicy {
  /** Longest total wait on rate limits for one message before reporting rate_limited. */
  maxRateLimitWaitMs: number;
  /** First pause when the platform gives no retry_after. */
  rateLimitBackoffMs: number;
  transientRetryDelayMs: number;
}

export const DEFAULT_POLICY: RetryPolicy = { maxRateLimitWaitMs: 10_000, rateLimitBackoffMs: 1000, transientRetryDelayMs: 500 };

/** A channel's policy: its own settings (tests shorten them, reminders never wait), the rest default. */
export function policyOf(o: Partial<RetryPolicy>): RetryPolicy {
  return {
    maxRateLimitWaitMs: o.maxRateLimitWaitMs ?? DEFAULT_POLICY.maxRateLimitWaitMs,
    rateLimitBackoffMs: o.rateLimitBackoffMs ?? DEFAULT_POLICY.rateLimitBackoffMs,
    transientRetryDelayMs: o.transientRetryDelayMs ?? DEFAULT_POLICY.transientRetryDelayMs,
  };
}

/** One message rendered as several platform messages, sent in order from `progress.from`: the
 * first that is not accepted stops the rest and is the result; each accepted part but the last
 * is recorded (`progress.done`) before the next goes. */
export async function sendParts<P>(parts: P[], sendOne: (part: P) => Promise<SendResult>, progress?: PartProgress): Promise<SendResult> {
  let last: SendResult = { ok: true };
  for (let i = progress?.from ?? 0; i < parts.length; i++) {
    last = await sendOne(parts[i]!);
    if (!last.ok) return last;
    if (progress && i + 1 < parts.length) await progress.done(i + 1);
  }
  return last;
}

export async function sendWithRetry<R>(
  channel: ChannelName,
  log: Logger,
  attempt: () => Promise<R>,
  classify: (answer: R) => Verdict | Promise<Verdict>,
  policy: RetryPolicy,
): Promise<SendResult> {
  let waited = 0;
  let backoff = policy.rateLimitBackoffMs;
  let retried = false;
  let again = false;
  for (;;) {
    const v = await classify(await attempt());
    switch (v.kind) {
      case 'ok':
        return v.messageId ? { ok: true, messageId: v.messageId } : { ok: true };
      case 'again':
        if (again) {
          log.warn({ channel }, `${channel} send failed: refused again after a retry`);
          return { ok: false, reason: 'transient' };
        }
        again = true;
        continue;
      case 'rate_limited': {
        const wait = v.retryAfterMs ?? backoff;
        if (waited + wait <= policy.maxRateLimitWaitMs) {
          await sleep(wait);
          waited += wait;
          if (v.retryAfterMs === undefined) backoff *= 2;
          continue;
        }
        log.warn({ channel, ...v.detail, retryAfterMs: wait, waitedMs: waited }, `${channel} rate limit: the outbox keeps this message`);
        return { ok: false, reason: 'rate_limited', retryAfterMs: wait };
      }
      case 'transient':
        if (!retried) {
          retried = true;
          await sleep(policy.transientRetryDelayMs);
          continue;
        }
        log.warn({ channel, ...v.detail }, `${channel} send failed: transient`);
        return { ok: false, reason: 'transient' };
      case 'blocked':
      case 'outside_window':
        log.info({ channel, ...v.detail }, `${channel} send failed: ${v.kind}`);
        return { ok: false, reason: v.kind };
      case 'invalid':
        log.warn({ channel, ...v.detail }, `${channel} send failed: invalid`);
        return { ok: false, reason: 'invalid' };
    }
  }
}
