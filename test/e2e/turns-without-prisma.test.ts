// Every turn runs on node-postgres, the clubs' and erasure's included: a bot that starts on an
// empty database (loading the samples), answers people on Telegram and the web chat, with its
// jobs running, never opens the Prisma client (about 35 MB of a process, and a stall of the
// event loop when it first opens). The database is prepared, and checked, through another
// client; the app's own must still be unopened after a person has browsed, joined with a code,
// answered a meeting both ways, a volunteer has checked in, and people have changed reminder
// times, left, stopped, erased everything and used the web chat.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prismaOpened } from '../../bot/db/client.ts';
import { type FakeTelegram, startFakeTelegram } from '../fakes/telegram-server.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { type TestDatabase, testDatabase } from '../support/db.ts';
import { choiceIds, person, TelegramChat, telegramEnv } from '../support/telegram.ts';
import { webClient } from '../support/web-member.ts';

const CLUB = 'c-invite';
const CODE = 'K7PM2QXW';
let db: TestDatabase;
let fake: FakeTelegram;
let t: TestApp;

beforeAll(async () => {
  db = await testDatabase();
  fake = await startFakeTelegram();
  // A first start: the app loads the sample clubs and services itself.
  t = await startTestApp({ databaseUrl: db.url, env: telegramEnv(fake), jobs: true });
  expect(await db.prisma.club.count({ where: { sample: true } })).toBeGreaterThan(0);
  expect(await db.prisma.service.count({ where: { sample: true } })).toBeGreaterThan(0);
  const now = new Date();
  await db.prisma.club.create({ data: { id: CLUB, name: 'CLB Mời', province: 'P', commune: 'C', venue: 'Nhà văn hóa', requiresInvite: true } });
  const series = await db.prisma.meetingSeries.create({ data: { clubId: CLUB, rrule: 'FREQ=WEEKLY;BYDAY=SA', dtstart: '2026-01-03T08:00', timeZone: 'Asia/Ho_Chi_Minh', durationMin: 120, topic: 'Chia sẻ' } });
  const start = new Date(now.getTime() + 3 * 86_400_000);
  await db.prisma.meetingOccurrence.create({ data: { seriesId: series.id, clubId: CLUB, originalStart: start, startsAt: start, endsAt: new Date(start.getTime() + 7_200_000), topic: 'Chia sẻ', venue: 'Nhà văn hóa' } });
  await db.prisma.inviteCode.create({ data: { code: CODE, clubId: CLUB, role: 'member', alias: 'Anh Tư', maxUses: 5 } });
});
afterAll(async () => {
  await t?.stop();
  await fake?.close();
  await db?.drop();
});

