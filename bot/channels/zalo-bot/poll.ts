// Long polling (no PUBLIC_URL): getUpdates returns one update, or 408 when the poll times out
// (no update: ask again at once). An update taken from Zalo cannot be asked for again, so it is
// recorded in the inbox before the next poll, retrying while the database is unavailable.
// Other failures back off, growing to a minute; a refused token is logged as an error. A 409
// means another poller took this token's updates, or a webhook is set (the platform allows one
// or the other): this poller backs off the same way, says so plainly (never the token or the
// platform's words), and shows on /readyz once it keeps happening, so two instances polling
// with one token are noticed instead of silently taking turns.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../logger.ts';
import type { BotApi } from './api.ts';
import type { IntakeOutcome } from './intake.ts';

export interface BotPollerOptions {
  api: BotApi;
  log: Logger;
  accept: (body: unknown) => Promise<IntakeOutcome>;
  /** getUpdates long-poll timeout, seconds. */
  timeoutSeconds?: number;
  /** Reports a refused token (or null once polling works) for /readyz. */
  onProblem?: (problem: string | null) => void;
}

export interface BotPoller {
  stop(): Promise<void>;
}

const backoffMs = (n: number) => Math.min(60_000, 1000 * 2 ** Math.min(n, 6));
/** Conflicts in a row before /readyz reports one (a single one can be a restart's overlap). */
const CONFLICTS_REPORTED = 3;

async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}

export function startBotPolling(o: BotPollerOptions): BotPoller {
  const controller = new AbortController();
  const { signal } = controller;
  const timeoutSeconds = o.timeoutSeconds ?? 30;

  async function take(update: unknown): Promise<void> {
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        await o.accept(update);
        return;
      } catch (err) {
        o.log.error({ channel: 'zalo-bot', err: { name: (err as Error).name }, attempt }, 'zalo-bot polling: could not record an update; retrying');
        await pause(backoffMs(attempt), signal);
      }
    }
    o.log.error({ channel: 'zalo-bot' }, 'zalo-bot polling stopped with an update not recorded');
  }

  const loop = (async () => {
    let failures = 0;
    let conflicts = 0;
    while (!signal.aborted) {
      const r = await o.api.call('getUpdates', { timeout: String(timeoutSeconds) }, { timeoutMs: (timeoutSeconds + 15) * 1000, signal });
      if (signal.aborted) break;
      if (r.kind === 'ok') {
        failures = 0;
        conflicts = 0;
        o.onProblem?.(null);
        const updates = Array.isArray(r.result) ? r.result : r.result == null ? [] : [r.result];
        for (const u of updates) await take(u);
        continue;
      }
      if (r.kind === 'error' && (r.code === 408 || r.status === 408)) {
        failures = 0;
        conflicts = 0;
        o.onProblem?.(null);
        continue;
      }
      const code = r.kind === 'error' ? r.code : null;
      if (code === 409) {
        conflicts += 1;
        if (conflicts >= CONFLICTS_REPORTED) o.onProblem?.('zalo-bot: getUpdates conflict (409): another instance polls with this token, or a webhook is set');
        o.log.warn({ channel: 'zalo-bot', code, conflicts, failures }, 'zalo-bot getUpdates conflict: another poller or a webhook holds this token; backing off');
        await pause(backoffMs(failures++), signal);
        continue;
      }
      conflicts = 0;
      if (code === 401 || code === 403 || code === 404) {
        o.onProblem?.(`zalo-bot: getUpdates refused (${code}); check ZALO_BOT_TOKEN`);
        o.log.error({ channel: 'zalo-bot', code }, 'zalo-bot getUpdates refused: check ZALO_BOT_TOKEN');
      } else {
        o.log.warn({ channel: 'zalo-bot', code, error: r.kind === 'network' ? r.name : undefined, failures }, 'zalo-bot getUpdates failed');
      }
      await pause(backoffMs(failures++), signal);
    }
  })();

  return {
    async stop() {
      controller.abort();
      await loop;
    },
  };
}
