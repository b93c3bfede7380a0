// Named locks across instances: a transaction-scoped PostgreSQL advisory lock, so that of several
// instances starting at once one does a one-time job (loading the sample clubs or services)
// while the others wait, then find it done.
import type { Sql } from './sql.ts';

/** Held until the transaction `sql` runs in ends; `name` is namespaced so no other
 * application's lock can collide. */
export async function lockForTransaction(sql: Sql, name: string): Promise<void> {
  await sql.rows('advisory_xact_lock', 'SELECT pg_advisory_xact_lock(hashtext($1))::text', [`dong-hanh:${name}`]);
}
