// club: the clubs (Prisma's models do the rest, off the hot path).
import type { Sql } from './sql.ts';

/** Are there no clubs yet? (Start-up: the sample clubs are loaded only then.) */
export async function noClubs(sql: Sql): Promise<boolean> {
  const rows = await sql.rows('club_any', 'SELECT 1 FROM club LIMIT 1', []);
  return rows.length === 0;
}

/** What reminders need of a club: its name, clock and quiet hours. */
export interface ClubClock {
  id: string;
  name: string;
  timeZone: string;
  quietStart: string;
  quietEnd: string;
}

/** One club (`id`), or every club (null). */
export async function clubClocks(sql: Sql, id: string | null): Promise<ClubClock[]> {
  return sql.rows<ClubClock>(
    'club_clocks',
    `SELECT id, name, time_zone AS "timeZone", quiet_start AS "quietStart", quiet_end AS "quietEnd"
     FROM club WHERE $1::text IS NULL OR id = $1 ORDER BY id`,
    [id],
  );
}
