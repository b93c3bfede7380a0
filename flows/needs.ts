// What a step needs from the engine beyond the conversation state, declared by the flows so
// the engine names no flow: the club directory and this person's memberships (ctx.clubs).
import { needsClubs } from './clubs/index.ts';
import { commandOf } from './commands.ts';
import type { FlowState, Input } from './types.ts';

export interface Needs {
  /** The club directory, its next meetings and this person's memberships (club steps). */
  clubs: boolean;
  /** Only this person's memberships and volunteering (ctx.clubs with no directory). */
  holdings: boolean;
}

export function needs(state: FlowState | null, input: Input): Needs {
  const command = input.kind === 'text' ? commandOf(input.text) : null;
  // The privacy page and the erasure confirmation list club memberships and volunteering;
  // the erasure itself runs as an effect (bot/engine/effects.ts), which needs no directory.
  const privacy =
    command === 'privacy' ||
    command === 'delete' ||
    state?.flow === 'privacy' ||
    (input.kind === 'choice' && (input.choice === 'menu.privacy' || input.choice === 'privacy.erase'));
  const clubs = needsClubs(state, input, command === 'stop');
  return { clubs, holdings: privacy && !clubs };
}
