// A web member takes their club membership to Telegram with a one-time link code, end to end
// through the real HTTP server and the fake Bot API: join on the web → the code (and the deep
// link t.me/<bot>?start=<code>) → "/start <code>" on Telegram → the membership is Telegram's →
// a reminder reaches Telegram. Then a used, a wrong and an expired code; many wrong codes refused
// for a while; an invite deep link that opens the join; and the raw code in no table, no log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../bot/admin/args.ts';
import { runAdmin } from '../../bot/admin/commands.ts';
import { schemaOf } from '../../bot/db/client.ts';
import { Dispatcher } from '../../bot/jobs/reminders/dispatch.ts';
import { plan } from '../../bot/jobs/reminders/plan.ts';
import type { OutboundMessage } from '../../flows/types.ts';
import { type FakeTelegram, type RecordedCall, startFakeTelegram } from '../fakes/telegram-server.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { findInSchema } from '../support/search.ts';
import { choiceIds, person, TelegramChat, telegramEnv } from '../support/telegram.ts';
import { type WebMember, webClient, webMember } from '../support/web-member.ts';
import { pgSql } from '../../bot/db/sql.ts';
import { poolOf } from '../../bot/db/client.ts';

const CLUB = { id: 'xuan-tan', name: 'CLB Xuân Tân', province: 'Tỉnh Đồng Nai', commune: 'Phường Long Khánh' };
const BOT = 'donghanh_test_bot';
let fake: FakeTelegram;
let t: TestApp;
/** The app's clock runs ahead by this much: an expired code is a code whose 30 minutes passed. */
let skewMs = 0;

const admin = (words: string[]) => runAdmin(parseArgs(words), { prisma: t.running.prisma, now: new Date(), addressKey: t.running.keys.addressKey });
const texts = (calls: RecordedCall[]) => calls.map((c) => String(c.params['text'])).join('\n');
const prisma = () => t.running.prisma;

/** A web member's move code, as the Telegram deep link carries it (t.me/<bot>?start=<code>). */
async function deepLinkCode(web: WebMember): Promise<{ code: string; messages: OutboundMessage[] }> {
  const { code: shown, messages } = await web.move();
  const url = messages.flatMap((m) => m.links ?? []).find((l) => l.url.startsWith('https://t.me/'))?.url ?? '';
  const code = shown.replaceAll('-', '');
  expect(url).toBe(`https://t.me/${BOT}?start=${code}`);
  return { code, messages };
}
async function joinOnWeb(): Promise<WebMember> {
  const web = webMember(t, CLUB.id);
  const joined = await web.join();
  expect(joined.flatMap((m) => (m.choices ?? []).flat().map((c) => c.id))).toContain('clubs.move');
  return web;
}

const telegramSubject = (chat: TelegramChat) => t.running.engine.subjectOf('telegram', String(chat.person.chatId));
const activeClubs = async (subject: string) => (await prisma().membership.findMany({ where: { subjectKey: subject, status: 'active' } })).map((m) => m.clubId);

beforeAll(async () => {
  fake = await startFakeTelegram();
  t = await startTestApp({ env: { ...telegramEnv(fake), TELEGRAM_BOT_USERNAME: BOT }, now: () => new Date(Date.now() + skewMs) });
  await admin(['club', 'create', '--id', CLUB.id, '--name', CLUB.name, '--province', CLUB.province, '--commune', CLUB.commune, '--venue', 'Nhà văn hóa khu phố 3']);
  // Open to anyone (no invite code), so a web visitor can join with consent alone.
  await prisma().club.update({ where: { id: CLUB.id }, data: { requiresInvite: false } });
  await admin(['series', 'add', '--club', CLUB.id, '--rrule', 'FREQ=WEEKLY;BYDAY=SA', '--start', '2026-01-03T08:00', '--duration', '120', '--topic', 'Sinh hoạt định kỳ']);
});
afterAll(async () => {
  await t?.stop();
  await fake?.close();
});

