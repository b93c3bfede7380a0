// The Zalo Bot Platform by webhook (PUBLIC_URL set) through the real HTTP server against a fake
// Bot API: setWebhook at start, the secret header, wrapped and bare bodies, dedupe on message_id,
// numbered choices, kind answers to what is not text, the screening walked to its result, and the
// privacy search (no chat id, display name or typed text in any table or log line).
import { describe, expect, it } from 'vitest';
import { BotChat } from '../fakes/zalo-bot-chat.ts';
import { BOT_WEBHOOK_SECRET, botEnv, botUpdates, type FakeZaloBot, newChatId, postBotUpdate, startFakeZaloBot } from '../fakes/zalo-bot-server.ts';
import { numberOf } from '../fakes/zalo-oa-webhook.ts';
import { walkAssistOnZalo } from '../fakes/zalo-screening.ts';
import { type TestApp, type TestDb, withFakeAndApps } from '../support/app.ts';
import { findInSchema } from '../support/search.ts';

let fake: FakeZaloBot;
let db: TestDb;
let t: TestApp;

withFakeAndApps(startFakeZaloBot, (f) => botEnv(f, 'webhook'), 1, (f, [app], database) => {
  [fake, t, db] = [f, app!, database];
});

const chat = (person: { chatId?: string; displayName?: string } = {}) => new BotChat(fake, db.prisma, t.url, person);
const logCount = () => db.prisma.interactionLog.count();

describe('zalo-bot webhook', () => {
  it('sets the webhook at start with the secret, and never polls', () => {
    expect(fake.calls('setWebhook').at(-1)!.params).toEqual({ url: 'https://donghanh.example.org/webhooks/zalo-bot', secret_token: BOT_WEBHOOK_SECRET });
    expect(fake.calls('getMe')).toHaveLength(1);
    expect(fake.calls('getUpdates')).toHaveLength(0);
    expect(fake.calls('deleteWebhook')).toHaveLength(0);
  });

  it('answers a wrapped body and a bare one alike, with the choices as a numbered list', async () => {
    const wrapped = await chat().say('Chào', true);
    const bare = await chat().say('Chào', false);
    const ui = t.running.content.ui;
    // One message: the welcome runs into the language question and its numbered choices.
    expect(wrapped).toHaveLength(1);
    expect(bare).toEqual(wrapped);
    expect(wrapped[0]!.startsWith(`${ui.welcome.vi}\n\n${ui.chooseLanguage.vi}\n`)).toBe(true);
    expect(wrapped[0]).toMatch(/\n1\. Tiếng Việt\n2\. English$/);
  });

  it.each([
    ['wrong', 'not-the-secret-at-all'],
    ['missing', null],
  ] as const)('refuses a %s secret with 401 and records nothing', async (_name, secret) => {
    const logs = await logCount();
    const res = await postBotUpdate(t.url, botUpdates.wrap(botUpdates.text({ chatId: newChatId(), displayName: 'Lan' }, 'Chào')), secret);
    expect(res.status).toBe(401);
    expect(await db.prisma.inboundEvent.count()).toBe(0);
    expect(await logCount()).toBe(logs);
  });

  it('answers malformed JSON and non-updates with 400', async () => {
    expect((await postBotUpdate(t.url, '{"ok":true,"result":{')).status).toBe(400);
    expect((await postBotUpdate(t.url, { hello: 'world' })).status).toBe(400);
    expect((await postBotUpdate(t.url, [])).status).toBe(400);
  });

  it('ignores an update replayed with the same message_id', async () => {
    const c = chat();
    const update = botUpdates.text(c.person, 'Chào');
    const first = await c.post(update);
    expect(first.length).toBeGreaterThan(0);
    const logs = await logCount();
    expect(await c.post(update)).toHaveLength(0);
    expect(await c.post(update, false)).toHaveLength(0);
    expect(await logCount()).toBe(logs);
  });

  it('answers images, stickers and unsupported messages kindly, and ignores groups', async () => {
    const c = chat();
    const first = await c.say('Chào');
    await c.say(numberOf(first, 'Tiếng Việt'));
    const unsupported = t.running.content.ui.unsupported.vi;
    for (const kind of ['message.image.received', 'message.sticker.received', 'message.unsupported.received'] as const) {
      // One message: the kind note runs into the menu and its numbered choices.
      const replies = await c.post(botUpdates.other(c.person, kind));
      expect(replies).toHaveLength(1);
      expect(replies[0]!.startsWith(`${unsupported}\n\n${t.running.content.ui.menuTitle.vi}\n`)).toBe(true);
      expect(numberOf(replies, t.running.content.ui.menuScreening.vi)).toMatch(/^\d+$/);
    }
    expect(await c.post(botUpdates.group(c.person, 'Chào'))).toHaveLength(0);
  });

  it.each([
    ['a photo captioned', 'message.image.received'],
    ['an unsupported event carrying', 'message.unsupported.received'],
  ] as const)('answers %s crisis words with the crisis answer, as if they were typed', async (_name, kind) => {
    const words = 'tôi muốn chết';
    const typed = await chat().say(words);
    const c = chat();
    const replies = await c.post(botUpdates.other(c.person, kind, undefined, words));
    expect(replies.length).toBeGreaterThan(0);
    expect(replies).toEqual(typed);
    expect(replies[0]!.startsWith(t.running.content.ui.welcome.vi)).toBe(false);
    const row = await db.prisma.interactionLog.findFirst({ where: { channel: 'zalo-bot' }, orderBy: { id: 'desc' } });
    expect(row).toMatchObject({ flow: 'crisis', outcome: 'crisis' });
  });

  it('takes a caption’s words through the flows like typed words', async () => {
    const c = chat();
    await c.say(numberOf(await c.say('Chào'), 'Tiếng Việt'));
    const viaPhoto = await c.post(botUpdates.other(c.person, 'message.image.received', undefined, 'menu'));
    expect(viaPhoto.at(-1)).toContain(t.running.content.ui.menuScreening.vi);
    expect(viaPhoto.join('\n')).not.toContain(t.running.content.ui.unsupported.vi);
  });
});

