// The turn's SQL on real PostgreSQL: a turn's transaction (BEGIN sent with the first
// statement, COMMIT with the last, each pair under one Sync) commits, rolls back and holds the
// person's lock as one sent statement by statement would, and turn_begin dedupes, locks and reads.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgSql, pgTransaction } from '../../bot/db/sql.ts';
import { beginTurn, type Known, knownTurn, type TurnWrites, writeTurn } from '../../bot/db/turn.ts';
import { eventually } from '../support/app.ts';
import { testDatabase } from '../support/db.ts';

let db: Awaited<ReturnType<typeof testDatabase>>;
let pool: pg.Pool;

beforeAll(async () => {
  db = await testDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 4 });
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

/** One client of the pool for `run`, released afterwards. */
async function withClient<T>(run: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await run(client);
  } finally {
    client.release();
  }
}

/** Counts a client's socket writes and the database's answers (one ReadyForQuery per Sync or
 * simple query) until `stop`. */
function traffic(client: pg.PoolClient) {
  const socket = client.connection.stream as unknown as { _write: (...a: unknown[]) => void; _writev: (...a: unknown[]) => void };
  const [write, writev] = [socket._write, socket._writev];
  const seen = { writes: 0, answers: 0 };
  socket._write = function (this: unknown, ...a: unknown[]) {
    seen.writes++;
    return write.apply(this, a);
  };
  socket._writev = function (this: unknown, ...a: unknown[]) {
    seen.writes++;
    return writev.apply(this, a);
  };
  const answered = () => seen.answers++;
  client.connection.on('readyForQuery', answered);
  return {
    counts: () => [seen.writes, seen.answers],
    reset: () => Object.assign(seen, { writes: 0, answers: 0 }),
    stop: () => {
      client.connection.removeListener('readyForQuery', answered);
      socket._write = write;
      socket._writev = writev;
    },
  };
}

