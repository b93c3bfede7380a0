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

/** Unfinished screening answers older than `before` are dropped, paused or abandoned; the
 * number of conversations changed. Two statements: one row may be both, and a statement
 * changes a row once. */
export async function purgeUnfinished(sql: Sql, before: Date): Promise<number> {
  const paused = await sql.rows<{ n: number }>(
    'conversation_purge_paused',
    `WITH x AS (UPDATE conversation SET data = data - 'paused'
       WHERE data ? 'paused' AND (data->'paused'->>'at')::timestamptz < $1 RETURNING 1)
     SELECT count(*)::int AS n FROM x`,
    [before],
  );
  const abandoned = await sql.rows<{ n: number }>(
    'conversation_purge_abandoned',
    `WITH x AS (UPDATE conversation SET flow = 'menu', step = 'main', data = jsonb_set(data, '{data}', '{}'::jsonb)
       WHERE flow = 'screening' AND updated_at < $1 RETURNING 1)
     SELECT count(*)::int AS n FROM x`,
    [before],
  );
  return (paused[0]?.n ?? 0) + (abandoned[0]?.n ?? 0);
}

/** Under-16 conversations untouched since `before` are deleted. */
export async function purgeNoStorage(sql: Sql, before: Date): Promise<number> {
  const rows = await sql.rows<{ n: number }>(
    'conversation_purge_no_storage',
    'WITH gone AS (DELETE FROM conversation WHERE no_storage AND updated_at < $1 RETURNING 1) SELECT count(*)::int AS n FROM gone',
    [before],
  );
  return rows[0]?.n ?? 0;
}

/** A person's language and under-16 mode, or null when no conversation is kept. */
export async function conversationFlags(sql: Sql, subject: string): Promise<{ locale: string | null; noStorage: boolean } | null> {
  const rows = await sql.rows<{ locale: string | null; noStorage: boolean }>(
    'conversation_flags',
    'SELECT locale, no_storage AS "noStorage" FROM conversation WHERE subject_key = $1',
    [subject],
  );
  return rows[0] ?? null;
}
