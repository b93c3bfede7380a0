// The bot against a fake Bot API as strict as Telegram: long text is split under 4096
// characters, more than 100 choices become a numbered list (Telegram refuses a 101st inline
// button), a second poller on one token is ended with 409 while the first goes on, getUpdates
// is refused while a webhook is set, and messages from groups are never answered.
import { Api } from 'grammy';
import { describe, expect, it } from 'vitest';
import { startPolling } from '../../bot/channels/telegram/poll.ts';
import type { Channel } from '../../bot/channels/types.ts';
import { createLogger } from '../../bot/logger.ts';
import { type FakeTelegram, startFakeTelegram, TG_LIMITS } from '../fakes/telegram-server.ts';
import { type TestApp, withFakeAndApp } from '../support/app.ts';
import { person, postUpdate, telegramEnv, updates } from '../support/telegram.ts';

let fake: FakeTelegram;
let t: TestApp;
let tg: Channel;

withFakeAndApp(startFakeTelegram, (f) => ({ env: telegramEnv(f, 'webhook') }), (f, app) => {
  fake = f;
  t = app;
  tg = t.running.channels.telegram!;
});

const sentTo = (chatId: number) => fake.calls('sendMessage').filter((c) => String(c.params['chat_id']) === String(chatId));

describe('the fake refuses what Telegram refuses', () => {
  it.each([
    ['empty text', { text: '' }, 'message text is empty'],
    ['text over 4096 characters', { text: 'x'.repeat(TG_LIMITS.text + 1) }, 'message is too long'],
    ['101 inline buttons', { text: 'x', reply_markup: { inline_keyboard: Array.from({ length: 101 }, (_, i) => [{ text: `b${i}`, callback_data: `c${i}` }]) } }, 'too many inline keyboard buttons'],
    ['callback_data of 65 bytes', { text: 'x', reply_markup: { inline_keyboard: [[{ text: 'b', callback_data: 'c'.repeat(65) }]] } }, 'BUTTON_DATA_INVALID'],
    ['empty callback_data', { text: 'x', reply_markup: { inline_keyboard: [[{ text: 'b', callback_data: '' }]] } }, 'BUTTON_DATA_INVALID'],
  ])('%s → 400', async (_name, params, description) => {
    const res = await fetch(`${fake.url}/bot${fake.token}/sendMessage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat_id: 1, ...params }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { description: string }).description).toContain(description);
  });
});

describe('the bot within Telegram’s limits', () => {
  it('splits a long text into parts Telegram takes', async () => {
    const p = person();
    const text = 'Người sau cai nghiện được hỗ trợ. '.repeat(300);
    expect(text.length).toBeGreaterThan(2 * TG_LIMITS.text);
    expect(await tg.send(String(p.chatId), { text })).toMatchObject({ ok: true });
    const calls = sentTo(p.chatId);
    expect(calls.map((c) => c.status).every((s) => s === 200)).toBe(true);
    expect(calls.length).toBeGreaterThanOrEqual(3);
  });

  it('shows more than 100 choices as a numbered list', async () => {
    const p = person();
    const choices = Array.from({ length: 120 }, (_, i) => [{ id: `menu.c${i}`, label: `Xã ${i + 1}` }]);
    expect(await tg.send(String(p.chatId), { text: 'Chọn xã', choices })).toMatchObject({ ok: true });
    const calls = sentTo(p.chatId);
    expect(calls.map((c) => c.status)).toEqual(calls.map(() => 200));
    const all = calls.map((c) => String(c.params['text'])).join('\n');
    expect(all).toContain('1. Xã 1');
    expect(all).toContain('120. Xã 120');
    expect(calls.every((c) => c.params['reply_markup'] === undefined)).toBe(true);
  });

  it('keeps up to 100 choices as buttons', async () => {
    const p = person();
    const choices = Array.from({ length: 100 }, (_, i) => [{ id: `menu.c${i}`, label: `Xã ${i + 1}` }]);
    expect(await tg.send(String(p.chatId), { text: 'Chọn xã', choices })).toMatchObject({ ok: true });
    const markup = sentTo(p.chatId).at(-1)!.params['reply_markup'] as { inline_keyboard: unknown[][] };
    expect(markup.inline_keyboard.flat()).toHaveLength(100);
  });

  it('never answers a group or a supergroup', async () => {
    const before = fake.calls('sendMessage').length;
    for (const [id, type] of [
      [-4012345678, 'group'],
      [-1001234567890, 'supergroup'],
    ] as const) {
      const update = { update_id: 910_000_000 + Math.abs(id % 1000), message: { message_id: 1, date: 1, chat: { id, type, title: 'Nhóm' }, from: { id: 5, is_bot: false, first_name: 'A' }, text: 'tôi muốn chết' } };
      expect((await postUpdate(t.url, update)).status).toBe(200);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.calls('sendMessage').length).toBe(before);
  });
});

describe('one poller per token', () => {
  it('a second poller ends the first with 409; updates still arrive once each', async () => {
    const own = await startFakeTelegram();
    const seen: number[] = [];
    const poller = (name: string) =>
      startPolling({
        api: new Api(own.token, { apiRoot: own.url }),
        log: createLogger('silent'),
        timeoutSeconds: 1,
        maxBackoffMs: 50,
        process: async (u) => {
          seen.push(u.update_id);
          void name;
        },
      });
    const a = poller('a');
    await own.waitFor(() => own.calls('getUpdates').length > 0);
    const b = poller('b');
    try {
      await own.waitFor(() => own.calls('getUpdates').some((c) => c.status === 409));
      await b.stop();
      const p = person();
      own.queueUpdate(updates.text(p, 'một', 21));
      own.queueUpdate(updates.text(p, 'hai', 22));
      await own.waitFor(() => seen.includes(22));
      expect(seen.filter((id) => id >= 21)).toEqual([21, 22]);
    } finally {
      await a.stop();
      await b.stop();
      await own.close();
    }
  });

  it('refuses getUpdates while a webhook is set (409), until it is deleted', async () => {
    const own = await startFakeTelegram();
    try {
      const api = new Api(own.token, { apiRoot: own.url });
      await api.setWebhook('https://donghanh.example.org/webhooks/telegram');
      await expect(api.getUpdates({ timeout: 0 })).rejects.toMatchObject({ error_code: 409 });
      await api.deleteWebhook();
      await expect(api.getUpdates({ timeout: 0 })).resolves.toEqual([]);
    } finally {
      await own.close();
    }
  });
});
