// The sender of the outbox (bot/db/outbox.ts): the one path for everything the bot says. A
// turn's replies are sent at once after its commit by the instance that ran it (no extra
// wait); a failure, or a crash, leaves the row to this sender, which every instance runs. Club
// reminders and nudges reach it from their plan (bot/jobs/reminders/dispatch.ts hands a due
// plan row over as an outbox row) and go the same way; finishing the row records the outcome
// on the plan row in the same statement.
// - Order: only the oldest row of a person can be taken, so a reminder and a reply to the same
//   person never overtake each other, and at most one message per person is in flight.
// - Pace: the sender's sends take a slot of the channel's rate, shared by every instance
//   (rate.ts); up to `concurrency` rows (different people) are sent at once per instance.
// - Failures, classified here only: back-off on transient ones, the platform's retry_after on
//   429 (pausing the channel for every instance); blocked or outside the Zalo OA window
//   (checked before sending, bot/channels/zalo-oa/window.ts) end the row and mark the
//   contact; a row past its expiry (a day, or the meeting a reminder announces has begun) is
//   given up and reported; a plan row cancelled meanwhile (the member stopped) is not sent.
// - Crashes: `sent` (and `part`, within a message split for the platform's length limit)
//   moves past each accepted message or part before the next goes, so a crash repeats at
//   most the message (part) in flight: at most one per person, and at most `concurrency`
//   plus the turns delivering their own replies per instance (docs/architecture.md).
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { OutboundMessage } from '../../flows/types.ts';
import type { Channel, ChannelName, PartProgress, SendResult } from '../channels/types.ts';
import { outsideWindow } from '../channels/zalo-oa/window.ts';
import { markContact } from '../db/contact.ts';
import { claimOutbox, type DeliveryEnd, deleteOutboxMany, finishOutbox, type OutboxRow, outboxProgress, renewOutbox, retryOutbox, type SentRows } from '../db/outbox.ts';
import { pgSql, type Sql } from '../db/sql.ts';
import type pg from 'pg';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { decrypt, encrypt } from '../privacy/crypto.ts';
import { ChannelRateLimiter, defaultRate } from './rate.ts';

export interface OutboxOptions {
  pool: pg.Pool;
  key: Buffer;
  log: Logger;
  metrics: Metrics;
  /** How long a row stays with the instance sending it; renewed every third of it. */
  leaseSeconds?: number;
  sweepEveryMs?: number;
  /** Rows (different people) the sender sends at once from this instance. */
  concurrency?: number;
  /** Messages per second per channel for the sender's sends, shared by every instance
   * (REMINDER_RATE_*; Telegram's bulk guidance is about 30). */
  ratePerSecond?: (channel: string) => number;
  /** A reply still failing this long after its turn is dropped (logged). */
  giveUpAfterMs?: number;
  /** How long a sent row waits for a turn's write to delete it (SETTLE_MS). */
  settleMs?: number;
  now?: () => Date;
}

const Payload = z.object({
  v: z.literal(1),
  address: z.string(),
  messages: z.array(z.custom<OutboundMessage>((m) => typeof m === 'object' && m !== null && typeof (m as { text?: unknown }).text === 'string')),
});

export interface Pending {
  id: string;
  subject: string;
  channel: Channel;
  address: string;
  messages: OutboundMessage[];
  sent: number;
  /** Parts of message `sent` already accepted. */
  part?: number;
  attempts: number;
}

/** How long a sent row waits for a turn's write to delete it (rideAlong) before it is deleted
 * with others in a statement of its own. Kept short: a crash meanwhile repeats the last
 * message of every row waiting, which counts against the in-flight bound (docs/architecture.md). */
const SETTLE_MS = 5;

/** Seal a row's payload (the address and the messages) with ADDRESS_KEY. */
export function sealPayload(key: Buffer, address: string, messages: OutboundMessage[]): string {
  return encrypt(key, JSON.stringify({ v: 1, address, messages }));
}

/** Why a claimed row is not sent at all; undefined: send it. */
function dropReason(row: OutboxRow, now: Date, giveUpAfterMs: number): DeliveryEnd | undefined {
  // Its plan row was cancelled meanwhile (the member stopped, the meeting moved).
  if (row.deliveryId !== null && row.deliveryStatus !== 'sending') return null;
  const expires = row.expiresAt ?? new Date(row.createdAt.getTime() + giveUpAfterMs);
  if (now >= expires) return { status: 'failed', reason: 'transient' };
  if (outsideWindow(row.channel, row.lastInboundAt, now)) return { status: 'failed', reason: 'outside_window' };
  return undefined;
}

/** Back-off after the n-th failed attempt: 1 s, 2 s, 4 s … at most a minute. */
export function backoffMs(attempts: number): number {
  return Math.min(60_000, 1000 * 2 ** Math.max(0, attempts - 1));
}

