// meeting_series and meeting_occurrence: what the planner and the reminders read, and the
// occurrences materialised ahead (bot/clubs/schedule.ts). The console's and the board's edits
// go through Prisma (bot/console/db/club.ts, bot/admin/commands.ts).
import type { Sql } from './sql.ts';

export interface LiveSeries {
  id: number;
  rrule: string;
  /** Local wall time of the first meeting, "YYYY-MM-DDTHH:MM". */
  dtstart: string;
  timeZone: string;
  durationMin: number;
  clubId: string;
  topic: string;
  /** The series' own venue, else its club's. */
  venue: string;
}

/** Series still running, of one club or of all. */
export async function liveSeries(sql: Sql, clubId: string | null): Promise<LiveSeries[]> {
  return sql.rows<LiveSeries>(
    'meeting_series_live',
    `SELECT s.id, s.club_id AS "clubId", s.rrule, s.dtstart, s.time_zone AS "timeZone", s.duration_min AS "durationMin",
       s.topic, COALESCE(s.venue, c.venue) AS venue
     FROM meeting_series s JOIN club c ON c.id = s.club_id
     WHERE s.ended_at IS NULL AND ($1::text IS NULL OR s.club_id = $1)
     ORDER BY s.id`,
    [clubId],
  );
}

export interface NewOccurrence {
  seriesId: number;
  clubId: string;
  originalStart: Date;
  startsAt: Date;
  endsAt: Date;
  topic: string;
  venue: string;
}

/** Adds the occurrences not there yet (a series' original start is its key: moved and
 * cancelled ones stay as they are); the number added. */
export async function insertOccurrences(sql: Sql, rows: NewOccurrence[]): Promise<number> {
  if (!rows.length) return 0;
  const out = await sql.rows<{ n: number }>(
    'meeting_occurrence_insert',
    `WITH added AS (
       INSERT INTO meeting_occurrence (series_id, club_id, original_start, starts_at, ends_at, topic, venue)
       SELECT x."seriesId", x."clubId", x."originalStart", x."startsAt", x."endsAt", x.topic, x.venue
       FROM jsonb_to_recordset($1::jsonb) AS x("seriesId" int, "clubId" text, "originalStart" timestamptz, "startsAt" timestamptz, "endsAt" timestamptz, topic text, venue text)
       ON CONFLICT DO NOTHING RETURNING 1)
     SELECT count(*)::int AS n FROM added`,
    [JSON.stringify(rows)],
  );
  return out[0]?.n ?? 0;
}

export interface Occurrence {
  id: number;
  clubId: string;
  originalStart: Date;
  startsAt: Date;
  endsAt: Date;
  status: string;
  topic: string;
  venue: string;
  changedAt: Date | null;
}

const OCCURRENCE = `id, club_id AS "clubId", original_start AS "originalStart", starts_at AS "startsAt", ends_at AS "endsAt",
  status, topic, venue, changed_at AS "changedAt"`;

/** A club's meetings that starting in [from, to] or changed since `changedSince`: what reminders
 * and change notices are planned from. */
export async function occurrencesToPlan(sql: Sql, clubId: string, from: Date, to: Date, changedSince: Date): Promise<Occurrence[]> {
  return sql.rows<Occurrence>(
    'meeting_occurrence_to_plan',
    `SELECT ${OCCURRENCE} FROM meeting_occurrence
     WHERE club_id = $1 AND (starts_at BETWEEN $2 AND $3 OR changed_at >= $4) ORDER BY id`,
    [clubId, from, to, changedSince],
  );
}

export async function occurrenceById(sql: Sql, id: number): Promise<Occurrence | null> {
  const rows = await sql.rows<Occurrence>('meeting_occurrence_by_id', `SELECT ${OCCURRENCE} FROM meeting_occurrence WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

/** A meeting's answers: RSVPs and attendance, by membership. */
export async function answersTo(sql: Sql, occurrenceId: number): Promise<{ rsvp: Map<number, string>; present: Map<number, boolean> }> {
  const rows = await sql.rows<{ membershipId: number; answer: string | null; present: boolean | null }>(
    'meeting_answers',
    `SELECT membership_id AS "membershipId", answer, NULL::boolean AS present FROM club_rsvp WHERE occurrence_id = $1
     UNION ALL
     SELECT membership_id, NULL, present FROM club_attendance WHERE occurrence_id = $1`,
    [occurrenceId],
  );
  const rsvp = new Map<number, string>();
  const present = new Map<number, boolean>();
  for (const r of rows) {
    if (r.answer !== null) rsvp.set(r.membershipId, r.answer);
    if (r.present !== null) present.set(r.membershipId, r.present);
  }
  return { rsvp, present };
}

/** The meetings a member was recorded absent from since `since`. */
export async function missedSince(sql: Sql, membershipId: number, since: Date): Promise<number[]> {
  const rows = await sql.rows<{ id: number }>(
    'attendance_missed_since',
    'SELECT occurrence_id AS id FROM club_attendance WHERE membership_id = $1 AND NOT present AND recorded_at >= $2 ORDER BY occurrence_id',
    [membershipId, since],
  );
  return rows.map((r) => r.id);
}

/** Each club's next `perClub` meetings from `now` that will happen (cancelled ones left out). */
export async function nextMeetingsByClub(sql: Sql, now: Date, perClub: number): Promise<Occurrence[]> {
  return sql.rows<Occurrence>(
    'meeting_occurrence_next_by_club',
    `SELECT ${OCCURRENCE} FROM (
       SELECT o.*, row_number() OVER (PARTITION BY club_id ORDER BY starts_at, id) AS n
       FROM meeting_occurrence o WHERE status <> 'cancelled' AND starts_at >= $1) x
     WHERE n <= $2 ORDER BY starts_at, id`,
    [now, perClub],
  );
}

export async function saveRsvp(sql: Sql, occurrenceId: number, membershipId: number, answer: string, now: Date): Promise<void> {
  await sql.rows(
    'rsvp_save',
    `INSERT INTO club_rsvp (occurrence_id, membership_id, answer, answered_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (occurrence_id, membership_id) DO UPDATE SET answer = EXCLUDED.answer, answered_at = EXCLUDED.answered_at RETURNING 1`,
    [occurrenceId, membershipId, answer, now],
  );
}

/** A new meeting series; its id. */
export async function insertSeries(sql: Sql, s: { clubId: string; rrule: string; dtstart: string; timeZone: string; durationMin: number; topic: string }): Promise<number> {
  const rows = await sql.rows<{ id: number }>(
    'meeting_series_insert',
    'INSERT INTO meeting_series (club_id, rrule, dtstart, time_zone, duration_min, topic) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
    [s.clubId, s.rrule, s.dtstart, s.timeZone, s.durationMin, s.topic],
  );
  return rows[0]!.id;
}
