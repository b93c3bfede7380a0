// club_membership and volunteer_assignment as one person's own holdings: what the privacy page
// lists. The club directory itself is read through Prisma (bot/clubs/view.ts), off the hot path.
import type { Sql } from './sql.ts';

export interface Holdings {
  mine: { clubId: string; role: string; offsets: string; remindersOn: boolean }[];
  assignments: { id: number; clubId: string; alias: string; nextDueAt: Date; timeZone: string }[];
}

export async function holdingsOf(sql: Sql, subject: string): Promise<Holdings> {
  const mine = await sql.rows<Holdings['mine'][number]>(
    'holdings_mine',
    `SELECT club_id AS "clubId", role, offsets, reminders_on AS "remindersOn"
     FROM club_membership WHERE subject_key = $1 AND status = 'active' ORDER BY id`,
    [subject],
  );
  const assignments = mine.some((m) => m.role !== 'member')
    ? await sql.rows<Holdings['assignments'][number]>(
        'holdings_assignments',
        `SELECT a.id, a.club_id AS "clubId", a.member_alias AS alias, a.next_due_at AS "nextDueAt", c.time_zone AS "timeZone"
         FROM volunteer_assignment a JOIN club_membership v ON v.id = a.volunteer_id JOIN club c ON c.id = a.club_id
         WHERE a.active AND v.subject_key = $1 AND v.status = 'active' ORDER BY a.id`,
        [subject],
      )
    : [];
  return { mine, assignments };
}

/** The clubs a person is an active member of (any role). */
export async function activeClubsOf(sql: Sql, subject: string): Promise<{ clubId: string; role: string }[]> {
  return sql.rows('membership_active_clubs', `SELECT club_id AS "clubId", role FROM club_membership WHERE subject_key = $1 AND status = 'active' ORDER BY id`, [subject]);
}

/**
 * A web member's active memberships become another identity's (a link code, bot/clubs/link-code.ts):
 * the rows move, keeping their alias, role, RSVPs and assignments, with reminders on. Where the
 * other identity already has a row for the club, that row is kept (made active again): the web
 * row's RSVPs, attendance, notes and assignments move onto it where it has none of its own for
 * the same meeting, month or person, then the web row goes. Left memberships stay where they
 * are. Returns the clubs that moved.
 */
export async function moveMemberships(sql: Sql, from: string, to: string, now: Date): Promise<{ clubId: string; role: string }[]> {
  const pairs = await sql.rows<{ web: number; chat: number }>(
    'membership_move_pairs',
    `SELECT w.id AS web, t.id AS chat FROM club_membership w JOIN club_membership t ON t.club_id = w.club_id AND t.subject_key = $2
     WHERE w.subject_key = $1 AND w.status = 'active'`,
    [from, to],
  );
  for (const { web, chat } of pairs) await repoint(sql, web, chat);
  const doubled = await sql.rows<{ clubId: string; role: string; alias: string | null }>(
    'membership_move_doubled',
    `DELETE FROM club_membership w USING club_membership t
     WHERE w.subject_key = $1 AND w.status = 'active' AND t.subject_key = $2 AND t.club_id = w.club_id
     RETURNING w.club_id AS "clubId", w.role, w.alias`,
    [from, to],
  );
  const kept: { clubId: string; role: string }[] = [];
  for (const d of doubled) {
    const rows = await sql.rows<{ clubId: string; role: string }>(
      'membership_move_keep',
      `UPDATE club_membership SET
         role = CASE WHEN status = 'active' THEN role ELSE $3 END,
         alias = COALESCE(alias, $4), status = 'active', left_at = NULL, reminders_on = true, consent_at = $5
       WHERE subject_key = $1 AND club_id = $2
       RETURNING club_id AS "clubId", role`,
      [to, d.clubId, d.role, d.alias, now],
    );
    kept.push(...rows);
  }
  const moved = await sql.rows<{ clubId: string; role: string }>(
    'membership_move',
    `UPDATE club_membership SET subject_key = $2, reminders_on = true, consent_at = $3
     WHERE subject_key = $1 AND status = 'active' RETURNING club_id AS "clubId", role`,
    [from, to, now],
  );
  return [...kept, ...moved];
}

/** What hangs on a membership, and what makes two of them the same thing: a table, the column
 * pointing at the membership, and the column that must not repeat for one membership. */
const HANGING: [table: string, column: string, unique: string][] = [
  ['club_rsvp', 'membership_id', 'occurrence_id'],
  ['club_attendance', 'membership_id', 'occurrence_id'],
  ['club_progress_note', 'membership_id', 'month'],
  ['volunteer_assignment', 'volunteer_id', 'member_id'],
  ['volunteer_assignment', 'member_id', 'volunteer_id'],
];

/** What hangs on membership `web` moves to `chat`, except where `chat` has its own for the same
 * meeting, month or person (theirs is kept; the web one goes with the web row). */
