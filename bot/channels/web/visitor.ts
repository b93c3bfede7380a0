// The web visitor id: a random value the server signs (HMAC-SHA256), so that a cookie the server
// did not issue, or one changed by hand, is never adopted as someone's conversation.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const VISITOR_COOKIE = 'dh_vid';
/** 18 random bytes and a 16-byte tag, base64url, joined by a dot. */
const SHAPE = /^([A-Za-z0-9_-]{24})\.([A-Za-z0-9_-]{22})$/;

export interface VisitorIds {
  /** A new id with its signature: the cookie value. */
  issue(): { id: string; cookie: string };
  /** The id inside a cookie value, or null if the value is not one we signed. */
  verify(cookie: string): string | null;
}

/** The signing key is derived from PSEUDONYM_SECRET, kept apart from the pseudonyms it makes. */
export function visitorIds(pseudonymSecret: Buffer): VisitorIds {
  const key = createHmac('sha256', pseudonymSecret).update('web-visitor-cookie:v1').digest();
  const tag = (id: string) => createHmac('sha256', key).update(id).digest().subarray(0, 16);
  return {
    issue() {
      const id = randomBytes(18).toString('base64url');
      return { id, cookie: `${id}.${tag(id).toString('base64url')}` };
    },
    verify(cookie) {
      const m = SHAPE.exec(cookie);
      if (!m) return null;
      const given = Buffer.from(m[2]!, 'base64url');
      const want = tag(m[1]!);
      return given.length === want.length && timingSafeEqual(given, want) ? m[1]! : null;
    },
  };
}

/** The raw value of our cookie in a Cookie header (the last one wins, as browsers send it). */
export function cookieValue(header: string | undefined): string | null {
  if (!header) return null;
  let found: string | null = null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === VISITOR_COOKIE) found = part.slice(eq + 1).trim();
  }
  return found;
}
