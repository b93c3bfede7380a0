// A platform's event id becomes a dedupe key in two tables. PostgreSQL text cannot hold NUL,
// and an id with control characters or of odd length is not what the platforms send: such an
// id is replaced by a hash of itself, so the same event still dedupes and no INSERT can fail on
// it (a failing INSERT would answer 500 and the platform would re-deliver it for hours).
import { createHash } from 'node:crypto';

const PLAIN = /^[\x21-\x7e]{1,128}$/;

export function safeExternalId(id: string): string {
  return PLAIN.test(id) ? id : `h:${createHash('sha256').update(id, 'utf8').digest('hex')}`;
}
