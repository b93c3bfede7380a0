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
  // The privacy page lists club memberships and volunteering.
  const privacyPage = command === 'privacy' || (input.kind === 'choice' && input.choice === 'menu.privacy');
  const clubs = needsClubs(state, input, command === 'stop');
  return { clubs, holdings: privacyPage && !clubs };
}
