// How a person is known without being identified (docs/architecture.md, "Privacy rules").
import { createHmac } from 'node:crypto';
import { keyOf } from './crypto.ts';

// The same people write again and again: the last answers are kept in this process's memory
// (never written anywhere), as an HMAC costs several times a lookup. Bounded: emptied when full.
const MEMO_MAX = 10_000;
const memos = new WeakMap<Buffer, Map<string, string>>();
function memo(secret: Buffer, input: string, compute: () => string): string {
  let m = memos.get(secret);
  if (!m) {
    m = new Map();
    memos.set(secret, m);
  }
  let v = m.get(input);
  if (v === undefined) {
    v = compute();
    if (m.size >= MEMO_MAX) m.clear();
    m.set(input, v);
  }
  return v;
}

/** subjectKey = HMAC-SHA256(PSEUDONYM_SECRET, channel + ':' + address), hex. */
export function subjectKey(secret: Buffer, channel: string, address: string): string {
  const input = `${channel}:${address}`;
  return memo(secret, input, () => createHmac('sha256', keyOf(secret)).update(input).digest('hex'));
}

/** Per-day pseudonym for the interaction log: HMAC(PSEUDONYM_SECRET, subjectKey + day). Keyed
 * with the secret (not with the subject key, which the database holds) so that someone who can
 * read the tables still cannot link one person's days. */
export function dayKey(secret: Buffer, subject: string, day: string): string {
  const input = `day:${subject}:${day}`;
  return memo(secret, input, () => createHmac('sha256', keyOf(secret)).update(input).digest('hex').slice(0, 32));
}

const dayFormats = new Map<string, { format: Intl.DateTimeFormat; minute: number; day: string }>();

/** Calendar day (YYYY-MM-DD) of an instant in a time zone. */
export function dayOf(at: Date, timeZone: string): string {
  // Building a DateTimeFormat costs far more than using one: keep one per zone. And every
  // zone's day changes on a whole minute (offsets since 1970 are whole minutes), so the last
  // minute's answer is kept: formatting on every turn was a measurable part of its CPU.
  let f = dayFormats.get(timeZone);
  if (!f) {
    f = { format: new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }), minute: Number.NaN, day: '' };
    dayFormats.set(timeZone, f);
  }
  const minute = Math.floor(at.getTime() / 60_000);
  if (minute !== f.minute) {
    f.day = f.format.format(at);
    f.minute = minute;
  }
  return f.day;
}
