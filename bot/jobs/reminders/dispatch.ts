// Dispatch: a due plan row (reminder_delivery) is handed over to the outbox, in one statement
// with the row marked 'sending', and from there it is sent like any reply (bot/engine/outbox.ts:
// the rate, retries, the Zalo OA window, each person's order, the outcome written back). Here
// only what decides whether it goes at all: the member still wants it, can be reached, and the
// message still says something; it is composed in the member's language at hand-over.
// Safe on any number of instances at once: a row is handed over once (the statement's claim).
import type { PgBoss } from 'pg-boss';
import type { Content } from '../../../content/types.ts';
import type { Locale, OutboundMessage } from '../../../flows/types.ts';
import type { PrismaClient } from '../../../prisma/generated/client.ts';
import type { ChannelName } from '../../channels/types.ts';
import { poolOf } from '../../db/client.ts';
import { closeDeliveries, type DueDelivery, dueDeliveries, type HandOver, handOverDeliveries, requeueOrphans } from '../../db/delivery.ts';
import { pgSql, type Sql } from '../../db/sql.ts';
import { sealPayload } from '../../engine/outbox.ts';
import type { Logger } from '../../logger.ts';
import { decrypt } from '../../privacy/crypto.ts';
import { compose } from './compose.ts';
import { plan } from './plan.ts';

export const PLAN_QUEUE = 'club-plan';
/** A platform that keeps failing (500, timeouts): a message is retried until it can no longer
 * help, never dropped after a fixed number of tries. */
const GIVE_UP_AFTER_MS = 24 * 3_600_000;
/** Kinds about a meeting still to come: no use once it has begun. */
const BEFORE_MEETING = new Set(['reminder', 'meeting_moved', 'coord_before']);
const BATCH = 500;

export interface DispatchDeps {
  prisma: PrismaClient;
  content: Content;
  /** The channels this deployment sends on; a member on another (the web) cannot be reached. */
  channels: ChannelName[];
  addressKey: Buffer;
  /** The outbox sender, told when rows were handed over (it also finds them on its own). */
  outbox?: { kick(): void };
  /** How often due rows are looked for between the planning ticks. */
  handOverEveryMs?: number;
  log?: Logger;
  now?: () => Date;
}

/** When a message stops being worth sending: the meeting's start for kinds about a meeting
 * still to come, else a day after it was due. */
export function expiryOf(row: Pick<DueDelivery, 'kind' | 'dueAt' | 'startsAt'>): Date {
  const giveUp = new Date(row.dueAt.getTime() + GIVE_UP_AFTER_MS);
  if (!BEFORE_MEETING.has(row.kind) || !row.startsAt) return giveUp;
  return row.startsAt < giveUp ? row.startsAt : giveUp;
}

type Decision = { go: HandOver } | { close: { status: 'failed' | 'cancelled'; reason: string } };

export class Dispatcher {
  private readonly d: DispatchDeps;
  private readonly sql: Sql;
  private running: Promise<number> | null = null;

  constructor(d: DispatchDeps) {
    this.d = d;
    this.sql = pgSql(poolOf(d.prisma));
  }

  private now(): Date {
    return this.d.now?.() ?? new Date();
  }

