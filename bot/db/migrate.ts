// The migration runner: applies prisma/migrations/<name>/migration.sql in name order and keeps
// Prisma's own bookkeeping table, so this and `prisma migrate deploy` are interchangeable (the
// Prisma CLI cannot run here: it downloads its engine first). Differences from Prisma, on purpose:
// each migration and its bookkeeping row commit together (a failure leaves no trace, so a fixed
// file can simply be retried), and an applied migration whose file changed stops the start.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { pgConnectionString, schemaOf } from './client.ts';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations/', import.meta.url));

// Prisma Migrate's own advisory lock id: the runner and `prisma migrate deploy` exclude each other.
const LOCK_ID = 72707369;
const LOCK_WAIT = '120s';

export interface MigrateOptions {
  log?: (line: string) => void;
  /** Defaults to prisma/migrations; tests point it at a scratch folder. */
  migrationsDir?: string;
}

export interface LocalMigration {
  name: string;
  script: string;
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  started_at: Date;
  logs: string | null;
}

export async function migrate(connectionString: string, opts: MigrateOptions = {}): Promise<{ applied: string[] }> {
  const log = opts.log ?? (() => {});
  const local = readLocalMigrations(opts.migrationsDir);
  const client = await connect(connectionString);
  try {
    await lock(client, log);
    await ensureSchema(client, schemaOf(connectionString));
    await client.query(CREATE_TABLE);
    const rows = await appliedRows(client);
    refuseFailed(rows);
    const done = appliedByName(rows);
    refuseChanged(local, done);
    for (const name of done.keys()) {
      if (!local.some((m) => m.name === name)) log(`migration ${name} is applied in the database but has no file here (newer code ran?)`);
    }
    const applied: string[] = [];
    for (const m of local.filter((m) => !done.has(m.name))) {
      const started = Date.now();
      log(`applying migration ${m.name}`);
      await applyOne(client, m);
      log(`applied migration ${m.name} in ${Date.now() - started} ms`);
      applied.push(m.name);
    }
    return { applied };
  } finally {
    // Ending the session releases the advisory lock even if the unlock below never ran.
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_ID]).catch(() => {});
    await client.end().catch(() => {});
  }
}

/** Names of local migrations not (successfully) applied yet. Takes no lock: for health checks. */
export async function pendingMigrations(connectionString: string, opts: Pick<MigrateOptions, 'migrationsDir'> = {}): Promise<string[]> {
  const local = readLocalMigrations(opts.migrationsDir);
  const client = await connect(connectionString);
  try {
    const exists = await client.query<{ t: string | null }>(`SELECT to_regclass('"_prisma_migrations"')::text AS t`);
    const done = exists.rows[0]?.t ? appliedByName(await appliedRows(client)) : new Map<string, AppliedRow>();
    return local.filter((m) => !done.has(m.name)).map((m) => m.name);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Prisma's checksum: SHA-256 of the script, lower-case hex. */
export function checksumOf(script: string): string {
  return createHash('sha256').update(script, 'utf8').digest('hex');
}

// Prisma's definition (schema-engine, PostgreSQL connector), so the Prisma CLI accepts the table.
const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"            VARCHAR(64) NOT NULL,
    "finished_at"         TIMESTAMPTZ,
    "migration_name"      VARCHAR(255) NOT NULL,
    "logs"                TEXT,
    "rolled_back_at"      TIMESTAMPTZ,
    "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/** Folders holding a migration.sql, in name order (Prisma's order: the timestamp prefix). */
export function readLocalMigrations(dir = MIGRATIONS_DIR): LocalMigration[] {
  if (!existsSync(dir)) throw new Error(`migrations folder not found: ${dir}`);
  const file = (name: string) => path.join(dir, name, 'migration.sql');
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(file(d.name)))
    .map((d) => d.name)
    .sort()
    .map((name) => ({ name, script: readFileSync(file(name), 'utf8') }));
}

async function connect(connectionString: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: pgConnectionString(connectionString) });
  // A dropped connection also fails the pending query; unhandled, the event would crash the process.
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** Like Prisma, create the selected schema if it is missing (only then: CREATE needs a privilege). */
async function ensureSchema(client: pg.Client, schema: string): Promise<void> {
  const found = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  if (found.rowCount === 0) await client.query(`CREATE SCHEMA IF NOT EXISTS ${client.escapeIdentifier(schema)}`);
  const current = await client.query<{ s: string | null }>('SELECT current_schema() AS s');
  if (current.rows[0]?.s !== schema) {
    throw new Error(`the connection selects schema "${schema}" but PostgreSQL's current schema is "${current.rows[0]?.s}": check search_path`);
  }
}

