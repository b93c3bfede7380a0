// The zero-setup database, for real: initdb on first use, data kept across restarts, another
// port when the preferred one is taken. Runs as root here, so it also proves the hand-over to
// the `postgres` system user. Takes a few seconds (initdb).
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../../bot/db/embedded.ts';

const root = mkdtempSync(path.join(tmpdir(), 'embedded-pg-'));
chmodSync(root, 0o755); // mkdtemp makes it 0700: the postgres user could not reach the data.
const dataDir = path.join(root, 'data', 'pg');
const running: EmbeddedPostgres[] = [];

afterAll(async () => {
  for (const db of running) await db.stop();
  rmSync(root, { recursive: true, force: true });
});

async function sql<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

/** Occupies a port the way another program would. */
async function occupy(): Promise<{ port: number; close(): Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('startEmbeddedPostgres', () => {
  it('creates a cluster and a UTF-8 database, and keeps the data across a restart on a free port', async () => {
    const blocker = await occupy();
    try {
      const first = await startEmbeddedPostgres(dataDir, { port: blocker.port });
      running.push(first);
      const firstPort = Number(new URL(first.url).port);
      expect(firstPort).not.toBe(blocker.port);
      expect(new URL(first.url).hostname).toBe('127.0.0.1');
      const [info] = await sql<{ db: string; enc: string; up: string }>(
        first.url,
        `SELECT current_database() AS db, current_setting('server_encoding') AS enc, upper('đồng hành') AS up`,
      );
      expect(info).toEqual({ db: 'dong_hanh', enc: 'UTF8', up: 'ĐỒNG HÀNH' });
      await sql(first.url, `CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')`);
      await first.stop();
      await first.stop(); // idempotent

      const second = await startEmbeddedPostgres(dataDir);
      running.push(second);
      expect(await sql(second.url, 'SELECT v FROM kept')).toEqual([{ v: 'still here' }]);
      await second.stop();
    } finally {
      await blocker.close();
    }
  });

  it('refuses a data directory the postgres user cannot reach, saying why', async () => {
    if (process.getuid?.() !== 0) return; // only root hands the server to another user
    const locked = mkdtempSync(path.join(tmpdir(), 'embedded-pg-locked-'));
    try {
      await expect(startEmbeddedPostgres(path.join(locked, 'pg'))).rejects.toThrow(/cannot reach/);
    } finally {
      rmSync(locked, { recursive: true, force: true });
    }
  });
});
