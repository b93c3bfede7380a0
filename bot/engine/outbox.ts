// The sender of the outbox (bot/db/outbox.ts). A turn's replies are sent at once after its
// commit by the instance that ran it (no extra wait); a failure, or a crash, leaves the row to
// this sender, which every instance runs: oldest row first per person (so each person's
// messages stay in order), back-off on transient failures, the platform's retry_after on 429,
// and the row dropped only on a permanent refusal (blocked, outside the window), which marks
// the contact as before. The platform accepted a message → `sent` moves past it before the
// next one goes, so a crash repeats at most the message in flight.
import { z } from 'zod';
import type { OutboundMessage } from '../../flows/types.ts';
import type { Channel, ChannelName, SendResult } from '../channels/types.ts';
import { markContact } from '../db/contact.ts';
import { claimOutbox, deleteOutbox, deleteOutboxMany, outboxProgress, renewOutbox, retryOutbox } from '../db/outbox.ts';
import { pgSql, type Sql } from '../db/sql.ts';
import type pg from 'pg';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { decrypt, encrypt } from '../privacy/crypto.ts';

export interface OutboxOptions {
  pool: pg.Pool;
  key: Buffer;
  log: Logger;
  metrics: Metrics;
  /** How long a row stays with the instance sending it; renewed every third of it. */
  leaseSeconds?: number;
  sweepEveryMs?: number;
  concurrency?: number;
  /** A reply still failing this long after its turn is dropped (logged). */
  giveUpAfterMs?: number;
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
  attempts: number;
}

/** How long a sent row waits to be deleted with others. At a steady 200 turns a second, 5 ms
 * made nearly one DELETE per turn (a third round trip); 50 ms makes one per ten, far inside
 * the lease. A crash meanwhile repeats at most each person's last message (the sweeper sends
 * the row again once its lease runs out). */
const SETTLE_MS = 50;

/** Back-off after the n-th failed attempt: 1 s, 2 s, 4 s … at most a minute. */
export function backoffMs(attempts: number): number {
  return Math.min(60_000, 1000 * 2 ** Math.max(0, attempts - 1));
}

export class Outbox {
  readonly leaseSeconds: number;
  private readonly o: OutboxOptions;
  private readonly sql: Sql;
  private readonly channels = new Map<ChannelName, Channel>();
  private readonly held = new Set<string>();
  private heartbeat: NodeJS.Timeout | null = null;
  private sweep: NodeJS.Timeout | null = null;
  private readonly workers = new Set<Promise<void>>();
  private wanted = false;
  private stopped = false;
  /** A turn here left its replies behind older ones: look again as soon as a row is done. */
  private behind = false;
  /** Rows whose messages are all out, deleted together up to SETTLE_MS later (one statement
   * for many turns); id → subject. Still leased, so no sender takes them meanwhile. */
  private readonly done = new Map<string, string>();
  private flushing: NodeJS.Timeout | null = null;

  constructor(o: OutboxOptions) {
    this.o = o;
    this.sql = pgSql(o.pool);
    this.leaseSeconds = o.leaseSeconds ?? 10;
  }

  seal(address: string, messages: OutboundMessage[]): string {
    return encrypt(this.o.key, JSON.stringify({ v: 1, address, messages }));
  }

  /** Rows of this channel are sent by this instance from now on (and after a restart). */
  use(channel: Channel): void {
    if (channel.name === 'web' || this.channels.get(channel.name) === channel) return;
    const first = this.channels.size === 0;
    this.channels.set(channel.name, channel);
    if (first && !this.stopped) {
      this.sweep = setInterval(() => this.kick(), this.o.sweepEveryMs ?? 1000);
      this.sweep.unref();
      this.kick();
    }
  }

  /** Send a turn's replies now (the row is leased to us by the turn's own INSERT). */
  async deliver(p: Pending): Promise<SendResult[]> {
    this.hold(p.id);
    try {
      return await this.send(p);
    } finally {
      this.release(p.id);
    }
  }

