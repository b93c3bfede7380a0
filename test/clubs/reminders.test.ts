// Reminder planning and delivery against real PostgreSQL and pg-boss, with in-process fake
// channels and a controlled clock: offsets, quiet hours, a moved meeting, 429 then success,
// 403 and Zalo's window reported to the coordinator, two senders at once, nudges → escalation.
// Due plan rows go through the outbox and its sender, like any reply (test/clubs/sender.ts).
import { randomBytes } from 'node:crypto';
import { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyClubEffect } from '../../bot/clubs/effects.ts';
import { moveOccurrence } from '../../bot/clubs/schedule.ts';
import { compose } from '../../bot/jobs/reminders/compose.ts';
import { startReminders } from '../../bot/jobs/reminders/dispatch.ts';
import { plan } from '../../bot/jobs/reminders/plan.ts';
import type { Channel, OutboundMessage, SendResult } from '../../bot/channels/types.ts';
import { encrypt } from '../../bot/privacy/crypto.ts';
import { loadContent } from '../../content/load.ts';
import { formatLocal } from '../../flows/clubs/time.ts';
import { clubDb, type TestDb } from './db.ts';
import { type Sender, sender } from './sender.ts';
import { pgSql } from '../../bot/db/sql.ts';
import { poolOf } from '../../bot/db/client.ts';

const content = loadContent();
const key = randomBytes(32);
const TZ = 'Asia/Ho_Chi_Minh';
let db: TestDb;
let clock = new Date('2026-03-12T03:00:00Z'); // Thu 10:00 local; meeting Sat 14 March 08:00

class FakeChannel implements Channel {
  sent: { address: string; message: OutboundMessage }[] = [];
  /** What the next sends to an address answer (then ok). */
  script = new Map<string, SendResult[]>();
  name: Channel['name'];
  constructor(name: Channel['name']) {
    this.name = name;
  }
  async send(address: string, message: OutboundMessage): Promise<SendResult> {
    const r = this.script.get(address)?.shift() ?? { ok: true };
    if (r.ok) this.sent.push({ address, message });
    return r;
  }
}
const telegram = new FakeChannel('telegram');
const zalo = new FakeChannel('zalo-oa');
const senders: Sender[] = [];
function newSender(): Sender {
  const s = sender(db.prisma, content, [telegram, zalo], key, () => clock);
  senders.push(s);
  return s;
}

async function person(alias: string, role: string, channel = 'telegram', lastInboundAt = clock) {
  const subjectKey = `subj-${alias}`;
  await db.prisma.contact.create({ data: { subjectKey, channel, addressEnc: encrypt(key, `addr-${alias}`), lastInboundAt } });
  return db.prisma.membership.create({ data: { clubId: 'c1', subjectKey, role, alias, consentAt: clock, createdAt: new Date(clock.getTime() - 86_400_000) } });
}
async function deliverAll(s = senders[0] ?? newSender()) {
  await s.deliverAll();
}
const rows = (where = {}) => db.prisma.reminderDelivery.findMany({ where, orderBy: { id: 'asc' } });

beforeAll(async () => {
  db = await clubDb();
  await db.prisma.club.create({ data: { id: 'c1', name: 'CLB Một', province: 'P', commune: 'C', venue: 'Nhà văn hóa', requiresInvite: false } });
  await db.prisma.meetingSeries.create({ data: { clubId: 'c1', rrule: 'FREQ=MONTHLY;BYDAY=2SA', dtstart: '2026-01-10T08:00', timeZone: TZ, durationMin: 120, topic: 'Chia sẻ' } });
});
afterAll(async () => {
  for (const s of senders) await s.stop();
  await db?.drop();
});

