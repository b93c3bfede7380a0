// conversation: one row per person, the flow state between turns.
export interface ConversationRow {
  subjectKey: string;
  channel: string;
  locale: string | null;
  flow: string;
  step: string;
  data: unknown;
  noStorage: boolean;
  updatedAt: Date;
}
