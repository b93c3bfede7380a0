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

/** A club's active assignments. */
export async function activeAssignments(sql: Sql, clubId: string): Promise<PlannedAssignment[]> {
  return sql.rows<PlannedAssignment>(
    'assignment_active',
    `SELECT a.id, a.member_id AS "memberId", a.volunteer_id AS "volunteerId", a.next_due_at AS "nextDueAt",
       CASE WHEN v.status = 'active' AND v.reminders_on AND c.address_enc IS NOT NULL THEN c.channel END AS channel
     FROM volunteer_assignment a JOIN club_membership v ON v.id = a.volunteer_id
     LEFT JOIN contact c ON c.subject_key = v.subject_key
     WHERE a.club_id = $1 AND a.active ORDER BY a.id`,
    [clubId],
  );
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
