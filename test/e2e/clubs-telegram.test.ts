// After-care clubs over Telegram, through the real HTTP server and a fake Bot API: browse to a
// club, join its reminders (invite code + consent), RSVP, leave, "dừng"; the address is kept
// (encrypted) only while a member has something that must reach them, and "xóa dữ liệu" erases
// memberships, RSVPs, assignments and the address. No raw chat id anywhere in the database.
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../bot/admin/args.ts';
import { runAdmin } from '../../bot/admin/commands.ts';
import { decrypt } from '../../bot/privacy/crypto.ts';
import { placeId } from '../../flows/clubs/index.ts';
import { type FakeTelegram, type RecordedCall, startFakeTelegram } from '../fakes/telegram-server.ts';
import { type TestApp, withFakeAndApp } from '../support/app.ts';
import { findInSchema } from '../support/search.ts';
import { choiceIds, person, TelegramChat, telegramEnv } from '../support/telegram.ts';
import { schemaOf } from '../../bot/db/client.ts';

let fake: FakeTelegram;
let t: TestApp;
const CLUB = { id: 'xuan-tan', province: 'Tỉnh Đồng Nai', commune: 'Phường Long Khánh' };

const admin = (words: string[]) => runAdmin(parseArgs(words), { prisma: t.running.prisma, now: new Date(), addressKey: t.running.keys.addressKey });
const texts = (calls: RecordedCall[]) => calls.map((c) => String(c.params['text'])).join('\n');
const contactOf = (chat: TelegramChat) => t.running.prisma.contact.findUnique({ where: { subjectKey: t.running.engine.subjectOf('telegram', String(chat.person.chatId)) } });
const subjectOf = (chat: TelegramChat) => t.running.engine.subjectOf('telegram', String(chat.person.chatId));

async function newChat(): Promise<TelegramChat> {
  const chat = new TelegramChat(fake, t.url, person());
  await chat.choose(await chat.say('/start'), 'lang.vi');
  await chat.tap('consent.yes');
  return chat;
}

/** Menu → clubs → province → commune → the club's card. */
async function browseToCard(chat: TelegramChat): Promise<RecordedCall[]> {
  let r = await chat.tap('menu.clubs');
  r = await chat.choose(r, 'clubs.find');
  r = await chat.choose(r, `clubs.p.${placeId(CLUB.province)}`);
  r = await chat.choose(r, `clubs.c.${placeId(CLUB.commune)}`);
  // The sample club of the same ward is listed too: pick the real one.
  return chat.choose(r, `clubs.card.${CLUB.id}`);
}

/** From the card: join, type the code, agree. Returns the joined card. */
async function join(chat: TelegramChat, card: RecordedCall[], code: string): Promise<RecordedCall[]> {
  const asked = await chat.choose(card, `clubs.join.${CLUB.id}`);
  expect(texts(asked)).toMatch(/mã mời/i);
  const consent = await chat.say(code);
  return chat.choose(consent, 'clubs.consent.yes');
}

withFakeAndApp(startFakeTelegram, (f) => ({ env: telegramEnv(f) }), async (f, app) => {
  fake = f;
  t = app;
  await admin(['club', 'create', '--id', CLUB.id, '--name', 'CLB Xuân Tân', '--province', CLUB.province, '--commune', CLUB.commune, '--venue', 'Nhà văn hóa khu phố 3']);
  await admin(['series', 'add', '--club', CLUB.id, '--rrule', 'FREQ=WEEKLY;BYDAY=SA', '--start', '2026-01-03T08:00', '--duration', '120', '--topic', 'Sinh hoạt định kỳ']);
});

