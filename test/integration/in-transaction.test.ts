// inTransaction (bot/db/sql.ts), the transaction of the Zalo OA token refresh and the first
// start's sample load, on real PostgreSQL: it commits, rolls back on a throw, refuses to report a
// transaction the database rolled back as committed, and survives its connection being ended
// under it (a database restart, or the idle limit during an HTTP call): the call fails, the
// process does not, and the pool goes on with a fresh connection.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../bot/db/sql.ts';
import { eventually } from '../support/app.ts';
import { testDatabase } from '../support/db.ts';

let db: Awaited<ReturnType<typeof testDatabase>>;
let pool: pg.Pool;
let other: pg.Pool;

beforeAll(async () => {
  db = await testDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  pool.on('error', () => undefined);
  other = new pg.Pool({ connectionString: db.url, max: 1 });
  await other.query('CREATE TABLE tx_probe (n int)');
});
afterAll(async () => {
  await pool.end();
  await other.end();
  await db.drop();
});

const count = async () => Number((await other.query('SELECT count(*) AS n FROM tx_probe')).rows[0].n);

describe('inTransaction', () => {
  it('commits what its body wrote, and rolls it all back when the body throws', async () => {
    await inTransaction(pool, 5000, (sql) => sql.rows('probe_insert', 'INSERT INTO tx_probe VALUES (1) RETURNING n', []));
    expect(await count()).toBe(1);
    await expect(
      inTransaction(pool, 5000, async (sql) => {
        await sql.rows('probe_insert', 'INSERT INTO tx_probe VALUES (1) RETURNING n', []);
        throw new Error('body failed');
      }),
    ).rejects.toThrow('body failed');
    expect(await count()).toBe(1);
  });

  it('a body that swallows a failed statement does not pass for committed', async () => {
    await expect(
      inTransaction(pool, 5000, async (sql) => {
        await sql.rows('probe_insert', 'INSERT INTO tx_probe VALUES (1) RETURNING n', []);
        await sql.rows('probe_bad', 'SELECT 1 / 0', []).catch(() => null);
      }),
    ).rejects.toThrow('rolled back');
    expect(await count()).toBe(1);
  });

  it('its connection ended under it: the call fails, the process and the pool go on', async () => {
    await expect(
      inTransaction(pool, 5000, async (sql) => {
        const [me] = await sql.rows<{ pid: number }>('probe_pid', 'SELECT pg_backend_pid() AS pid', []);
        await other.query('SELECT pg_terminate_backend($1)', [me!.pid]);
        await eventually(async () => (await other.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [me!.pid])).rowCount === 0);
        await sql.rows('probe_insert', 'INSERT INTO tx_probe VALUES (2) RETURNING n', []);
      }),
    ).rejects.toThrow();
    expect(await count()).toBe(1);
    expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });
});
