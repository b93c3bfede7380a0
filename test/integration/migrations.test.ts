// The migration runner against the real PostgreSQL: every migration applies on an empty schema,
// exactly once even when two instances start together, and a changed applied file stops it.
// Tests that edit files copy the migrations to a scratch folder (the real one is shared).
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createPrisma, pgConnectionString } from '../../bot/db/client.ts';
import { checksumOf, migrate, pendingMigrations, readLocalMigrations } from '../../bot/db/migrate.ts';
import { createTestSchema, dropSchema, TEST_DATABASE_URL, uniqueSchemaName } from '../support/db.ts';

const REAL_DIR = fileURLToPath(new URL('../../prisma/migrations/', import.meta.url));
const ALL = readLocalMigrations().map((m) => m.name);

const schemas: string[] = [];
const scratchDirs: string[] = [];
afterEach(async () => {
  for (const s of schemas.splice(0)) await dropSchema(s);
  for (const d of scratchDirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function freshUrl(): Promise<string> {
  const { schema, url } = await createTestSchema('mig');
  schemas.push(schema);
  return url;
}

function scratchCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'migrations-'));
  scratchDirs.push(dir);
  cpSync(REAL_DIR, dir, { recursive: true });
  return dir;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: pgConnectionString(url) });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe('migrate()', () => {
  it('finds the migrations folder', () => {
    expect(ALL.length).toBeGreaterThan(0);
    expect(ALL[0]).toMatch(/^\d{14}_init$/);
  });

  it('applies every migration to an empty schema and records it as Prisma does', async () => {
    const url = await freshUrl();
    expect(await pendingMigrations(url)).toEqual(ALL);
    const lines: string[] = [];
    const { applied } = await migrate(url, { log: (l) => lines.push(l) });
    expect(applied).toEqual(ALL);
    expect(lines.some((l) => l.includes(ALL[0]!))).toBe(true);

    const rows = await query<{ migration_name: string; checksum: string; finished: boolean; applied_steps_count: number }>(
      url,
      `SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, applied_steps_count
         FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    const local = readLocalMigrations();
    expect(rows).toEqual(local.map((m) => ({ migration_name: m.name, checksum: checksumOf(m.script), finished: true, applied_steps_count: 1 })));
    expect(await pendingMigrations(url)).toEqual([]);
  });

  it('applies nothing the second time', async () => {
    const url = await freshUrl();
    await migrate(url);
    expect((await migrate(url)).applied).toEqual([]);
    const [row] = await query<{ n: number }>(url, `SELECT count(*)::int AS n FROM "_prisma_migrations"`);
    expect(row!.n).toBe(ALL.length);
  });

  it('applies each migration exactly once when two instances start at the same time', async () => {
    const url = await freshUrl();
    const [a, b] = await Promise.all([migrate(url), migrate(url)]);
    expect([...a.applied, ...b.applied].sort()).toEqual(ALL);
    const rows = await query<{ migration_name: string; n: number }>(
      url,
      `SELECT migration_name, count(*)::int AS n FROM "_prisma_migrations" GROUP BY migration_name ORDER BY migration_name`,
    );
    expect(rows).toEqual(ALL.map((name) => ({ migration_name: name, n: 1 })));
  });

  it('refuses to start when an applied migration was edited, naming it', async () => {
    const url = await freshUrl();
    const dir = scratchCopy();
    await migrate(url, { migrationsDir: dir });
    const first = ALL[0]!;
    writeFileSync(path.join(dir, first, 'migration.sql'), '-- edited after it was applied\n', { flag: 'a' });
    await expect(migrate(url, { migrationsDir: dir })).rejects.toThrow(new RegExp(`migration ${first} was modified after it was applied`));
  });

  it('accepts a file whose line endings git changed (as Prisma does)', async () => {
    const url = await freshUrl();
    const dir = scratchCopy();
    await migrate(url, { migrationsDir: dir });
    const file = path.join(dir, ALL[0]!, 'migration.sql');
    const { script } = readLocalMigrations(dir)[0]!;
    writeFileSync(file, script.replace(/\n/g, '\r\n'));
    expect((await migrate(url, { migrationsDir: dir })).applied).toEqual([]);
  });

  it('applies only what is new, and pendingMigrations lists it', async () => {
    const url = await freshUrl();
    const dir = scratchCopy();
    await migrate(url, { migrationsDir: dir });
    const name = '99991231000000_extra';
    mkdirSync(path.join(dir, name));
    writeFileSync(path.join(dir, name, 'migration.sql'), 'CREATE TABLE "extra" ("id" INTEGER PRIMARY KEY);\n');
    expect(await pendingMigrations(url, { migrationsDir: dir })).toEqual([name]);
    expect((await migrate(url, { migrationsDir: dir })).applied).toEqual([name]);
    expect(await pendingMigrations(url, { migrationsDir: dir })).toEqual([]);
  });

  it('rolls a failing migration back entirely and names it', async () => {
    const url = await freshUrl();
    const dir = scratchCopy();
    await migrate(url, { migrationsDir: dir });
    const name = '99991231000000_broken';
    mkdirSync(path.join(dir, name));
    writeFileSync(path.join(dir, name, 'migration.sql'), 'CREATE TABLE "half" ("id" INTEGER);\nSELECT no_such_function();\n');
    await expect(migrate(url, { migrationsDir: dir })).rejects.toThrow(new RegExp(`migration ${name} failed and was rolled back`));
    const half = await query<{ t: string | null }>(url, `SELECT to_regclass('half')::text AS t`);
    expect(half[0]!.t).toBeNull();
    expect(await pendingMigrations(url, { migrationsDir: dir })).toEqual([name]);
  });

  it('refuses to start after a failed Prisma run (P3009), naming the migration', async () => {
    const url = await freshUrl();
    await migrate(url);
    await query(url, `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs) VALUES ('x', 'y', 'zz_failed', 'boom')`);
    await expect(migrate(url)).rejects.toThrow(/failed migrations in the database: zz_failed .*boom/);
  });
});

describe('schema selection', () => {
  it('puts the tables in the schema the url selects, for both url forms, and Prisma reads them there', async () => {
    const viaOptions = await freshUrl();
    const schema = uniqueSchemaName('mig');
    schemas.push(schema);
    const viaParam = `${TEST_DATABASE_URL}${TEST_DATABASE_URL.includes('?') ? '&' : '?'}schema=${schema}`;

    for (const url of [viaOptions, viaParam]) {
      await migrate(url);
      const prisma = createPrisma(url);
      try {
        await prisma.processedEvent.create({ data: { channel: 'web', externalId: url } });
        const [where] = await prisma.$queryRaw<{ s: string }[]>`SELECT current_schema() AS s`;
        expect(where!.s).not.toBe('public');
      } finally {
        await prisma.$disconnect();
      }
    }
    const counts = await query<{ nspname: string; n: number }>(
      TEST_DATABASE_URL,
      `SELECT n.nspname, count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relname = 'processed_event' AND n.nspname = ANY($1) GROUP BY n.nspname ORDER BY n.nspname`,
      [schemas],
    );
    expect(counts.map((c) => c.nspname).sort()).toEqual([...schemas].sort());
    for (const url of [viaOptions, viaParam]) {
      expect(await query(url, 'SELECT external_id FROM processed_event')).toEqual([{ external_id: url }]);
    }
  });
});

afterAll(async () => {
  for (const s of schemas.splice(0)) await dropSchema(s);
});
