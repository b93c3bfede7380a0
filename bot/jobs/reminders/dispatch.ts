// Dispatch: one pg-boss job per ledger row (deterministic id), a claim on the row before the
// send and "sent" after the platform accepts, a shared per-channel rate limit, and one send in
// flight per channel per process. A crash can duplicate at most that one message: its row stays
// "sending" until recovered.
import { createHash } from 'node:crypto';
import type { PgBoss } from 'pg-boss';
import type { Content } from '../../../content/types.ts';
import type { Locale } from '../../../flows/types.ts';
import type { PrismaClient } from '../../../prisma/generated/client.ts';
import type { Channel, SendResult } from '../../channels/types.ts';
import { outsideWindow } from '../../channels/zalo-oa/window.ts';
import { decrypt } from '../../privacy/crypto.ts';
import { compose } from './compose.ts';
import { plan } from './plan.ts';
import { ChannelRateLimiter } from './rate.ts';

export const DELIVERY_QUEUE = 'club-delivery';
export const PLAN_QUEUE = 'club-plan';
/** A platform that keeps failing (500, timeouts): a message is retried until it can no longer
 * help, never dropped after a fixed number of tries. */
const GIVE_UP_AFTER_MS = 24 * 3_600_000;
/** Kinds about a meeting still to come: no use once it has begun. */
const BEFORE_MEETING = new Set(['reminder', 'meeting_moved', 'coord_before']);

/** Wait before the next try after `attempts` transient failures: 30 s, 1 min, 2 min … 15 min. */
export function retryDelayMs(attempts: number): number {
  return Math.min(15 * 60_000, 30_000 * 2 ** Math.max(0, attempts - 1));
}

export interface DispatchDeps {
  prisma: PrismaClient;
  content: Content;
  channels: Partial<Record<string, Channel>>;
  addressKey: Buffer;
  /** Messages per second per channel (Telegram 25 by default). */
  ratePerSecond?: (channel: string) => number;
  /** A "sending" row older than this was lost with its dispatcher and goes back to pending. */
  staleMs?: number;
  now?: () => Date;
  onSend?: (channel: string, result: SendResult) => void;
}

/** Without configuration (tests): Telegram's bulk guidance, and a cautious rate for Zalo. */
export function defaultRate(channel: string): number {
  return channel === 'telegram' ? 25 : 10;
}

