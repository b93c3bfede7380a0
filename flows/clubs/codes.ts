// The shapes of the codes people type or bring in a link: a club's invite code (8 characters,
// made by the board's tools) and a one-time link code (9 characters, made by the web chat so a
// web member can take their memberships to Zalo or Telegram). Pure: recognising a code here
// never says whether it exists; bot/clubs looks that up.

// No 0/O, 1/I: codes are read aloud and typed on phones.
export const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const INVITE_LENGTH = 8;
export const LINK_LENGTH = 9;

const IN_ALPHABET = new RegExp(`^[${CODE_ALPHABET}]+$`);

/** Codes are typed by people: case, spaces and dashes do not matter. */
export function normaliseCode(s: string): string {
  return s.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** Link codes always mix letters and digits, so a typed word is never taken for one. */
export function mixesLettersAndDigits(code: string): boolean {
  return /[A-Z]/.test(code) && /[0-9]/.test(code);
}

export type CodeKind = 'invite' | 'link';

/**
 * What a deep-link payload or a short typed message names: an invite code, a link code, or
 * nothing. Anything longer than a code, or with other characters, is nothing (and is dropped,
 * never stored).
 */
export function codeOf(raw: string): { kind: CodeKind; code: string } | null {
  const t = raw.trim();
  if (t.length > 20 || !/^[A-Za-z0-9 _-]+$/.test(t)) return null;
  const code = normaliseCode(t);
  if (!IN_ALPHABET.test(code)) return null;
  if (code.length === INVITE_LENGTH) return { kind: 'invite', code };
  if (code.length === LINK_LENGTH && mixesLettersAndDigits(code)) return { kind: 'link', code };
  return null;
}

/** A message that is a link code and nothing else (sent on Zalo, or typed on Telegram). */
export function typedLinkCode(text: string): string | null {
  const c = codeOf(text);
  return c?.kind === 'link' ? c.code : null;
}

/** How a link code is shown: three groups of three ("K7P-M2Q-XW4"). */
export function showLinkCode(code: string): string {
  return `${code.slice(0, 3)}-${code.slice(3, 6)}-${code.slice(6)}`;
}
