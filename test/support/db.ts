// One fresh PostgreSQL schema per test file, built by the real migration runner and dropped
// afterwards. The returned url selects the schema for every client (pg, Prisma, pg-boss) through
// `options=-c search_path=…`, which node-postgres sends in its startup packet.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import pg from 'pg';
import { createPrisma } from '../../bot/db/client.ts';
import { processAlive } from '../../bot/db/embedded.ts';
import { migrate } from '../../bot/db/migrate.ts';
import type { PrismaClient } from '../../prisma/generated/client.ts';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  url: string;
  schema: string;
  prisma: PrismaClient;
  drop(): Promise<void>;
}

/** A unique schema name, short enough that derived names (pgboss_<schema>) stay under 63 bytes. */
export function uniqueSchemaName(prefix = 't'): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** The base url with the schema selected through search_path (replacing any schema selection). */
export function urlForSchema(schema: string, base = TEST_DATABASE_URL): string {
  const url = new URL(base);
  url.searchParams.delete('schema');
  const other = (url.searchParams.get('options') ?? '').replace(/(?:-c\s*|--)search_path=\S+/g, '').trim();
  url.searchParams.set('options', [other, `-c search_path=${schema}`].filter(Boolean).join(' '));
  // %20, not URLSearchParams' "+": libpq tools (psql) read "+" literally.
  url.search = url.searchParams.toString().replace(/\+/g, '%20');
  return url.toString();
}

// Marks schemas made here, so ones left by a killed test run (Ctrl-C, timeout) can be swept.
const MARK = 'test schema';

/** Creates an empty, marked schema; the first call in a process also sweeps stale ones. */
export async function createTestSchema(prefix = 't'): Promise<{ schema: string; url: string }> {
  const schema = uniqueSchemaName(prefix);
  await withClient(async (client) => {
    swept ??= sweepStaleSchemas(client);
    await swept;
    await client.query(`CREATE SCHEMA ${client.escapeIdentifier(schema)}`);
    await client.query(`COMMENT ON SCHEMA ${client.escapeIdentifier(schema)} IS '${MARK} host=${hostname()} pid=${process.pid}'`);
  });
  return { schema, url: urlForSchema(schema) };
}

/** Drops the schema and the pg-boss schema the app derives from it (bot/app.ts). */
export async function dropSchema(schema: string): Promise<void> {
  await withClient(async (client) => {
    for (const name of [schema, `pgboss_${schema}`.slice(0, 50)]) {
      await client.query(`DROP SCHEMA IF EXISTS ${client.escapeIdentifier(name)} CASCADE`);
    }
  });
}

/** A migrated, empty schema. Call drop() in afterAll. */
export async function testDatabase(): Promise<TestDatabase> {
  const { schema, url } = await createTestSchema();
  let prisma: PrismaClient;
  try {
    await migrate(url);
    prisma = createPrisma(url);
  } catch (err) {
    await dropSchema(schema).catch(() => {});
    throw err;
  }
  return {
    url,
    schema,
    prisma,
    async drop() {
      await prisma.$disconnect().catch(() => {});
      await dropSchema(schema);
    },
  };
}

let swept: Promise<void> | undefined;

/** Drops marked schemas whose creating process, on this machine, is gone. */
async function sweepStaleSchemas(client: pg.Client): Promise<void> {
  const marked = await client.query<{ name: string; note: string }>(
    `SELECT nspname AS name, obj_description(oid, 'pg_namespace') AS note FROM pg_namespace
      WHERE obj_description(oid, 'pg_namespace') LIKE $1`,
    [`${MARK} %`],
  );
  for (const { name, note } of marked.rows) {
    const m = / host=(\S+) pid=(\d+)$/.exec(note);
    if (!m || m[1] !== hostname() || processAlive(Number(m[2]))) continue;
    for (const n of [name, `pgboss_${name}`.slice(0, 50)]) await client.query(`DROP SCHEMA IF EXISTS ${client.escapeIdentifier(n)} CASCADE`);
  }
}

async function withClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
