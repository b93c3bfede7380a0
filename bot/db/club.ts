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

export interface ClubRow {
  id: string;
  name: string;
  province: string;
  commune: string;
  venue: string;
  boardContacts: string;
  timeZone: string;
  requiresInvite: boolean;
  sample: boolean;
}

/** The club directory, as the clubs flow shows it. */
export async function clubDirectory(sql: Sql): Promise<ClubRow[]> {
  return sql.rows<ClubRow>(
    'club_directory',
    `SELECT id, name, province, commune, venue, board_contacts AS "boardContacts", time_zone AS "timeZone",
       requires_invite AS "requiresInvite", sample
     FROM club ORDER BY id`,
    [],
  );
}

/** Whether joining a club needs an invite; null for no such club. */
export async function requiresInvite(sql: Sql, id: string): Promise<boolean | null> {
  const rows = await sql.rows<{ r: boolean }>('club_requires_invite', 'SELECT requires_invite AS r FROM club WHERE id = $1', [id]);
  return rows[0]?.r ?? null;
}

/** A shipped sample club (sample = true), unless a club has its id; whether it was added. */
export async function insertSampleClub(
  sql: Sql,
  c: { id: string; name: string; province: string; commune: string; venue: string; boardContacts: string; timeZone: string; requiresInvite: boolean },
): Promise<boolean> {
  const rows = await sql.rows(
    'club_insert_sample',
    `INSERT INTO club (id, name, province, commune, venue, board_contacts, time_zone, requires_invite, sample)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, true) ON CONFLICT (id) DO NOTHING RETURNING 1`,
    [c.id, c.name, c.province, c.commune, c.venue, c.boardContacts, c.timeZone, c.requiresInvite],
  );
  return rows.length > 0;
}
