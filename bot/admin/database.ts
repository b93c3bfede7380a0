// The database the admin tool works on: DATABASE_URL when set; otherwise the bot's embedded
// PostgreSQL under DATA_DIR. If the bot is running, its server is used (found through
// postmaster.pid and the password file next to the data); if not, the tool starts the embedded
// server itself, applies migrations, and stops it when done.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { processAlive, startEmbeddedPostgres } from '../db/embedded.ts';
import { migrate } from '../db/migrate.ts';

export interface AdminDatabase {
  url: string;
  stop(): Promise<void>;
}

/** The running embedded server's url, or null when none runs on this data directory. */
export function runningEmbedded(dataDir: string, database = 'dong_hanh'): string | null {
  const dir = path.resolve(dataDir);
  const pidFile = path.join(dir, 'postmaster.pid');
  const passwordFile = `${dir}.password`;
  if (!existsSync(pidFile) || !existsSync(passwordFile)) return null;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || port <= 0 || !processAlive(pid)) return null;
  const password = readFileSync(passwordFile, 'utf8').trim();
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

export async function adminDatabase(config: { DATABASE_URL?: string | undefined; DATA_DIR: string }): Promise<AdminDatabase> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, stop: async () => {} };
  const dir = path.join(config.DATA_DIR, 'pg');
  const running = runningEmbedded(dir);
  if (running) return { url: running, stop: async () => {} };
  const pg = await startEmbeddedPostgres(dir);
  try {
    await migrate(pg.url);
  } catch (err) {
    await pg.stop();
    throw err;
  }
  return pg;
}