/** Rows sent at once per instance: enough to keep Telegram's ~30/s busy at a real round trip
 * (~150-250 ms from Vietnam), and the bound on messages repeated by a crash. */
export const DEFAULT_CONCURRENCY = 8;

export class Outbox {
  readonly leaseSeconds: number;
  private readonly o: OutboxOptions;
  private readonly sql: Sql;
  private readonly channels = new Map<ChannelName, Channel>();
  /** What the sender sends through, when it differs (never waiting out a 429 itself). */
  private readonly bulk = new Map<ChannelName, Channel>();
  private readonly limiter: ChannelRateLimiter;
  private readonly held = new Set<string>();
  private heartbeat: NodeJS.Timeout | null = null;
  private sweep: NodeJS.Timeout | null = null;
  private readonly workers = new Set<Promise<void>>();
  private wanted = false;
  private stopped = false;
  /** Past the stop's last flush: nothing more is deleted here (settle). */
  private closed = false;
  /** A turn here left its replies behind older ones: look again as soon as a row is done. */
  private behind = false;
  /** Rows whose messages are all out, deleted by the next turn's write (rideAlong) or, once
   * they have waited SETTLE_MS for one, by the flush; id → their person and when they were sent
   * (performance.now()). Leased until then (the heartbeat), so no sender takes them meanwhile. */
  private readonly done = new Map<string, { subject: string; at: number }>();
  /** Waiting for the delete of rows in `done`: the sender's workers, so that a worker holds
   * one row at a time, sent or deleted (the in-flight bound of docs/architecture.md). */
  private readonly deleted = new Map<string, () => void>();
  /** Rows of `done` a turn's write is deleting (rideAlong). */
  private readonly riding = new Set<string>();
  private flushing: NodeJS.Timeout | null = null;

  constructor(o: OutboxOptions) {
    this.o = o;
    this.sql = pgSql(o.pool);
    this.leaseSeconds = o.leaseSeconds ?? 10;
    this.limiter = new ChannelRateLimiter(this.sql, o.ratePerSecond ?? defaultRate);
  }

  seal(address: string, messages: OutboundMessage[]): string {
    return sealPayload(this.o.key, address, messages);
  }

  /** Rows of this channel are sent by this instance from now on (and after a restart); the
   * sender sends through `bulk` when given (a channel that hands a 429 back at once). */
  use(channel: Channel, bulk?: Channel): void {
    if (bulk && channel.name !== 'web') this.bulk.set(channel.name, bulk);
    if (channel.name === 'web' || this.channels.get(channel.name) === channel) return;
    const first = this.channels.size === 0;
    this.channels.set(channel.name, channel);
    if (first && !this.stopped) {
      this.sweep = setInterval(() => this.kick(), this.o.sweepEveryMs ?? 1000);
      this.sweep.unref();
      this.kick();
    }
  }

  /** Send a turn's replies now (the row is leased to us by the turn's own INSERT).
   * `untilDeleted`: resolve only once the sent row is deleted too, so a caller that bounds
   * its deliveries bounds what a crash can send again (a sent row not yet deleted is sent
   * again after its lease). */
  async deliver(p: Pending, untilDeleted = false): Promise<SendResult[]> {
    this.hold(p.id);
    try {
      return await this.send(p, false, untilDeleted);
    } finally {
      this.release(p.id);
    }
  }

