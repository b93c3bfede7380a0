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
