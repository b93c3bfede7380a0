// club: the clubs (Prisma's models do the rest, off the hot path).
import type { Sql } from './sql.ts';

/** Are there no clubs yet? (Start-up: the sample clubs are loaded only then.) */
export async function noClubs(sql: Sql): Promise<boolean> {
  const rows = await sql.rows('club_any', 'SELECT 1 FROM club LIMIT 1', []);
  return rows.length === 0;
}