describe('turns without the Prisma client', () => {
  it('clubs, check-ins, erasure and the web chat all run on the pool', async () => {
    expect(prismaOpened(t.running.prisma)).toBe(false);
    const chat = new TelegramChat(fake, t.url, person());
    await chat.choose(await chat.say('/start'), 'lang.vi');
    await chat.tap('consent.yes');
    await chat.tap('menu.clubs');
    const card = await chat.tap(`clubs.card.${CLUB}`);
    expect(choiceIds(card)).toContain(`clubs.join.${CLUB}`);
    await chat.tap(`clubs.join.${CLUB}`);
    const joined = await chat.choose(await chat.say(CODE), 'clubs.consent.yes');
    const m = await db.prisma.membership.findFirstOrThrow({ where: { clubId: CLUB } });
    expect(m).toMatchObject({ role: 'member', alias: 'Anh Tư', status: 'active' });
    expect((await db.prisma.inviteCode.findUniqueOrThrow({ where: { code: CODE } })).uses).toBe(1);

    // A volunteer looks after them; a "no" reaches the volunteer's plan, and the volunteer checks in.
    const vol = new TelegramChat(fake, t.url, person());
    await vol.choose(await vol.say('/start'), 'lang.vi');
    await vol.tap('consent.yes');
    const volCode = 'V0LUNT33';
    await db.prisma.inviteCode.create({ data: { code: volCode, clubId: CLUB, role: 'volunteer', alias: 'Chị Lan', maxUses: 1 } });
    await vol.tap(`clubs.card.${CLUB}`);
    await vol.tap(`clubs.join.${CLUB}`);
    await vol.choose(await vol.say(volCode), 'clubs.consent.yes');
    const v = await db.prisma.membership.findFirstOrThrow({ where: { clubId: CLUB, role: 'volunteer' } });
    const a = await db.prisma.volunteerAssignment.create({ data: { clubId: CLUB, volunteerId: v.id, memberId: m.id, memberAlias: 'Anh Tư', cadenceDays: 7, nextDueAt: new Date() } });

    const rsvp = choiceIds(joined).find((id) => /^rsvp\.\d+\.yes$/.test(id))!;
    await chat.tap(rsvp);
    await chat.tap(rsvp.replace(/yes$/, 'no'));
    expect((await db.prisma.rsvp.findFirstOrThrow({ where: { membershipId: m.id } })).answer).toBe('no');
    expect(await db.prisma.reminderDelivery.count({ where: { kind: 'vol_declined', assignmentId: a.id } })).toBe(1);
    await vol.tap(`vol.done.${a.id}`);
    expect(await db.prisma.checkIn.count({ where: { assignmentId: a.id, outcome: 'done' } })).toBe(1);

    // New reminder times: a reminder planned at the old ones is cancelled.
    const occ = await db.prisma.meetingOccurrence.findFirstOrThrow({ where: { clubId: CLUB } });
    const planned = await db.prisma.reminderDelivery.create({
      data: { dedupeKey: 'r-old', clubId: CLUB, membershipId: m.id, occurrenceId: occ.id, kind: 'reminder', channel: 'telegram', dueAt: new Date(), sendAt: new Date(Date.now() + 86_400_000) },
    });
    await chat.choose(await chat.tap(`clubs.times.${CLUB}`), 'clubs.t.t24');
    expect((await db.prisma.membership.findUniqueOrThrow({ where: { id: m.id } })).offsets).toBe('1440');
    expect(await db.prisma.reminderDelivery.findUniqueOrThrow({ where: { id: planned.id } })).toMatchObject({ status: 'cancelled', reason: 'times_changed' });

    const memberKey = t.running.engine.subjectOf('telegram', String(chat.person.chatId));
    const volKey = t.running.engine.subjectOf('telegram', String(vol.person.chatId));
    expect((await db.prisma.contact.findUniqueOrThrow({ where: { subjectKey: memberKey } })).addressEnc).toBeTruthy();
    const confirm = await chat.tap(`clubs.leave.${CLUB}`);
    await chat.choose(confirm, 'clubs.leave.yes');
    expect((await db.prisma.membership.findUniqueOrThrow({ where: { id: m.id } })).status).toBe('left');
    expect(await db.prisma.volunteerAssignment.findUniqueOrThrow({ where: { id: a.id } })).toMatchObject({ active: false });
    // Nothing left to send them: the address is not kept, the consent to reminders withdrawn.
    expect((await db.prisma.contact.findUniqueOrThrow({ where: { subjectKey: memberKey } })).addressEnc).toBeNull();
    expect((await db.prisma.consent.findFirstOrThrow({ where: { subjectKey: memberKey, purpose: 'reminders' } })).withdrawnAt).not.toBeNull();
    await vol.say('dừng');
    expect((await db.prisma.membership.findUniqueOrThrow({ where: { id: v.id } })).remindersOn).toBe(false);
    expect((await db.prisma.contact.findUniqueOrThrow({ where: { subjectKey: volKey } })).addressEnc).toBeNull();
    await vol.choose(await vol.say('xóa dữ liệu'), 'privacy.erase.yes');
    expect(await db.prisma.membership.count({ where: { subjectKey: volKey } })).toBe(0);
    expect(await db.prisma.contact.count({ where: { subjectKey: volKey } })).toBe(0);
    expect(await db.prisma.consent.count({ where: { subjectKey: volKey } })).toBe(0);

    const web = webClient(t);
    await web.post({ kind: 'start' });
    await web.post({ kind: 'choice', choice: 'lang.vi' });
    await web.post({ kind: 'choice', choice: 'consent.yes' });
    await web.post({ kind: 'text', text: 'lich sinh hoat clb' });
    expect((await web.post({ kind: 'text', text: 'ban toi nuot ca vi thuoc roi' })).map((x) => x.text).join('\n')).toContain('115');

    expect(prismaOpened(t.running.prisma)).toBe(false);
  });
});
