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

/** Constant-time check of the header against the expected mac. */
export function verifySignature(header: string, appId: string, raw: Buffer, timestamp: string, secretKey: string): boolean {
  const value = header.trim();
  if (!value.toLowerCase().startsWith(PREFIX)) return false;
  const given = value.slice(PREFIX.length).toLowerCase();
  return safeEqual(given, signatureOf(appId, raw, timestamp, secretKey));
}

/** How old a signed event may be. Zalo re-sends an unacknowledged event with its original body
 * (and so its original timestamp) for up to 12 hours (reference/zalo.md); two days leaves room
 * for that and for our own outages, and stays well inside the 7 days the dedupe rows are kept
 * (bot/jobs/retention.ts), so a captured event can never be replayed once its row is gone. */
export const EVENT_MAX_AGE_MS = 48 * 60 * 60 * 1000;
/** Zalo's clock may run a little ahead of ours. */
export const EVENT_MAX_SKEW_MS = 10 * 60 * 1000;

/** Whether the body's timestamp (milliseconds since 1970, as a string) is inside the window. */
export function timestampFresh(timestamp: string, now: Date): boolean {
  if (!/^\d{1,16}$/.test(timestamp)) return false;
  const at = Number(timestamp);
  return at >= now.getTime() - EVENT_MAX_AGE_MS && at <= now.getTime() + EVENT_MAX_SKEW_MS;
}
