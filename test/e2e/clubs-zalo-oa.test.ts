// The same clubs walk on Zalo OA (buttons come back as text): browse, join with a code and
// consent, RSVP, leave, rejoin, "dừng"; the address is kept encrypted only while needed, and
// the Zalo user id appears nowhere else in the database or the logs.
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../bot/admin/args.ts';
import { runAdmin } from '../../bot/admin/commands.ts';
import { schemaOf } from '../../bot/db/client.ts';
import { decrypt } from '../../bot/privacy/crypto.ts';
import { placeId } from '../../flows/clubs/index.ts';
import { type FakeZaloOa, type OaSend, startFakeZaloOa } from '../fakes/zalo-oa-server.ts';
import { OaChat, oaEnv, oaEvents, payloadIds } from '../fakes/zalo-oa-webhook.ts';
import { type TestApp, withFakeAndApp } from '../support/app.ts';
import { findInSchema } from '../support/search.ts';

let fake: FakeZaloOa;
let t: TestApp;
const CLUB = { id: 'xuan-tan', province: 'Tỉnh Đồng Nai', commune: 'Phường Long Khánh' };
const admin = (words: string[]) => runAdmin(parseArgs(words), { prisma: t.running.prisma, now: new Date(), addressKey: t.running.keys.addressKey });
const subjectOf = (chat: OaChat) => t.running.engine.subjectOf('zalo-oa', chat.userId);
const contactOf = (chat: OaChat) => t.running.prisma.contact.findUnique({ where: { subjectKey: subjectOf(chat) } });

withFakeAndApp(startFakeZaloOa, (f) => ({ env: oaEnv(f) }), async (f, app) => {
  fake = f;
  t = app;
  await admin(['club', 'create', '--id', CLUB.id, '--name', 'CLB Xuân Tân', '--province', CLUB.province, '--commune', CLUB.commune, '--venue', 'Nhà văn hóa khu phố 3']);
  await admin(['series', 'add', '--club', CLUB.id, '--rrule', 'FREQ=WEEKLY;BYDAY=SA', '--start', '2026-01-03T08:00', '--duration', '120', '--topic', 'Sinh hoạt định kỳ']);
});

async function newChat(): Promise<OaChat> {
  const chat = new OaChat(fake, t.url, t.running.prisma);
  const welcome = await chat.post(oaEvents.follow(fake.appId, chat.userId));
  await chat.choose(await chat.choose(welcome, 'lang.vi'), 'consent.yes');
  return chat;
}

async function browseToCard(chat: OaChat): Promise<OaSend[]> {
  let r = await chat.tap('menu.clubs');
  for (const id of ['clubs.find', `clubs.p.${placeId(CLUB.province)}`, `clubs.c.${placeId(CLUB.commune)}`, `clubs.card.${CLUB.id}`]) {
    r = await chat.choose(r, id);
  }
  return r;
}

async function join(chat: OaChat, card: OaSend[], code: string): Promise<OaSend[]> {
  await chat.choose(card, `clubs.join.${CLUB.id}`);
  return chat.choose(await chat.say(code), 'clubs.consent.yes');
}

describe('clubs over Zalo OA', () => {
  it('join, RSVP, leave, rejoin, "dừng": the encrypted address lives only while needed', async () => {
    const code = (await admin(['invite', 'create', '--club', CLUB.id, '--role', 'member', '--uses', '5'])).match(/[A-Z0-9]{4}-[A-Z0-9]{4}/)![0];
    const member = await newChat();
    const browser = await newChat();
    await browseToCard(browser);

    const joined = await join(member, await browseToCard(member), code);
    const contact = await contactOf(member);
    expect(decrypt(t.running.keys.addressKey, contact!.addressEnc!)).toBe(member.userId);
    expect((await contactOf(browser))?.addressEnc ?? null).toBeNull();
    const m = await t.running.prisma.membership.findFirstOrThrow({ where: { subjectKey: subjectOf(member) } });

    const yes = payloadIds(joined).find((id) => /^rsvp\.\d+\.yes$/.test(id))!;
    await member.choose(joined, yes);
    expect(await t.running.prisma.rsvp.findMany({ where: { membershipId: m.id } })).toEqual([expect.objectContaining({ answer: 'yes' })]);

    await member.tap(`clubs.leave.${CLUB.id}`);
    await member.tap('clubs.leave.yes');
    expect((await t.running.prisma.membership.findUniqueOrThrow({ where: { id: m.id } })).status).toBe('left');
    expect((await contactOf(member))?.addressEnc ?? null).toBeNull();

    await join(member, await member.tap(`clubs.card.${CLUB.id}`), code);
    expect((await contactOf(member))?.addressEnc).toBeTruthy();
    await member.say('dừng');
    expect((await t.running.prisma.membership.findUniqueOrThrow({ where: { id: m.id } })).remindersOn).toBe(false);
    expect((await contactOf(member))?.addressEnc ?? null).toBeNull();

    const ids = [member.userId, browser.userId];
    expect(await findInSchema(t.databaseUrl, schemaOf(t.databaseUrl), ids)).toEqual([]);
    for (const id of ids) expect(t.logs.filter((l) => l.includes(id))).toEqual([]);
  });
});
