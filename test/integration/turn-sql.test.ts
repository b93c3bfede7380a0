// The turn's SQL on real PostgreSQL: values inlined into the statements that carry BEGIN and
// COMMIT read back exactly as bound parameters would, and turn_begin dedupes, locks and reads.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inlineValues, pgSql, pgTransaction } from '../../bot/db/sql.ts';
import { beginTurn, writeTurn } from '../../bot/db/turn.ts';
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

describe('inlined values', () => {
  const awkward = [
    "it's",
    'a \\ backslash and \\\\ two',
    "\\' both",
    'Tiếng Việt có dấu: Đồng Hành 😊',
    '$1 $2 not parameters',
    JSON.stringify({ text: "O'Neil \\n \"quoted\"", n: [1, 2] }),
    '',
  ];
  it('read back exactly as bound parameters', async () => {
    for (const s of awkward) {
      const text = 'SELECT $1::text AS s, $2::int AS n, $3::boolean AS b, $4::timestamptz AS t, $5::text[] AS a, $6::text AS z';
      const values = [s, 42, true, new Date('2026-11-30T10:00:00.123Z'), ['1', s, 'x"y'], null];
      const inlined = (await pool.query(inlineValues(text, values))).rows[0];
      const bound = (await pool.query(text, values)).rows[0];
      expect(inlined).toEqual(bound);
      expect(inlined.s).toBe(s);
    }
  });
  it('follow the text given, even under a name used before for another', async () => {
    expect((await pool.query(inlineValues('SELECT $1::text AS a', ["x'"], 'same'))).rows).toEqual([{ a: "x'" }]);
    expect((await pool.query(inlineValues('SELECT $2::int AS c, $1::text AS b', ['y', 2], 'same'))).rows).toEqual([{ c: 2, b: 'y' }]);
    expect((await pool.query(inlineValues('SELECT $1::text AS a', ['z'], 'same'))).rows).toEqual([{ a: 'z' }]);
  });
  it('refuse what would not read back as a bound parameter would', () => {
    for (const v of [[null], [new Date(0)], [['a']], Buffer.from('x'), Symbol('s'), () => 1]) {
      expect(() => inlineValues('SELECT $1 AS a', [v])).toThrow(TypeError);
    }
    expect(inlineValues('SELECT $1::bigint AS a', [12n])).toBe("SELECT '12'::bigint AS a");
  });
});

describe('a turn transaction', () => {
  it('commits with its last statement, and a duplicate claims nothing', async () => {
    const client = await pool.connect();
    try {
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
    } finally {
      client.release();
    }
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

  it('a failed statement leaves nothing behind once rolled back', async () => {
    const client = await pool.connect();
    try {
      const tx = pgTransaction(client);
      await beginTurn(tx, 'telegram', 'f-1', 'subject-c');
      await expect(tx.rows('bad', 'SELECT 1/0 AS x', [], true)).rejects.toThrow();
      await client.query('ROLLBACK');
      const left = await pool.query("SELECT count(*)::int AS n FROM processed_event WHERE external_id = 'f-1'");
      expect(left.rows[0].n).toBe(0);
    } finally {
      client.release();
    }
  });
});

describe('turn_write', () => {
  const record = { contactStatus: 'active' as const, day: '2026-11-30', dayKey: 'k', flow: 'menu', step: 'main', eventKind: 'text', choiceId: null, latencyMs: 1, outcome: 'ok' };
  async function write(subject: string, now: Date, contactStatus: 'active' | 'unfollowed' = 'active') {
    const client = await pool.connect();
    try {
      const tx = pgTransaction(client);
      await beginTurn(tx, 'telegram', `w-${subject}-${now.getTime()}-${contactStatus}`, subject);
      const state = { locale: 'vi', flow: 'menu', step: 'main', data: { n: now.getTime() }, noStorage: false };
      return await writeTurn(tx, { subject, channel: 'telegram', now, state, record: { ...record, contactStatus } });
    } finally {
      client.release();
    }
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