describe('member reminders', () => {
  it('plans 24 h and 2 h before; the 2 h one (06:00) waits for the end of quiet hours (07:00)', async () => {
    await person('Tư', 'member');
    await person('Ba', 'member');
    await person('Năm', 'member', 'zalo-oa', new Date(clock.getTime() - 8 * 86_400_000));
    await person('Coord', 'coordinator');
    clock = new Date('2026-03-13T00:30:00Z'); // Fri 07:30 local: the 24 h reminder is due at 08:00
    await plan(pgSql(poolOf(db.prisma)), clock);
    await plan(pgSql(poolOf(db.prisma)), clock); // twice: nothing new
    const planned = await rows({ kind: 'reminder' });
    expect(planned).toHaveLength(3);
    expect(planned.map((r) => formatLocal(r.sendAt, TZ).iso)).toEqual(['2026-03-13T08:00', '2026-03-13T08:00', '2026-03-13T08:00']);
    clock = new Date('2026-03-13T23:00:00Z'); // Sat 06:00 local
    await plan(pgSql(poolOf(db.prisma)), clock);
    const twoHour = await rows({ kind: 'reminder', dedupeKey: { contains: ':120:' } });
    expect(twoHour.map((r) => formatLocal(r.dueAt, TZ).iso)).toEqual(['2026-03-14T06:00', '2026-03-14T06:00', '2026-03-14T06:00']);
    expect(twoHour.map((r) => formatLocal(r.sendAt, TZ).iso)).toEqual(['2026-03-14T07:00', '2026-03-14T07:00', '2026-03-14T07:00']);
  });

  it('sends with RSVP choices; 429 then success; 403 and outside-window recorded once', async () => {
    clock = new Date('2026-03-13T01:00:00Z');
    telegram.script.set('addr-Tư', [{ ok: false, reason: 'rate_limited', retryAfterMs: 200 }]);
    telegram.script.set('addr-Ba', [{ ok: false, reason: 'blocked' }]);
    const started = Date.now();
    await deliverAll();
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
    const day = await rows({ kind: 'reminder', dedupeKey: { contains: ':1440:' } });
    expect(day.map((r) => [r.status, r.reason])).toEqual([
      ['sent', null],
      ['failed', 'blocked'],
      ['failed', 'outside_window'],
    ]);
    expect(zalo.sent).toHaveLength(0); // outside Zalo's 7-day window: reported, not attempted
    const msg = telegram.sent[0]!;
    expect(msg.address).toBe('addr-Tư');
    expect(msg.message.text).toContain('Thứ Bảy 14/03/2026 lúc 08:00');
    expect(msg.message.choices?.flat().map((c) => c.id)).toEqual([expect.stringMatching(/^rsvp\.\d+\.yes$/), expect.stringMatching(/^rsvp\.\d+\.no$/)]);
    expect((await db.prisma.contact.findUnique({ where: { subjectKey: 'subj-Ba' } }))?.status).toBe('blocked');
    // Delivering again changes nothing: failures are never retried.
    await deliverAll();
    expect(telegram.sent).toHaveLength(1);
  });

  it("the coordinator's summary before the meeting names who could not be reached", async () => {
    const occ = await db.prisma.meetingOccurrence.findFirstOrThrow({ where: { startsAt: new Date('2026-03-14T01:00:00Z') } });
    const tu = await db.prisma.membership.findFirstOrThrow({ where: { alias: 'Tư' } });
    await applyClubEffect(pgSql(poolOf(db.prisma)), { type: 'clubRsvp', occurrenceId: occ.id, answer: 'yes' }, { subject: tu.subjectKey, channel: 'telegram', now: clock });
    const summary = await compose(pgSql(poolOf(db.prisma)), content, { kind: 'coord_before', clubId: 'c1', occurrenceId: occ.id, assignmentId: null, membershipId: null }, 'vi');
    expect(summary?.text).toContain('1 sẽ đến, 0 không đến, 2 chưa trả lời');
    expect(summary?.text).toContain('Ba (blocked)');
    expect(summary?.text).toContain('Năm (outside_window)');
  });

  it('a moved meeting: stale reminders cancelled, one notice, reminders at the new time', async () => {
    clock = new Date('2026-03-13T22:00:00Z');
    const occ = await db.prisma.meetingOccurrence.findFirstOrThrow({ where: { startsAt: new Date('2026-03-14T01:00:00Z') } });
    await moveOccurrence(db.prisma, occ.id, new Date('2026-03-15T02:00:00Z'), clock);
    expect((await rows({ kind: 'reminder', status: 'pending' })).length).toBe(0);
    await plan(pgSql(poolOf(db.prisma)), clock);
    await plan(pgSql(poolOf(db.prisma)), clock);
    const notices = await rows({ kind: 'meeting_moved' });
    expect(notices.length).toBe(3); // one per member, whatever their state
    telegram.sent = [];
    clock = new Date('2026-03-14T01:00:00Z'); // 08:00 Saturday: notices go out
    await deliverAll();
    expect(telegram.sent.map((s) => s.message.text).join('\n')).toContain('dời sang Chủ nhật 15/03/2026 lúc 09:00');
    expect(telegram.sent.filter((s) => s.message.text.startsWith('Nhắc lịch'))).toHaveLength(0);
  });
});

