// reminder_delivery, the plan of club reminders and nudges (bot/clubs/ledger.ts adds rows): what
// is due for whom, kept for reports and the console. A due row is handed over to the outbox
// (bot/db/outbox.ts) in one statement; the outbox sender records the outcome back.
import type { Sql } from './sql.ts';

/** Plan rows that may still go: planned, or handed to the outbox (whose sender drops a row
 * whose plan row was cancelled meanwhile). Cancelling a plan row covers both. */
const UNSENT_STATES = ['pending', 'sending'];
/** The same, for Prisma's filters and for this file's statements. */
export const UNSENT = { in: UNSENT_STATES };
const UNSENT_SQL = `status IN (${UNSENT_STATES.map((s) => `'${s}'`).join(', ')})`;

export interface DueDelivery {
  id: string;
  kind: string;
  clubId: string;
  occurrenceId: number | null;
  assignmentId: number | null;
  membershipId: number | null;
  dueAt: Date;
  /** The recipient as they are now: null fields when the membership or contact is gone. */
  subjectKey: string | null;
  memberActive: boolean;
  contactChannel: string | null;
  addressEnc: string | null;
  locale: string | null;
  /** The meeting's start, for kinds about a meeting still to come. */
  startsAt: Date | null;
}

/** Pending plan rows due by `now`, oldest first, with what deciding their hand-over needs. */
export async function dueDeliveries(sql: Sql, now: Date, limit: number): Promise<DueDelivery[]> {
  return sql.rows<DueDelivery>(
    'delivery_due',
    `SELECT d.id::text, d.kind, d.club_id AS "clubId", d.occurrence_id AS "occurrenceId", d.assignment_id AS "assignmentId",
       d.membership_id AS "membershipId", d.due_at AS "dueAt", m.subject_key AS "subjectKey",
       COALESCE(m.status = 'active' AND m.reminders_on, false) AS "memberActive",
       c.channel AS "contactChannel", c.address_enc AS "addressEnc", conv.locale, o.starts_at AS "startsAt"
     FROM reminder_delivery d
     LEFT JOIN club_membership m ON m.id = d.membership_id
     LEFT JOIN contact c ON c.subject_key = m.subject_key
     LEFT JOIN conversation conv ON conv.subject_key = m.subject_key
     LEFT JOIN meeting_occurrence o ON o.id = d.occurrence_id
     WHERE d.status = 'pending' AND d.send_at <= $2
     ORDER BY d.send_at, d.id
     LIMIT $1`,
    [limit, now],
  );
}

export interface HandOver {
  id: string;
  subjectKey: string;
  channel: string;
  payloadEnc: string;
  expiresAt: Date;
}

/** Due plan rows become outbox rows, in one statement: a row still pending is marked
 * 'sending' and gets its outbox row; one already taken (another instance) gets nothing. */
export async function handOverDeliveries(sql: Sql, rows: HandOver[]): Promise<number> {
  if (!rows.length) return 0;
  const out = await sql.rows<{ n: number }>(
    'delivery_hand_over',
    `WITH x AS (
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS x(id, subject_key, channel, payload_enc, expires_at)),
     taken AS (
       UPDATE reminder_delivery d SET status = 'sending', claimed_at = clock_timestamp(), attempts = d.attempts + 1
       FROM x WHERE d.id = x.id AND d.status = 'pending' RETURNING d.id),
     queued AS (
       INSERT INTO outbox (subject_key, channel, payload_enc, delivery_id, expires_at, created_at)
       SELECT x.subject_key, x.channel, x.payload_enc, x.id, x.expires_at, clock_timestamp() FROM x JOIN taken USING (id) ORDER BY x.id
       RETURNING 1)
     SELECT count(*)::int AS n FROM queued`,
    [rows.map((r) => r.id), rows.map((r) => r.subjectKey), rows.map((r) => r.channel), rows.map((r) => r.payloadEnc), rows.map((r) => r.expiresAt)],
  );
  return out[0]?.n ?? 0;
}

/** Plan rows that will not be sent (member stopped, no address, meeting gone…), if still pending. */
export async function closeDeliveries(sql: Sql, rows: { id: string; status: 'failed' | 'cancelled'; reason: string }[]): Promise<void> {
  if (!rows.length) return;
  await sql.rows(
    'delivery_close',
    `UPDATE reminder_delivery d SET status = x.status, reason = x.reason, claimed_at = NULL
     FROM unnest($1::bigint[], $2::text[], $3::text[]) AS x(id, status, reason)
     WHERE d.id = x.id AND d.status = 'pending' RETURNING 1`,
    [rows.map((r) => r.id), rows.map((r) => r.status), rows.map((r) => r.reason)],
  );
}

/** 'sending' rows whose outbox row is gone without an outcome (erasure deleted it, or the row
 * was claimed before this ledger had an outbox): back to pending, decided again. */
