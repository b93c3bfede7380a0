// "/start <payload>": how Telegram's deep links (t.me/<bot>?start=<payload>) arrive, and what a
// person can type on the Zalo Bot the same way. Only a payload with the shape of an invite or
// link code is kept (flows/clubs/codes.ts); anything else is dropped here, never stored.
import { codeOf } from '../../flows/clubs/codes.ts';

const START = /^\/start(?:@\w+)?(?:\s+([\s\S]*))?$/i;

/** Null when the text is not "/start…"; else the code the payload names, if any. */
export function readStart(text: string): { code: string | null } | null {
  const m = START.exec(text.trim());
  if (!m) return null;
  const payload = m[1]?.trim() ?? '';
  return { code: payload ? (codeOf(payload)?.code ?? null) : null };
}
