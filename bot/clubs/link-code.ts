// One-time link codes (docs/architecture.md, "Link codes"): a web member takes their club
// memberships to Zalo or Telegram. The web makes a random code (30 minutes, single use) and
// keeps only its HMAC under a key derived from PSEUDONYM_SECRET; the person sends the code from
// a chat; the memberships, and nothing else of the web identity, become that chat identity's.
// A chat identity that sends many wrong codes is refused for an hour. The code itself is never
// stored or logged: it travels only in the web's HTTP answer and in the person's own message.
import { createHmac, randomInt } from 'node:crypto';
import { CODE_ALPHABET, LINK_LENGTH, mixesLettersAndDigits } from '../../flows/clubs/codes.ts';
import type { LinkLookup, NewLink } from '../../flows/clubs/types.ts';
import { clearLinkFailures, deleteLinkCodesOf, linkCodeOwner, linkFailures, recordLinkFailure, replaceLinkCode } from '../db/link-code.ts';
import { activeClubsOf, moveMemberships } from '../db/membership.ts';
import type { Sql } from '../db/sql.ts';

export const LINK_MINUTES = 30;
/** Wrong codes one chat identity may send per window before it is refused for the rest of it. */
export const MAX_WRONG_CODES = 5;
export const WRONG_WINDOW_MS = 60 * 60_000;

/** Where a code can be sent: the channels this deployment runs, and their public links. */
export interface LinkTargets {
  telegram: boolean;
  /** TELEGRAM_BOT_USERNAME: makes the deep link t.me/<bot>?start=<code>. */
  telegramBot?: string | undefined;
  zalo: boolean;
  /** ZALO_OA_ID: the OA's page zalo.me/<id>. */
  zaloOaId?: string | undefined;
}

/** The HMAC key for codes, derived from PSEUDONYM_SECRET and kept apart from the pseudonyms. */
function codeKey(secret: Buffer): Buffer {
  return createHmac('sha256', secret).update('link-code:v1').digest();
}

export function hashLinkCode(secret: Buffer, code: string): string {
  return createHmac('sha256', codeKey(secret)).update(code).digest('hex');
}

/** Nine characters of the invite alphabet, letters and digits mixed (about 2^44 codes). */
export function newLinkCode(): string {
  for (;;) {
    let s = '';
    for (let i = 0; i < LINK_LENGTH; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
    if (mixesLettersAndDigits(s)) return s;
  }
}

/** A fresh code for the flow to show (stored, hashed, only if the flow emits linkCreate). */
export function freshLink(secret: Buffer, targets: LinkTargets): NewLink {
  const code = newLinkCode();
  return {
    code,
    hash: hashLinkCode(secret, code),
    minutes: LINK_MINUTES,
    telegram: targets.telegram ? (targets.telegramBot ? { url: `https://t.me/${targets.telegramBot}?start=${code}` } : {}) : null,
    zalo: targets.zalo ? (targets.zaloOaId ? { url: `https://zalo.me/${targets.zaloOaId}` } : {}) : null,
  };
}

/** A code sent from a chat: whose memberships it would bring, or why nothing. Read-only. */
export async function lookupLink(sql: Sql, secret: Buffer, subject: string, code: string, now: Date): Promise<LinkLookup> {
  if ((await linkFailures(sql, subject, new Date(now.getTime() - WRONG_WINDOW_MS))) >= MAX_WRONG_CODES) return { status: 'blocked' };
  const hash = hashLinkCode(secret, code);
  const from = await linkCodeOwner(sql, hash, now);
  if (!from || from === subject) return { status: 'wrong' };
  return { status: 'ok', hash, clubIds: (await activeClubsOf(sql, from)).map((c) => c.clubId) };
}

export async function createLink(sql: Sql, hash: string, subject: string, now: Date): Promise<void> {
  await replaceLinkCode(sql, hash, subject, new Date(now.getTime() + LINK_MINUTES * 60_000));
}

/** Use a code up and move the memberships: the web subject and the clubs moved (null if the
 * code went meanwhile). */
export async function redeemLinkCode(sql: Sql, hash: string, subject: string, now: Date): Promise<{ from: string; moved: { clubId: string; role: string }[] } | null> {
  const from = await linkCodeOwner(sql, hash, now, true);
  if (!from || from === subject) return null;
  await clearLinkFailures(sql, subject);
  // The web identity's other codes (if any) are moot now.
  await deleteLinkCodesOf(sql, from);
  return { from, moved: await moveMemberships(sql, from, subject, now) };
}

export async function countWrongLink(sql: Sql, subject: string, now: Date): Promise<void> {
  await recordLinkFailure(sql, subject, now, new Date(now.getTime() - WRONG_WINDOW_MS));
}