export async function requeueOrphans(sql: Sql): Promise<number> {
  const rows = await sql.rows(
    'delivery_requeue_orphans',
    `UPDATE reminder_delivery d SET status = 'pending', claimed_at = NULL
     WHERE d.status = 'sending' AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.delivery_id = d.id) RETURNING 1`,
    [],
  );
  return rows.length;
}

export interface PlanRow {
  dedupeKey: string;
  clubId: string;
  membershipId: number;
  kind: string;
  channel: string;
  dueAt: Date;
  /** dueAt moved out of the club's quiet hours. */
  sendAt: Date;
  occurrenceId: number | null;
  assignmentId: number | null;
}

/** Adds plan rows whose dedupe key is new (planning twice, or on two instances, adds nothing);
 * the number added. */
export async function insertDeliveries(sql: Sql, rows: PlanRow[]): Promise<number> {
  if (!rows.length) return 0;
  const out = await sql.rows<{ n: number }>(
    'delivery_insert',
    `WITH added AS (
       INSERT INTO reminder_delivery (dedupe_key, club_id, membership_id, kind, channel, due_at, send_at, occurrence_id, assignment_id)
       SELECT x."dedupeKey", x."clubId", x."membershipId", x.kind, x.channel, x."dueAt", x."sendAt", x."occurrenceId", x."assignmentId"
       FROM jsonb_to_recordset($1::jsonb) AS x("dedupeKey" text, "clubId" text, "membershipId" int, kind text, channel text,
         "dueAt" timestamptz, "sendAt" timestamptz, "occurrenceId" int, "assignmentId" int)
       ON CONFLICT DO NOTHING RETURNING 1)
     SELECT count(*)::int AS n FROM added`,
    [JSON.stringify(rows)],
  );
  return out[0]?.n ?? 0;
}

export interface SentNudge {
  id: string;
  kind: string;
  channel: string;
  membershipId: number | null;
  assignmentId: number | null;
}

/** A club's nudges of these kinds sent by `cutoff` and still unanswered. */
export async function unansweredNudges(sql: Sql, clubId: string, kinds: string[], cutoff: Date): Promise<SentNudge[]> {
  return sql.rows<SentNudge>(
    'delivery_unanswered',
    `SELECT id::text, kind, channel, membership_id AS "membershipId", assignment_id AS "assignmentId"
     FROM reminder_delivery
     WHERE club_id = $1 AND kind = ANY($2::text[]) AND status = 'sent' AND answered_at IS NULL AND sent_at <= $3
     ORDER BY id`,
    [clubId, kinds, cutoff],
  );
}

/** Members a club's reminders could not reach: for this meeting, or planned since `since`. */
export async function failedFor(sql: Sql, clubId: string, occurrenceId: number, since: Date): Promise<{ membershipId: number; reason: string | null }[]> {
  return sql.rows(
    'delivery_failed_for',
    `SELECT membership_id AS "membershipId", reason FROM reminder_delivery
     WHERE club_id = $1 AND status = 'failed' AND membership_id IS NOT NULL AND (occurrence_id = $2 OR created_at >= $3)
     ORDER BY id`,
    [clubId, occurrenceId, since],
  );
}

/** Plan rows still to go for these memberships are cancelled (`reason`); `kind`: only that kind. */
export async function cancelUnsentOf(sql: Sql, membershipIds: number[], reason: string, kind: string | null = null): Promise<void> {
  if (!membershipIds.length) return;
  await sql.rows(
    'delivery_cancel_unsent_of',
    `UPDATE reminder_delivery SET status = 'cancelled', reason = $2
     WHERE membership_id = ANY($1::int[]) AND ${UNSENT_SQL} AND ($3::text IS NULL OR kind = $3) RETURNING 1`,
    [membershipIds, reason, kind],
  );
}

/** A member's answer to a meeting (RSVP) answers what was sent to them about it. */
export async function markMeetingAnswered(sql: Sql, occurrenceId: number, membershipId: number, now: Date): Promise<void> {
  await sql.rows(
    'delivery_meeting_answered',
    'UPDATE reminder_delivery SET answered_at = $3 WHERE occurrence_id = $1 AND membership_id = $2 AND answered_at IS NULL RETURNING 1',
    [occurrenceId, membershipId, now],
  );
}

/** A volunteer's check-in answers every nudge of the assignment, and what would chase it
 * (a second nudge, the coordinator) is no longer sent. Two statements: a row may be both, and
 * one statement changes a row once. */
export async function markAssignmentAnswered(sql: Sql, assignmentId: number, now: Date): Promise<void> {
  await sql.rows(
    'delivery_assignment_answered',
    'UPDATE reminder_delivery SET answered_at = $2 WHERE assignment_id = $1 AND answered_at IS NULL RETURNING 1',
    [assignmentId, now],
  );
  await sql.rows(
    'delivery_assignment_unchase',
    `UPDATE reminder_delivery SET status = 'cancelled', reason = 'answered'
     WHERE assignment_id = $1 AND ${UNSENT_SQL} AND kind IN ('nudge_again', 'escalation') RETURNING 1`,
    [assignmentId],
  );
}