describe('zalo-bot conversation', () => {
  const CHAT_ID = '8f3a2c91d7e4b6051a2c';
  const NAME = 'Xuânthịnhquế Vĩnhphúcđào';
  const SENTENCE = 'Con mèo tam thể nhà tôi thích ngủ trên chiếc ghế mây màu xanh lục';

  it('walks the screening to its result by typed numbers, then keeps no id, name or text', async () => {
    const c = chat({ chatId: CHAT_ID, displayName: NAME });
    const ui = t.running.content.ui;
    const first = await c.say('Chào');
    const consent = await c.say(numberOf(first, 'Tiếng Việt'));
    const menu = await c.say(numberOf(consent, ui.consentAgree.vi));
    expect(menu.at(-1)).toContain(ui.menuScreening.vi);
    expect((await c.say(SENTENCE)).length).toBeGreaterThan(0);

    const walk = await walkAssistOnZalo({
      prisma: db.prisma,
      subject: t.running.engine.subjectOf('zalo-bot', CHAT_ID),
      choose: async (_id, n) => {
        const got = await c.say(String(n));
        expect(got.length).toBeGreaterThan(0);
        return got;
      },
      typeAlong: () => c.say(SENTENCE),
    });
    expect(walk.taps).toBeGreaterThan(5);
    expect(await db.prisma.screeningResult.count({ where: { channel: 'zalo-bot', instrument: 'ASSIST' } })).toBeGreaterThan(0);

    expect(await db.prisma.interactionLog.count()).toBeGreaterThan(10);
    const needles = [CHAT_ID, NAME, 'Vĩnhphúcđào', SENTENCE, 'mèo tam thể', 'ghế mây'];
    expect(await findInSchema(db.url, db.schema, needles)).toEqual([]);
    for (const needle of [...needles, fake.token, fake.token.split(':')[1]!, BOT_WEBHOOK_SECRET]) {
      const hits = t.logs.filter((line) => line.toLowerCase().includes(needle.toLowerCase()));
      expect(hits, `log lines containing ${needle}`).toEqual([]);
    }
  });
});
