// A web member moves to Zalo: the code is sent as a message to the OA (Zalo OA has no deep-link
// payload), or as "/start <code>" to the Zalo Bot; the membership becomes that Zalo identity's,
// its address is kept sealed for reminders, and the code is in no table and no log line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../bot/admin/args.ts';
import { runAdmin } from '../../bot/admin/commands.ts';
import { schemaOf } from '../../bot/db/client.ts';
import { BotChat } from '../fakes/zalo-bot-chat.ts';
import { botEnv, type FakeZaloBot, startFakeZaloBot } from '../fakes/zalo-bot-server.ts';
import { type FakeZaloOa, startFakeZaloOa } from '../fakes/zalo-oa-server.ts';
import { OaChat, oaEnv } from '../fakes/zalo-oa-webhook.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { findInSchema } from '../support/search.ts';
import { webMember } from '../support/web-member.ts';

const CLUB = { id: 'bau-sen', name: 'CLB Bàu Sen', province: 'Thành phố Hồ Chí Minh', commune: 'Phường Chợ Quán' };
const OA_ID = '3662729599332560487';
let oa: FakeZaloOa;
let bot: FakeZaloBot;
let t: TestApp;
const codes: string[] = [];
const active = async (subject: string) => (await t.running.prisma.membership.findMany({ where: { subjectKey: subject, status: 'active' } })).map((m) => m.clubId);

beforeAll(async () => {
  oa = await startFakeZaloOa();
  bot = await startFakeZaloBot();
  t = await startTestApp({ env: { ...oaEnv(oa), ...botEnv(bot, 'webhook'), ZALO_OA_ID: OA_ID } });
  await runAdmin(parseArgs(['club', 'create', '--id', CLUB.id, '--name', CLUB.name, '--province', CLUB.province, '--commune', CLUB.commune, '--venue', 'Nhà văn hóa']), {
    prisma: t.running.prisma,
    now: new Date(),
    addressKey: t.running.keys.addressKey,
  });
  await t.running.prisma.club.update({ where: { id: CLUB.id }, data: { requiresInvite: false } });
});
afterAll(async () => {
  await t?.stop();
  await bot?.close();
  await oa?.close();
});

describe('a web member moves to Zalo', () => {
  it('the web says how to send the code on Zalo (no Telegram here) and links to the OA', async () => {
    const web = webMember(t, CLUB.id);
    await web.join();
    const { code, messages } = await web.move();
    codes.push(code);
    const words = messages.map((m) => m.text).join('\n');
    expect(words).toContain(`nhắn mã ${code} cho Đồng Hành trên Zalo`);
    expect(words).not.toContain('Telegram:');
    expect(messages.flatMap((m) => m.links ?? [])).toEqual([{ label: 'Mở Zalo', url: `https://zalo.me/${OA_ID}` }]);

    // A first message to the OA that is the code itself.
    const chat = new OaChat(oa, t.url, t.running.prisma);
    const moved = await chat.say(code.toLowerCase());
    expect(moved.map((m) => m.text).join('\n')).toContain(`Đã chuyển sang đây: ${CLUB.name}`);
    const subject = t.running.engine.subjectOf('zalo-oa', chat.userId);
    expect(await active(subject)).toEqual([CLUB.id]);
    expect(await active(web.subject())).toEqual([]);
    expect((await t.running.prisma.contact.findUnique({ where: { subjectKey: subject } }))?.addressEnc).toBeTruthy();
  });

  it('on the Zalo Bot, "/start <code>" does the same', async () => {
    const web = webMember(t, CLUB.id);
    await web.join();
    const { code } = await web.move();
    codes.push(code);
    const chat = new BotChat(bot, t.running.prisma, t.url);
    expect((await chat.say(`/start ${code.replaceAll('-', '')}`)).join('\n')).toContain(`Đã chuyển sang đây: ${CLUB.name}`);
    expect(await active(t.running.engine.subjectOf('zalo-bot', chat.person.chatId))).toEqual([CLUB.id]);
    // Sent again: used up, a kind answer, nothing moves twice.
    const again = new BotChat(bot, t.running.prisma, t.url);
    expect((await again.say(code)).join('\n')).toContain('Mã này không dùng được');
    expect(await active(t.running.engine.subjectOf('zalo-bot', again.person.chatId))).toEqual([]);
  });

  it('no code in any table or log line', async () => {
    const needles = codes.flatMap((c) => [c, c.replaceAll('-', '')]);
    expect(await findInSchema(t.databaseUrl, schemaOf(t.databaseUrl), needles)).toEqual([]);
    for (const n of needles) expect(t.logs.filter((l) => l.toLowerCase().includes(n.toLowerCase()))).toEqual([]);
  });
});
