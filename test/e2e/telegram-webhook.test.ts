// The Telegram webhook through the real HTTP server, against a fake Bot API: authentication,
// bad payloads, dedupe of re-delivered updates, non-text messages, long text, blocking.
import { describe, expect, it } from 'vitest';
import { type FakeTelegram, startFakeTelegram } from '../fakes/telegram-server.ts';
import { type TestApp, withFakeAndApp } from '../support/app.ts';
import { choiceIds, PUBLIC_URL, person, postUpdate, TelegramChat, telegramEnv, updates, WEBHOOK_SECRET } from '../support/telegram.ts';

let fake: FakeTelegram;
let t: TestApp;

// A tapped button always waits for the webhook's response here (no race with a timer).
withFakeAndApp(startFakeTelegram, (f) => ({ env: telegramEnv(f), telegram: { answerWithinMs: 60_000 } }), (f, app) => {
  fake = f;
  t = app;
});

const logCount = () => t.running.prisma.interactionLog.count();

/** A person past the language question, so later turns get ordinary answers. */
async function personInVietnamese() {
  const chat = new TelegramChat(fake, t.url, person());
  const first = await chat.say('/start');
  await chat.choose(first, 'lang.vi');
  return chat;
}

describe('telegram webhook', () => {
  it('sets the webhook at start with the secret and the three update types', () => {
    const call = fake.calls('setWebhook').at(-1)!;
    expect(call.params).toMatchObject({
      url: `${PUBLIC_URL}/webhooks/telegram`,
      secret_token: WEBHOOK_SECRET,
      allowed_updates: ['message', 'callback_query', 'my_chat_member'],
    });
    expect(fake.calls('getUpdates')).toHaveLength(0);
    expect(fake.calls('getMe')).toHaveLength(1);
  });

  it('answers /start with the welcome and the language choice as inline buttons', async () => {
    const chat = new TelegramChat(fake, t.url, person());
    const replies = await chat.say('/start');
    // One message: the welcome runs into the language question, which carries the buttons.
    expect(replies).toHaveLength(1);
    const ui = t.running.content.ui;
    expect(replies[0]!.params['text']).toBe(`${ui.welcome.vi}\n\n${ui.chooseLanguage.vi}`);
    expect(choiceIds(replies)).toEqual(['lang.vi', 'lang.en']);
    for (const r of replies) expect(r.params['parse_mode']).toBeUndefined();
  });

  it('treats "/start payload" as start', async () => {
    const chat = new TelegramChat(fake, t.url, person());
    const replies = await chat.say('/start ref_abc');
    expect(choiceIds(replies)).toEqual(['lang.vi', 'lang.en']);
  });

  it('refuses a wrong secret with 401 and does nothing', async () => {
    const before = await logCount();
    const res = await postUpdate(t.url, updates.text(person(), '/start'), 'wrong-secret');
    expect(res.status).toBe(401);
    expect(await logCount()).toBe(before);
  });

  it('refuses a missing secret with 401', async () => {
    const res = await postUpdate(t.url, updates.text(person(), '/start'), null);
    expect(res.status).toBe(401);
  });

  it('answers malformed JSON with 400', async () => {
    const res = await postUpdate(t.url, '{"update_id": 1, "message": {');
    expect(res.status).toBe(400);
  });

  it('answers valid JSON that is not an update with 400', async () => {
    expect((await postUpdate(t.url, { hello: 'world' })).status).toBe(400);
    expect((await postUpdate(t.url, [])).status).toBe(400);
    expect((await postUpdate(t.url, { update_id: 5, message: { chat: { id: 'x' } } })).status).toBe(400);
  });

  it('answers a body over 1 MB with 413', async () => {
    const big = { update_id: 1, message: { message_id: 1, chat: { id: 1, type: 'private' }, text: 'x'.repeat(1024 * 1024 + 10) } };
    const res = await postUpdate(t.url, big);
    expect(res.status).toBe(413);
  });

  it('ignores an update replayed with the same update_id: nothing changes, nothing is sent', async () => {
    const p = person();
    const update = updates.text(p, '/start');
    const chat = new TelegramChat(fake, t.url, p);
    const first = await chat.post(update);
    expect(first.length).toBeGreaterThan(0);
    const logs = await logCount();
    const again = await chat.post(update);
    expect(again).toHaveLength(0);
    expect(await logCount()).toBe(logs);
  });

  it('answers every callback query, duplicates included', async () => {
    const p = person();
    const chat = new TelegramChat(fake, t.url, p);
    await chat.say('/start');
    const tap = updates.callback(p, 'lang.vi');
    const replies = await chat.post(tap);
    expect(replies.length).toBeGreaterThan(0);
    expect(await chat.post(tap)).toHaveLength(0);
    const answered = fake.calls('answerCallbackQuery').filter((c) => c.params['callback_query_id'] === tap.callback_query.id);
    expect(answered).toHaveLength(2);
    // In the webhook's own response: no request of its own per tap.
    expect(answered.every((c) => c.viaWebhook === true && c.status === 200)).toBe(true);
  });

  it('answers a sticker and a photo kindly, in the person’s language', async () => {
    const chat = await personInVietnamese();
    const ui = t.running.content.ui;
    // One message each: the kind note runs into the menu, which carries the menu buttons.
    for (const update of [updates.sticker(chat.person), updates.photo(chat.person)]) {
      const replies = await chat.post(update);
      expect(replies).toHaveLength(1);
      expect(replies[0]!.params['text']).toBe(`${ui.unsupported.vi}\n\n${ui.menuTitle.vi}`);
      expect(choiceIds(replies)).toContain('menu.screening');
    }
  });

  it('caps text over 4,000 characters and says so', async () => {
    const chat = await personInVietnamese();
    const replies = await chat.say('à '.repeat(3000));
    // The note comes first, merged with the answer (the consent question asked again) into one message.
    const ui = t.running.content.ui;
    expect(replies).toHaveLength(1);
    const text = String(replies[0]!.params['text']);
    expect(text.startsWith(`${ui.truncated.vi}\n\n${ui.unknownInput.vi}\n\n`)).toBe(true);
    expect(text.endsWith(`\n\n${ui.consentQuestion.vi}`)).toBe(true);
    expect(choiceIds(replies)).toEqual(['consent.yes', 'consent.no', 'consent.more']);
  });

  it('ignores edited messages and group chats', async () => {
    const p = person();
    const before = fake.calls('sendMessage').length;
    const edited = { update_id: 900_000_001, edited_message: { message_id: 3, date: 1, chat: { id: p.chatId, type: 'private' }, text: 'sửa' } };
    expect((await postUpdate(t.url, edited)).status).toBe(200);
    const group = { update_id: 900_000_002, message: { message_id: 4, date: 1, chat: { id: -100123, type: 'supergroup' }, text: '/start' } };
    expect((await postUpdate(t.url, group)).status).toBe(200);
    expect(fake.calls('sendMessage').length).toBe(before);
  });

  it('marks the contact blocked when the person blocks the bot, and sends nothing', async () => {
    const chat = await personInVietnamese();
    const subject = t.running.engine.subjectOf('telegram', String(chat.person.chatId));
    expect((await t.running.prisma.contact.findUnique({ where: { subjectKey: subject } }))?.status).toBe('active');
    expect(await chat.post(updates.kicked(chat.person))).toHaveLength(0);
    expect((await t.running.prisma.contact.findUnique({ where: { subjectKey: subject } }))?.status).toBe('blocked');
  });

  // Last: it breaks the database on purpose.
  it('answers 500 when the turn cannot be stored, so Telegram re-delivers, and nothing is lost', async () => {
    const chat = await personInVietnamese();
    const tap = updates.callback(chat.person, 'menu.privacy');
    const prisma = t.running.prisma;
    await prisma.$executeRawUnsafe('ALTER TABLE processed_event RENAME TO processed_event_away');
    let res: Response;
    try {
      res = await postUpdate(t.url, tap);
    } finally {
      await prisma.$executeRawUnsafe('ALTER TABLE processed_event_away RENAME TO processed_event');
    }
    expect(res.status).toBe(500);
    // The button was still answered, by a request of its own (a 500 carries no call).
    expect(fake.calls('answerCallbackQuery').some((c) => c.params['callback_query_id'] === tap.callback_query.id && !c.viaWebhook && c.status === 200)).toBe(true);
    // Telegram's re-delivery is processed as if for the first time.
    expect((await chat.post(tap)).length).toBeGreaterThan(0);
  });
});
