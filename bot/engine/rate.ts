// A global send schedule per channel, shared by every outbox sender through one row in
// channel_rate: each send reserves the next slot (1/rate apart); a 429 pushes the row's next
// slot past retry_after, so every instance pauses, not just the one that was told.
// In each process one pump per channel reserves one slot at a time and wakes waiters in
// order: slots are never handed out far ahead, so a pause takes effect at the next send
// instead of after a backlog of slots reserved before it.
import { setTimeout as sleep } from 'node:timers/promises';
import { pauseChannel, reserveSlot } from '../db/channel-rate.ts';
import type { Sql } from '../db/sql.ts';

/** Paced at 99% of the configured rate: paced exactly at a platform's limit, network jitter
 * alone puts one send too many into some sliding second and earns a 429 (measured: 2% of
 * sends at 30/s against a strict 30-per-second window; none at 99%). */
const HEADROOM = 0.99;

/** Without configuration (tests): Telegram's bulk guidance, and a cautious rate for Zalo. */
export function defaultRate(channel: string): number {
  return channel === 'telegram' ? 25 : 10;
}

type Waiter = { resolve: () => void; reject: (err: Error) => void };

export class ChannelRateLimiter {
  private readonly queues = new Map<string, Waiter[]>();
  private readonly pumping = new Set<string>();
  private readonly pausedUntil = new Map<string, number>();

  private readonly sql: Sql;
  private readonly perSecond: (channel: string) => number;

  constructor(sql: Sql, perSecond: (channel: string) => number) {
    this.sql = sql;
    this.perSecond = perSecond;
  }

  /** Wait for this channel's next free slot. */
  take(channel: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const q = this.queues.get(channel) ?? [];
      this.queues.set(channel, q);
      q.push({ resolve, reject });
      if (!this.pumping.has(channel)) void this.pump(channel, q);
    });
  }

  /** The platform said "too many": nobody sends on this channel before retry_after. */
  async pause(channel: string, ms: number): Promise<void> {
    this.pausedUntil.set(channel, Math.max(this.pausedUntil.get(channel) ?? 0, Date.now() + ms));
    await pauseChannel(this.sql, channel, ms);
  }

  private async pump(channel: string, q: Waiter[]): Promise<void> {
    this.pumping.add(channel);
    try {
      while (q.length) {
        await sleep(Math.max(0, await this.reserve(channel)));
        // Told to pause while waiting: this slot is inside the pause; reserve another.
        const paused = (this.pausedUntil.get(channel) ?? 0) - Date.now();
        if (paused > 0) {
          await sleep(paused);
          continue;
        }
        q.shift()?.resolve();
      }
    } catch (err) {
      for (const w of q.splice(0)) w.reject(err as Error);
    } finally {
      this.pumping.delete(channel);
    }
  }

  /** Reserve the next slot; milliseconds until it starts. */
  private async reserve(channel: string): Promise<number> {
    return reserveSlot(this.sql, channel, 1000 / (this.perSecond(channel) * HEADROOM));
  }
}
