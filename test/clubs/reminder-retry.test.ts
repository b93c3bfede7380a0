// A reminder whose send keeps failing (the Bot API answering 500, then hanging past our
// timeout) stays in the outbox and is tried again with growing back-off until Telegram takes
// it: never dropped after a fixed number of tries, never sent twice. It is given up only once
// it cannot help any more (the meeting has begun), and that is reported on its plan row. Real
// PostgreSQL, the real hand-over and outbox sender, the real Telegram channel over HTTP to the
// fake Bot API; the test makes a waiting row due at once instead of sleeping through back-off.
import { Api } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramChannel } from '../../bot/channels/telegram/send.ts';
import { backoffMs } from '../../bot/engine/outbox.ts';
import { createLogger } from '../../bot/logger.ts';
import { encrypt } from '../../bot/privacy/crypto.ts';
import { loadContent } from '../../content/load.ts';
import { type FakeTelegram, startFakeTelegram } from '../fakes/telegram-server.ts';
import { clubDb, type TestDb } from './db.ts';
import { type Sender, sender } from './sender.ts';

const key = Buffer.alloc(32, 7);
let db: TestDb;
let fake: FakeTelegram;
let clock = new Date('2026-03-12T03:00:00Z');
let s: Sender;
let occurrenceId: number;
let n = 0;

beforeAll(async () => {
  db = await clubDb();
  fake = await startFakeTelegram();
  // A 1 s timeout, so that a hang is a timeout (transient) and not a slow success.
  const api = new Api(fake.token, { apiRoot: fake.url, timeoutSeconds: 1 });
  const telegram = new TelegramChannel({ api, log: createLogger('silent'), transientRetryDelayMs: 10 });
  s = sender(db.prisma, loadContent(), [telegram], key, () => clock);
  await db.prisma.club.create({ data: { id: 'r1', name: 'CLB Thử', province: 'P', commune: 'C', venue: 'Nhà văn hóa', requiresInvite: false } });
  const series = await db.prisma.meetingSeries.create({
    data: { clubId: 'r1', rrule: 'FREQ=MONTHLY;BYDAY=2SA', dtstart: '2026-01-10T08:00', timeZone: 'Asia/Ho_Chi_Minh', durationMin: 120, topic: 'Chia sẻ', endedAt: clock },
  });
  const startsAt = new Date('2026-03-14T01:00:00Z');
  const occ = await db.prisma.meetingOccurrence.create({
    data: { seriesId: series.id, clubId: 'r1', originalStart: startsAt, startsAt, endsAt: new Date(startsAt.getTime() + 7_200_000), topic: 'Chia sẻ', venue: 'Nhà văn hóa' },
  });
  occurrenceId = occ.id;
});
afterAll(async () => {
  await s?.stop();
  await fake?.close();
  await db?.drop();
});

/** One member on Telegram and one reminder due now; its chat id. */
async function dueReminder(): Promise<{ id: bigint; chat: string }> {
  n += 1;
  const chat = String(700_000_000 + n);
  const subjectKey = `retry-${n}`;
  await db.prisma.contact.create({ data: { subjectKey, channel: 'telegram', addressEnc: encrypt(key, chat), lastInboundAt: clock } });
  const m = await db.prisma.membership.create({ data: { clubId: 'r1', subjectKey, role: 'member', consentAt: clock } });
  const row = await db.prisma.reminderDelivery.create({
    data: { dedupeKey: `retry:${n}`, clubId: 'r1', membershipId: m.id, occurrenceId, kind: 'reminder', channel: 'telegram', dueAt: clock, sendAt: clock },
  });
  return { id: row.id, chat };
}

const accepted = (chat: string) => fake.calls('sendMessage').filter((c) => c.status === 200 && String(c.params['chat_id']) === chat);
const ledger = (id: bigint) => db.prisma.reminderDelivery.findUniqueOrThrow({ where: { id } });
/** Milliseconds until the waiting outbox row is due, as the database sees it. */
async function waitOf(): Promise<number | null> {
  const rows = await db.prisma.$queryRaw<{ ms: number }[]>`SELECT (EXTRACT(EPOCH FROM (next_attempt_at - clock_timestamp())) * 1000)::float8 AS ms FROM outbox`;
  return rows[0]?.ms ?? null;
}
const dueNow = () => db.prisma.$executeRaw`UPDATE outbox SET next_attempt_at = clock_timestamp()`;

describe('a reminder while Telegram fails', () => {
  it('500s, then a hang: tried again with growing back-off until delivered, once', async () => {
    clock = new Date('2026-03-12T03:00:00Z');
    const { id, chat } = await dueReminder();
    // Twelve 500s (the channel retries each once: six rounds), then two sends that hang.
    fake.failNext('sendMessage', 12, { kind: 'server_error' });
    fake.failNext('sendMessage', 2, { kind: 'hang', ms: 2500 });
    await s.dispatcher.handOver();
    expect(await ledger(id)).toMatchObject({ status: 'sending' });
    const waits: number[] = [];
    for (let round = 0; round < 20; round++) {
      await s.sendDue();
      const wait = await waitOf();
      if (wait === null) break;
      waits.push(wait);
      expect((await ledger(id)).status).toBe('sending');
      await dueNow();
    }
    const row = await ledger(id);
    expect(row).toMatchObject({ status: 'sent', reason: null });
    expect(accepted(chat)).toHaveLength(1);
    // Every failure queued was met: twelve 500s and two hangs (cut by our 1 s timeout).
    const tried = fake.calls('sendMessage').filter((c) => String(c.params['chat_id']) === chat);
    expect(tried.filter((c) => c.status === 500)).toHaveLength(12);
    expect(tried).toHaveLength(12 + 2 + 1);
    // Seven failed rounds (six of 500s, one of hangs), each waiting the sender's back-off. A
    // machine busy enough to time out an attempt before it reaches the fake adds a round (seen
    // once under the full suite): still a failed round, and it still waits its back-off.
    expect(waits.length).toBeGreaterThanOrEqual(7);
    waits.forEach((w, i) => {
      expect(w).toBeLessThanOrEqual(backoffMs(i + 1));
      expect(w).toBeGreaterThan(backoffMs(i + 1) / 2);
    });
  });

  it('is given up (reported, not dropped silently) only once the meeting has begun', async () => {
    clock = new Date('2026-03-14T00:59:45Z'); // 15 s before the meeting; the retry falls after it
    const { id, chat } = await dueReminder();
    fake.failNext('sendMessage', 2, { kind: 'server_error' });
    await s.dispatcher.handOver();
    await s.sendDue();
    expect(await ledger(id)).toMatchObject({ status: 'sending' });
    expect(await db.prisma.outbox.count()).toBe(1);
    clock = new Date('2026-03-14T01:00:05Z'); // the meeting has begun
    await dueNow();
    await s.sendDue();
    expect(await ledger(id)).toMatchObject({ status: 'failed', reason: 'transient' });
    expect(await db.prisma.outbox.count()).toBe(0);
    expect(accepted(chat)).toHaveLength(0);
  });
});
