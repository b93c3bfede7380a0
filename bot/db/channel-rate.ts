// channel_rate: one row per channel holding the next free send slot, shared by every instance.
import type { Sql } from './sql.ts';

/** Reserve the channel's next slot (`gapMs` after the previous one); milliseconds until it starts. */
export async function reserveSlot(sql: Sql, channel: string, gapMs: number): Promise<number> {
  const rows = await sql.rows<{ wait_ms: number }>(
    'channel_rate_reserve',
    `INSERT INTO channel_rate (channel, next_at) VALUES ($1, clock_timestamp() + make_interval(secs => $2::float8))
     ON CONFLICT (channel) DO UPDATE
       SET next_at = GREATEST(channel_rate.next_at, clock_timestamp()) + make_interval(secs => $2::float8)
     RETURNING (EXTRACT(EPOCH FROM (next_at - clock_timestamp())) * 1000 - $3::float8)::float8 AS wait_ms`,
    [channel, gapMs / 1000, gapMs],
  );
  return rows[0]?.wait_ms ?? 0;
}

/** Nobody sends on this channel for `ms` (the platform said "too many"). */
export async function pauseChannel(sql: Sql, channel: string, ms: number): Promise<void> {
  await sql.rows(
    'channel_rate_pause',
    `UPDATE channel_rate SET next_at = GREATEST(next_at, clock_timestamp() + make_interval(secs => $2::float8))
     WHERE channel = $1 RETURNING 1`,
    [channel, ms / 1000],
  );
}
