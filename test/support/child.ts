// A Node script in a child process (the app, a reminder dispatcher), for the tests that kill it
// with SIGKILL: run with the repo's strip-types flag, ready once its stdout says so, and kept
// in `children` while it lives so the file's afterAll can kill what is left.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { type TestDb, testEnv } from './app.ts';
import { testDatabase } from './db.ts';

const MAIN = path.resolve(import.meta.dirname, '../../bot/main.ts');

export function startScript<T>(
  script: string,
  env: NodeJS.ProcessEnv,
  ready: (stdout: string) => T | null | undefined | false,
  children: Set<ChildProcess>,
): Promise<{ child: ChildProcess; ready: T }> {
  const name = path.basename(script);
  const child = spawn(process.execPath, ['--experimental-strip-types', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let err = '';
  child.stderr?.on('data', (b: Buffer) => {
    err += b.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} not ready in 120 s: ${err.slice(-500)}`)), 120_000);
    let out = '';
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      const value = ready(out);
      if (value) {
        clearTimeout(timer);
        resolve({ child, ready: value });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}): ${err.slice(-500)}`));
    });
  });
}

/** For a test file that kills the app: a fake platform and a database of its own, set up before
 * its tests, and everything torn down after them (children still alive killed first). `start`
 * runs bot/main.ts on them with the platform's `env`, resolving once it is up. */
export function withAppChildren<F extends { close(): Promise<void> }>(
  startFake: () => Promise<F>,
  env: (fake: F) => Record<string, string>,
): { fake(): F; db(): TestDb; start(): Promise<{ child: ChildProcess; url: string }> } {
  let fake: F | undefined;
  let db: TestDb | undefined;
  const children = new Set<ChildProcess>();
  beforeAll(async () => {
    fake = await startFake();
    db = await testDatabase();
  });
  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await db?.drop();
    await fake?.close();
  });
  return {
    fake: () => fake!,
    db: () => db!,
    async start() {
      const childEnv = { ...process.env, ...testEnv({ DATABASE_URL: db!.url, ...env(fake!) }), LOG_LEVEL: 'info' };
      const up = (out: string) => /"port":(\d+)[^\n]*"msg":"Đồng Hành is up"/.exec(out)?.[1];
      const { child, ready: port } = await startScript(MAIN, childEnv, up, children);
      return { child, url: `http://127.0.0.1:${port}` };
    },
  };
}
