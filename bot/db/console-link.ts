// console_link: the console's one-time sign-in links, stored by the hash of their token. The bot
// (a coordinator's "open the console" button, bot/clubs/effects.ts) and the admin tool (an
// officer's link) create them; the console (bot/console/auth.ts) redeems them.
import type { Prisma, PrismaClient } from '../../prisma/generated/client.ts';

type Db = PrismaClient | Prisma.TransactionClient;

/** A link opens the console for 10 minutes, once. */
export const LINK_TTL_MS = 10 * 60_000;

/** The membership, if it is an active coordinator's; anyone else may not sign in. */
export async function activeCoordinator(db: Db, membershipId: number) {
  const m = await db.membership.findUnique({ where: { id: membershipId } });
  if (m?.status !== 'active' || m.role !== 'coordinator') return null;
  return m;
}

/** A coordinator's link for one club; false (nothing stored) when they are not its coordinator. */
export async function createClubLink(db: Db, subjectKey: string, clubId: string, tokenHash: string, now: Date): Promise<boolean> {
  const m = await db.membership.findUnique({ where: { clubId_subjectKey: { clubId, subjectKey } } });
  if (!m || !(await activeCoordinator(db, m.id))) return false;
  await db.consoleLink.create({
    data: { tokenHash, kind: 'club', membershipId: m.id, clubId, alias: m.alias ?? `#${m.id}`, expiresAt: new Date(now.getTime() + LINK_TTL_MS), createdAt: now },
  });
  return true;
}

/** A programme officer's link, for one province or (null) the whole programme. */
export async function createOfficerLink(db: Db, alias: string, province: string | null, tokenHash: string, now: Date): Promise<void> {
  await db.consoleLink.create({
    data: { tokenHash, kind: 'officer', alias, province, expiresAt: new Date(now.getTime() + LINK_TTL_MS), createdAt: now },
  });
}