  private async send(p: Pending): Promise<SendResult[]> {
    const results: SendResult[] = [];
    let sent = p.sent;
    while (sent < p.messages.length) {
      let r: SendResult;
      try {
        r = await p.channel.send(p.address, p.messages[sent]!);
      } catch (err) {
        this.o.log.warn({ err: { name: (err as Error).name }, channel: p.channel.name }, 'send threw');
        r = { ok: false, reason: 'transient' };
      }
      results.push(r);
      this.o.metrics.sends.inc({ channel: p.channel.name, result: r.ok ? 'ok' : r.reason });
      if (r.ok || r.reason === 'invalid') {
        // invalid: that message can never go (the channel logged why); the next ones still can.
        sent += 1;
        if (sent < p.messages.length) await outboxProgress(this.sql, p.id, sent);
        continue;
      }
      if (r.reason === 'blocked' || r.reason === 'outside_window') {
        // Nothing more can arrive: recorded on the contact, as a coordinator sees it.
        await markContact(this.sql, p.subject, r.reason, this.now());
        break;
      }
      const delay = Math.max(('retryAfterMs' in r ? r.retryAfterMs : undefined) ?? 0, backoffMs(p.attempts + 1));
      await retryOutbox(this.sql, p.id, sent, delay);
      this.o.log.info({ channel: p.channel.name, reason: r.reason, retryInMs: delay, attempts: p.attempts + 1 }, 'outbox: reply kept for a retry');
      this.wakeAfter(delay);
      return results;
    }
    this.settle(p.id, p.subject);
    return results;
  }

  /** This person's rows already sent, not yet deleted: a new turn is not behind them. */
  settledFor(subject: string): string[] {
    const ids: string[] = [];
    for (const [id, s] of this.done) if (s === subject) ids.push(id);
    return ids;
  }

  private settle(id: string, subject: string): void {
    this.done.set(id, subject);
    this.flushing ??= setTimeout(() => void this.flush(), SETTLE_MS);
  }

  private async flush(): Promise<void> {
    this.flushing = null;
    const ids = [...this.done.keys()];
    if (!ids.length) return;
    try {
      await deleteOutboxMany(this.sql, ids);
      for (const id of ids) this.done.delete(id);
      if (this.behind) this.kick();
    } catch (err) {
      // Still leased for a while: try again soon (after the lease, a row would be sent twice).
      this.o.log.warn({ err: { name: (err as Error).name }, rows: ids.length }, 'outbox: could not delete sent rows; retrying');
      this.flushing ??= setTimeout(() => void this.flush(), 500);
    }
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
    if (this.workers.size >= (this.o.concurrency ?? 4)) return;
    const w = this.work().finally(() => this.workers.delete(w));
    this.workers.add(w);
  }

  private async work(): Promise<void> {
    try {
      for (;;) {
        if (this.stopped) return;
        this.wanted = false;
        const did = await this.processOne();
        if (!did && !this.wanted) return;
      }
    } catch (err) {
      const e = err as Error & { code?: string };
      this.o.log.error({ err: { name: e.name, code: e.code } }, 'outbox: sender failed; the sweep will retry');
    }
  }

  private async processOne(): Promise<boolean> {
    const row = await claimOutbox(this.sql, [...this.channels.keys()], this.leaseSeconds);
    if (!row) {
      this.behind = false;
      return false;
    }
    this.hold(row.id);
    try {
      const channel = this.channels.get(row.channel as ChannelName);
      let payload: z.infer<typeof Payload>;
      try {
        payload = Payload.parse(JSON.parse(decrypt(this.o.key, row.payloadEnc)));
      } catch (err) {
        // Sealed with another ADDRESS_KEY, or damaged: it can never be sent.
        this.o.log.error({ channel: row.channel, err: { name: (err as Error).name } }, 'outbox: unreadable reply dropped');
        await deleteOutbox(this.sql, row.id);
        return true;
      }
      if (!channel) return true;
      if (this.now().getTime() - row.createdAt.getTime() > (this.o.giveUpAfterMs ?? 86_400_000)) {
        this.o.log.error({ channel: row.channel, attempts: row.attempts, left: payload.messages.length - row.sent }, 'outbox: reply dropped after a day of failures');
        await deleteOutbox(this.sql, row.id);
        return true;
      }
      // attempts was counted by the claim; the back-off counts from the previous value.
      await this.send({ id: row.id, subject: row.subjectKey, channel, address: payload.address, messages: payload.messages, sent: row.sent, attempts: row.attempts - 1 });
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
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => {
      const ids = [...this.held];
      if (ids.length) renewOutbox(this.sql, ids, this.leaseSeconds).catch(() => undefined);
    }, (this.leaseSeconds * 1000) / 3);
    this.heartbeat.unref();
  }

  private release(id: string): void {
    this.held.delete(id);
    if (this.held.size || !this.heartbeat) return;
    clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private now(): Date {
    return this.o.now?.() ?? new Date();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweep) clearInterval(this.sweep);
    await Promise.race([Promise.all([...this.workers]), new Promise((r) => setTimeout(r, 10_000).unref())]);
    if (this.flushing) clearTimeout(this.flushing);
    await this.flush();
  }
}
