// conversation: one row per person, the flow state between turns.
import type { Sql } from './sql.ts';

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

export async function readConversation(sql: Sql, subject: string): Promise<ConversationRow | null> {
  const rows = await sql.rows<ConversationRow>(
    'read_conversation',
    `SELECT subject_key AS "subjectKey", channel, locale, flow, step, data, no_storage AS "noStorage", updated_at AS "updatedAt"
     FROM conversation WHERE subject_key = $1`,
    [subject],
  );
  return rows[0] ?? null;
}
