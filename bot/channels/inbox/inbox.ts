// The durable inbound queue. A webhook records the event (one INSERT) and answers at once; a
// worker in the same process, kicked right after the insert, runs the turn and deletes the row.
// A periodic sweep picks up rows left behind by a crash (their lease runs out) or waiting for a
// retry. Rows are claimed with FOR UPDATE SKIP LOCKED, so any number of instances share the
// work, and only the oldest row of each person is ever claimable, so one person's events run in
// arrival order. The engine's processed_event key makes a second run of a row a no-op.
// A row that keeps failing (or cannot be read) is parked: it stays, encrypted, with a log line
// and a count, but no longer holds back the person's later events; a re-delivery of it is still
// a duplicate. The retention purge removes parked rows with the dedupe rows.
import type { PrismaClient } from '../../../prisma/generated/client.ts';
import { poolOf } from '../../db/client.ts';
import { claimInbound, deleteInbound, insertInbound, parkInbound, renewInboundLease, retryInboundLater } from '../../db/inbox.ts';
import { pgSql, type Sql } from '../../db/sql.ts';
import type { Logger } from '../../logger.ts';
import type { Metrics } from '../../metrics.ts';
import type { ChannelName, InboundEvent } from '../types.ts';
import { seal, unseal } from './seal.ts';

export interface InboxOptions {
  prisma: PrismaClient;
  addressKey: Buffer;
  channel: ChannelName;
  log: Logger;
  /** Run one event's turn. Throwing means "not done": the row is retried later. */
  handle: (event: InboundEvent, truncated: boolean) => Promise<void>;
  /** Turns run at once per instance (different people; one person's turns never overlap). */
  concurrency?: number;
  sweepEveryMs?: number;
  /** How long a claimed row stays invisible to other workers; longer than any turn. */
  leaseMs?: number;
  /** A row that failed this many times is parked (logged, counted), so it cannot wedge a person's queue. */
  maxAttempts?: number;
  metrics?: Metrics;
  /** The person's pseudonym: rows are ordered per person, and never hold the raw address. */
  subjectOf: (address: string) => string;
  /** The event could not be recorded (database down): crisis guidance without a turn (accept). */
  crisisFallback?: (event: InboundEvent) => Promise<unknown>;
}

export interface Inbox {
  /** An intake's one call: record the event and start its turn; a duplicate is counted. When
   * the event cannot be recorded, crisis guidance goes out (once per event) and the error is
   * rethrown, so the platform delivers again. True when newly recorded. */
  accept(event: InboundEvent, truncated: boolean): Promise<boolean>;
  /** Process whatever is claimable now, in the background. */
  kick(): void;
  /** Stop sweeping, and wait (bounded) for turns in progress. */
  stop(): Promise<void>;
}

const STOP_WAIT_MS = 20_000;

function retryDelayMs(attempts: number): number {
  return Math.min(300_000, 1000 * 2 ** Math.max(0, attempts - 1));
}

/** What one claimed row needs: the options, the queries, the lease and the attempts allowed. */
interface Runner {
  o: InboxOptions;
  sql: Sql;
  leaseSeconds: number;
  maxAttempts: number;
}

async function park(r: Runner, id: string): Promise<void> {
  await parkInbound(r.sql, id);
  r.o.metrics?.updates.inc({ channel: r.o.channel, outcome: 'parked' });
}

/** Claim and run one row; false when nothing was claimable. */
async function processOne(r: Runner): Promise<boolean> {
  const { o, sql, leaseSeconds } = r;
  const { channel, log } = o;
  const row = await claimInbound(sql, channel, leaseSeconds);
  if (!row) return false;
  let opened: ReturnType<typeof unseal>;
  try {
    opened = unseal(o.addressKey, row.payloadEnc);
  } catch (err) {
    // Written with another ADDRESS_KEY, or damaged: it can never be read here, so it is set aside.
    log.error({ channel, err: { name: (err as Error).name } }, 'inbox: unreadable event set aside (parked)');
    await park(r, row.id);
    return true;
  }
  // A slow turn (token refresh, a platform waiting out its rate limit) keeps its lease, so no
  // other worker takes the row and runs the person's next event before these replies are out.
  const renew = setInterval(() => {
    renewInboundLease(sql, row.id, leaseSeconds).catch(() => undefined);
  }, (leaseSeconds * 1000) / 3);
  try {
    await o.handle(opened.event, opened.truncated);
    clearInterval(renew);
    await deleteInbound(sql, row.id);
  } catch (err) {
    clearInterval(renew);
    const e = err as Error & { code?: string };
    if (row.attempts >= r.maxAttempts) {
      log.error({ channel, attempts: row.attempts, err: { name: e.name, code: e.code } }, 'inbox: event set aside (parked) after repeated failures');
      await park(r, row.id);
    } else {
      const delay = retryDelayMs(row.attempts);
      log.warn({ channel, attempts: row.attempts, retryInMs: delay, err: { name: e.name, code: e.code } }, 'inbox: turn failed; will retry');
      await retryInboundLater(sql, row.id, delay);
    }
  }
  return true;
}

export function createInbox(o: InboxOptions): Inbox {
  const { channel, log } = o;
  const sql = pgSql(poolOf(o.prisma));
  const concurrency = o.concurrency ?? 4;
  // Short and renewed while a turn works: a dead instance's events are taken within seconds.
  const runner: Runner = { o, sql, leaseSeconds: (o.leaseMs ?? 10_000) / 1000, maxAttempts: o.maxAttempts ?? 4 };
  const workers = new Set<Promise<void>>();
  let wanted = false;
  let stopped = false;

  async function work(): Promise<void> {
    try {
      for (;;) {
        if (stopped) return;
        wanted = false;
        const did = await processOne(runner);
        // A kick that came while this worker was looking may concern a row it could not see yet.
        if (!did && !wanted) return;
      }
    } catch (err) {
      const e = err as Error & { code?: string };
      log.error({ channel, err: { name: e.name, code: e.code } }, 'inbox: worker failed; the sweep will retry');
    }
  }

  function kick(): void {
    if (stopped) return;
    wanted = true;
    if (workers.size >= concurrency) return;
    const w = work().finally(() => workers.delete(w));
    workers.add(w);
  }

  const sweep = setInterval(kick, o.sweepEveryMs ?? 2000);
  sweep.unref();
  kick();

  return {
    async accept(event, truncated) {
      let recorded: boolean;
      try {
        // False when already recorded, or already processed (and deleted from here).
        recorded = await insertInbound(sql, channel, event.externalId, o.subjectOf(event.address), seal(o.addressKey, event, truncated));
      } catch (err) {
        await o.crisisFallback?.(event).catch(() => undefined);
        throw err;
      }
      if (recorded) kick();
      else o.metrics?.updates.inc({ channel, outcome: 'duplicate' });
      return recorded;
    },
    kick,
    async stop() {
      stopped = true;
      clearInterval(sweep);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, STOP_WAIT_MS);
        timer.unref();
      });
      await Promise.race([Promise.all([...workers]), timeout]);
      clearTimeout(timer);
    },
  };
}
