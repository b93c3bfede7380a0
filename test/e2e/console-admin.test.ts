// `npm run admin` on the embedded default (no DATABASE_URL): it starts the embedded database
// itself when the bot is not running, reuses the bot's server when it is, and gives an officer a
// one-time console link. `--help` exits 0. Runs the real CLI as a child process.
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createPrisma } from '../../bot/db/client.ts';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../../bot/db/embedded.ts';
import { hashToken } from '../../bot/privacy/token.ts';
import { TEST_ADDRESS_KEY, TEST_PSEUDONYM_SECRET } from '../support/app.ts';

const run = promisify(execFile);
const root = mkdtempSync(path.join(tmpdir(), 'console-admin-'));
chmodSync(root, 0o755); // the postgres user must reach the data directory
const dataDir = path.join(root, 'data');
let embedded: EmbeddedPostgres | undefined;

afterAll(async () => {
  await embedded?.stop();
  rmSync(root, { recursive: true, force: true });
});

async function admin(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, PSEUDONYM_SECRET: TEST_PSEUDONYM_SECRET, ADDRESS_KEY: TEST_ADDRESS_KEY, PUBLIC_URL: 'https://donghanh.example.org' };
  try {
    const r = await run(process.execPath, ['--experimental-strip-types', '--no-warnings', 'bot/admin/cli.ts', ...args], { env, timeout: 120_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run admin', () => {
  it('--help and help print the commands and exit 0', { timeout: 60_000 }, async () => {
    for (const a of [['--help'], ['help'], ['-h']]) {
      const r = await admin(a);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('console link --officer <alias>');
    }
  });

  it('works on the embedded default, starting the database itself, and gives an officer a link', { timeout: 180_000 }, async () => {
    const r = await admin(['console', 'link', '--officer', 'Cán bộ tỉnh', '--province', 'Đồng Nai']);
    expect(r.stderr).not.toContain('DATABASE_URL');
    expect(r.code).toBe(0);
    const link = r.stdout.trim().split('\n').at(-1)!;
    expect(link).toMatch(/^https:\/\/donghanh\.example\.org\/console\/in\/[A-Za-z0-9_-]{32}$/);
    expect((await admin(['club', 'list'])).code).toBe(0);

    // With the bot's server running on that data directory, the tool uses it.
    embedded = await startEmbeddedPostgres(path.join(dataDir, 'pg'));
    const again = await admin(['console', 'link', '--officer', 'Cán bộ huyện']);
    expect(again.code).toBe(0);
    const token = again.stdout.trim().split('/').at(-1)!;
    const prisma = createPrisma(embedded.url);
    try {
      const rows = await prisma.consoleLink.findMany({ orderBy: { createdAt: 'asc' } });
      expect(rows.map((x) => [x.kind, x.alias, x.province])).toEqual([
        ['officer', 'Cán bộ tỉnh', 'Tỉnh Đồng Nai'],
        ['officer', 'Cán bộ huyện', null],
      ]);
      expect(rows[1]!.tokenHash).toBe(hashToken(token));
    } finally {
      await prisma.$disconnect();
    }
  });

  it('a bad option is one clear line and exit 1', async () => {
    const r = await admin(['console', 'link']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--officer is required/);
  });
});
