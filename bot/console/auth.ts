// Console sign-in without passwords: one-time links (10 minutes, single use, bound to a
// coordinator's membership or to an officer's alias and province), sessions in PostgreSQL,
// CSRF tokens, "sign out everywhere" and a per-address attempt limit. Only SHA-256 hashes of
// tokens and session ids are stored: a copy of the tables signs nobody in.
import { createHash } from 'node:crypto';
import type { Prisma, PrismaClient } from '../../prisma/generated/client.ts';
import { activeCoordinator, createOfficerLink as storeOfficerLink } from '../db/console-link.ts';
import { hashToken, newToken } from '../privacy/token.ts';
import { audit } from './db/audit.ts';
import { claimLink, countAttempt, createSession, purgeEnded, revokeSessions, sessionByHash, touchSession } from './db/session.ts';


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
    const { link, claimed } = await claimLink(tx, tokenHash, now);
    if (!link) return { ok: false, reason: 'unknown' } as const;
    if (!claimed) return { ok: false, reason: link.usedAt ? 'used' : 'expired' } as const;
    // The role is checked again now: a coordinator who stepped down in the last minutes is refused.
    let alias = link.alias;
    if (link.kind === 'club') {
      const m = link.membershipId === null ? null : await activeCoordinator(tx, link.membershipId);
      if (!m) return { ok: false, reason: 'not_allowed' } as const;
      alias = m.alias ?? `#${m.id}`;
    }
    // Spent and expired links, and sessions over, are kept a day for the record, then go.
    await purgeEnded(tx, new Date(now.getTime() - 86_400_000));
    const sessionId = newToken();
    const principal: Principal = { kind: link.kind as Principal['kind'], alias, membershipId: link.membershipId, clubId: link.clubId, province: link.province };
    const csrf = newToken();
    await createSession(tx, { idHash: hashToken(sessionId), ...principal, csrf, createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + SESSION_MAX_MS) });
    await audit(tx, principal, 'sign_in', null, now);
    return { ok: true, sessionId, session: { ...principal, idHash: hashToken(sessionId), csrf } } as const;
  });
}

/** The session a cookie names, if it is still valid; its idle clock is reset. */
export async function sessionOf(db: PrismaClient, sessionId: string | undefined, now: Date): Promise<Session | null> {
  if (!sessionId || !/^[A-Za-z0-9_-]{20,64}$/.test(sessionId)) return null;
  const idHash = hashToken(sessionId);
  const s = await sessionByHash(db, idHash);
  if (!s || s.revokedAt || s.expiresAt <= now || now.getTime() - s.lastSeenAt.getTime() > SESSION_IDLE_MS) return null;
  if (s.kind === 'club' && (s.membershipId === null || !(await activeCoordinator(db, s.membershipId)))) return null;
  if (now.getTime() - s.lastSeenAt.getTime() > 60_000) await touchSession(db, idHash, now);
  return { idHash, kind: s.kind as Principal['kind'], alias: s.alias, membershipId: s.membershipId, clubId: s.clubId, province: s.province, csrf: s.csrf };
}

export async function signOut(db: PrismaClient, s: Session, now: Date): Promise<void> {
  await revokeSessions(db, { idHash: s.idHash }, now);
  await audit(db, s, 'sign_out', null, now);
}

/** Every session of this person (their membership, or their officer alias) ends. */
export async function signOutEverywhere(db: PrismaClient, s: Session, now: Date): Promise<number> {
  const n = await revokeSessions(db, s.kind === 'club' ? { membershipId: s.membershipId } : { officer: s.alias }, now);
  await audit(db, s, 'sign_out_everywhere', String(n), now);
  return n;
}

/** Counts one attempt from this address; false once the minute's allowance is spent. */
export async function allowAttempt(db: PrismaClient, clientAddress: string, secret: Buffer, now: Date): Promise<boolean> {
  // Keyed hash: the table cannot be turned back into addresses.
  const bucket = createHash('sha256').update(secret).update(clientAddress).digest('hex').slice(0, 32);
  return (await countAttempt(db, bucket, now)) <= SIGNIN_LIMIT;
}
