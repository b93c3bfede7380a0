// club_invite_code: the codes a club's board hands out (made in the console and by the admin
// tool through Prisma); a person types one, or brings it in a link, to join.
import type { Sql } from './sql.ts';

export interface UsableInvite {
  code: string;
  clubId: string;
  role: string;
  alias: string | null;
  maxUses: number;
}

/** The invite with this code, if it can still be used at `now` (not revoked, expired or used up). */
export async function usableInviteByCode(sql: Sql, code: string, now: Date): Promise<UsableInvite | null> {
  const rows = await sql.rows<UsableInvite>(
    'invite_code_usable',
    `SELECT code, club_id AS "clubId", role, alias, max_uses AS "maxUses" FROM club_invite_code
     WHERE code = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at >= $2) AND uses < max_uses`,
    [code, now],
  );
  return rows[0] ?? null;
}

/** One use of the code, if any is left (another person may have taken the last meanwhile). */
export async function takeInviteUse(sql: Sql, code: string): Promise<boolean> {
  const rows = await sql.rows('invite_code_take', 'UPDATE club_invite_code SET uses = uses + 1 WHERE code = $1 AND uses < max_uses RETURNING 1', [code]);
  return rows.length > 0;
}
