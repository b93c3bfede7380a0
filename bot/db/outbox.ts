// outbox: the replies not yet accepted by their platform (see prisma/schema.prisma).
import type { Sql } from './sql.ts';

export interface OutboxRow {
  id: string;
  subjectKey: string;
  channel: string;
  payloadEnc: string;
  sent: number;
  attempts: number;
  createdAt: Date;
}

/** Take the oldest due row of some person whose older rows are all gone, for `leaseSeconds`. */
export async function claimOutbox(sql: Sql, channels: string[], leaseSeconds: number): Promise<OutboxRow | null> {
  const rows = await sql.rows<OutboxRow>(
    'outbox_claim',
    `UPDATE outbox SET leased_until = clock_timestamp() + make_interval(secs => $2::float8), attempts = attempts + 1
     WHERE id = (
       SELECT o.id FROM outbox o
       WHERE o.channel = ANY($1::text[])
         AND o.next_attempt_at <= clock_timestamp()
         AND (o.leased_until IS NULL OR o.leased_until < clock_timestamp())
         AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.subject_key = o.subject_key AND p.id < o.id)
       ORDER BY o.next_attempt_at, o.id
       LIMIT 1
       FOR UPDATE OF o SKIP LOCKED)
     RETURNING id::text, subject_key AS "subjectKey", channel, payload_enc AS "payloadEnc", sent, attempts, created_at AS "createdAt"`,
    [channels, leaseSeconds],
  );
  return rows[0] ?? null;
}

/** All of the row's messages are out (or can never arrive): it goes. */
export async function deleteOutbox(sql: Sql, id: string): Promise<void> {
  await sql.rows('outbox_delete', 'DELETE FROM outbox WHERE id = $1::bigint RETURNING 1', [id]);
}

/** Rows whose messages are all out, in one statement. */
export async function deleteOutboxMany(sql: Sql, ids: string[]): Promise<void> {
  await sql.rows('outbox_delete_many', 'DELETE FROM outbox WHERE id = ANY($1::bigint[]) RETURNING 1', [ids]);
}

/** `sent` messages accepted so far; the lease is kept. */
export async function outboxProgress(sql: Sql, id: string, sent: number): Promise<void> {
  await sql.rows('outbox_progress', 'UPDATE outbox SET sent = $2 WHERE id = $1::bigint RETURNING 1', [id, sent]);
}

/** Try again after `delayMs`; any instance may take it then. */
export async function retryOutbox(sql: Sql, id: string, sent: number, delayMs: number): Promise<void> {
  await sql.rows(
    'outbox_retry',
    `UPDATE outbox SET sent = $2, leased_until = NULL, next_attempt_at = clock_timestamp() + make_interval(secs => $3::float8)
     WHERE id = $1::bigint RETURNING 1`,
    [id, sent, delayMs / 1000],
  );
}

/** Keep this instance's rows (and only those still leased to it) from being taken. */
export async function renewOutbox(sql: Sql, ids: string[], leaseSeconds: number): Promise<void> {
  await sql.rows(
    'outbox_renew',
    `UPDATE outbox SET leased_until = clock_timestamp() + make_interval(secs => $2::float8)
     WHERE id = ANY($1::bigint[]) AND leased_until IS NOT NULL RETURNING 1`,
    [ids, leaseSeconds],
  );
}

/** Does this person have replies waiting? (Erasure, tests.) */
export async function pendingFor(sql: Sql, subject: string): Promise<number> {
  const rows = await sql.rows<{ n: number }>('outbox_pending_for', 'SELECT count(*)::int AS n FROM outbox WHERE subject_key = $1', [subject]);
  return rows[0]?.n ?? 0;
}
