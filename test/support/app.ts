// Start the real app (bot/app.ts) for an end-to-end test: a fresh database schema unless one is
// given, port 0, no job queue, and every log line captured in memory (for privacy assertions).
// Channel tests pass their own env (tokens, fake API roots); several apps may share a database.
import { afterAll, beforeAll } from 'vitest';
import type { AppOptions, RunningApp } from '../../bot/app.ts';
import { startApp } from '../../bot/app.ts';
import { loadConfig } from '../../bot/config.ts';
import { testDatabase } from './db.ts';

export type TestDb = Awaited<ReturnType<typeof testDatabase>>;

/** Fixed keys so that apps sharing a database agree on pseudonyms. Test-only values. */
export const TEST_PSEUDONYM_SECRET = '0f'.repeat(32);
export const TEST_ADDRESS_KEY = 'a5'.repeat(32);

export interface TestAppOptions {
  /** Extra or overriding environment variables. */
  env?: Record<string, string>;
  /** Share an existing database (e.g. a second instance); otherwise a fresh schema is made and dropped. */
  databaseUrl?: string;
  jobs?: boolean;
  now?: () => Date;
  telegram?: AppOptions['telegram'];
}

export interface TestApp {
  running: RunningApp;
  url: string;
  databaseUrl: string;
  /** Every log line the app wrote, raw JSON. */
  logs: string[];
  stop(): Promise<void>;
}

export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    PSEUDONYM_SECRET: TEST_PSEUDONYM_SECRET,
    ADDRESS_KEY: TEST_ADDRESS_KEY,
    LOG_LEVEL: 'info',
    ...overrides,
  };
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const owned = options.databaseUrl ? null : await testDatabase();
  const databaseUrl = options.databaseUrl ?? owned!.url;
  const logs: string[] = [];
  try {
    const config = loadConfig(testEnv({ DATABASE_URL: databaseUrl, ...options.env }));
    const running = await startApp({
      config,
      jobs: options.jobs ?? false,
      logDestination: { write: (line: string) => void logs.push(line) },
      ...(options.now ? { now: options.now } : {}),
      ...(options.telegram ? { telegram: options.telegram } : {}),
    });
    settling.set(running.url, () => running.engine.idle());
    return {
      running,
      url: running.url,
      databaseUrl,
      logs,
      async stop() {
        settling.delete(running.url);
        await running.stop();
        await owned?.drop();
      },
    };
  } catch (err) {
    await owned?.drop();
    throw err;
  }
}

/** Each running test app's wait for its turns' deliveries, by its URL: a platform's request is
 * answered at the commit (engine.handle's `atCommit`), so a test that reads what the person
 * received waits for the sends too. */
const settling = new Map<string, () => Promise<void>>();

/** Once the app at `url` has sent (or left to its outbox) every reply of its turns so far. */
export async function deliveriesDone(url: string): Promise<void> {
  await settling.get(url)?.();
}

/** For a whole test file: a fake platform server and the app wired to it, started before the
 * file's tests (`ready` gets both, and may set up more) and stopped after them. */
export function withFakeAndApp<F extends { close(): Promise<void> }>(
  startFake: () => Promise<F>,
  options: (fake: F) => TestAppOptions,
  ready: (fake: F, app: TestApp) => void | Promise<void>,
): void {
  let fake: F | undefined;
  let app: TestApp | undefined;
  beforeAll(async () => {
    fake = await startFake();
    app = await startTestApp(options(fake));
    await ready(fake, app);
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });
}

/** The same with the app on a database the file reads too (`db.prisma`), and `instances` apps
 * sharing it (several instances of one deployment). */
export function withFakeAndApps<F extends { close(): Promise<void> }>(
  startFake: () => Promise<F>,
  env: (fake: F) => Record<string, string>,
  instances: number,
  ready: (fake: F, apps: TestApp[], db: TestDb) => void,
): void {
  let fake: F | undefined;
  let db: TestDb | undefined;
  const apps: TestApp[] = [];
  beforeAll(async () => {
    fake = await startFake();
    db = await testDatabase();
    for (let i = 0; i < instances; i++) apps.push(await startTestApp({ env: env(fake), databaseUrl: db.url }));
    ready(fake, apps, db);
  });
  afterAll(async () => {
    for (const app of apps) await app.stop();
    await db?.drop();
    await fake?.close();
  });
}

/** Poll an async condition until it returns a truthy value. */
export async function eventually<T>(fn: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
