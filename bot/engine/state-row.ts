// Conversation state ↔ its database row. The row keeps flow and step as columns (so retention
// jobs can find unfinished questionnaires) and the rest as JSON.
import type { Choice, FlowData, FlowName, FlowState, Locale } from '../../flows/types.ts';

import type { ConversationRow } from '../db/conversation.ts';

export type { ConversationRow };

interface Stored {
  data?: FlowData;
  offered?: Choice[];
  paused?: FlowState['paused'];
  consentScreening?: boolean;
  typedNumbers?: 'answer';
  /** Ids the message before the last one offered: its buttons are still on the person's
   * screen, so a tap on one of them counts as offered (flows/choices.ts). */
  earlier?: string[];
}

/** The choice ids offered by the message before the last (see Stored.earlier). */
export function earlierOffered(row: ConversationRow | null): Choice[] {
  const ids = (row?.data as Stored | null | undefined)?.earlier;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string').map((id) => ({ id, label: '' })) : [];
}

export function rowToState(row: ConversationRow): FlowState {
  const s = (row.data ?? {}) as Stored;
  return {
    flow: row.flow as FlowName,
    step: row.step,
    data: s.data ?? {},
    locale: row.locale === 'vi' || row.locale === 'en' ? (row.locale as Locale) : null,
    noStorage: row.noStorage,
    consentScreening: s.consentScreening ?? false,
    offered: s.offered ?? [],
    paused: s.paused,
    typedNumbers: s.typedNumbers,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function stateToRow(state: FlowState, earlier: readonly Choice[] = []): Omit<ConversationRow, 'subjectKey' | 'channel' | 'updatedAt'> & { data: Stored } {
  const stored: Stored = { data: state.data, offered: state.offered, consentScreening: state.consentScreening };
  if (earlier.length) stored.earlier = earlier.map((c) => c.id);
  if (state.paused) stored.paused = state.paused;
  if (state.typedNumbers) stored.typedNumbers = state.typedNumbers;
  return { locale: state.locale, flow: state.flow, step: state.step, data: stored, noStorage: state.noStorage };
}
