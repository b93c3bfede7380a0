// One fresh PostgreSQL schema per test file, built by the real migration runner and dropped
// afterwards. The returned url selects the schema for every client (pg, Prisma, pg-boss) through
// `options=-c search_path=…`, which node-postgres sends in its startup packet.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPrisma } from '../../bot/db/client.ts';
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
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.toString();
}

/** Drops the schema and the pg-boss schema the app derives from it (bot/app.ts). */
export async function dropSchema(schema: string, base = TEST_DATABASE_URL): Promise<void> {
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    for (const name of [schema, `pgboss_${schema}`.slice(0, 50)]) {
      await client.query(`DROP SCHEMA IF EXISTS ${client.escapeIdentifier(name)} CASCADE`);
    }
  } finally {
    await client.end();
  }
}

/** A migrated, empty schema. Call drop() in afterAll. */
export async function testDatabase(): Promise<TestDatabase> {
  const schema = uniqueSchemaName();
  const url = urlForSchema(schema);
  let prisma: PrismaClient | undefined;
  try {
    await migrate(url);
    prisma = createPrisma(url);
  } catch (err) {
    await dropSchema(schema).catch(() => {});
    throw err;
  }
  const client = prisma;
  return {
    url,
    schema,
    prisma: client,
    async drop() {
      await client.$disconnect().catch(() => {});
      await dropSchema(schema);
    },
  };
}