describe('a web member moves to Telegram with a one-time code', () => {
  const seen: string[] = [];

  it('web join → code → "/start <code>" on Telegram → the membership is Telegram\'s → a reminder arrives there', async () => {
    const web = await joinOnWeb();
    const card = await web.choose(`clubs.card.${CLUB.id}`);
    expect(card.map((m) => m.text).join('\n')).toContain('trang web không gửi được nhắc lịch');
    expect(await activeClubs(web.subject())).toEqual([CLUB.id]);
    const { code, messages } = await deepLinkCode(web);
    seen.push(code);
    const words = messages.map((m) => m.text).join('\n');
    expect(words).toContain(`${code.slice(0, 3)}-${code.slice(3, 6)}-${code.slice(6)}`);
    expect(words).toContain('chỉ tư cách thành viên câu lạc bộ');
    expect(await prisma().linkCode.count()).toBe(1);

    // Someone new on Telegram taps the link: Telegram sends "/start <code>".
    const chat = new TelegramChat(fake, t.url, person());
    const moved = await chat.say(`/start ${code}`);
    expect(texts(moved)).toContain(`Đã chuyển sang đây: ${CLUB.name}`);
    expect(await activeClubs(telegramSubject(chat))).toEqual([CLUB.id]);
    expect(await activeClubs(web.subject())).toEqual([]);
    expect(await prisma().linkCode.count()).toBe(0);
    const contact = await prisma().contact.findUnique({ where: { subjectKey: telegramSubject(chat) } });
    expect(contact?.addressEnc).toBeTruthy();
    // Only the membership moved: the web conversation stays the web visitor's, and nothing else.
    expect((await prisma().conversation.findUnique({ where: { subjectKey: web.subject() } }))?.channel).toBe('web');
    expect((await prisma().contact.findUnique({ where: { subjectKey: web.subject() } }))?.addressEnc ?? null).toBeNull();
    const consents = await prisma().consent.findMany({ where: { subjectKey: { in: [web.subject(), telegramSubject(chat)] }, purpose: 'reminders' } });
    expect(consents.find((c) => c.subjectKey === telegramSubject(chat))?.withdrawnAt).toBeNull();
    // The web identity's consent row is gone, not withdrawn: a withdrawal time would match the grant's.
    expect(consents.find((c) => c.subjectKey === web.subject())).toBeUndefined();

    // The next meeting's 24-hour reminder is planned for Telegram and delivered through the Bot API.
    const next = await prisma().meetingOccurrence.findFirstOrThrow({ where: { clubId: CLUB.id, startsAt: { gt: new Date(Date.now() + 25 * 3_600_000) } }, orderBy: { startsAt: 'asc' } });
    const clock = new Date(next.startsAt.getTime() - 24 * 3_600_000 + 60_000);
    await plan(pgSql(poolOf(prisma())), clock);
    const due = await prisma().reminderDelivery.findMany({ where: { kind: 'reminder', status: 'pending', channel: 'telegram', sendAt: { lte: clock } } });
    expect(due).toHaveLength(1);
    // Handed to the outbox, whose sender (running in the app) delivers it through the Bot API.
    const dispatcher = new Dispatcher({ prisma: prisma(), content: t.running.content, channels: ['telegram'], addressKey: t.running.keys.addressKey, outbox: t.running.engine.outbox, now: () => clock });
    const before = fake.calls('sendMessage').length;
    expect(await dispatcher.handOver()).toBe(1);
    const toChat = () => fake.calls('sendMessage').slice(before).filter((c) => c.status === 200 && String(c.params['chat_id']) === String(chat.person.chatId));
    const reminder = await fake.waitFor(() => (toChat().length ? toChat() : null));
    expect(texts(reminder)).toContain(CLUB.name);
    expect(reminder).toHaveLength(1);
    expect(choiceIds(reminder).some((id) => /^rsvp\.\d+\.yes$/.test(id))).toBe(true);
  });

  it('a used code, a wrong code and an expired code each get a kind answer and move nothing', async () => {
    const other = new TelegramChat(fake, t.url, person());
    await other.say('/start');
    const reused = await other.say(`/start ${seen[0]}`);
    expect(texts(reused)).toContain('Mã này không dùng được');
    const wrong = await other.say('ABC-234-XYZ');
    expect(texts(wrong)).toContain('Mã này không dùng được');

    const web = await joinOnWeb();
    const { code } = await deepLinkCode(web);
    seen.push(code);
    skewMs = 31 * 60_000;
    try {
      expect(texts(await other.say(code))).toContain('Mã này không dùng được');
    } finally {
      skewMs = 0;
    }
    expect(await activeClubs(telegramSubject(other))).toEqual([]);
    expect(await activeClubs(web.subject())).toEqual([CLUB.id]);
    expect((await prisma().linkAttempt.findUnique({ where: { subjectKey: telegramSubject(other) } }))?.failures).toBe(3);
  });

  it('many wrong codes from one person are refused for a while, even a right one; others are not held up', async () => {
    const guesser = new TelegramChat(fake, t.url, person());
    await guesser.say('/start');
    for (const guess of ['AAA-222-BBB', 'AAA-222-BBC', 'AAA-222-BBD', 'AAA-222-BBE', 'AAA-222-BBF']) {
      expect(texts(await guesser.say(guess))).toContain('Mã này không dùng được');
    }
    const web = await joinOnWeb();
    const { code } = await deepLinkCode(web);
    seen.push(code);
    expect(texts(await guesser.say(`/start ${code}`))).toContain('đợi khoảng một giờ');
    expect(await activeClubs(telegramSubject(guesser))).toEqual([]);
    // The code is still good for its owner's own Telegram.
    const owner = new TelegramChat(fake, t.url, person());
    expect(texts(await owner.say(code))).toContain('Đã chuyển sang đây');
    expect(await activeClubs(telegramSubject(owner))).toEqual([CLUB.id]);
  });

  it('an invite deep link ("/start <invite code>") opens the join; another payload is the welcome', async () => {
    const invite = (await admin(['invite', 'create', '--club', CLUB.id, '--role', 'member'])).match(/[A-Z0-9]{4}-[A-Z0-9]{4}/)![0].replace('-', '');
    const chat = new TelegramChat(fake, t.url, person());
    const asked = await chat.say(`/start ${invite}`);
    expect(texts(asked)).toContain(CLUB.name);
    expect(choiceIds(asked)).toEqual(expect.arrayContaining(['clubs.consent.yes', 'clubs.consent.no']));
    await chat.tap('clubs.consent.yes');
    expect(await activeClubs(telegramSubject(chat))).toEqual([CLUB.id]);
    expect((await findInSchema(t.databaseUrl, schemaOf(t.databaseUrl), [invite])).map((h) => h.table)).toEqual(['club_invite_code']);

    const odd = new TelegramChat(fake, t.url, person());
    const welcome = await odd.say('/start utm_source-newsletter_2026');
    expect(choiceIds(welcome)).toEqual(['lang.vi', 'lang.en']);
    seen.push('utm_source-newsletter_2026');
  });

  it('the web invite link (/?start=<invite code>) opens the join on the web for a newcomer, then offers the move', async () => {
    await prisma().club.update({ where: { id: CLUB.id }, data: { requiresInvite: true } });
    try {
      const invite = (await admin(['invite', 'create', '--club', CLUB.id, '--role', 'member'])).match(/[A-Z0-9]{4}-[A-Z0-9]{4}/)![0].replace('-', '');
      const web = webClient(t);
      const asked = await web.post({ kind: 'start', start: invite });
      expect(asked.map((m) => m.text).join('\n')).toContain('mã ẩn danh của trình duyệt');
      expect(asked.flatMap((m) => (m.choices ?? []).flat().map((c) => c.id))).toEqual(['clubs.consent.yes', 'clubs.consent.no']);
      const joined = await web.post({ kind: 'choice', choice: 'clubs.consent.yes' });
      expect(joined.flatMap((m) => (m.choices ?? []).flat().map((c) => c.id))).toContain('clubs.move');
      const subject = t.running.engine.subjectOf('web', web.cookie()?.split('=')[1]?.split('.')[0] ?? '');
      expect(await activeClubs(subject)).toEqual([CLUB.id]);
      // A link code or anything else in ?start= is the plain greeting, with nothing stored.
      const other = webClient(t);
      const greeted = await other.post({ kind: 'start', start: 'K7PM2QXW4' });
      expect(greeted.flatMap((m) => (m.choices ?? []).flat().map((c) => c.id))).toEqual(['lang.vi', 'lang.en']);
      // The invite code is the board's own record (club_invite_code) and nowhere else.
      expect((await findInSchema(t.databaseUrl, schemaOf(t.databaseUrl), [invite])).map((h) => h.table)).toEqual(['club_invite_code']);
    } finally {
      await prisma().club.update({ where: { id: CLUB.id }, data: { requiresInvite: false } });
    }
  });

  it('no code, and no odd payload, in any table or log line', async () => {
    const needles = seen.flatMap((c) => (c.length === 9 ? [c, `${c.slice(0, 3)}-${c.slice(3, 6)}-${c.slice(6)}`] : [c]));
    expect(await findInSchema(t.databaseUrl, schemaOf(t.databaseUrl), needles)).toEqual([]);
    for (const n of needles) expect(t.logs.filter((l) => l.toLowerCase().includes(n.toLowerCase()))).toEqual([]);
  });
});
