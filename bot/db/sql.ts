// The one interface every named SQL function in bot/db/ takes: a query with positional
// parameters that returns rows. node-postgres (a pool or a client inside a transaction) is the
// hot path; a Prisma transaction client fits the same shape for the few turns that also need
// Prisma (clubs, erasure), so each statement is written once.
import type pg from 'pg';
import type { Prisma } from '../../prisma/generated/client.ts';

export interface Sql {
  /** `name` makes a prepared statement on node-postgres (parsed once per connection).
   * `last`: the transaction's last statement; a `pgTransaction` commits with it. */
  rows<R>(name: string, text: string, values: unknown[], last?: boolean): Promise<R[]>;
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

/** A transaction on one node-postgres client whose BEGIN goes out with its first statement
 * and whose COMMIT with its last (`rows(…, last = true)`), without waiting for either: the
 * pool's clients pipeline (bot/db/client.ts), so a turn is two round trips and holds its
 * person's lock two round trips less. Every statement is a prepared one (parsed and planned once
 * per connection). `done()` commits if no statement did (a duplicate ends early). */
export function pgTransaction(client: pg.PoolClient): Sql & { done(): Promise<void> } {
  if (!client.pipeline) throw new Error('pgTransaction needs a pipelining client (bot/db/client.ts)');
  let begun = false;
  let committed = false;
  return {
    rows: async <R>(name: string, text: string, values: unknown[], last = false): Promise<R[]> => {
      // Checked before anything is written: pg turns a value it cannot send into an error of
      // that query alone, and the COMMIT written behind it would then commit the turn without it.
      for (const v of values) if (!sendable(v)) throw new TypeError(`${name}: a value of type ${typeof v} is not sent in a turn`);
      const sent: Promise<unknown>[] = [];
      // One write to the socket for all of them (each write is a system call and a wake-up of
      // the database's process: in a turn's profile, the largest single cost).
      const stream = client.connection.stream;
      stream.cork();
      let result: Promise<pg.QueryResult>;
      try {
        if (!begun) sent.push(client.query('BEGIN'));
        begun = true;
        result = client.query({ name, text, values });
        sent.push(result);
        // A statement that failed leaves the transaction aborted: this COMMIT then ends it as a
        // rollback (no error of its own), and the statement's error is the one thrown.
        if (last) {
          sent.push(client.query('COMMIT'));
          committed = true;
        }
      } finally {
        stream.uncork();
      }
      await Promise.all(sent);
      return (await result).rows as R[];
    },
    done: async () => {
      if (!begun || committed) return;
      committed = true;
      await client.query('COMMIT');
    },
  };
}

/** What a turn's statements take: plain values, dates, arrays of strings or numbers (ids); JSON
 * goes as a string already made. */
function sendable(v: unknown): boolean {
  if (v === null || v === undefined || v instanceof Date) return true;
  const t = typeof v;
  if (t === 'string' || t === 'number' || t === 'boolean') return true;
  return Array.isArray(v) && v.every((e) => typeof e === 'string' || typeof e === 'number');
}