async function repoint(sql: Sql, web: number, chat: number): Promise<void> {
  const moves = HANGING.map(
    ([table, column, unique], i) =>
      `m${i} AS (UPDATE ${table} x SET ${column} = $2 WHERE x.${column} = $1
         AND NOT EXISTS (SELECT 1 FROM ${table} o WHERE o.${column} = $2 AND o.${unique} = x.${unique}) RETURNING 1)`,
  );
  const ledger = 'ledger AS (UPDATE reminder_delivery d SET membership_id = $2 WHERE d.membership_id = $1 RETURNING 1)';
  await sql.rows('membership_repoint', `WITH ${[...moves, ledger].join(', ')} SELECT 1`, [web, chat]);
}

export interface Remindable {
  id: number;
  subjectKey: string;
  role: string;
  offsets: string;
  createdAt: Date;
  channel: string | null;
}

/** A club's active members who want reminders, with the channel they can be reached on (null:
 * no address kept). `role`: one role, or all (null). */
export async function remindable(sql: Sql, clubId: string, role: string | null): Promise<Remindable[]> {
  return sql.rows<Remindable>(
    'membership_remindable',
    `SELECT m.id, m.subject_key AS "subjectKey", m.role, m.offsets, m.created_at AS "createdAt",
       CASE WHEN c.address_enc IS NOT NULL THEN c.channel END AS channel
     FROM club_membership m LEFT JOIN contact c ON c.subject_key = m.subject_key
     WHERE m.club_id = $1 AND m.status = 'active' AND m.reminders_on AND ($2::text IS NULL OR m.role = $2)
     ORDER BY m.id`,
    [clubId, role],
  );
}

/** A club's active members (role member), for a coordinator's summary. */
export async function activeMembers(sql: Sql, clubId: string): Promise<{ id: number; alias: string | null }[]> {
  return sql.rows('membership_active_members', `SELECT id, alias FROM club_membership WHERE club_id = $1 AND role = 'member' AND status = 'active' ORDER BY id`, [clubId]);
}

export async function membershipAlias(sql: Sql, id: number): Promise<{ id: number; alias: string | null } | null> {
  const rows = await sql.rows<{ id: number; alias: string | null }>('membership_alias', 'SELECT id, alias FROM club_membership WHERE id = $1', [id]);
  return rows[0] ?? null;
}

export interface MembershipRow {
  id: number;
  role: string;
  status: string;
  alias: string | null;
}

/** A person's membership of one club, whatever its status. */
export async function membershipIn(sql: Sql, clubId: string, subject: string): Promise<MembershipRow | null> {
  const rows = await sql.rows<MembershipRow>('membership_in', 'SELECT id, role, status, alias FROM club_membership WHERE club_id = $1 AND subject_key = $2', [clubId, subject]);
  return rows[0] ?? null;
}

export async function aliasTaken(sql: Sql, clubId: string, alias: string): Promise<boolean> {
  return (await sql.rows('membership_alias_taken', 'SELECT 1 FROM club_membership WHERE club_id = $1 AND alias = $2', [clubId, alias])).length > 0;
}

/** Join (or join again): active, reminders on, consent now; an alias given replaces the old one. */
export async function joinClub(sql: Sql, clubId: string, subject: string, role: string, alias: string | null, now: Date): Promise<void> {
  await sql.rows(
    'membership_join',
    `INSERT INTO club_membership (club_id, subject_key, role, alias, consent_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (club_id, subject_key) DO UPDATE SET role = EXCLUDED.role, status = 'active', left_at = NULL,
       reminders_on = true, consent_at = EXCLUDED.consent_at, alias = COALESCE(EXCLUDED.alias, club_membership.alias)
     RETURNING 1`,
    [clubId, subject, role, alias, now],
  );
}

export async function setOffsets(sql: Sql, id: number, offsets: string): Promise<void> {
  await sql.rows('membership_set_offsets', 'UPDATE club_membership SET offsets = $2, reminders_on = true WHERE id = $1 RETURNING 1', [id, offsets]);
}

export async function leaveClub(sql: Sql, id: number, now: Date): Promise<void> {
  await sql.rows('membership_leave', `UPDATE club_membership SET status = 'left', left_at = $2, reminders_on = false WHERE id = $1 RETURNING 1`, [id, now]);
}

/** Reminders off for every membership of a person; their ids. */
export async function stopAllReminders(sql: Sql, subject: string): Promise<number[]> {
  const rows = await sql.rows<{ id: number }>('membership_stop_all', 'UPDATE club_membership SET reminders_on = false WHERE subject_key = $1 RETURNING id', [subject]);
  return rows.map((r) => r.id);
}

/** Does the person have an active membership (`reminded`: one with reminders on)? */
export async function hasActiveMembership(sql: Sql, subject: string, reminded: boolean): Promise<boolean> {
  const rows = await sql.rows(
    'membership_has_active',
    `SELECT 1 FROM club_membership WHERE subject_key = $1 AND status = 'active' AND (reminders_on OR NOT $2::boolean) LIMIT 1`,
    [subject, reminded],
  );
  return rows.length > 0;
}
