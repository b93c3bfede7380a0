// Invite codes: made by the board's tools (admin CLI, console), typed back by people in the chat.
// Their shape (alphabet, length, normalising) is one rule in flows/clubs/codes.ts.
import { randomInt } from 'node:crypto';
import { CODE_ALPHABET, INVITE_LENGTH } from '../../flows/clubs/codes.ts';

export { normaliseCode } from '../../flows/clubs/codes.ts';

export function newInviteCode(): string {
  let s = '';
  for (let i = 0; i < INVITE_LENGTH; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return s;
}