describe('a turn transaction', () => {
  it('commits with its last statement, and a duplicate claims nothing', async () => {
    await withClient(async (client) => {
      const tx = pgTransaction(client);
      expect(await beginTurn(tx, 'telegram', 'e-1', 'subject-a')).toEqual({ row: null });
      await tx.rows('w', "INSERT INTO conversation (subject_key, channel, flow, step, updated_at) VALUES ($1, 'telegram', 'menu', 'main', now()) RETURNING 1", ['subject-a'], true);
      await tx.done();
      const again = pgTransaction(client);
      expect(await beginTurn(again, 'telegram', 'e-1', 'subject-a')).toBeNull();
      await again.done();
      const next = pgTransaction(client);
      const begun = await beginTurn(next, 'telegram', 'e-2', 'subject-a');
      expect(begun?.row).toMatchObject({ subjectKey: 'subject-a', flow: 'menu', step: 'main' });
      await next.done();
    });
  });

  it("holds the person's lock until it ends, and the next turn reads what it wrote", async () => {
    const [a, b] = [await pool.connect(), await pool.connect()];
    try {
      const pidB = (await b.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      const first = pgTransaction(a);
      await beginTurn(first, 'telegram', 'l-1', 'subject-b');
      // The second turn of the same person waits for the first one's COMMIT.
      const second = pgTransaction(b);
      const waiting = beginTurn(second, 'telegram', 'l-2', 'subject-b');
      // It waits on the advisory lock (seen by the database), not on anything else.
      await eventually(async () => {
        const r = await pgSql(pool).rows<{ n: number }>('waiting', "SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1 AND wait_event = 'advisory'", [pidB]);
        return (r[0]?.n ?? 0) > 0;
      });
      await first.rows('w2', "INSERT INTO conversation (subject_key, channel, flow, step, updated_at) VALUES ($1, 'telegram', 'screen', 'q1', now()) RETURNING 1", ['subject-b'], true);
      expect((await waiting)?.row).toMatchObject({ flow: 'screen', step: 'q1' });
      await second.done();
    } finally {
      a.release();
      b.release();
    }
  });

  it('a failed last statement commits nothing: the COMMIT behind it is skipped, the caller rolls back', async () => {
    await withClient(async (client) => {
      const tx = pgTransaction(client);
      await beginTurn(tx, 'telegram', 'f-1', 'subject-c');
      await expect(tx.rows('bad', 'SELECT 1/0 AS x', [], true)).rejects.toThrow(/division by zero/);
      await expect(client.query('SELECT 1 AS one')).rejects.toThrow(/aborted/);
      await client.query('ROLLBACK');
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      const left = await pool.query("SELECT count(*)::int AS n FROM processed_event WHERE external_id = 'f-1'");
      expect(left.rows[0].n).toBe(0);
    });
  });

  it('a failed first statement leaves the client in the aborted transaction, for the caller to roll back', async () => {
    await withClient(async (client) => {
      const tx = pgTransaction(client);
      await expect(tx.rows('bad-first', 'SELECT 1/0 AS x', [])).rejects.toThrow(/division by zero/);
      await expect(client.query('SELECT 1 AS one')).rejects.toThrow(/aborted/);
      await client.query('ROLLBACK');
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    });
  });

  it('sends BEGIN with the first statement and COMMIT with the last: one write and one answer each', async () => {
    const client = await pool.connect();
    // The database flushes its answer at each ReadyForQuery: one per Sync (or simple query).
    const seen = traffic(client);
    try {
      const tx = pgTransaction(client);
      // Twice: the first parses the statement on this connection, the second does not.
      for (const [ext, subject] of [
        ['one-write', 'subject-d'],
        ['one-write-2', 'subject-d2'],
      ] as const) {
        seen.reset();
        const t = ext === 'one-write' ? tx : pgTransaction(client);
        expect(await beginTurn(t, 'telegram', ext, subject)).toEqual({ row: null });
        expect(seen.counts()).toEqual([1, 1]);
        expect(await t.rows('w3', "INSERT INTO conversation (subject_key, channel, flow, step, updated_at) VALUES ($1, 'telegram', 'menu', 'main', now()) RETURNING 1 AS one", [subject], true)).toEqual([{ one: 1 }]);
        expect(seen.counts()).toEqual([2, 2]);
        // Committed: another connection sees it, and this one is out of the transaction.
        const saved = await pool.query('SELECT count(*)::int AS n FROM conversation WHERE subject_key = $1', [subject]);
        expect(saved.rows[0].n).toBe(1);
        expect((await client.query('SELECT now() = statement_timestamp() AS fresh')).rows[0].fresh).toBe(true);
      }
    } finally {
      seen.stop();
      client.release();
    }
  });

  it('a statement whose text the database refuses fails alone, and the connection parses it again next time', async () => {
    await withClient(async (client) => {
      const tx = pgTransaction(client);
      await expect(tx.rows('broken', 'SELECT no_such_column FROM conversation', [])).rejects.toThrow(/no_such_column/);
      await client.query('ROLLBACK');
      // Not taken for parsed: a later statement of that name is parsed anew (and fails the same way, not as a missing statement).
      const again = pgTransaction(client);
      await expect(again.rows('broken', 'SELECT no_such_column FROM conversation', [])).rejects.toThrow(/no_such_column/);
      await client.query('ROLLBACK');
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    });
  });

  it('refuses a value it could not send before writing anything, so no COMMIT goes out behind it', async () => {
    await withClient(async (client) => {
      const tx = pgTransaction(client);
      await beginTurn(tx, 'telegram', 'v-1', 'subject-e');
      for (const bad of [12n, { a: 1 }, [new Date()], Symbol('s')]) {
        await expect(tx.rows('bad-value', 'SELECT $1::text AS x', [bad], true)).rejects.toThrow(TypeError);
      }
      // Still inside the turn's transaction (now() is its start, not this statement's): nothing committed it.
      expect((await client.query('SELECT now() = statement_timestamp() AS fresh')).rows[0].fresh).toBe(false);
      await client.query('ROLLBACK');
      const left = await pool.query("SELECT count(*)::int AS n FROM processed_event WHERE external_id = 'v-1'");
      expect(left.rows[0].n).toBe(0);
    });
  });
});

describe('turn_write', () => {
  const record = { contactStatus: 'active' as const, day: '2026-11-30', dayKey: 'k', flow: 'menu', step: 'main', eventKind: 'text', choiceId: null, latencyMs: 1, outcome: 'ok' };
  async function write(subject: string, now: Date, contactStatus: 'active' | 'unfollowed' = 'active') {
    return withClient(async (client) => {
      const tx = pgTransaction(client);
      await beginTurn(tx, 'telegram', `w-${subject}-${now.getTime()}-${contactStatus}`, subject);
      const state = { locale: 'vi', flow: 'menu', step: 'main', data: { n: now.getTime() }, noStorage: false };
      return writeTurn(tx, { subject, channel: 'telegram', now, state, record: { ...record, contactStatus } });
    });
  }
  const contact = async (subject: string) =>
    (await pool.query('SELECT status, last_inbound_at AS at, xmin::text FROM contact WHERE subject_key = $1', [subject])).rows[0] as { status: string; at: Date; xmin: string };

  it('keeps last_inbound_at to the minute: the row is left alone within it, moved after it or on a new status', async () => {
    const t0 = new Date('2026-11-30T10:00:00.000Z');
    await write('contact-a', t0);
    const first = await contact('contact-a');
    expect(first.at).toEqual(t0);
    // Within the minute: not even a new row version (the same xmin).
    await write('contact-a', new Date(t0.getTime() + 59_000));
    expect(await contact('contact-a')).toEqual(first);
    // A new status is written at once.
    await write('contact-a', new Date(t0.getTime() + 59_500), 'unfollowed');
    expect(await contact('contact-a')).toMatchObject({ status: 'unfollowed', at: new Date(t0.getTime() + 59_500) });
    // Past the minute, the time moves.
    await write('contact-a', new Date(t0.getTime() + 59_500), 'active');
    await write('contact-a', new Date(t0.getTime() + 121_000));
    expect(await contact('contact-a')).toMatchObject({ status: 'active', at: new Date(t0.getTime() + 121_000) });
    // Each write logged its turn and kept its state.
    const logs = await pool.query("SELECT count(*)::int AS n FROM interaction_log WHERE day_key = 'k'");
    expect(logs.rows[0].n).toBe(5);
    const conv = await pool.query("SELECT data FROM conversation WHERE subject_key = 'contact-a'");
    expect(conv.rows[0].data).toEqual({ n: t0.getTime() + 121_000 });
  });
});

describe('the turn functions', () => {
  it('plan by key and once per connection (a later CREATE OR REPLACE without these settings would drop them)', async () => {
    const r = await pool.query<{ proname: string; proconfig: string[] }>(
      "SELECT proname, proconfig FROM pg_proc WHERE pronamespace = current_schema()::regnamespace AND proname IN ('turn_begin', 'turn_write', 'turn_known', 'outbox_sent') ORDER BY proname",
    );
    expect(r.rows.map((p) => p.proname)).toEqual(['outbox_sent', 'turn_begin', 'turn_known', 'turn_write']);
    for (const p of r.rows) expect(p.proconfig).toEqual(expect.arrayContaining(['enable_seqscan=off', 'plan_cache_mode=force_generic_plan']));
  });
});

describe('turn_known', () => {
  const writes = (subject: string, step: string, now: Date): TurnWrites => ({
    subject,
    channel: 'telegram',
    now,
    state: { locale: 'vi', flow: 'menu', step, data: { b: 1, a: [step] }, noStorage: false },
    record: { contactStatus: 'active', day: '2026-12-01', dayKey: 'kk', flow: 'menu', step, eventKind: 'choice', choiceId: null, latencyMs: 1, outcome: 'ok' },
    outbox: { payloadEnc: 'sealed', leaseSeconds: 10, settled: [] },
  });
  /** A turn the usual way (begin, then write): what hands the engine its first known row. */
  const usualTurn = (ext: string, subject: string, t0: Date) =>
    withClient(async (client) => {
      const tx = pgTransaction(client);
      await beginTurn(tx, 'telegram', ext, subject);
      return writeTurn(tx, writes(subject, 'one', t0));
    });
  const events = async (ext: string) => (await pool.query('SELECT count(*)::int AS n FROM processed_event WHERE external_id = $1', [ext])).rows[0].n as number;

  it('writes as turn_write does when the row is the one known, in one write and one answer, and hands back the row as a read gives it', async () => {
    const t0 = new Date('2026-12-01T01:00:00.000Z');
    // The usual turn first: its write hands back the row and its version.
    const first = await usualTurn('kn-1', 'known-a', t0);
    expect(first.known.version).toMatch(/^\d+$/);
    const read = await withClient(async (client) => {
      const tx = pgTransaction(client);
      const begun = await beginTurn(tx, 'telegram', 'kn-read', 'known-a');
      await tx.done();
      return begun?.row;
    });
    // jsonb's key order, as the next read gives it.
    expect(first.known.row).toEqual(read);
    expect(Object.keys(first.known.row?.data as object)).toEqual(Object.keys(read?.data as object));
    await withClient(async (client) => {
      const seen = traffic(client);
      try {
        const second = await knownTurn(pgSql(client), 'kn-2', first.known, writes('known-a', 'two', new Date(t0.getTime() + 1000)));
        expect(seen.counts()).toEqual([1, 1]);
        if (typeof second === 'string') throw new Error(second);
        expect(second.known.row).toMatchObject({ step: 'two', updatedAt: new Date(t0.getTime() + 1000) });
        expect(second.known.version).not.toBe(first.known.version);
        expect(second.outboxId).toMatch(/^\d+$/);
        // Committed: nothing left open on this connection.
        expect(client.getTransactionStatus()).toBe('I');
      } finally {
        seen.stop();
      }
    });
    const conv = await pool.query("SELECT step FROM conversation WHERE subject_key = 'known-a'");
    expect(conv.rows[0].step).toBe('two');
    const logs = await pool.query("SELECT count(*)::int AS n FROM interaction_log WHERE day_key = 'kk'");
    expect(logs.rows[0].n).toBe(2);
  });

  it("checks the row as the turn holding the person's lock left it: a write committed while it waited makes it stale", async () => {
    const t0 = new Date('2026-12-01T03:00:00.000Z');
    const first = await usualTurn('kl-1', 'known-d', t0);
    const [a, b] = [await pool.connect(), await pool.connect()];
    try {
      const pidB = (await b.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      const holder = pgTransaction(a);
      await beginTurn(holder, 'telegram', 'kl-2', 'known-d');
      const waiting = knownTurn(pgSql(b), 'kl-3', first.known, writes('known-d', 'three', new Date(t0.getTime() + 2000)));
      await eventually(async () => {
        const r = await pool.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1 AND wait_event = 'advisory'", [pidB]);
        return r.rows[0].n > 0;
      });
      await writeTurn(holder, writes('known-d', 'two', new Date(t0.getTime() + 1000)));
      expect(await waiting).toBe('stale');
    } finally {
      a.release();
      b.release();
    }
    expect((await pool.query("SELECT step FROM conversation WHERE subject_key = 'known-d'")).rows[0].step).toBe('two');
    expect(await events('kl-3')).toBe(0);
  });

  it('writes nothing and leaves the event unrecorded when the row changed, or appeared, meanwhile; a taken event is a duplicate', async () => {
    const t0 = new Date('2026-12-01T02:00:00.000Z');
    const first = await usualTurn('ks-1', 'known-b', t0);
    // Someone else changes the row (the same values: only its version tells).
    await pool.query("UPDATE conversation SET step = step WHERE subject_key = 'known-b'");
    const outboxBefore = (await pool.query('SELECT count(*)::int AS n FROM outbox')).rows[0].n;
    expect(await knownTurn(pgSql(pool), 'ks-2', first.known, writes('known-b', 'two', new Date(t0.getTime() + 1000)))).toBe('stale');
    // The same version with another time is another row too.
    const shifted: Known = { row: first.known.row && { ...first.known.row, updatedAt: new Date(t0.getTime() + 1) }, version: first.known.version };
    expect(await knownTurn(pgSql(pool), 'ks-3', shifted, writes('known-b', 'two', new Date(t0.getTime() + 1000)))).toBe('stale');
    // Known to have no row, but there is one.
    expect(await knownTurn(pgSql(pool), 'ks-4', { row: null, version: null }, writes('known-b', 'two', new Date(t0.getTime() + 1000)))).toBe('stale');
    expect([await events('ks-2'), await events('ks-3'), await events('ks-4')]).toEqual([0, 0, 0]);
    expect((await pool.query("SELECT step FROM conversation WHERE subject_key = 'known-b'")).rows[0].step).toBe('one');
    expect((await pool.query('SELECT count(*)::int AS n FROM outbox')).rows[0].n).toBe(outboxBefore);
    // Known to have no row, and there is none: written.
    const fresh = await knownTurn(pgSql(pool), 'ks-5', { row: null, version: null }, writes('known-c', 'one', t0));
    expect(typeof fresh === 'string' ? fresh : fresh.known.row?.step).toBe('one');
    // An event already taken: a duplicate, whatever the row.
    expect(await knownTurn(pgSql(pool), 'ks-1', first.known, writes('known-b', 'two', t0))).toBe('duplicate');
    expect(await knownTurn(pgSql(pool), 'ks-5', { row: null, version: null }, writes('known-c', 'two', t0))).toBe('duplicate');
  });
});
