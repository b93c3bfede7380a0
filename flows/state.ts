// A new person's conversation state, and the small state helpers every flow shares.
import type { Choice, FlowState, OutboundMessage, StepResult } from './types.ts';

export function newState(now: Date): FlowState {
  return {
    flow: 'start',
    step: 'language',
    data: {},
    locale: null,
    noStorage: false,
    consentScreening: false,
    offered: [],
    updatedAt: now.toISOString(),
  };
}

/** Remember the choices of the last message so typed numbers and labels map back to them. */
export function offeredOf(messages: OutboundMessage[]): Choice[] {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.choices && m.choices.length > 0) return m.choices.flat();
  }
  return [];
}

export function result(state: FlowState | null, messages: OutboundMessage[], effects: StepResult['effects'] = []): StepResult {
  if (state) state = { ...state, offered: offeredOf(messages) };
  return { state, messages, effects };
}
