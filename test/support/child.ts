// A Node script in a child process (the app, a reminder dispatcher), for the tests that kill it
// with SIGKILL: run with the repo's strip-types flag, ready once its stdout says so, and kept
// in `children` while it lives so the file's afterAll can kill what is left.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

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
