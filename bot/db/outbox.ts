// outbox: everything the bot says not yet accepted by its platform: a turn's replies, and the
// reminders and nudges handed over from their plan (reminder_delivery, bot/db/delivery.ts). A
// row that delivers a plan row records its outcome there in the statement that finishes it.
import type { Sql } from './sql.ts';

export interface OutboxRow {
  id: string;
  subjectKey: string;
  channel: string;
  payloadEnc: string;
  sent: number;
  part: number;
  attempts: number;
  createdAt: Date;
  expiresAt: Date | null;
  /** The plan row this row delivers, and its status now ('sending' while it is still wanted). */
  deliveryId: string | null;
  deliveryStatus: string | null;
  /** The Zalo OA window's clock (bot/channels/zalo-oa/window.ts). */
  lastInboundAt: Date | null;
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
         -- Nothing older of this person, and nothing of theirs in flight: a row committed just
         -- after a turn's snapshot (a reminder handed over) must not go beside that turn's reply.
         AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.subject_key = o.subject_key
                           AND (p.id < o.id OR (p.id <> o.id AND p.leased_until > clock_timestamp())))
       ORDER BY o.next_attempt_at, o.id
       LIMIT 1
       FOR UPDATE OF o SKIP LOCKED)
     RETURNING id::text, subject_key AS "subjectKey", channel, payload_enc AS "payloadEnc", sent, part, attempts,
       created_at AS "createdAt", expires_at AS "expiresAt", delivery_id::text AS "deliveryId",
       (SELECT d.status FROM reminder_delivery d WHERE d.id = outbox.delivery_id) AS "deliveryStatus",
       (SELECT c.last_inbound_at FROM contact c WHERE c.subject_key = outbox.subject_key) AS "lastInboundAt"`,
    [channels, leaseSeconds],
  );
  return rows[0] ?? null;
}

/** How a row that will not be sent (any more) ends on its plan row; null leaves the plan row
 * as it is (it was cancelled meanwhile). */
export type DeliveryEnd = { status: 'failed' | 'cancelled'; reason: string } | null;

/** The row goes without being (fully) sent: refused, given up, unreadable, or no longer wanted. */
export async function finishOutbox(sql: Sql, id: string, end: DeliveryEnd): Promise<void> {
  await sql.rows(
    'outbox_finish',
    `WITH gone AS (DELETE FROM outbox WHERE id = $1::bigint RETURNING delivery_id)
     UPDATE reminder_delivery d SET status = $2, reason = $3, claimed_at = NULL
     FROM gone WHERE $2::text IS NOT NULL AND d.id = gone.delivery_id AND d.status = 'sending' RETURNING 1`,
    [id, end?.status ?? null, end?.reason ?? null],
  );
}

/** Rows whose messages are all out, in one statement; their plan rows become sent at `rows.at`. */
export async function deleteOutboxMany(sql: Sql, rows: SentRows): Promise<void> {
  // The database function outbox_sent is also what a turn's write calls (bot/db/turn.ts).
  await sql.rows('outbox_delete_many', 'SELECT outbox_sent($1::bigint[], $2::text[], $3::timestamptz)', [rows.ids, rows.subjects, rows.at]);
}

/** Sent rows to delete: their ids, the people they went to (the delete looks them up by
 * person), and when they were known to be sent (a plan row's sent_at). */
export interface SentRows {
  ids: string[];
  subjects: string[];
  at: Date;
}

/** `sent` messages and `part` parts of the next accepted so far; the lease is kept. */
export async function outboxProgress(sql: Sql, id: string, sent: number, part: number): Promise<void> {
  await sql.rows('outbox_progress', 'UPDATE outbox SET sent = $2, part = $3 WHERE id = $1::bigint RETURNING 1', [id, sent, part]);
}

/** Try again after `delayMs`; any instance may take it then. */
export async function retryOutbox(sql: Sql, id: string, sent: number, part: number, delayMs: number): Promise<void> {
  await sql.rows(
    'outbox_retry',
    `UPDATE outbox SET sent = $2, part = $3, leased_until = NULL, next_attempt_at = clock_timestamp() + make_interval(secs => $4::float8)
     WHERE id = $1::bigint RETURNING 1`,
    [id, sent, part, delayMs / 1000],
  );
}

/** Keep this instance's rows (and only those still leased to it) from being taken. A row
 * locked meanwhile (a turn's write deleting it) is skipped, never waited for: waiting, in
 * another order than that write's, could deadlock with it. */
export async function renewOutbox(sql: Sql, ids: string[], leaseSeconds: number): Promise<void> {
  await sql.rows(
    'outbox_renew',
    `UPDATE outbox SET leased_until = clock_timestamp() + make_interval(secs => $2::float8)
     WHERE id IN (SELECT id FROM outbox WHERE id = ANY($1::bigint[]) AND leased_until IS NOT NULL ORDER BY id FOR UPDATE SKIP LOCKED)
     RETURNING 1`,
    [ids, leaseSeconds],
  );
}
