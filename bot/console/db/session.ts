// console_link (redeeming), console_session and console_signin_attempt: the console's sign-in
// tables, by the hashes of their tokens (bot/console/auth.ts holds the rules; links are made in
// bot/db/console-link.ts).
import type { Prisma, PrismaClient } from '../../../prisma/generated/client.ts';

type Db = PrismaClient | Prisma.TransactionClient;

/** Marks an unused, unexpired link used, in the statement that checks it; then the link as it is
 * now (null when there is none), and whether this call claimed it. */
export async function claimLink(tx: Prisma.TransactionClient, tokenHash: string, now: Date) {
  const claimed = await tx.consoleLink.updateMany({ where: { tokenHash, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
  const link = await tx.consoleLink.findUnique({ where: { tokenHash } });
  return { link, claimed: claimed.count > 0 };
}

/** Links and sessions over before `before` go (they are kept a while for the record). */
export async function purgeEnded(tx: Prisma.TransactionClient, before: Date): Promise<void> {
  await tx.consoleLink.deleteMany({ where: { expiresAt: { lt: before } } });
  await tx.consoleSession.deleteMany({ where: { expiresAt: { lt: before } } });
}

export async function createSession(tx: Prisma.TransactionClient, data: Prisma.ConsoleSessionUncheckedCreateInput): Promise<void> {
  await tx.consoleSession.create({ data });
}

export function sessionByHash(db: Db, idHash: string) {
  return db.consoleSession.findUnique({ where: { idHash } });
}

export async function touchSession(db: Db, idHash: string, now: Date): Promise<void> {
  await db.consoleSession.update({ where: { idHash }, data: { lastSeenAt: now } });
}

/** Ends one session, or every open one of a coordinator's membership or an officer's alias. */
export async function revokeSessions(db: Db, who: { idHash: string } | { membershipId: number | null } | { officer: string }, now: Date): Promise<number> {
  const where = 'idHash' in who ? { idHash: who.idHash } : 'officer' in who ? { kind: 'officer', alias: who.officer, revokedAt: null } : { membershipId: who.membershipId, revokedAt: null };
  return (await db.consoleSession.updateMany({ where, data: { revokedAt: now } })).count;
}

/** Counts one sign-in attempt in the bucket's minute; returns the minute's count so far. Rows
 * older than an hour go when a new minute starts. */
export async function countAttempt(db: Db, bucket: string, now: Date): Promise<number> {
  const windowStart = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const row = await db.consoleSigninAttempt.upsert({
    where: { bucket_windowStart: { bucket, windowStart } },
    create: { bucket, windowStart, count: 1 },
    update: { count: { increment: 1 } },
  });
  if (row.count === 1) await db.consoleSigninAttempt.deleteMany({ where: { windowStart: { lt: new Date(now.getTime() - 3_600_000) } } });
  return row.count;
}
