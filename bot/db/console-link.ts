// console_link: the console's one-time sign-in links, stored by the hash of their token. The bot
// (a coordinator's "open the console" button, bot/clubs/effects.ts) and the admin tool (an
// officer's link) create them; the console (bot/console/auth.ts) redeems them.
import type { Prisma, PrismaClient } from '../../prisma/generated/client.ts';
import type { Sql } from './sql.ts';

type Db = PrismaClient | Prisma.TransactionClient;

/** A link opens the console for 10 minutes, once. */
export const LINK_TTL_MS = 10 * 60_000;

/** The membership, if it is an active coordinator's; anyone else may not sign in. */
export async function activeCoordinator(db: Db, membershipId: number) {
  const m = await db.membership.findUnique({ where: { id: membershipId } });
  if (m?.status !== 'active' || m.role !== 'coordinator') return null;
  return m;
}

/** A coordinator's link for one club; false (nothing stored) when they are not its active
 * coordinator (the role is checked in the same statement). On the turn's Sql. */
export async function createClubLink(sql: Sql, subjectKey: string, clubId: string, tokenHash: string, now: Date): Promise<boolean> {
  const rows = await sql.rows(
    'console_link_club',
    `INSERT INTO console_link (token_hash, kind, membership_id, club_id, alias, expires_at, created_at)
     SELECT $3, 'club', m.id, m.club_id, COALESCE(m.alias, '#' || m.id), $4, $5
     FROM club_membership m WHERE m.club_id = $2 AND m.subject_key = $1 AND m.status = 'active' AND m.role = 'coordinator'
     RETURNING 1`,
    [subjectKey, clubId, tokenHash, new Date(now.getTime() + LINK_TTL_MS), now],
  );
  return rows.length > 0;
}

/** A programme officer's link, for one province or (null) the whole programme. */
export async function createOfficerLink(db: Db, alias: string, province: string | null, tokenHash: string, now: Date): Promise<void> {
  await db.consoleLink.create({
    data: { tokenHash, kind: 'officer', alias, province, expiresAt: new Date(now.getTime() + LINK_TTL_MS), createdAt: now },
  });
}
