// volunteer_assignment: which volunteer looks after which member, as the planner and the
// reminders read it (the console and the clubs flow change it through Prisma).
import type { Sql } from './sql.ts';

export interface PlannedAssignment {
  id: number;
  memberId: number;
  volunteerId: number;
  nextDueAt: Date;
  /** The volunteer's channel; null when they left, turned reminders off or keep no address. */
  channel: string | null;
}

/** Active assignments with their volunteer's channel (null: left, reminders off, no address). */
const WITH_VOLUNTEER_CHANNEL = `SELECT a.id, a.member_id AS "memberId", a.volunteer_id AS "volunteerId", a.next_due_at AS "nextDueAt",
    CASE WHEN v.status = 'active' AND v.reminders_on AND c.address_enc IS NOT NULL THEN c.channel END AS channel
  FROM volunteer_assignment a JOIN club_membership v ON v.id = a.volunteer_id
  LEFT JOIN contact c ON c.subject_key = v.subject_key
  WHERE a.active`;

/** A club's active assignments. */
export async function activeAssignments(sql: Sql, clubId: string): Promise<PlannedAssignment[]> {
  return sql.rows<PlannedAssignment>('assignment_active', `${WITH_VOLUNTEER_CHANNEL} AND a.club_id = $1 ORDER BY a.id`, [clubId]);
}

export interface AssignmentView {
  id: number;
  active: boolean;
  memberId: number;
  memberAlias: string;
  cadenceDays: number;
  volunteer: { id: number; alias: string | null };
}

export async function assignmentById(sql: Sql, id: number): Promise<AssignmentView | null> {
  const rows = await sql.rows<Omit<AssignmentView, 'volunteer'> & { volunteerId: number; volunteerAlias: string | null }>(
    'assignment_by_id',
    `SELECT a.id, a.active, a.member_id AS "memberId", a.member_alias AS "memberAlias", a.cadence_days AS "cadenceDays",
       v.id AS "volunteerId", v.alias AS "volunteerAlias"
     FROM volunteer_assignment a JOIN club_membership v ON v.id = a.volunteer_id WHERE a.id = $1`,
    [id],
  );
  const r = rows[0];
  if (!r) return null;
  const { volunteerId, volunteerAlias, ...a } = r;
  return { ...a, volunteer: { id: volunteerId, alias: volunteerAlias } };
}

/** The active assignments looking after a member. */
export async function supportersOf(sql: Sql, memberId: number): Promise<PlannedAssignment[]> {
  return sql.rows<PlannedAssignment>('assignment_supporters', `${WITH_VOLUNTEER_CHANNEL} AND a.member_id = $1 ORDER BY a.id`, [memberId]);
}

/** A membership that ends ends the assignments it is part of, either side. */
export async function endAssignmentsOf(sql: Sql, membershipId: number, now: Date): Promise<void> {
  await sql.rows(
    'assignment_end_of',
    'UPDATE volunteer_assignment SET active = false, ended_at = $2 WHERE (volunteer_id = $1 OR member_id = $1) AND active RETURNING 1',
    [membershipId, now],
  );
}

/** An assignment as a check-in needs it, if it is active and this person is its volunteer. */
export async function assignmentOfVolunteer(sql: Sql, id: number, subject: string): Promise<{ id: number; clubId: string; cadenceDays: number } | null> {
  const rows = await sql.rows<{ id: number; clubId: string; cadenceDays: number }>(
    'assignment_of_volunteer',
    `SELECT a.id, a.club_id AS "clubId", a.cadence_days AS "cadenceDays"
     FROM volunteer_assignment a JOIN club_membership v ON v.id = a.volunteer_id
     WHERE a.id = $1 AND a.active AND v.subject_key = $2`,
    [id, subject],
  );
  return rows[0] ?? null;
}

/** A check-in recorded; the next one falls due at `nextDueAt` (null: unchanged). */
export async function recordCheckIn(sql: Sql, assignmentId: number, at: Date, outcome: string, nextAt: Date | null, nextDueAt: Date | null): Promise<void> {
  await sql.rows(
    'assignment_check_in',
    `WITH ci AS (INSERT INTO volunteer_check_in (assignment_id, at, outcome, next_at) VALUES ($1, $2, $3, $4) RETURNING 1)
     UPDATE volunteer_assignment SET next_due_at = COALESCE($5, next_due_at) WHERE id = $1 RETURNING 1`,
    [assignmentId, at, outcome, nextAt, nextDueAt],
  );
}
