// The one interface every named SQL function in bot/db/ takes: a query with positional
// parameters that returns rows. node-postgres (a pool or a client inside a transaction) is the
// hot path; a Prisma transaction client fits the same shape for the few turns that also need
// Prisma (clubs, erasure), so each statement is written once.
import type pg from 'pg';
import type { Prisma } from '../../prisma/generated/client.ts';

export interface Sql {
  /** `name` makes a prepared statement on node-postgres (parsed once per connection). */
  rows<R>(name: string, text: string, values: unknown[]): Promise<R[]>;
}

export function pgSql(client: pg.Pool | pg.PoolClient): Sql {
  return {
    rows: async <R>(name: string, text: string, values: unknown[]) => (await client.query({ name, text, values })).rows as R[],
  };
}

export function prismaSql(tx: Prisma.TransactionClient): Sql {
  return {
    rows: <R>(_name: string, text: string, values: unknown[]) => tx.$queryRawUnsafe<R[]>(text, ...values),
  };
}
