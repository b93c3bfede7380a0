// Reminder delivery alone in its own process, for the crash tests: real pg-boss planning ticks,
// the real hand-over into the outbox and the real outbox sender, the Telegram channel over HTTP
// to a fake Bot API, the shared rate limit. It prints READY once working, then plans and hands
// over every second until killed (SIGKILL is the point).
// Env: DATABASE_URL, TELEGRAM_API_ROOT, TELEGRAM_BOT_TOKEN, ADDRESS_KEY (hex),
// REMINDER_RATE_TELEGRAM, LEASE_SECONDS, CONCURRENCY.
import { Api } from 'grammy';
import { PgBoss } from 'pg-boss';
import { TelegramChannel } from '../../bot/channels/telegram/send.ts';
import { createPrisma, poolOf, schemaOf } from '../../bot/db/client.ts';
import { Outbox } from '../../bot/engine/outbox.ts';
import { startReminders } from '../../bot/jobs/reminders/dispatch.ts';
import { createLogger } from '../../bot/logger.ts';
import { createMetrics } from '../../bot/metrics.ts';
import { loadContent } from '../../content/load.ts';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`dispatcher-child: ${name} is not set`);
  return v;
};

const url = env('DATABASE_URL');
const prisma = createPrisma(url);
const log = createLogger('warn');
const key = Buffer.from(env('ADDRESS_KEY'), 'hex');
const api = new Api(env('TELEGRAM_BOT_TOKEN'), { apiRoot: env('TELEGRAM_API_ROOT'), timeoutSeconds: 10 });
// 429s go back to the sender (maxRateLimitWaitMs 0) so the pause is shared by every process.
const telegram = new TelegramChannel({ api, log, maxRateLimitWaitMs: 0 });
const outbox = new Outbox({
  pool: poolOf(prisma),
  key,
  log,
  metrics: createMetrics(),
  leaseSeconds: Number(process.env.LEASE_SECONDS ?? 10),
  sweepEveryMs: 200,
  ...(process.env.CONCURRENCY ? { concurrency: Number(process.env.CONCURRENCY) } : {}),
  ratePerSecond: () => Number(process.env.REMINDER_RATE_TELEGRAM ?? 25),
});
outbox.use(telegram);
const boss = new PgBoss({ connectionString: url, schema: `pgboss_${schemaOf(url)}`.slice(0, 50), max: 4 });
boss.on('error', (err: Error) => process.stderr.write(`pg-boss: ${err.name}: ${err.message}\n`));
await boss.start();
const handle = await startReminders(boss, {
  prisma,
  content: loadContent(),
  channels: ['telegram'],
  addressKey: key,
  outbox,
  timeZone: 'Asia/Ho_Chi_Minh',
  handOverEveryMs: 1000,
  schedule: false,
});
await handle.tick();
process.stdout.write('READY\n');
const timer = setInterval(() => {
  handle.tick().catch((err: Error) => process.stderr.write(`tick: ${err.name}: ${err.message}\n`));
}, 1000);
process.on('SIGTERM', () => {
  clearInterval(timer);
  handle.stop();
  void outbox
    .stop()
    .then(() => boss.stop({ graceful: false, timeout: 1000 }))
    .finally(() => prisma.$disconnect().finally(() => process.exit(0)));
});
