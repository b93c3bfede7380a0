// A global send schedule per channel, shared by every dispatcher through one row in
// channel_rate: each send reserves the next slot (1/rate apart); a 429 pushes the row's next
// slot past retry_after, so every instance pauses, not just the one that was told.
import type { Db } from '../../clubs/schedule.ts';

export class ChannelRateLimiter {
  constructor(
    private readonly db: Db,
    private readonly perSecond: (channel: string) => number,
  ) {}

  /** Wait for this channel's next free slot. */
  async take(channel: string): Promise<void> {
    const gapMs = 1000 / this.perSecond(channel);
    const rows = await this.db.$queryRaw<{ wait_ms: number }[]>`
      INSERT INTO channel_rate (channel, next_at) VALUES (${channel}, clock_timestamp() + make_interval(secs => ${gapMs / 1000}::float8))
      ON CONFLICT (channel) DO UPDATE
        SET next_at = GREATEST(channel_rate.next_at, clock_timestamp()) + make_interval(secs => ${gapMs / 1000}::float8)
      RETURNING (EXTRACT(EPOCH FROM (next_at - clock_timestamp())) * 1000 - ${gapMs}::float8)::float8 AS wait_ms`;
    const wait = rows[0]?.wait_ms ?? 0;
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
  }

  /** The platform said "too many": nobody sends on this channel before retry_after. */
  async pause(channel: string, ms: number): Promise<void> {
    await this.db.$executeRaw`
      UPDATE channel_rate SET next_at = GREATEST(next_at, clock_timestamp() + make_interval(secs => ${ms / 1000}::float8))
      WHERE channel = ${channel}`;
  }
}