/** A UUID derived from a ledger key (pg-boss ids are UUIDs): same key, same job. */
export function jobId(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

type Claimed = {
  id: bigint;
  kind: string;
  club_id: string;
  occurrence_id: number | null;
  assignment_id: number | null;
  membership_id: number | null;
  channel: string;
  attempts: number;
  due_at: Date;
};

export class Dispatcher {
  private readonly limiter: ChannelRateLimiter;
  private readonly staleMs: number;
  /** Rows this process has claimed: their claims are renewed while they wait for a slot. */
  private readonly held = new Set<bigint>();
  private heartbeat: NodeJS.Timeout | null = null;
  private readonly d: DispatchDeps;
  constructor(d: DispatchDeps) {
    this.d = d;
    this.limiter = new ChannelRateLimiter(d.prisma, d.ratePerSecond ?? defaultRate);
    this.staleMs = d.staleMs ?? 120_000;
  }

  // A claim goes stale only when its process is gone: a live one renews it every staleMs/3,
  // however long the rate limiter keeps the row waiting.
  private hold(id: bigint): void {
    this.held.add(id);
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => void this.renew(), Math.max(100, this.staleMs / 3));
    this.heartbeat.unref();
  }

  private release(id: bigint): void {
    this.held.delete(id);
    if (this.held.size || !this.heartbeat) return;
    clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  /** Per channel, one send at a time from this process, from the request to the commit of
   * "sent": a crash (SIGKILL) then repeats at most the one message in flight. Many claimed rows
   * waiting in parallel had several accepted-but-unrecorded sends at once (2 repeats seen). */
  private readonly lanes = new Map<string, Promise<unknown>>();

  private oneAtATime<T>(channel: string, run: () => Promise<T>): Promise<T> {
    const prev = this.lanes.get(channel);
    const next = prev ? prev.then(run, run) : run();
    const tail = next.catch(() => undefined);
    this.lanes.set(channel, tail);
    void tail.then(() => {
      if (this.lanes.get(channel) === tail) this.lanes.delete(channel);
    });
    return next;
  }

  private async renew(): Promise<void> {
    const ids = [...this.held].map(String);
    if (!ids.length) return;
    await this.d.prisma.$executeRaw`
      UPDATE reminder_delivery SET claimed_at = clock_timestamp() WHERE id = ANY(${ids}::bigint[]) AND status = 'sending'`.catch(() => undefined);
  }

  private now(): Date {
    return this.d.now?.() ?? new Date();
  }

  private async finish(id: bigint, status: 'sent' | 'failed' | 'cancelled' | 'pending', reason: string | null, extra: { sendAt?: Date } = {}): Promise<void> {
    await this.d.prisma.reminderDelivery.update({
      where: { id },
      data: { status, reason, claimedAt: null, ...(status === 'sent' ? { sentAt: this.now() } : {}), ...extra },
    });
  }

  /** Our claim holds while the row is "sending" with the attempt number we set. */
  private async stillMine(id: bigint, attempts: number): Promise<boolean> {
    const n = await this.d.prisma.$executeRaw`
      UPDATE reminder_delivery SET claimed_at = clock_timestamp() WHERE id = ${id} AND status = 'sending' AND attempts = ${attempts}`;
    return n === 1;
  }

  /** Retrying can no longer help: a day past due, or the meeting it announces has begun. */
  private async tooLate(row: Claimed): Promise<boolean> {
    const now = this.now().getTime();
    if (now - row.due_at.getTime() > GIVE_UP_AFTER_MS) return true;
    if (!row.occurrence_id || !BEFORE_MEETING.has(row.kind)) return false;
    const occ = await this.d.prisma.meetingOccurrence.findUnique({ where: { id: row.occurrence_id }, select: { startsAt: true } });
    return !occ || occ.startsAt.getTime() <= now;
  }

  /** Deliver one ledger row; safe to call twice, from two instances, at once. */
  async deliver(id: bigint): Promise<string> {
    // Already ours and in progress here (a slow send let our own recovery re-queue it): taking
    // it again would send it twice once the first send returns.
    if (this.held.has(id)) return 'skipped';
    const stale = this.staleMs;
    const claimed = await this.d.prisma.$queryRaw<Claimed[]>`
      UPDATE reminder_delivery SET status = 'sending', claimed_at = clock_timestamp(), attempts = attempts + 1
      WHERE id = ${id} AND (status = 'pending' OR (status = 'sending' AND claimed_at < clock_timestamp() - make_interval(secs => ${stale / 1000}::float8)))
      RETURNING id, kind, club_id, occurrence_id, assignment_id, membership_id, channel, attempts, due_at`;
    const row = claimed[0];
    if (!row) return 'skipped';
    this.hold(row.id);
    try {
      return await this.send(row, performance.now());
    } finally {
      this.release(row.id);
    }
  }

  private async send(row: Claimed, claimedAt: number): Promise<string> {
    const m = row.membership_id ? await this.d.prisma.membership.findUnique({ where: { id: row.membership_id } }) : null;
    if (m?.status !== 'active' || !m.remindersOn) {
      await this.finish(row.id, 'cancelled', 'stopped');
      return 'cancelled';
    }
    const contact = await this.d.prisma.contact.findUnique({ where: { subjectKey: m.subjectKey } });
    const channel = contact ? this.d.channels[contact.channel] : undefined;
    if (!contact?.addressEnc || !channel) {
      await this.finish(row.id, 'failed', contact?.addressEnc ? 'no_channel' : 'no_address');
      return 'failed';
    }
    // The Zalo OA refuses consultation messages 7 days after the person last wrote: report, do
    // not try. The Zalo Bot Platform has no such window (bot/channels/zalo-oa/window.ts).
    if (outsideWindow(contact.channel, contact.lastInboundAt ?? new Date(0), this.now())) {
      await this.finish(row.id, 'failed', 'outside_window');
      return 'failed';
    }
    const conv = await this.d.prisma.conversation.findUnique({ where: { subjectKey: m.subjectKey }, select: { locale: true } });
    const locale: Locale = conv?.locale === 'en' ? 'en' : 'vi';
    const message = await compose(this.d.prisma, this.d.content, { kind: row.kind, clubId: row.club_id, occurrenceId: row.occurrence_id, assignmentId: row.assignment_id, membershipId: row.membership_id }, locale);
    if (!message) {
      await this.finish(row.id, 'cancelled', 'obsolete');
      return 'cancelled';
    }
    const address = decrypt(this.d.addressKey, contact.addressEnc);
    for (let tries = 0; tries < 20; tries++) {
      const r = await this.oneAtATime(contact.channel, async (): Promise<Exclude<SendResult, { ok: true }> | 'sent' | 'skipped'> => {
        await this.limiter.take(contact.channel);
        // Backstop for a stalled process (no heartbeat for staleMs): if another dispatcher took
        // the row over meanwhile, it sends and we do not. A claim younger than staleMs/2 cannot
        // be stale, so the usual send skips this query and leaves its slot on time.
        if (performance.now() - claimedAt > this.staleMs / 2 && !(await this.stillMine(row.id, row.attempts))) return 'skipped';
        let sent: SendResult;
        try {
          sent = await channel.send(address, message);
        } catch {
          sent = { ok: false, reason: 'transient' };
        }
        this.d.onSend?.(contact.channel, sent);
        if (!sent.ok) return sent;
        await this.finish(row.id, 'sent', null);
        return 'sent';
      });
      if (r === 'sent' || r === 'skipped') return r;
      if (r.reason === 'rate_limited') {
        await this.limiter.pause(contact.channel, r.retryAfterMs ?? 1000);
        continue;
      }
      if (r.reason === 'transient') {
        if (await this.tooLate(row)) {
          await this.finish(row.id, 'failed', 'transient');
          return 'failed';
        }
        await this.finish(row.id, 'pending', null, { sendAt: new Date(this.now().getTime() + retryDelayMs(row.attempts)) });
        return 'retry';
      }
      // blocked, outside_window, invalid: recorded once, never retried; the coordinator sees it.
      await this.finish(row.id, 'failed', r.reason);
      if (r.reason !== 'invalid') await this.d.prisma.contact.updateMany({ where: { subjectKey: m.subjectKey }, data: { status: r.reason, updatedAt: this.now() } });
      return 'failed';
    }
    await this.finish(row.id, 'pending', null, { sendAt: new Date(this.now().getTime() + 60_000) });
    return 'retry';
  }
}

/** Rows lost with a killed dispatcher go back to pending (the one in flight may repeat). */
export async function recoverStale(prisma: PrismaClient, staleMs: number): Promise<number> {
  return prisma.$executeRaw`
    UPDATE reminder_delivery SET status = 'pending', claimed_at = NULL
    WHERE status = 'sending' AND claimed_at < clock_timestamp() - make_interval(secs => ${staleMs / 1000}::float8)`;
}

/** A pg-boss job for each pending row due within `aheadMs`; repeated ids are ignored. */
export async function enqueueDue(boss: PgBoss, prisma: PrismaClient, now: Date, aheadMs = 60_000): Promise<number> {
  const rows = await prisma.reminderDelivery.findMany({
    where: { status: 'pending', sendAt: { lte: new Date(now.getTime() + aheadMs) } },
    select: { id: true, dedupeKey: true, attempts: true, sendAt: true },
    orderBy: { sendAt: 'asc' },
    take: 20_000,
  });
  for (let i = 0; i < rows.length; i += 500) {
    const jobs = rows.slice(i, i + 500).map((r) => ({
      id: jobId(`${r.dedupeKey}:${r.attempts}`),
      data: { id: r.id.toString() },
      startAfter: r.sendAt > now ? r.sendAt : undefined,
    }));
    await boss.insert(DELIVERY_QUEUE, jobs.map((j) => (j.startAfter ? j : { id: j.id, data: j.data })));
  }
  return rows.length;
}

export interface RemindersHandle {
  dispatcher: Dispatcher;
  /** Plan, recover and enqueue now (the schedule does this every minute). */
  tick(): Promise<void>;
}

export async function startReminders(boss: PgBoss, deps: DispatchDeps & { timeZone: string; batchSize?: number; nudgeAfterMs?: number; schedule?: boolean }): Promise<RemindersHandle> {
  const dispatcher = new Dispatcher(deps);
  const now = () => deps.now?.() ?? new Date();
  await boss.createQueue(DELIVERY_QUEUE, { retryLimit: 3, retryDelay: 5, expireInSeconds: 300 });
  await boss.createQueue(PLAN_QUEUE);
  const tick = async () => {
    await plan(deps.prisma, now(), deps.nudgeAfterMs ? { nudgeAfterMs: deps.nudgeAfterMs } : {});
    await recoverStale(deps.prisma, deps.staleMs ?? 120_000);
    await enqueueDue(boss, deps.prisma, now());
  };
  // Two local workers, fetching again at once while batches come back full: the next batch is
  // claimed while this one waits for the rate limiter, so the channel never idles between them.
  const work = { batchSize: deps.batchSize ?? 40, pollingIntervalSeconds: 0.5, localConcurrency: 2, burstWhenBatchFull: true };
  await boss.work<{ id: string }>(DELIVERY_QUEUE, work, async (jobs) => {
    await Promise.all(jobs.map((j) => dispatcher.deliver(BigInt(j.data.id))));
  });
  await boss.work(PLAN_QUEUE, async () => tick());
  if (deps.schedule !== false) await boss.schedule(PLAN_QUEUE, '* * * * *', null, { tz: deps.timeZone });
  return { dispatcher, tick };
}
