// Idle memory of the bot as `npm start` runs it (the start script's node flags, or FLAGS="…"):
// its RSS 2 s after start-up, as `npm run bench` measures it; WATCH=seconds follows it on,
// SNAP=dir also writes a heap snapshot there. `node --experimental-strip-types test/bench/mem-probe.ts`
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadSamplesIfEmpty } from '../../bot/clubs/samples.ts';
import { loadServiceSamplesIfEmpty } from '../../bot/services/directory.ts';
import { loadContent } from '../../content/load.ts';
import { testDatabase } from '../support/db.ts';
import { poolOf } from '../../bot/db/client.ts';

const db = await testDatabase();
// As the bench finds it: the samples in place (a first start would load them through Prisma).
const content = loadContent();
await loadSamplesIfEmpty(poolOf(db.prisma), content.clubSamples, new Date());
await loadServiceSamplesIfEmpty(poolOf(db.prisma), content);

const start = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts['start']!.split(/\s+/);
const flags = process.env.FLAGS !== undefined ? process.env.FLAGS.split(' ').filter(Boolean) : start.filter((w) => w.startsWith('--') && w !== '--experimental-strip-types');
const snap = process.env.SNAP;
const env = {
  ...process.env,
  DATABASE_URL: db.url,
  PORT: '0',
  HOST: '127.0.0.1',
  TELEGRAM_BOT_TOKEN: '123456:probe',
  TELEGRAM_WEBHOOK_SECRET: 'probe_1',
  TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
  PUBLIC_URL: 'http://127.0.0.1:1',
  PSEUDONYM_SECRET: 'b'.repeat(64),
  ADDRESS_KEY: 'c'.repeat(64),
  LOG_LEVEL: 'info',
  NODE_ENV: 'production',
};
const args = [...flags, ...(snap ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${snap}`] : []), '--experimental-strip-types', 'bot/main.ts'];
const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise<void>((resolve) => child.stdout!.on('data', (b: Buffer) => b.toString().includes('is up') && resolve()));
await new Promise((r) => setTimeout(r, 2000));
const rssMb = () => Number(readFileSync(`/proc/${child.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024;
process.stdout.write(`idle RSS ${rssMb().toFixed(1)} MB (flags: ${flags.join(' ')})\n`);
// WATCH=seconds: idle RSS every 5 s for that long (the reminder planner runs every minute).
const watch = Number(process.env.WATCH ?? 0);
for (let t = 5; t <= watch; t += 5) {
  await new Promise((r) => setTimeout(r, 5000));
  process.stdout.write(`  +${t + 2} s: ${rssMb().toFixed(1)} MB\n`);
}
if (snap) {
  child.kill('SIGUSR2');
  await new Promise((r) => setTimeout(r, 4000));
}
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
await db.drop();
process.exit(0);