  /** Send the row's messages from where it stopped; `paced`: take a slot of the channel's rate
   * before each (the sender's sends; a turn's own replies go at once). The one place a send's
   * result decides what happens to the row. */
  private async send(p: Pending, paced = false, untilDeleted = false): Promise<SendResult[]> {
    const results: SendResult[] = [];
    let sent = p.sent;
    let part = p.part ?? 0;
    let invalid = false;
    const progress: PartProgress = {
      from: part,
      done: async (n) => {
        part = n;
        await outboxProgress(this.sql, p.id, sent, n);
      },
    };
    while (sent < p.messages.length) {
      if (paced) await this.limiter.take(p.channel.name);
      let r: SendResult;
      try {
        progress.from = part;
        r = await p.channel.send(p.address, p.messages[sent]!, progress);
      } catch (err) {
        this.o.log.warn({ err: { name: (err as Error).name }, channel: p.channel.name }, 'send threw');
        r = { ok: false, reason: 'transient' };
      }
      results.push(r);
      this.o.metrics.sends.inc({ channel: p.channel.name, result: r.ok ? 'ok' : r.reason });
      if (r.ok || r.reason === 'invalid') {
        // invalid: that message can never go (the channel logged why); the next ones still can.
        invalid ||= !r.ok;
        sent += 1;
        part = 0;
        if (sent < p.messages.length) await outboxProgress(this.sql, p.id, sent, 0);
        continue;
      }
      if (r.reason === 'blocked' || r.reason === 'outside_window') {
        // Nothing more can arrive: recorded on the contact (and a reminder's plan row), as a
        // coordinator sees it.
        await markContact(this.sql, p.subject, r.reason, this.now());
        await finishOutbox(this.sql, p.id, { status: 'failed', reason: r.reason });
        return results;
      }
      const delay = Math.max(('retryAfterMs' in r ? r.retryAfterMs : undefined) ?? 0, backoffMs(p.attempts + 1));
      // Told "too many": every instance's sender pauses this channel, not only this row.
      if (paced && r.reason === 'rate_limited') await this.limiter.pause(p.channel.name, r.retryAfterMs ?? 1000);
      await retryOutbox(this.sql, p.id, sent, part, delay);
      this.o.log.info({ channel: p.channel.name, reason: r.reason, retryInMs: delay, attempts: p.attempts + 1 }, 'outbox: message kept for a retry');
      this.wakeAfter(delay);
      return results;
    }
    if (invalid) await finishOutbox(this.sql, p.id, { status: 'failed', reason: 'invalid' });
    else if (paced || untilDeleted) await this.settle(p.id, p.subject);
    else void this.settle(p.id, p.subject);
    return results;
  }

  /** This person's rows already sent, not yet deleted: a new turn is not behind them. */
  settledFor(subject: string): string[] {
    const ids: string[] = [];
    for (const [id, d] of this.done) if (d.subject === subject) ids.push(id);
    return ids;
  }

  private settle(id: string, subject: string): Promise<void> {
    // Sent after the stop's last flush (a delivery that outlasted the engine's wait): the pool
    // may be closed. The row stays leased until it runs out; then a sender sends it again.
    if (this.closed) return Promise.resolve();
    this.done.set(id, { subject, at: performance.now() });
    this.beat();
    // The same row settled again (its lease ran out while its delete kept failing, and it was
    // taken again): both waiters hear of the one delete.
    const earlier = this.deleted.get(id);
    const gone = new Promise<void>((resolve) =>
      this.deleted.set(id, () => {
        earlier?.();
        resolve();
      }),
    );
    this.flushing ??= setTimeout(() => void this.flush(), this.o.settleMs ?? SETTLE_MS);
    return gone;
  }

  /** Sent rows for a turn's write to delete (one statement fewer than deleting them here):
   * `take` just before the write, `end` once it committed or failed (then they are deleted
   * here as before). Rows taken by one turn are left out by others and by `flush`. */
  rideAlong(): { take(): SentRows; end(committed: boolean): void } {
    const rows: SentRows = { ids: [], subjects: [], at: this.now() };
    return {
      take: () => {
        rows.at = this.now();
        for (const [id, d] of this.done) {
          if (this.riding.has(id)) continue;
          this.riding.add(id);
          rows.ids.push(id);
          rows.subjects.push(d.subject);
        }
        return rows;
      },
      end: (committed) => {
        for (const id of rows.ids) this.riding.delete(id);
        if (committed) this.gone(rows.ids);
        else if (rows.ids.length) this.flushing ??= setTimeout(() => void this.flush(), this.o.settleMs ?? SETTLE_MS);
      },
    };
  }

  /** Delete the sent rows no turn has taken within SETTLE_MS (`all`: every one, at stop). */
  private async flush(all = false): Promise<void> {
    this.flushing = null;
    const wait = this.o.settleMs ?? SETTLE_MS;
    const now = performance.now();
    const ids: string[] = [];
    const subjects: string[] = [];
    let youngest = Number.POSITIVE_INFINITY;
    for (const [id, d] of this.done) {
      if (this.riding.has(id)) continue;
      // 1 ms of slack: a timer's clock and performance.now() differ by that much.
      if (all || now - d.at >= wait - 1) {
        ids.push(id);
        subjects.push(d.subject);
      } else youngest = Math.min(youngest, d.at);
    }
    if (youngest !== Number.POSITIVE_INFINITY) this.flushing = setTimeout(() => void this.flush(), Math.max(1, youngest + wait - now));
    if (!ids.length) return;
    // Being deleted here: no turn takes them meanwhile, and the heartbeat leaves them alone.
    for (const id of ids) this.riding.add(id);
    let deleted = false;
    try {
      await deleteOutboxMany(this.sql, { ids, subjects, at: this.now() });
      deleted = true;
    } catch (err) {
      // Still leased for a while: try again soon (after the lease, a row would be sent twice).
      this.o.log.warn({ err: { name: (err as Error).name }, rows: ids.length }, 'outbox: could not delete sent rows; retrying');
      if (this.flushing) clearTimeout(this.flushing);
      this.flushing = setTimeout(() => void this.flush(), 500);
    } finally {
      for (const id of ids) this.riding.delete(id);
    }
    if (deleted) this.gone(ids);
  }

