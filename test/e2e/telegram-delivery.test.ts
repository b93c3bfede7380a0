// Sending replies through a Bot API that fails: 429 honours retry_after (a short one at once, a
// longer one through the outbox), 403 marks the contact blocked, 5xx gets one retry and then the
// outbox's back-off.
import { describe, expect, it } from 'vitest';
import { MAX_DELIVERING } from '../../bot/engine/engine.ts';
import { type FakeTelegram, startFakeTelegram } from '../fakes/telegram-server.ts';
import { deliveriesDone, eventually, type TestApp, withFakeAndApp } from '../support/app.ts';
import { choiceIds, person, postUpdate, sendUpdate, TelegramChat, telegramEnv, updates } from '../support/telegram.ts';

let fake: FakeTelegram;
let t: TestApp;

// A tapped button waits for the webhook's response unless the commit itself takes 5 s.
withFakeAndApp(startFakeTelegram, (f) => ({ env: telegramEnv(f), telegram: { answerWithinMs: 5000 } }), (f, app) => {
  fake = f;
  t = app;
});

function attemptsTo(chatId: number) {
  return fake.calls('sendMessage').filter((c) => String(c.params['chat_id']) === String(chatId));
}

describe('telegram delivery', () => {
  it('waits retry_after on a 429 and then delivers', async () => {
    const p = person();
    fake.failNext('sendMessage', 1, { kind: 'rate_limited', retryAfter: 1 });
    const res = await postUpdate(t.url, updates.text(p, '/start'));
    expect(res.status).toBe(200);
    const calls = attemptsTo(p.chatId);
    // One message for the turn (welcome and language question merged): refused once, then sent.
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[0]!.status).toBe(429);
    expect(calls[1]!.status).toBe(200);
    expect(calls[1]!.params['text']).toBe(calls[0]!.params['text']);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(950);
    // The whole turn arrived: welcome and the language question, with the language buttons.
    const ui = t.running.content.ui;
    expect(calls[1]!.params['text']).toBe(`${ui.welcome.vi}\n\n${ui.chooseLanguage.vi}`);
    expect(choiceIds([calls[1]!])).toEqual(['lang.vi', 'lang.en']);
  });

  it('leaves a retry_after beyond the bound to the outbox: the webhook answers, the reply arrives after it, once', async () => {
    const p = person();
    fake.failNext('sendMessage', 1, { kind: 'rate_limited', retryAfter: 12 });
    const res = await postUpdate(t.url, updates.text(p, '/start'));
    expect(res.status).toBe(200);
    expect(attemptsTo(p.chatId).map((c) => c.status)).toEqual([429]);
    expect(await t.running.prisma.outbox.count()).toBe(1);
    await eventually(async () => (await t.running.prisma.outbox.count()) === 0 && attemptsTo(p.chatId).length === 2);
    const calls = attemptsTo(p.chatId);
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    // Not before Telegram said it could be.
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(11_900);
  });

  it('answers the webhook once the turn is committed, while its reply is held up; the next turn waits for that reply', async () => {
    const p = person();
    // Told to wait 5 s: the channel waits it out (within its bound) before the reply goes.
    fake.failNext('sendMessage', 1, { kind: 'rate_limited', retryAfter: 5 });
    const first = await sendUpdate(t.url, updates.text(p, '/start'));
    expect(first.status).toBe(200);
    // Answered with the reply not yet out: the outbox row holds it from the commit on.
    expect(attemptsTo(p.chatId).filter((c) => c.status === 200)).toHaveLength(0);
    expect(await t.running.prisma.outbox.count()).toBe(1);
    // The person taps meanwhile: answered too, and its reply goes only after the first.
    const second = await sendUpdate(t.url, updates.callback(p, 'lang.vi'));
    expect(second.status).toBe(200);
    await deliveriesDone(t.url);
    const delivered = attemptsTo(p.chatId).filter((c) => c.status === 200);
    const ui = t.running.content.ui;
    expect(delivered.map((c) => c.params['text'])).toEqual([`${ui.welcome.vi}\n\n${ui.chooseLanguage.vi}`, expect.any(String)]);
    expect(delivered[0]!.at).toBeLessThanOrEqual(delivered[1]!.at);
    expect(attemptsTo(p.chatId).map((c) => c.status)).toEqual([429, 200, 200]);
    await eventually(async () => (await t.running.prisma.outbox.count()) === 0);
  });

  it('answers at the commit at most MAX_DELIVERING turns whose replies are still going out; the rest after their sends', async () => {
    const extra = 6;
    const people = Array.from({ length: MAX_DELIVERING + extra }, () => person());
    // Every reply held up 8 s by a 429 (waited out by the channel, within its bound): longer
    // than all the turns take to commit, so no slot frees meanwhile.
    fake.failNext('sendMessage', people.length, { kind: 'rate_limited', retryAfter: 8 });
    const answeredAt = await Promise.all(
      people.map(async (p) => {
        const res = await sendUpdate(t.url, updates.text(p, '/start'));
        expect(res.status).toBe(200);
        return Date.now();
      }),
    );
    await deliveriesDone(t.url);
    // Which webhooks were answered only once their own reply was out.
    const late = people.filter((p, i) => {
      const sent = attemptsTo(p.chatId).find((c) => c.status === 200)!;
      return answeredAt[i]! >= sent.at;
    });
    expect(late).toHaveLength(extra);
    for (const p of people) expect(attemptsTo(p.chatId).map((c) => c.status)).toEqual([429, 200]);
    await eventually(async () => (await t.running.prisma.outbox.count()) === 0);
  });

  it('answers a tapped button in the webhook response at the commit, while the reply is held up by a 429, before the reply goes', async () => {
    const chat = new TelegramChat(fake, t.url, person());
    await chat.say('/start');
    fake.failNext('sendMessage', 1, { kind: 'rate_limited', retryAfter: 2 });
    const tap = updates.callback(chat.person, 'lang.vi');
    await chat.post(tap);
    const answers = fake.calls('answerCallbackQuery').filter((c) => c.params['callback_query_id'] === tap.callback_query.id);
    // Once, in the webhook's response: the turn is answered at its commit, not after the
    // reply's 2 s wait, so the spinner stops without a request of its own.
    expect(answers).toHaveLength(1);
    expect(answers[0]!.viaWebhook).toBe(true);
    expect(answers[0]!.status).toBe(200);
    const delivered = attemptsTo(chat.person.chatId).filter((c) => c.status === 200).at(-1)!;
    expect(answers[0]!.at).toBeLessThan(delivered.at);
  });

  it('marks the contact blocked on a 403 and stops sending', async () => {
    const chat = new TelegramChat(fake, t.url, person());
    await chat.say('/start');
    const subject = t.running.engine.subjectOf('telegram', String(chat.person.chatId));
    expect((await t.running.prisma.contact.findUnique({ where: { subjectKey: subject } }))?.status).toBe('active');
    fake.failNext('sendMessage', 1, { kind: 'blocked' });
    const before = attemptsTo(chat.person.chatId).length;
    const res = await postUpdate(t.url, updates.callback(chat.person, 'lang.vi'));
    expect(res.status).toBe(200);
    // One attempt (refused), then nothing more for this turn.
    expect(attemptsTo(chat.person.chatId).length - before).toBe(1);
    expect((await t.running.prisma.contact.findUnique({ where: { subjectKey: subject } }))?.status).toBe('blocked');
  });

  it('retries a 500 once and delivers', async () => {
    const p = person();
    fake.failNext('sendMessage', 1, { kind: 'server_error' });
    expect((await postUpdate(t.url, updates.text(p, '/start'))).status).toBe(200);
    const calls = attemptsTo(p.chatId);
    expect(calls.map((c) => c.status).slice(0, 2)).toEqual([500, 200]);
  });

  it('after a second 500 the reply waits in the outbox and arrives later; the turn is not processed twice', async () => {
    const p = person();
    fake.failNext('sendMessage', 2, { kind: 'server_error' });
    const update = updates.text(p, '/start');
    expect((await postUpdate(t.url, update)).status).toBe(200);
    expect(attemptsTo(p.chatId).map((c) => c.status)).toEqual([500, 500]);
    await eventually(async () => (await t.running.prisma.outbox.count()) === 0 && attemptsTo(p.chatId).length === 3);
    expect((await postUpdate(t.url, update)).status).toBe(200);
    expect(attemptsTo(p.chatId).map((c) => c.status)).toEqual([500, 500, 200]);
    expect(await t.running.prisma.interactionLog.count({ where: { eventKind: 'start' } })).toBeGreaterThanOrEqual(1);
  });

  it('a reply behind one waiting for a retry is free for any sender once that one is out, in order', async () => {
    const p = person();
    fake.failNext('sendMessage', 2, { kind: 'server_error' });
    expect((await postUpdate(t.url, updates.text(p, '/start'))).status).toBe(200);
    expect(attemptsTo(p.chatId).map((c) => c.status)).toEqual([500, 500]);
    // The welcome waits for its retry; the tap's reply is behind it.
    expect((await postUpdate(t.url, updates.callback(p, 'lang.vi'))).status).toBe(200);
    const subject = t.running.engine.subjectOf('telegram', String(p.chatId));
    const rows = await t.running.prisma.outbox.findMany({ where: { subjectKey: subject }, orderBy: { id: 'asc' } });
    // Not leased by the turn that wrote it (or already taken by a sender): it waits for the
    // older row only, not for a lease of its own to run out.
    for (const r of rows.slice(1)) expect(r.leasedUntil === null || r.attempts > 0).toBe(true);
    await eventually(async () => (await t.running.prisma.outbox.count({ where: { subjectKey: subject } })) === 0);
    const accepted = attemptsTo(p.chatId).filter((c) => c.status === 200);
    expect(accepted).toHaveLength(2);
    expect(JSON.stringify(accepted[0]!.params['reply_markup'])).toContain('lang.vi');
    expect(JSON.stringify(accepted[1]!.params['reply_markup'])).not.toContain('lang.vi');
  });
});