  /** Hand every due plan row over (or close it); the number handed over. One run at a time. */
  handOver(): Promise<number> {
    this.running ??= this.handOverAll().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async handOverAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const due = await dueDeliveries(this.sql, this.now(), BATCH);
      const messages = new Map<string, Promise<OutboundMessage | null>>();
      const go: HandOver[] = [];
      const close: { id: string; status: 'failed' | 'cancelled'; reason: string }[] = [];
      let skipped = 0;
      for (const row of due) {
        // One row that cannot be read or composed must not hold back every row after it.
        let r: Decision | null;
        try {
          r = await this.decide(row, messages);
        } catch (err) {
          this.d.log?.error({ err: { name: (err as Error).name }, kind: row.kind }, 'reminders: a due row could not be handed over');
          r = err instanceof ComposeFailed ? null : { close: { status: 'failed', reason: 'invalid' } };
        }
        if (r === null) skipped++;
        else if ('go' in r) go.push(r.go);
        else close.push({ id: row.id, ...r.close });
      }
      await closeDeliveries(this.sql, close);
      const n = await handOverDeliveries(this.sql, go);
      total += n;
      if (n) this.d.outbox?.kick();
      // Rows skipped (composing failed, e.g. the database for a moment) wait for the next tick.
      if (due.length < BATCH || (skipped && !n && !close.length)) return total;
    }
  }

  private async decide(row: DueDelivery, messages: Map<string, Promise<OutboundMessage | null>>): Promise<Decision> {
    if (!row.memberActive || !row.subjectKey) return { close: { status: 'cancelled', reason: 'stopped' } };
    if (!row.addressEnc || !row.contactChannel) return { close: { status: 'failed', reason: 'no_address' } };
    if (!this.d.channels.includes(row.contactChannel as ChannelName)) return { close: { status: 'failed', reason: 'no_channel' } };
    const expiresAt = expiryOf(row);
    if (expiresAt <= this.now()) return { close: { status: 'cancelled', reason: 'obsolete' } };
    const locale: Locale = row.locale === 'en' ? 'en' : 'vi';
    // The same words for everyone of a meeting and language: composed once per hand-over.
    const key = [row.kind, row.clubId, row.occurrenceId, row.assignmentId, locale].join(':');
    let message = messages.get(key);
    if (!message) {
      message = compose(this.sql, this.d.content, row, locale).catch((err: Error) => {
        throw new ComposeFailed(err.name);
      });
      messages.set(key, message);
    }
    const m = await message;
    if (!m) return { close: { status: 'cancelled', reason: 'obsolete' } };
    const address = decrypt(this.d.addressKey, row.addressEnc);
    return { go: { id: row.id, subjectKey: row.subjectKey, channel: row.contactChannel, payloadEnc: sealPayload(this.d.addressKey, address, [m]), expiresAt } };
  }
}

/** Composing failed (not this row's fault): the row stays due and is tried at the next tick. */
class ComposeFailed extends Error {
  constructor(cause: string) {
    super(`compose failed: ${cause}`);
    this.name = 'ComposeFailed';
  }
}

export interface RemindersHandle {
  dispatcher: Dispatcher;
  /** Plan, recover and hand over now (the schedule does this every minute). */
  tick(): Promise<void>;
  stop(): void;
}

export async function startReminders(boss: PgBoss, deps: DispatchDeps & { timeZone: string; nudgeAfterMs?: number; schedule?: boolean }): Promise<RemindersHandle> {
  const dispatcher = new Dispatcher(deps);
  const now = () => deps.now?.() ?? new Date();
  const sql = pgSql(poolOf(deps.prisma));
  await boss.createQueue(PLAN_QUEUE);
  const tick = async () => {
    await plan(sql, now(), deps.nudgeAfterMs ? { nudgeAfterMs: deps.nudgeAfterMs } : {});
    await requeueOrphans(sql);
    await dispatcher.handOver();
  };
  await boss.work(PLAN_QUEUE, async () => tick());
  if (deps.schedule !== false) await boss.schedule(PLAN_QUEUE, '* * * * *', null, { tz: deps.timeZone });
  // Between the ticks: rows become due at their own time (quiet hours end, a 24 h mark).
  const timer = setInterval(() => {
    dispatcher.handOver().catch((err: Error & { code?: string }) => deps.log?.error({ err: { name: err.name, code: err.code } }, 'reminders: hand-over failed; retried shortly'));
  }, deps.handOverEveryMs ?? 2000);
  timer.unref();
  return { dispatcher, tick, stop: () => clearInterval(timer) };
}
