// Nothing lost when the Bot API fails: five people write /start while the Bot API answers 500,
// then 429 with retry_after, then hangs (no answer; the connection dropped). Their turns commit
// with the replies in the outbox; once the Bot API recovers every reply arrives, none twice.
import { describe, expect, it } from 'vitest';
import { type FakeTelegram, startFakeTelegram } from '../fakes/telegram-server.ts';
import { eventually, type TestApp, withFakeAndApp } from '../support/app.ts';
import { person, postUpdate, telegramEnv, updates } from '../support/telegram.ts';

let fake: FakeTelegram;
let t: TestApp;

withFakeAndApp(startFakeTelegram, (f) => ({ env: telegramEnv(f) }), (f, app) => {
  fake = f;
  t = app;
});

const accepted = (chatId: number) => fake.calls('sendMessage').filter((c) => String(c.params['chat_id']) === String(chatId) && c.status === 200);

describe('telegram delivery through faults', () => {
  it('500s, then 429s, then a hang: every reply arrives once the Bot API recovers, none twice', async () => {
    const people = Array.from({ length: 5 }, () => person());
    fake.failNext('sendMessage', 8, { kind: 'server_error' });
    fake.failNext('sendMessage', 3, { kind: 'rate_limited', retryAfter: 2 });
    fake.failNext('sendMessage', 2, { kind: 'hang', ms: 11_000 });
    const results = await Promise.all(people.map((p) => postUpdate(t.url, updates.text(p, '/start'))));
    // The turns are done (state and log committed) whatever the Bot API did.
    expect(results.map((r) => r.status)).toEqual(people.map(() => 200));
    expect(await t.running.prisma.interactionLog.count({ where: { eventKind: 'start' } })).toBe(5);

    // Generous bound: back-off after each failure, the hangs end with the client's timeout.
    await eventually(async () => (await t.running.prisma.outbox.count()) === 0 && people.every((p) => accepted(p.chatId).length > 0), 120_000);
    const ui = t.running.content.ui;
    for (const p of people) {
      const got = accepted(p.chatId);
      expect(got).toHaveLength(1);
      expect(got[0]!.params['text']).toBe(`${ui.welcome.vi}\n\n${ui.chooseLanguage.vi}`);
    }
    // Every kind of failure was met on the way.
    const statuses = fake.calls('sendMessage').map((c) => c.status);
    expect(statuses.filter((s) => s === 500)).toHaveLength(8);
    expect(statuses.filter((s) => s === 429)).toHaveLength(3);
    // Never answered (0 while the fake still holds it, -1 once it dropped the connection).
    expect(statuses.filter((s) => s === 0 || s === -1)).toHaveLength(2);

    // The next message of one of them is answered at once, and nothing is repeated.
    const before = fake.calls('sendMessage').length;
    await postUpdate(t.url, updates.callback(people[0]!, 'lang.vi'));
    expect(accepted(people[0]!.chatId)).toHaveLength(2);
    expect(fake.calls('sendMessage').length - before).toBe(1);
  });
});