describe('clubs over Telegram', () => {
  it('a fresh start loads the sample clubs; the real club is found by place, next to its ward\'s sample', async () => {
    expect(await t.running.prisma.club.count({ where: { sample: true } })).toBeGreaterThan(0);
    const chat = await newChat();
    const card = await browseToCard(chat);
    expect(choiceIds(fake.calls('sendMessage').filter((c) => String(c.params['chat_id']) === String(chat.person.chatId)))).toContain('clubs.card.sample-xuan-tan');
    expect(texts(card)).toContain('CLB Xuân Tân');
    expect(texts(card)).toContain('Nhà văn hóa khu phố 3');
    expect(choiceIds(card)).toContain(`clubs.join.${CLUB.id}`);
  });

  it('join with a code, RSVP "Tôi sẽ đến", leave, rejoin, "dừng": the address lives only while needed', async () => {
    const code = (await admin(['invite', 'create', '--club', CLUB.id, '--role', 'member', '--uses', '5'])).match(/[A-Z0-9]{4}-[A-Z0-9]{4}/)![0];
    const member = await newChat();
    const browser = await newChat();
    await browseToCard(browser);

    const joined = await join(member, await browseToCard(member), code);
    expect(texts(joined)).toContain('CLB Xuân Tân');
    const contact = await contactOf(member);
    expect(contact?.addressEnc).toBeTruthy();
    expect(decrypt(t.running.keys.addressKey, contact!.addressEnc!)).toBe(String(member.person.chatId));
    expect((await contactOf(browser))?.addressEnc ?? null).toBeNull();
    const m = await t.running.prisma.membership.findFirstOrThrow({ where: { subjectKey: subjectOf(member) } });
    expect(m).toMatchObject({ clubId: CLUB.id, role: 'member', status: 'active', remindersOn: true });

    const yes = choiceIds(joined).find((id) => /^rsvp\.\d+\.yes$/.test(id))!;
    expect(yes).toBeTruthy();
    const thanks = await member.tap(yes);
    expect(thanks.length).toBeGreaterThan(0);
    expect(await t.running.prisma.rsvp.findMany({ where: { membershipId: m.id } })).toEqual([expect.objectContaining({ answer: 'yes' })]);

    const confirm = await member.tap(`clubs.leave.${CLUB.id}`);
    await member.choose(confirm, 'clubs.leave.yes');
    expect((await t.running.prisma.membership.findUniqueOrThrow({ where: { id: m.id } })).status).toBe('left');
    expect((await contactOf(member))?.addressEnc ?? null).toBeNull();

    await join(member, await member.tap(`clubs.card.${CLUB.id}`), code);
    expect((await contactOf(member))?.addressEnc).toBeTruthy();
    const stopped = await member.say('dừng');
    expect(stopped.length).toBeGreaterThan(0);
    expect((await t.running.prisma.membership.findUniqueOrThrow({ where: { id: m.id } })).remindersOn).toBe(false);
    expect((await contactOf(member))?.addressEnc ?? null).toBeNull();

    const chatIds = [member, browser].map((c) => String(c.person.chatId));
    expect(await findInSchema(t.databaseUrl, schemaOf(t.databaseUrl), chatIds)).toEqual([]);
    for (const id of chatIds) expect(t.logs.filter((l) => l.includes(id))).toEqual([]);
  });

  it('"xóa dữ liệu" erases memberships, RSVPs, assignments and the address', async () => {
    const memberCode = (await admin(['invite', 'create', '--club', CLUB.id, '--role', 'member', '--alias', 'Anh Tư'])).match(/[A-Z0-9]{4}-[A-Z0-9]{4}/)![0];
    const volCode = (await admin(['invite', 'create', '--club', CLUB.id, '--role', 'volunteer', '--alias', 'Chị Lan'])).match(/[A-Z0-9]{4}-[A-Z0-9]{4}/)![0];
    const member = await newChat();
    const volunteer = await newChat();
    const joined = await join(member, await browseToCard(member), memberCode);
    await join(volunteer, await browseToCard(volunteer), volCode);
    await member.tap(choiceIds(joined).find((id) => /^rsvp\.\d+\.yes$/.test(id))!);
    await admin(['assign', '--club', CLUB.id, '--volunteer', 'Chị Lan', '--member', 'Anh Tư']);
    const m = await t.running.prisma.membership.findFirstOrThrow({ where: { subjectKey: subjectOf(member) } });
    expect(await t.running.prisma.rsvp.count({ where: { membershipId: m.id } })).toBe(1);
    expect(await t.running.prisma.volunteerAssignment.count({ where: { memberId: m.id } })).toBe(1);
    expect((await contactOf(member))?.addressEnc).toBeTruthy();

    const ask = await member.say('xóa dữ liệu');
    const done = await member.choose(ask, 'privacy.erase.yes');
    expect(done.length).toBeGreaterThan(0);
    expect(await t.running.prisma.membership.count({ where: { subjectKey: subjectOf(member) } })).toBe(0);
    expect(await t.running.prisma.rsvp.count({ where: { membershipId: m.id } })).toBe(0);
    expect(await t.running.prisma.volunteerAssignment.count({ where: { memberId: m.id } })).toBe(0);
    expect(await contactOf(member)).toBeNull();
    // The volunteer keeps their own membership and address.
    expect((await contactOf(volunteer))?.addressEnc).toBeTruthy();
    expect(await t.running.prisma.membership.count({ where: { subjectKey: subjectOf(volunteer), status: 'active' } })).toBe(1);
  });
});
