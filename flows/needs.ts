// What a step needs from the engine beyond the conversation state, declared by the flows so
// the engine names no flow: the club directory and this person's memberships (ctx.clubs).
import { needsClubs } from './clubs/index.ts';
import { commandOf } from './commands.ts';
import type { FlowState, Input } from './types.ts';

export interface Needs {
  clubs: boolean;
}

export function needs(state: FlowState | null, input: Input): Needs {
  const command = input.kind === 'text' ? commandOf(input.text) : null;
  // The privacy page lists club memberships and volunteering.
  const privacyPage = command === 'privacy' || (input.kind === 'choice' && input.choice === 'menu.privacy');
  return { clubs: privacyPage || needsClubs(state, input, command === 'stop') };
}
