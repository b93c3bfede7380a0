// inbound_event: the Zalo channels' durable inbox (bot/channels/inbox/inbox.ts). Only the oldest
// unparked row of each person is claimable, with FOR UPDATE SKIP LOCKED, so one person's events
// run in arrival order on any number of instances.
import type { Sql } from './sql.ts';

export interface ClaimedInbound {
  /** bigserial, as node-postgres returns it. */
  id: string;
  payloadEnc: string;
  attempts: number;
}

/** Takes the next claimable row of the channel for `leaseSeconds`, counting the attempt. */
export async function claimInbound(sql: Sql, channel: string, leaseSeconds: number): Promise<ClaimedInbound | null> {
  const rows = await sql.rows<ClaimedInbound>(
    'inbox_claim',
    `UPDATE inbound_event SET leased_until = now() + make_interval(secs => $2::float8), attempts = attempts + 1
     WHERE id = (
       SELECT e.id FROM inbound_event e
       WHERE e.channel = $1
         AND e.parked_at IS NULL
         AND e.next_attempt_at <= now()
         AND (e.leased_until IS NULL OR e.leased_until < now())
         AND NOT EXISTS (SELECT 1 FROM inbound_event p WHERE p.subject_key = e.subject_key AND p.id < e.id AND p.parked_at IS NULL)
       ORDER BY e.id
       LIMIT 1
       FOR UPDATE OF e SKIP LOCKED)
     RETURNING id::text, payload_enc AS "payloadEnc", attempts`,
    [channel, leaseSeconds],
  );
  return rows[0] ?? null;
}

/** Records an event once: false when it is already queued or was already processed. */
export async function insertInbound(sql: Sql, channel: string, externalId: string, subject: string, payloadEnc: string): Promise<boolean> {
  const rows = await sql.rows(
    'inbox_insert',
    `INSERT INTO inbound_event (channel, external_id, subject_key, payload_enc)
     SELECT $1, $2, $3, $4
     WHERE NOT EXISTS (SELECT 1 FROM processed_event WHERE channel = $1 AND external_id = $2)
     ON CONFLICT (channel, external_id) DO NOTHING
     RETURNING 1`,
    [channel, externalId, subject, payloadEnc],
  );
  return rows.length > 0;
}

/** A turn still working keeps its row for another lease. */
export async function renewInboundLease(sql: Sql, id: string, leaseSeconds: number): Promise<void> {
  await sql.rows('inbox_renew', 'UPDATE inbound_event SET leased_until = now() + make_interval(secs => $2::float8) WHERE id = $1 RETURNING 1', [id, leaseSeconds]);
}

/** The turn failed: the row waits `delayMs`, then any worker may take it again. */
export async function retryInboundLater(sql: Sql, id: string, delayMs: number): Promise<void> {
  await sql.rows(
    'inbox_retry',
    'UPDATE inbound_event SET leased_until = NULL, next_attempt_at = now() + make_interval(secs => $2::float8) WHERE id = $1 RETURNING 1',
    [id, delayMs / 1000],
  );
}

/** Set aside for good: it no longer holds back the person's later events (retention removes it). */
export async function parkInbound(sql: Sql, id: string): Promise<void> {
  await sql.rows('inbox_park', 'UPDATE inbound_event SET parked_at = now(), leased_until = NULL WHERE id = $1 RETURNING 1', [id]);
}

/** Done: the turn has run. */
export async function deleteInbound(sql: Sql, id: string): Promise<void> {
  await sql.rows('inbox_delete', 'DELETE FROM inbound_event WHERE id = $1 RETURNING 1', [id]);
}

/** Dedupe rows older than a platform re-delivers, and the parked events with them
 * (bot/jobs/retention.ts); returns how many. */
export async function purgeProcessed(sql: Sql, before: Date): Promise<number> {
  const rows = await sql.rows<{ n: number }>(
    'inbox_purge',
    `WITH events AS (DELETE FROM processed_event WHERE received_at < $1 RETURNING 1),
       parked AS (DELETE FROM inbound_event WHERE parked_at < $1 RETURNING 1)
     SELECT (SELECT count(*) FROM events)::int + (SELECT count(*) FROM parked)::int AS n`,
    [before],
  );
  return rows[0]?.n ?? 0;
}
