// interaction_log: the pseudonymous record of every turn (written by turn_write, bot/db/turn.ts),
// kept for the retention period only.
import type { Sql } from './sql.ts';

export async function purgeLogs(sql: Sql, before: Date): Promise<number> {
  const rows = await sql.rows<{ n: number }>(
    'interaction_log_purge',
    'WITH gone AS (DELETE FROM interaction_log WHERE created_at < $1 RETURNING 1) SELECT count(*)::int AS n FROM gone',
    [before],
  );
  return rows[0]?.n ?? 0;
}
