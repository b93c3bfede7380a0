// A fresh migrated schema for the clubs tests. Uses the shared test/support/db.ts when it
// exists; until then a minimal local equivalent (same contract: url selects the schema).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../../prisma/generated/client.ts';

export interface TestDb {
  url: string;
  schema: string;
  prisma: PrismaClient;
  drop(): Promise<void>;
}

const BASE = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

export async function clubDb(): Promise<TestDb> {
  const shared = path.resolve(import.meta.dirname, '../support/db.ts');
  if (existsSync(shared) && !process.env.CLUBS_LOCAL_DB) {
    const mod = (await import(shared)) as { testDatabase: () => Promise<TestDb> };
    return mod.testDatabase();
  }
  const schema = `clubs_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: BASE });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  await admin.query(`SET search_path TO "${schema}"`);
  const dir = path.resolve(import.meta.dirname, '../../prisma/migrations');
  for (const m of readdirSync(dir).filter((d) => /^\d/.test(d)).sort()) {
    await admin.query(readFileSync(path.join(dir, m, 'migration.sql'), 'utf8'));
  }
  await admin.end();
  const url = `${BASE}?schema=${schema}`;
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: BASE, options: `-c search_path=${schema}` }, { schema }) });
  return {
    url,
    schema,
    prisma,
    async drop() {
      await prisma.$disconnect();
      const c = new pg.Client({ connectionString: BASE });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.query(`DROP SCHEMA IF EXISTS "pgboss_${schema}" CASCADE`).catch(() => undefined);
      await c.end();
    },
  };
}
