// processed_event: the dedupe key of every event a turn has taken.
import type { Sql } from './sql.ts';

/** Record the event as taken and, only if it is new, take the person's lock (until the
 * transaction ends). false = a duplicate. The lock must be a statement of its own before the
 * state is read: a statement's snapshot is taken when it starts, so a read in the same
 * statement could miss the previous turn. */
export async function claimEvent(sql: Sql, channel: string, externalId: string, subject: string): Promise<boolean> {
  const rows = await sql.rows(
    'claim_event',
    `WITH ins AS (
       INSERT INTO processed_event (channel, external_id) VALUES ($1, $2)
       ON CONFLICT DO NOTHING RETURNING 1)
     SELECT pg_advisory_xact_lock(hashtextextended($3, 7))::text AS locked FROM ins`,
    [channel, externalId, subject],
  );
  return rows.length > 0;
}
