// Console sign-in without passwords: one-time links (10 minutes, single use, bound to a
// coordinator's membership or to an officer's alias and province), sessions in PostgreSQL,
// CSRF tokens, "sign out everywhere" and a per-address attempt limit. Only SHA-256 hashes of
// tokens and session ids are stored: a copy of the tables signs nobody in.
import { createHash } from 'node:crypto';
import type { Prisma, PrismaClient } from '../../prisma/generated/client.ts';
import { activeCoordinator, createOfficerLink as storeOfficerLink } from '../db/console-link.ts';
import { hashToken, newToken } from '../privacy/token.ts';

type Db = PrismaClient | Prisma.TransactionClient;

/** A session ends after 12 hours without use, and after 7 days at the latest. */
export const SESSION_IDLE_MS = 12 * 3_600_000;
export const SESSION_MAX_MS = 7 * 86_400_000;
/** Sign-in attempts per client address per minute. */
export const SIGNIN_LIMIT = 10;

export interface Principal {
  kind: 'club' | 'officer';
  alias: string;
  membershipId: number | null;
  clubId: string | null;
  /** Officers: the province they report on; null is the whole programme. */
  province: string | null;
}

export interface Session extends Principal {
  idHash: string;
  csrf: string;
}

/** The admin tool gives a programme officer a link; returns the token. */
export async function createOfficerLink(db: Db, alias: string, province: string | null, now: Date): Promise<string> {
  const token = newToken();
  await storeOfficerLink(db, alias, province, hashToken(token), now);
  return token;
}

export type RedeemResult = { ok: true; sessionId: string; session: Session } | { ok: false; reason: 'unknown' | 'used' | 'expired' | 'not_allowed' };

/** Use a link once: marks it used in the same statement that checks it, then opens a session. */
export async function redeemLink(db: PrismaClient, token: string, now: Date): Promise<RedeemResult> {
  if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return { ok: false, reason: 'unknown' };
  const tokenHash = hashToken(token);
  return db.$transaction(async (tx) => {
    const claimed = await tx.consoleLink.updateMany({ where: { tokenHash, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
    const link = await tx.consoleLink.findUnique({ where: { tokenHash } });
    if (!link) return { ok: false, reason: 'unknown' } as const;
    if (!claimed.count) return { ok: false, reason: link.usedAt ? 'used' : 'expired' } as const;
    // The role is checked again now: a coordinator who stepped down in the last minutes is refused.
    let alias = link.alias;
    if (link.kind === 'club') {
      const m = link.membershipId === null ? null : await activeCoordinator(tx, link.membershipId);
      if (!m) return { ok: false, reason: 'not_allowed' } as const;
      alias = m.alias ?? `#${m.id}`;
    }
    // Spent and expired links, and sessions over, are kept a day for the record, then go.
    const dayAgo = new Date(now.getTime() - 86_400_000);
    await tx.consoleLink.deleteMany({ where: { expiresAt: { lt: dayAgo } } });
    await tx.consoleSession.deleteMany({ where: { expiresAt: { lt: dayAgo } } });
    const sessionId = newToken();
    const principal: Principal = { kind: link.kind as Principal['kind'], alias, membershipId: link.membershipId, clubId: link.clubId, province: link.province };
    const csrf = newToken();
    await tx.consoleSession.create({
      data: { idHash: hashToken(sessionId), ...principal, csrf, createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + SESSION_MAX_MS) },
    });
    await audit(tx, principal, 'sign_in', null, now);
    return { ok: true, sessionId, session: { ...principal, idHash: hashToken(sessionId), csrf } } as const;
  });
}

/** The session a cookie names, if it is still valid; its idle clock is reset. */
export async function sessionOf(db: PrismaClient, sessionId: string | undefined, now: Date): Promise<Session | null> {
  if (!sessionId || !/^[A-Za-z0-9_-]{20,64}$/.test(sessionId)) return null;
  const idHash = hashToken(sessionId);
  const s = await db.consoleSession.findUnique({ where: { idHash } });
  if (!s || s.revokedAt || s.expiresAt <= now || now.getTime() - s.lastSeenAt.getTime() > SESSION_IDLE_MS) return null;
  if (s.kind === 'club' && (s.membershipId === null || !(await activeCoordinator(db, s.membershipId)))) return null;
  if (now.getTime() - s.lastSeenAt.getTime() > 60_000) await db.consoleSession.update({ where: { idHash }, data: { lastSeenAt: now } });
  return { idHash, kind: s.kind as Principal['kind'], alias: s.alias, membershipId: s.membershipId, clubId: s.clubId, province: s.province, csrf: s.csrf };
}

export async function signOut(db: PrismaClient, s: Session, now: Date): Promise<void> {
  await db.consoleSession.updateMany({ where: { idHash: s.idHash }, data: { revokedAt: now } });
  await audit(db, s, 'sign_out', null, now);
}

/** Every session of this person (their membership, or their officer alias) ends. */
export async function signOutEverywhere(db: PrismaClient, s: Session, now: Date): Promise<number> {
  const where = s.kind === 'club' ? { membershipId: s.membershipId } : { kind: 'officer', alias: s.alias };
  const n = await db.consoleSession.updateMany({ where: { ...where, revokedAt: null }, data: { revokedAt: now } });
  await audit(db, s, 'sign_out_everywhere', String(n.count), now);
  return n.count;
}

/** Counts one attempt from this address; false once the minute's allowance is spent. */
export async function allowAttempt(db: PrismaClient, clientAddress: string, secret: Buffer, now: Date): Promise<boolean> {
  // Keyed hash: the table cannot be turned back into addresses.
  const bucket = createHash('sha256').update(secret).update(clientAddress).digest('hex').slice(0, 32);
  const windowStart = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
  const row = await db.consoleSigninAttempt.upsert({
    where: { bucket_windowStart: { bucket, windowStart } },
    create: { bucket, windowStart, count: 1 },
    update: { count: { increment: 1 } },
  });
  if (row.count === 1) await db.consoleSigninAttempt.deleteMany({ where: { windowStart: { lt: new Date(now.getTime() - 3_600_000) } } });
  return row.count <= SIGNIN_LIMIT;
}

/** One audit row: who (alias), what, when, and the object's id. Never a name, number or text. */
export async function audit(db: Db, who: Principal, action: string, target: string | null, now: Date): Promise<void> {
  await db.consoleAudit.create({ data: { at: now, actor: who.alias, actorKind: who.kind, clubId: who.clubId, action, target } });
}
