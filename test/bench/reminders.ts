// Reminders bench: 10,000 due reminders through the real delivery path (pg-boss planning tick,
// the hand-over into the outbox, the outbox sender with its shared rate limiter, the Telegram
// channel over HTTP) to a fake Bot API that answers 429 above 30 messages/s. Reports delivered, duplicates, seconds, rate/s, rate as a fraction of the
// limit, 429s and peak RSS. `npm run bench` runs it; so does `node --experimental-strip-types test/bench/reminders.ts`.
import { pathToFileURL } from 'node:url';
import { Api } from 'grammy';
import { PgBoss } from 'pg-boss';
import { TelegramChannel } from '../../bot/channels/telegram/send.ts';
import { poolOf, schemaOf } from '../../bot/db/client.ts';
import { Outbox } from '../../bot/engine/outbox.ts';
import { startReminders } from '../../bot/jobs/reminders/dispatch.ts';
import { createLogger } from '../../bot/logger.ts';
import { createMetrics } from '../../bot/metrics.ts';
import { encrypt } from '../../bot/privacy/crypto.ts';
import { loadContent } from '../../content/load.ts';
import type { PrismaClient } from '../../prisma/generated/client.ts';
import { testDatabase } from '../support/db.ts';
import { startWindowedTelegram } from './telegram-window.ts';

const COUNT = Number(process.env.BENCH_REMINDERS ?? 10_000);
const LIMIT = 30;
const MAX_SECONDS = Number(process.env.BENCH_REMINDERS_MAX_SECONDS ?? 450);
/** The fake Bot API's answer delay: 0 measures the bot alone, ~150 a real round trip. */
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 0);

async function seed(prisma: PrismaClient, key: Buffer, count: number): Promise<void> {
  const now = new Date();
  const start = new Date(now.getTime() + 3 * 86_400_000);
  await prisma.club.create({ data: { id: 'bench', name: 'CLB Bench', province: 'P', commune: 'C', venue: 'Nhà văn hóa', requiresInvite: false } });
  const s = await prisma.meetingSeries.create({
    data: { clubId: 'bench', rrule: 'FREQ=MONTHLY;BYDAY=2SA', dtstart: '2026-01-10T08:00', timeZone: 'Asia/Ho_Chi_Minh', durationMin: 120, topic: 'Sinh hoạt', endedAt: now },
  });
  const occ = await prisma.meetingOccurrence.create({
    data: { seriesId: s.id, clubId: 'bench', originalStart: start, startsAt: start, endsAt: new Date(start.getTime() + 7_200_000), topic: 'Sinh hoạt', venue: 'Nhà văn hóa' },
  });
  for (let from = 0; from < count; from += 1000) {
    const ids = Array.from({ length: Math.min(1000, count - from) }, (_, i) => from + i);
    await prisma.contact.createMany({ data: ids.map((i) => ({ subjectKey: `bench-${i}`, channel: 'telegram', addressEnc: encrypt(key, String(600_000_000 + i)), lastInboundAt: now })) });
    await prisma.membership.createMany({ data: ids.map((i) => ({ clubId: 'bench', subjectKey: `bench-${i}`, role: 'member', consentAt: now })) });
  }
  const members = await prisma.membership.findMany({ where: { clubId: 'bench' }, select: { id: true }, orderBy: { id: 'asc' } });
  for (let from = 0; from < members.length; from += 1000) {
    await prisma.reminderDelivery.createMany({
      data: members.slice(from, from + 1000).map((m) => ({ dedupeKey: `bench:${m.id}`, clubId: 'bench', membershipId: m.id, occurrenceId: occ.id, kind: 'reminder', channel: 'telegram', dueAt: now, sendAt: now })),
    });
  }
}

export async function benchReminders(): Promise<Record<string, number>> {
  const db = await testDatabase();
  const fake = await startWindowedTelegram(LIMIT, undefined, LATENCY_MS);
  const key = Buffer.alloc(32, 7);
  const boss = new PgBoss({ connectionString: db.url, schema: `pgboss_${schemaOf(db.url)}`.slice(0, 50), max: 4 });
  let outbox: Outbox | null = null;
  let stopReminders = () => {};
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 200);
  try {
    await seed(db.prisma, key, COUNT);
    await boss.start();
    const api = new Api(fake.token, { apiRoot: fake.url, timeoutSeconds: 10 });
    // 429s go back to the sender, whose pause is shared by every instance.
    const log = createLogger('warn');
    const telegram = new TelegramChannel({ api, log, maxRateLimitWaitMs: 0 });
    outbox = new Outbox({ pool: poolOf(db.prisma), key, log, metrics: createMetrics(), ratePerSecond: () => LIMIT });
    outbox.use(telegram);
    const reminders = await startReminders(boss, { prisma: db.prisma, content: loadContent(), channels: ['telegram'], addressKey: key, outbox, timeZone: 'Asia/Ho_Chi_Minh', schedule: false });
    stopReminders = reminders.stop;
    const started = performance.now();
    await reminders.tick();
    const deadline = started + MAX_SECONDS * 1000;
    let left = COUNT;
    while (left > 0 && performance.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      left = await db.prisma.reminderDelivery.count({ where: { status: { not: 'sent' } } });
    }
    const seconds = (performance.now() - started) / 1000;
    const delivered = fake.perChat.size;
    const rate = fake.accepted() / seconds;
    return {
      reminders: COUNT,
      latencyMs: LATENCY_MS,
      delivered,
      notDelivered: COUNT - delivered,
      duplicates: fake.accepted() - delivered,
      ledgerNotSent: left,
      seconds,
      ratePerSecond: rate,
      fractionOfLimit: rate / LIMIT,
      http429: fake.rejected(),
      peakRssMb: peakRss / 1024 / 1024,
    };
  } finally {
    clearInterval(sampler);
    stopReminders();
    await outbox?.stop();
    await boss.stop({ graceful: false, timeout: 2000 }).catch(() => undefined);
    await fake.close();
    await db.drop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchReminders().then(
    (r) => {
      const round = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v.toFixed(2))]));
      process.stdout.write(`${JSON.stringify({ reminders: round }, null, 2)}\n`);
      process.exit(0);
    },
    (err: Error) => {
      process.stderr.write(`bench failed: ${err.stack}\n`);
      process.exit(1);
    },
  );
}
