// Long polling mode (no PUBLIC_URL): updates come from the fake getUpdates, the webhook route
// does not exist, and stopping the app ends the long poll at once.
import { describe, expect, it } from 'vitest';
import { Api } from 'grammy';
import { startPolling } from '../../bot/channels/telegram/poll.ts';
import { createLogger } from '../../bot/logger.ts';
import { type FakeTelegram, startFakeTelegram } from '../fakes/telegram-server.ts';
import { type TestApp, withFakeAndApp } from '../support/app.ts';
import { buttonsOf, person, postUpdate, telegramEnv, updates } from '../support/telegram.ts';

let fake: FakeTelegram;
let t: TestApp;

withFakeAndApp(startFakeTelegram, (f) => ({ env: telegramEnv(f, 'polling') }), (f, app) => {
  fake = f;
  t = app;
});

const sentTo = (chatId: number) => fake.calls('sendMessage').filter((c) => String(c.params['chat_id']) === String(chatId) && c.status === 200);

describe('telegram long polling', () => {
  it('deletes any webhook first and never sets one', async () => {
    await fake.waitFor(() => fake.calls('getUpdates').length > 0);
    const methods = fake.calls().map((c) => c.method);
    expect(methods.indexOf('deleteWebhook')).toBeGreaterThanOrEqual(0);
    expect(methods.indexOf('deleteWebhook')).toBeLessThan(methods.indexOf('getUpdates'));
    expect(fake.calls('setWebhook')).toHaveLength(0);
  });

  it('has no webhook route', async () => {
    expect((await postUpdate(t.url, updates.text(person(), '/start'))).status).toBe(404);
  });

  it('picks updates from getUpdates, in order, and moves the offset past them', async () => {
    const p = person();
    fake.queueUpdate(updates.text(p, '/start'));
    const replies = await fake.waitFor(() => (sentTo(p.chatId).some((c) => buttonsOf(c).length) ? sentTo(p.chatId) : null));
    expect(replies.flatMap(buttonsOf).map((b) => b.callback_data)).toContain('lang.vi');

    const tap = updates.callback(p, 'lang.vi');
    fake.queueUpdate(tap);
    await fake.waitFor(() => fake.calls('answerCallbackQuery').some((c) => c.params['callback_query_id'] === tap.callback_query.id));
    await fake.waitFor(() => sentTo(p.chatId).some((c) => buttonsOf(c).some((b) => b.callback_data === 'consent.yes')));
    await fake.waitFor(() => fake.calls('getUpdates').some((c) => c.params['offset'] === tap.update_id + 1));
    expect(await t.running.prisma.interactionLog.count()).toBe(2);
  });

  it('stops promptly even while a long poll is open', async () => {
    await fake.waitFor(() => fake.calls('getUpdates').length > 2);
    await t.stop();
    // Promptly: the open long poll (25 s) was hung up on, not waited out (no clock needed).
    const last = fake.calls('getUpdates').at(-1)!;
    await fake.waitFor(() => last.hungUp || last.status !== 0);
    expect(last).toMatchObject({ hungUp: true, status: 0 });
    t = undefined as unknown as TestApp;
  });
});

describe('telegram poller', () => {
  it('retries a failed update without moving past it, then goes on in order', async () => {
    const own = await startFakeTelegram();
    const seen: number[] = [];
    let failures = 2;
    const poller = startPolling({
      api: new Api(own.token, { apiRoot: own.url }),
      log: createLogger('silent'),
      timeoutSeconds: 1,
      maxBackoffMs: 20,
      process: async (u) => {
        if (u.update_id === 10 && failures-- > 0) throw new Error('database down');
        seen.push(u.update_id);
      },
    });
    try {
      const p = person();
      own.queueUpdate(updates.text(p, 'một', 10));
      own.queueUpdate(updates.text(p, 'hai', 11));
      await own.waitFor(() => seen.length === 2);
      expect(seen).toEqual([10, 11]);
      expect(failures).toBe(-1);
      await own.waitFor(() => own.calls('getUpdates').some((c) => c.params['offset'] === 12));
    } finally {
      await poller.stop();
      await own.close();
    }
  });
});