describe('dispatch across instances', () => {
  it('two senders at once: no duplicates, one person\'s reminders in order', async () => {
    telegram.sent = [];
    await db.prisma.reminderDelivery.deleteMany({});
    const m = await db.prisma.membership.findFirstOrThrow({ where: { alias: 'Tư' } });
    const occ = await db.prisma.meetingOccurrence.findFirstOrThrow({ where: { status: 'moved' } });
    await db.prisma.reminderDelivery.createMany({
      data: Array.from({ length: 60 }, (_, i) => ({ dedupeKey: `t:${i}`, clubId: 'c1', membershipId: m.id, occurrenceId: occ.id, kind: 'reminder', channel: 'telegram', dueAt: clock, sendAt: clock })),
    });
    const all = await rows();
    expect(all).toHaveLength(60);
    const a = newSender();
    const b = newSender();
    await Promise.all([a.deliverAll(), b.deliverAll()]);
    expect(telegram.sent).toHaveLength(60);
    expect(await db.prisma.reminderDelivery.count({ where: { attempts: { not: 1 } } })).toBe(0);
    expect(await db.prisma.reminderDelivery.count({ where: { status: 'sent' } })).toBe(60);
  });

  it('through pg-boss: the planning tick hands due rows over; two ticks send once', async () => {
    telegram.sent = [];
    await db.prisma.reminderDelivery.updateMany({ data: { status: 'pending', sentAt: null } });
    const s = newSender();
    const boss = new PgBoss({ connectionString: db.url, schema: `pgboss_${db.schema}`.slice(0, 50) });
    await boss.start();
    try {
      const h = await startReminders(boss, { prisma: db.prisma, content, channels: ['telegram'], addressKey: key, timeZone: TZ, now: () => clock, outbox: s.outbox, schedule: false });
      try {
        await Promise.all([h.tick(), h.tick()]);
        await h.tick();
        await s.deliverAll();
      } finally {
        h.stop();
      }
      expect(telegram.sent).toHaveLength(60);
      expect(await db.prisma.reminderDelivery.count({ where: { status: 'sent' } })).toBe(60);
    } finally {
      await boss.stop({ graceful: false, timeout: 1000 });
    }
  });
});

describe('volunteer nudges', () => {
  it('assignment → check-in due → 48 h unanswered → reminder → coordinator; a check-in stops it', async () => {
    await db.prisma.reminderDelivery.deleteMany({});
    telegram.sent = [];
    const vol = await person('Lan', 'volunteer');
    const tu = await db.prisma.membership.findFirstOrThrow({ where: { alias: 'Tư' } });
    const a = await db.prisma.volunteerAssignment.create({ data: { clubId: 'c1', volunteerId: vol.id, memberId: tu.id, memberAlias: 'Tư', cadenceDays: 7, nextDueAt: new Date(clock.getTime() + 7 * 86_400_000) } });
    await plan(pgSql(poolOf(db.prisma)), clock);
    await deliverAll();
    expect(telegram.sent.map((s) => s.message.text)).toEqual([expect.stringContaining('hỗ trợ Tư')]);
    clock = new Date(a.nextDueAt.getTime() + 60_000);
    await plan(pgSql(poolOf(db.prisma)), clock);
    await deliverAll();
    expect(telegram.sent.at(-1)?.message.text).toContain('Đã đến lúc liên lạc với Tư');
    expect(telegram.sent.at(-1)?.message.choices?.flat().map((c) => c.id)).toEqual([`vol.done.${a.id}`, `vol.help.${a.id}`, `vol.date.${a.id}`]);
    clock = new Date(clock.getTime() + 49 * 3_600_000);
    await plan(pgSql(poolOf(db.prisma)), clock);
    await deliverAll();
    expect(telegram.sent.at(-1)?.message.text).toContain('Nhắc lại');
    clock = new Date(clock.getTime() + 49 * 3_600_000);
    await plan(pgSql(poolOf(db.prisma)), clock);
    await deliverAll();
    expect(telegram.sent.at(-1)).toMatchObject({ address: 'addr-Coord' });
    expect(telegram.sent.at(-1)?.message.text).toContain('Lan chưa trả lời nhắc liên lạc với Tư');
    // The volunteer answers: the next due date moves on and nothing else is pending.
    await applyClubEffect(pgSql(poolOf(db.prisma)), { type: 'checkIn', assignmentId: a.id, outcome: 'done' }, { subject: vol.subjectKey, channel: 'telegram', now: clock });
    const after = await db.prisma.volunteerAssignment.findUniqueOrThrow({ where: { id: a.id } });
    expect(after.nextDueAt.getTime()).toBe(clock.getTime() + 7 * 86_400_000);
    expect(await db.prisma.reminderDelivery.count({ where: { assignmentId: a.id, answeredAt: null } })).toBe(0);
    // "Cần hỗ trợ" reaches the coordinator.
    await applyClubEffect(pgSql(poolOf(db.prisma)), { type: 'checkIn', assignmentId: a.id, outcome: 'needs_support' }, { subject: vol.subjectKey, channel: 'telegram', now: clock });
    await deliverAll();
    expect(telegram.sent.at(-1)?.message.text).toContain('Lan cần hỗ trợ với Tư');
  });
});
