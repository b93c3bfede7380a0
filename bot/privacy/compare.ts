import { createHash, timingSafeEqual } from 'node:crypto';

const sha256 = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time string comparison (hashing first makes the lengths equal). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b)) && a.length === b.length;
}

/** safeEqual against one fixed secret, whose hash is made once (a webhook checks every request). */
export function matchesSecret(secret: string): (given: string) => boolean {
  const expected = sha256(secret);
  return (given) => timingSafeEqual(sha256(given), expected) && given.length === secret.length;
}
