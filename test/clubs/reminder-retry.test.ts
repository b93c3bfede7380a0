// A reminder whose send keeps failing (the Bot API answering 500, then hanging past our
// timeout) is kept and tried again with back-off until Telegram takes it: never dropped after a
// fixed number of tries, never sent twice. It is given up only once it cannot help any more
// (the meeting has begun). Real PostgreSQL, the real Telegram channel over HTTP to the fake Bot
// API, and a controlled clock for the back-off.
import { Api } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramChannel } from '../../bot/channels/telegram/send.ts';
import { Dispatcher, retryDelayMs } from '../../bot/jobs/reminders/dispatch.ts';
import { createLogger } from '../../bot/logger.ts';
import { encrypt } from '../../bot/privacy/crypto.ts';
import { loadContent } from '../../content/load.ts';
import { type FakeTelegram, startFakeTelegram } from '../fakes/telegram-server.ts';
import { clubDb, type TestDb } from './db.ts';

const key = Buffer.alloc(32, 7);
let db: TestDb;
let fake: FakeTelegram;
let clock = new Date('2026-03-12T03:00:00Z');
let dispatcher: Dispatcher;
let occurrenceId: number;
let n = 0;

beforeAll(async () => {
  db = await clubDb();
  fake = await startFakeTelegram();
  // A 1 s timeout, so that a hang is a timeout (transient) and not a slow success.
  const api = new Api(fake.token, { apiRoot: fake.url, timeoutSeconds: 1 });
  const telegram = new TelegramChannel({ api, log: createLogger('silent'), transientRetryDelayMs: 10 });
  dispatcher = new Dispatcher({ prisma: db.prisma, content: loadContent(), channels: { telegram }, addressKey: key, now: () => clock, ratePerSecond: () => 200 });
  await db.prisma.club.create({ data: { id: 'r1', name: 'CLB Thử', province: 'P', commune: 'C', venue: 'Nhà văn hóa', requiresInvite: false } });
  const s = await db.prisma.meetingSeries.create({
    data: { clubId: 'r1', rrule: 'FREQ=MONTHLY;BYDAY=2SA', dtstart: '2026-01-10T08:00', timeZone: 'Asia/Ho_Chi_Minh', durationMin: 120, topic: 'Chia sẻ', endedAt: clock },
  });
  const startsAt = new Date('2026-03-14T01:00:00Z');
  const occ = await db.prisma.meetingOccurrence.create({
    data: { seriesId: s.id, clubId: 'r1', originalStart: startsAt, startsAt, endsAt: new Date(startsAt.getTime() + 7_200_000), topic: 'Chia sẻ', venue: 'Nhà văn hóa' },
  });
  occurrenceId = occ.id;
});
afterAll(async () => {
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

describe('a reminder while Telegram fails', () => {
  it('500s, then a hang: tried again with growing back-off until delivered, once', async () => {
    clock = new Date('2026-03-12T03:00:00Z');
    const { id, chat } = await dueReminder();
    // Twelve 500s (the channel retries each once: six rounds), then two sends that hang.
    fake.failNext('sendMessage', 12, { kind: 'server_error' });
    fake.failNext('sendMessage', 2, { kind: 'hang', ms: 2500 });
    const waits: number[] = [];
    for (let round = 0; round < 20; round++) {
      const before = await ledger(id);
      if (before.status === 'sent') break;
      expect(before.status).toBe('pending');
      // Due only at its send time: nothing goes before it.
      clock = before.sendAt;
      expect(await dispatcher.deliver(id)).toMatch(/^(sent|retry)$/);
      const after = await ledger(id);
      if (after.status === 'pending') waits.push(after.sendAt.getTime() - clock.getTime());
    }
    const row = await ledger(id);
    expect(row).toMatchObject({ status: 'sent', reason: null });
    expect(accepted(chat)).toHaveLength(1);
    // Seven failed rounds (six of 500s, one of hangs), each waiting longer, capped.
    expect(waits).toEqual([1, 2, 3, 4, 5, 6, 7].map(retryDelayMs));
    expect(row.attempts).toBe(8);
  });

  it('is given up (reported, not dropped silently) only once the meeting has begun', async () => {
    clock = new Date('2026-03-14T00:59:45Z'); // 15 s before the meeting; the retry falls after it
    const { id, chat } = await dueReminder();
    fake.failNext('sendMessage', 2, { kind: 'server_error' });
    expect(await dispatcher.deliver(id)).toBe('retry');
    const waiting = await ledger(id);
    expect(waiting.status).toBe('pending');
    clock = waiting.sendAt; // past 01:00: the meeting has begun
    fake.failNext('sendMessage', 2, { kind: 'server_error' });
    expect(await dispatcher.deliver(id)).toBe('failed');
    expect(await ledger(id)).toMatchObject({ status: 'failed', reason: 'transient' });
    expect(accepted(chat)).toHaveLength(0);
  });
});
