// Long polling (no PUBLIC_URL): getUpdates in a loop, one update at a time, in order.
// The offset moves past an update only once its turn is committed, so a database outage
// delays updates instead of losing them; one that keeps failing is eventually skipped so it
// cannot wedge the bot for everyone.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Api } from 'grammy';
import type { Logger } from '../../logger.ts';
import { type TelegramUpdate, UpdateSchema } from './parse.ts';
import { classify } from './send.ts';

export const ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const;

export interface PollerOptions {
  api: Api;
  log: Logger;
  process: (update: TelegramUpdate) => Promise<unknown>;
  /** getUpdates long-poll timeout, seconds. */
  timeoutSeconds?: number;
  /** Attempts per update before it is skipped. */
  maxAttempts?: number;
  /** Backoff cap, milliseconds. */
  maxBackoffMs?: number;
}

export interface Poller {
  stop(): Promise<void>;
}

function backoffMs(attempt: number, cap: number): number {
  return Math.min(cap, 500 * 2 ** Math.min(attempt, 10));
}

/** Sleep that ends early (without throwing) when polling stops. */
async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}

export function startPolling(o: PollerOptions): Poller {
  const controller = new AbortController();
  const { signal } = controller;
  // grammY declares its own AbortSignal type (a polyfill's); Node's is the same thing at run time.
  const grammySignal = signal as unknown as Parameters<Api['getUpdates']>[1];
  const maxAttempts = o.maxAttempts ?? 20;
  const cap = o.maxBackoffMs ?? 30_000;

  async function handleOne(raw: unknown): Promise<void> {
    const parsed = UpdateSchema.safeParse(raw);
    if (!parsed.success) {
      o.log.warn({ channel: 'telegram' }, 'telegram polling: skipped a malformed update');
      return;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await o.process(parsed.data);
        return;
      } catch (err) {
        o.log.error({ channel: 'telegram', err: { name: (err as Error).name }, attempt }, 'telegram update failed');
        if (attempt >= maxAttempts) {
          o.log.error({ channel: 'telegram', attempts: attempt }, 'telegram update skipped after repeated failures');
          return;
        }
        await pause(backoffMs(attempt, cap), signal);
        if (signal.aborted) throw err; // leave it unconfirmed: Telegram serves it again next time
      }
    }
  }

  const loop = (async () => {
    let offset = 0;
    let failures = 0;
    while (!signal.aborted) {
      let updates: unknown[];
      try {
        updates = await o.api.getUpdates({ offset, timeout: o.timeoutSeconds ?? 25, allowed_updates: [...ALLOWED_UPDATES] }, grammySignal);
        failures = 0;
      } catch (err) {
        if (signal.aborted) break;
        const f = classify(err);
        const code = 'code' in f ? f.code : 429;
        // 409: another poller or a webhook holds this token.
        o.log.warn({ channel: 'telegram', code, failures }, 'telegram getUpdates failed');
        await pause(f.kind === 'rate_limited' ? f.retryAfterMs : backoffMs(failures++, cap), signal);
        continue;
      }
      for (const raw of updates) {
        if (signal.aborted) break;
        try {
          await handleOne(raw);
        } catch {
          break; // stopping mid-retry
        }
        const id = (raw as { update_id?: unknown }).update_id;
        if (typeof id === 'number') offset = Math.max(offset, id + 1);
      }
    }
  })();

  return {
    async stop() {
      controller.abort();
      await loop;
    },
  };
}
