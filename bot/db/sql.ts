// The one interface every named SQL function in bot/db/ takes: a query with positional
// parameters that returns rows. node-postgres (a pool or a client inside a transaction) runs
// every turn and job; a Prisma transaction client fits the same shape for the console and the
// admin tool where they share a statement with the bot, so each statement is written once.
import pg from 'pg';
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

/** The same statements through Prisma: a transaction client, or the client itself (each
 * statement then on its own). */
export function prismaSql(tx: Pick<Prisma.TransactionClient, '$queryRawUnsafe'>): Sql {
  return {
    rows: <R>(_name: string, text: string, values: unknown[]) => tx.$queryRawUnsafe<R[]>(text, ...values),
  };
}

/** A transaction on one node-postgres client whose BEGIN goes out with its first statement
 * and whose COMMIT with its last (`rows(…, last = true)`), in the same message batch and under
 * the same Sync: a turn is two round trips, each one write to the socket and one answer from the
 * database (every write is a system call and a wake-up of the process at the other end: on a
 * VM, the largest single cost of a turn). Every statement is a prepared one (parsed and planned
 * once per connection). A failed statement makes the database skip what follows it up to the
 * Sync, so no COMMIT runs behind it: the caller rolls back (the transaction is aborted, or, if
 * the first statement's Parse failed, never began). `done()` commits if no statement did (a
 * duplicate ends early). */
export function pgTransaction(client: pg.PoolClient): Sql & { done(): Promise<void> } {
  let begun = false;
  let committed = false;
  return {
    rows: <R>(name: string, text: string, values: unknown[], last = false): Promise<R[]> => {
      // Checked before anything is written: a value pg cannot bind would fail in the middle of
      // the batch, after BEGIN was written.
      for (const v of values) if (!sendable(v)) return Promise.reject(new TypeError(`${name}: a value of type ${typeof v} is not sent in a turn`));
      const begin = !begun;
      begun = true;
      if (last) committed = true;
      return new Promise<R[]>((resolve, reject) => {
        client.query(new TxStatement({ name, text, values }, begin, last, (err, rows) => (err ? reject(err) : resolve(rows as R[]))) as unknown as pg.Submittable);
      });
    },
    done: async () => {
      if (!begun || committed) return;
      committed = true;
      await client.query('COMMIT');
    },
  };
}

/** The parts of node-postgres' connection a statement writes with (pg/lib/connection.js). */
interface Wire {
  parse(m: { text: string; name?: string; types?: unknown[] }): void;
  bind(m: { portal?: string; statement?: string; values?: unknown[] }): void;
  execute(m: { portal?: string; rows?: number }): void;
  sync(): void;
  submittedNamedStatements: Record<string, string>;
}

/** What pg.Query does and this statement changes (pg/lib/query.js; package.json pins pg's
 * version, and the check below refuses to start on a pg without these parts). */
interface QueryInternals {
  name: string;
  text: string;
  types: unknown[];
  hasBeenParsed(con: Wire): boolean;
  prepare(con: Wire): void;
  handleCommandComplete(msg: { text: string }, con: Wire): void;
}

for (const part of ['prepare', '_getRows', 'hasBeenParsed', 'handleCommandComplete']) {
  if (typeof (pg.Query.prototype as unknown as Record<string, unknown>)[part] !== 'function') throw new Error(`pg.Query has no ${part}: bot/db/sql.ts needs the pg version package.json names`);
}

/** A prepared statement with BEGIN before it and/or COMMIT after it, all before one Sync. pg's
 * Query does the rest: it corks the socket around `prepare` (one write), binds the values, and
 * answers once the batch's ReadyForQuery arrives. */
class TxStatement extends (pg.Query as unknown as new (config: pg.QueryConfig, callback: (err: Error | undefined, res: pg.QueryResult) => void) => QueryInternals) {
  private readonly begin: boolean;
  private readonly commit: boolean;

  constructor(config: pg.QueryConfig, begin: boolean, commit: boolean, done: (err: Error | undefined, rows?: unknown[]) => void) {
    super(config, (err, res) => done(err, res?.rows));
    this.begin = begin;
    this.commit = commit;
  }

  override prepare(con: Wire): void {
    if (this.begin) {
      // The statement's own Parse first: node-postgres takes every ParseComplete of the batch for
      // this statement's, so none may come before it. If its Parse fails, the database skips the
      // rest (BEGIN's Parse too) and the statement is not taken for parsed.
      if (!this.hasBeenParsed(con)) {
        con.parse({ text: this.text, name: this.name, types: this.types });
        con.submittedNamedStatements[this.name] = this.text;
      }
      unnamed(con, 'BEGIN');
    }
    super.prepare(con);
  }

  /** pg's Query ends its batch here (execute, then Sync): COMMIT goes in between. */
  _getRows(con: Wire): void {
    con.execute({ portal: '', rows: 0 });
    if (this.commit) unnamed(con, 'COMMIT');
    con.sync();
  }

  override handleCommandComplete(msg: { text: string }, con: Wire): void {
    // BEGIN's and COMMIT's completions are not results of the statement.
    if (msg.text === 'BEGIN' || msg.text === 'COMMIT') return;
    super.handleCommandComplete(msg, con);
  }
}

/** A statement without parameters or rows, through the unnamed statement and portal. */
function unnamed(con: Wire, text: string): void {
  con.parse({ text, name: '', types: [] });
  con.bind({ portal: '', statement: '', values: [] });
  con.execute({ portal: '', rows: 0 });
}

/** What a turn's statements take: plain values, dates, arrays of strings or numbers (ids); JSON
 * goes as a string already made. */
function sendable(v: unknown): boolean {
  if (v === null || v === undefined || v instanceof Date) return true;
  const t = typeof v;
  if (t === 'string' || t === 'number' || t === 'boolean') return true;
  return Array.isArray(v) && v.every((e) => typeof e === 'string' || typeof e === 'number');
}

/** `body` on one pooled client. A checked-out client has no 'error' listener of the pool's: a
 * connection lost meanwhile (the database restarting, or ending the session) would be an
 * unhandled 'error' event and end the process; here it fails `body`'s queries instead. On a
 * throw the transaction, if any, is rolled back; a client lost or unable to roll back is
 * closed, not pooled. */
export async function onClient<T>(pool: pg.Pool, body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const lost = (e: Error) => {
    broken = e;
  };
  client.on('error', lost);
  try {
    return await body(client);
  } catch (err) {
    await client.query('ROLLBACK').catch((e: Error) => {
      broken = e;
    });
    throw err;
  } finally {
    client.removeListener('error', lost);
    client.release(broken);
  }
}

/** `body` in a transaction on one pooled client: committed if it returns, rolled back if it
 * throws. `idleLimitMs` bounds how long the transaction may wait on something else (an HTTP
 * call while it holds a lock): past it the database ends the session and the work is undone. */
export async function inTransaction<T>(pool: pg.Pool, idleLimitMs: number, body: (sql: Sql) => Promise<T>): Promise<T> {
  return onClient(pool, async (client) => {
    await client.query('BEGIN');
    await client.query(`SET LOCAL idle_in_transaction_session_timeout = ${Math.max(1, Math.floor(idleLimitMs))}`);
    const result = await body(pgSql(client));
    // An aborted transaction answers COMMIT with ROLLBACK, not an error.
    if ((await client.query('COMMIT')).command !== 'COMMIT') throw new Error('the transaction was rolled back');
    return result;
  });
}
