// Invite codes: made by the board's tools (admin CLI, console), typed back by people in the chat.
import { randomInt } from 'node:crypto';

// No 0/O, 1/I: codes are read aloud and typed on phones.
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function newInviteCode(): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return s;
}

/** Codes are typed by people: case, spaces and dashes do not matter. */
export function normaliseCode(s: string): string {
  return s.toUpperCase().replace(/[^A-Z0-9]/g, '');
}