async function lock(client: pg.Client, log: (line: string) => void): Promise<void> {
  const got = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [LOCK_ID]);
  if (got.rows[0]?.ok) return;
  log('waiting for another process to finish migrating');
  await client.query(`SET lock_timeout = '${LOCK_WAIT}'`);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_ID]);
  } catch (err) {
    throw new Error(`could not take the migration lock within ${LOCK_WAIT}: ${(err as Error).message}`);
  } finally {
    await client.query('RESET lock_timeout');
  }
}

async function appliedRows(client: pg.Client): Promise<AppliedRow[]> {
  const res = await client.query<AppliedRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at, started_at, logs
       FROM "_prisma_migrations" ORDER BY started_at`,
  );
  return res.rows;
}

/** Successfully applied, not rolled back: what Prisma counts as applied. */
function appliedByName(rows: AppliedRow[]): Map<string, AppliedRow> {
  const done = new Map<string, AppliedRow>();
  for (const r of rows) if (r.finished_at && !r.rolled_back_at) done.set(r.migration_name, r);
  return done;
}

/** A failed Prisma run (started, neither finished nor rolled back) needs a human, as Prisma says (P3009). */
function refuseFailed(rows: AppliedRow[]): void {
  const failed = rows.filter((r) => !r.finished_at && !r.rolled_back_at);
  if (failed.length === 0) return;
  const names = failed.map((r) => `${r.migration_name} (started ${r.started_at.toISOString()}${r.logs ? `: ${r.logs.trim()}` : ''})`);
  throw new Error(
    `failed migrations in the database: ${names.join('; ')}. Fix the database by hand, then mark them rolled back (rolled_back_at) or delete their rows.`,
  );
}

function refuseChanged(local: LocalMigration[], done: Map<string, AppliedRow>): void {
  for (const m of local) {
    const row = done.get(m.name);
    if (row && !matchesChecksum(m.script, row.checksum)) {
      throw new Error(
        `migration ${m.name} was modified after it was applied (checksum ${row.checksum} in the database, ${checksumOf(m.script)} on disk). ` +
          'Restore the file and put the change in a new migration.',
      );
    }
  }
}

/** Prisma's comparison: tolerant of CRLF/LF conversions by git, and of its old unpadded hex. */
function matchesChecksum(script: string, checksum: string): boolean {
  const variants = [script, script.replace(/\r\n/g, '\n'), script.replace(/\n/g, '\r\n')];
  return variants.some((s) => {
    const digest = createHash('sha256').update(s, 'utf8').digest();
    const hex = checksum.length === 64 ? digest.toString('hex') : [...digest].map((b) => b.toString(16)).join('');
    return hex === checksum;
  });
}

async function applyOne(client: pg.Client, m: LocalMigration): Promise<void> {
  await client.query('BEGIN');
  try {
    const id = randomUUID();
    await client.query(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name) VALUES ($1, $2, $3)`, [id, checksumOf(m.script), m.name]);
    // No parameters: the simple query protocol runs a multi-statement script.
    await client.query(m.script);
    await client.query(`UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`, [id]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    const e = err as Error & { position?: string };
    throw new Error(`migration ${m.name} failed and was rolled back: ${e.message}${e.position ? ` (at character ${e.position})` : ''}`, { cause: err });
  }
}
