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

/** A transaction on one node-postgres client whose BEGIN rides on its first statement and whose
 * COMMIT on its last (`rows(…, last = true)`): two round trips fewer, and a turn holds its
 * person's lock for two round trips less. Those two statements go as one simple query each
 * (the extended protocol takes one statement per message), their values inlined as literals
 * with pg's own escaping. `done()` commits if no statement did (a duplicate ends early). */
export function pgTransaction(client: pg.PoolClient): Sql & { done(): Promise<void> } {
  let begun = false;
  let committed = false;
  const prepared = pgSql(client);
  return {
    rows: async <R>(name: string, text: string, values: unknown[], last = false): Promise<R[]> => {
      if (begun && !last) return prepared.rows<R>(name, text, values);
      const opens = !begun;
      begun = true;
      const sent = `${opens ? 'BEGIN; ' : ''}${inlineValues(text, values, name)}${last ? '; COMMIT' : ''}`;
      // Several statements answer with one result each.
      const results = (await client.query(sent)) as unknown as pg.QueryResult[];
      if (last) committed = true;
      return results[opens ? 1 : 0]!.rows as R[];
    },
    done: async () => {
      if (!begun || committed) return;
      committed = true;
      await client.query('COMMIT');
    },
  };
}

/** `$n` → the n-th value as an SQL literal. For statements written with parameters (no `$` in
 * their own text otherwise). With `name` (a statement's text never changes under its name, as
 * for a prepared statement), the text is split at its parameters once. */
export function inlineValues(text: string, values: unknown[], name?: string): string {
  const { parts, refs } = splitAtParameters(text, name);
  let out = parts[0]!;
  for (let i = 0; i < refs.length; i++) out += literal(values[refs[i]!]) + parts[i + 1]!;
  return out;
}

// Keyed by name, checked against the text (comparing two strings costs less than splitting).
const splits = new Map<string, { text: string; parts: string[]; refs: number[] }>();

function splitAtParameters(text: string, name: string | undefined): { parts: string[]; refs: number[] } {
  const known = name === undefined ? undefined : splits.get(name);
  if (known?.text === text) return known;
  const parts: string[] = [];
  const refs: number[] = [];
  let from = 0;
  for (const m of text.matchAll(/\$(\d+)/g)) {
    parts.push(text.slice(from, m.index));
    refs.push(Number(m[1]) - 1);
    from = m.index + m[0].length;
  }
  parts.push(text.slice(from));
  const split = { text, parts, refs };
  if (name !== undefined) splits.set(name, split);
  return split;
}

function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  // Quoted like every other value: an untyped literal takes its type from where it is used,
  // as a parameter does.
  if (typeof v === 'number' || typeof v === 'boolean') return quote(String(v));
  if (v instanceof Date) return quote(v.toISOString());
  if (Array.isArray(v)) {
    // Arrays of strings or numbers only (ids): a null, a date or a nested array would not read
    // back as a bound parameter would.
    if (!v.every((e) => typeof e === 'string' || typeof e === 'number')) throw new TypeError('inlined arrays hold strings or numbers only');
    return quote(`{${v.map((e) => `"${String(e).replace(/["\\]/g, '\\$&')}"`).join(',')}}`);
  }
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'bigint') return quote(v.toString());
  if (Buffer.isBuffer(v) || typeof v !== 'object') throw new TypeError(`a ${typeof v} cannot be inlined`);
  return quote(JSON.stringify(v));
}

/** pg's escapeLiteral, with the string's own replace (pg's loops over every character in
 * JavaScript, which showed in a turn's profile for a large state): quotes doubled; with a
 * backslash, an E'' string with backslashes doubled. */
function quote(s: string): string {
  const quoted = `'${s.replace(/'/g, "''")}'`;
  return s.includes('\\') ? ` E${quoted.replace(/\\/g, '\\\\')}` : quoted;
}
