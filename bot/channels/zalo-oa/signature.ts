// X-ZEvent-Signature: "mac=" + sha256(app id + raw body bytes + body timestamp + OA secret key),
// a plain SHA-256 of the concatenation (chatwoot's controller; Zalo's Java MacUtils.sha256Hex).
// The key is the OA secret key, not the app secret: a mac made with the app secret is refused.
import { createHash } from 'node:crypto';
import { safeEqual } from '../../privacy/compare.ts';

export const SIGNATURE_HEADER = 'x-zevent-signature';
const PREFIX = 'mac=';

export function signatureOf(appId: string, raw: Buffer, timestamp: string, secretKey: string): string {
  return createHash('sha256').update(appId, 'utf8').update(raw).update(timestamp, 'utf8').update(secretKey, 'utf8').digest('hex');
}

/** The header value Zalo would send for this body. */
export function signatureHeader(appId: string, raw: Buffer, timestamp: string, secretKey: string): string {
  return PREFIX + signatureOf(appId, raw, timestamp, secretKey);
}

/** Constant-time check of the header against the expected mac. */
export function verifySignature(header: string, appId: string, raw: Buffer, timestamp: string, secretKey: string): boolean {
  const value = header.trim();
  if (!value.toLowerCase().startsWith(PREFIX)) return false;
  const given = value.slice(PREFIX.length).toLowerCase();
  return safeEqual(given, signatureOf(appId, raw, timestamp, secretKey));
}