  /** These sent rows are deleted: their workers go on. */
  private gone(ids: string[]): void {
    for (const id of ids) {
      this.done.delete(id);
      this.deleted.get(id)?.();
      this.deleted.delete(id);
    }
    if (ids.length && this.behind) this.kick();
  }

  /** A turn's replies wait behind older ones of the same person. */
  queued(): void {
    this.behind = true;
    this.kick();
  }

  /** Look for due rows now, in the background. */
  kick(): void {
    if (this.stopped || this.channels.size === 0) return;
    this.wanted = true;
    if (this.workers.size >= (this.o.concurrency ?? DEFAULT_CONCURRENCY)) return;
    const w = this.work().finally(() => this.workers.delete(w));
    this.workers.add(w);
  }

  private async work(): Promise<void> {
    try {
      for (;;) {
        if (this.stopped) return;
        this.wanted = false;
        const did = await this.sendDue();
        if (!did && !this.wanted) return;
      }
    } catch (err) {
      const e = err as Error & { code?: string };
      this.o.log.error({ err: { name: e.name, code: e.code } }, 'outbox: sender failed; the sweep will retry');
    }
  }

  /** Take one due row and send it (the workers' step; tests call it to drain the outbox).
   * False when no row was due. */
  async sendDue(): Promise<boolean> {
    const row = await claimOutbox(this.sql, [...this.channels.keys()], this.leaseSeconds);
    if (!row) {
      this.behind = false;
      return false;
    }
    // Sent by this instance, its delete still on its way (its lease ran out meanwhile): never twice.
    if (this.done.has(row.id)) return true;
    this.hold(row.id);
    try {
      const name = row.channel as ChannelName;
      const channel = this.bulk.get(name) ?? this.channels.get(name);
      let payload: z.infer<typeof Payload>;
      try {
        payload = Payload.parse(JSON.parse(decrypt(this.o.key, row.payloadEnc)));
      } catch (err) {
        // Sealed with another ADDRESS_KEY, or damaged: it can never be sent.
        this.o.log.error({ channel: row.channel, err: { name: (err as Error).name } }, 'outbox: unreadable message dropped');
        await finishOutbox(this.sql, row.id, { status: 'failed', reason: 'invalid' });
        return true;
      }
      if (!channel) return true;
      const drop = dropReason(row, this.now(), this.o.giveUpAfterMs ?? 86_400_000);
      if (drop !== undefined) {
        if (drop?.reason === 'transient') this.o.log.error({ channel: row.channel, attempts: row.attempts, left: payload.messages.length - row.sent }, 'outbox: message given up');
        if (drop?.reason === 'outside_window') await markContact(this.sql, row.subjectKey, 'outside_window', this.now());
        await finishOutbox(this.sql, row.id, drop);
        return true;
      }
      // attempts was counted by the claim; the back-off counts from the previous value.
      const p = { id: row.id, subject: row.subjectKey, channel, address: payload.address, messages: payload.messages, sent: row.sent, part: row.part, attempts: row.attempts - 1 };
      await this.send(p, true);
      return true;
    } finally {
      this.release(row.id);
    }
  }

  private wakeAfter(ms: number): void {
    if (ms > 60_000) return; // the sweep finds it
    setTimeout(() => this.kick(), ms + 5).unref();
  }

  private hold(id: string): void {
    this.held.add(id);
    this.beat();
  }

  private release(id: string): void {
    this.held.delete(id);
  }

  /** Keep the lease of every row this instance has: being sent, or sent and not yet deleted
   * (a delete held up by a slow or unreachable database must not let another sender take a
   * row that is out). Stops itself when there is none. */
  private beat(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => {
      // Rows being deleted (riding) are left to their delete; held rows are never riding.
      const ids = [...this.held, ...[...this.done.keys()].filter((id) => !this.riding.has(id))];
      if (ids.length) {
        renewOutbox(this.sql, ids, this.leaseSeconds).catch(() => undefined);
        return;
      }
      if (this.done.size) return;
      clearInterval(this.heartbeat!);
      this.heartbeat = null;
    }, (this.leaseSeconds * 1000) / 3);
    this.heartbeat.unref();
  }

  private now(): Date {
    return this.o.now?.() ?? new Date();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweep) clearInterval(this.sweep);
    await Promise.race([Promise.all([...this.workers]), new Promise((r) => setTimeout(r, 10_000).unref())]);
    if (this.flushing) clearTimeout(this.flushing);
    await this.flush(true);
    if (this.flushing) clearTimeout(this.flushing);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.closed = true;
  }
}
