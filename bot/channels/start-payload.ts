// "/start <payload>": how Telegram's deep links (t.me/<bot>?start=<payload>) arrive, and what a
// person can type on the Zalo Bot the same way. Only a payload with the shape of an invite or
// link code is kept (flows/clubs/codes.ts); anything else is dropped here, never stored.
import { codeOf } from '../../flows/clubs/codes.ts';

const START = /^\/start(?:@\w+)?(?:\s+([\s\S]*))?$/i;

/** What a deep link can carry (Telegram: up to 64 of these characters). */
const LINK_PAYLOAD = /^[A-Za-z0-9_-]{1,64}$/;

/** Null when the text is not "/start…", or when what follows was typed by a person (words a
 * deep link cannot carry, "/start tôi muốn chết"): that is a text, for the crisis check and the
 * flows like any other. Else the code the payload names, if any. */
export function readStart(text: string): { code: string | null } | null {
  const m = START.exec(text.trim());
  if (!m) return null;
  const payload = m[1]?.trim() ?? '';
  if (!payload) return { code: null };
  const code = codeOf(payload)?.code ?? null;
  if (!code && !LINK_PAYLOAD.test(payload)) return null;
  return { code };
}
