// The Zalo Bot Platform by long polling (no PUBLIC_URL): deleteWebhook then getUpdates, never
// both; 408 means "no update" and polls again at once; one update per answer; failures back
// off and a refused token shows on /readyz until polling works again.
import { describe, expect, it } from 'vitest';
import { BotChat } from '../fakes/zalo-bot-chat.ts';
import { botEnv, botUpdates, type FakeZaloBot, postBotUpdate, startFakeZaloBot } from '../fakes/zalo-bot-server.ts';
import { numberOf } from '../fakes/zalo-oa-webhook.ts';
import { eventually, type TestApp, withFakeAndApp } from '../support/app.ts';

let fake: FakeZaloBot;
let t: TestApp;

withFakeAndApp(() => startFakeZaloBot({ holdMs: 200 }), (f) => ({ env: botEnv(f, 'polling') }), (f, app) => {
  fake = f;
  t = app;
});

describe('zalo-bot polling', () => {
  it('deletes any webhook, polls with a string timeout, and has no webhook route', async () => {
    expect(fake.calls('deleteWebhook')).toHaveLength(1);
    expect(fake.calls('setWebhook')).toHaveLength(0);
    await eventually(() => fake.calls('getUpdates').length >= 1);
    expect(fake.calls('getUpdates')[0]!.params).toEqual({ timeout: '30' });
    expect((await postBotUpdate(t.url, { event_name: 'message.text.received' })).status).toBe(404);
  });

  it('polls again at once after 408 (no update)', async () => {
    const before = fake.calls('getUpdates').length;
    await new Promise((r) => setTimeout(r, 1500));
    // The last call may still be waiting.
    const timeouts = fake.calls('getUpdates').slice(before, -1);
    expect(timeouts.length).toBeGreaterThanOrEqual(4);
    expect(timeouts.every((c) => c.status === 408)).toBe(true);
  });

  it('takes updates one at a time and answers them', async () => {
    const c = new BotChat(fake, t.running.prisma, null);
    const first = await c.say('Chào');
    // One message: the welcome, then the language question with its numbered choices.
    const ui = t.running.content.ui;
    expect(first).toHaveLength(1);
    expect(first[0]!.startsWith(`${ui.welcome.vi}\n\n${ui.chooseLanguage.vi}\n`)).toBe(true);
    expect(first[0]).toMatch(/\n1\. Tiếng Việt\n2\. English$/);
    const consent = await c.say(numberOf(first, 'Tiếng Việt'));
    const menu = await c.say(numberOf(consent, t.running.content.ui.consentAgree.vi));
    expect(menu.at(-1)).toContain(t.running.content.ui.menuScreening.vi);
    const subject = t.running.engine.subjectOf('zalo-bot', c.person.chatId);
    expect(await t.running.prisma.conversation.findUnique({ where: { subjectKey: subject } })).toMatchObject({ flow: 'menu', step: 'main', locale: 'vi' });
  });

  it('records a polled update with a NUL in message_id, and goes on to the next', async () => {
    const c = new BotChat(fake, t.running.prisma, null);
    fake.queueUpdate(botUpdates.text(c.person, 'Chào', `nul\u0000${Date.now()}`));
    fake.queueUpdate(botUpdates.text(c.person, 'menu'));
    // An update that could not be recorded would be retried for ever and hold the poller.
    await eventually(() => fake.texts(c.person.chatId).length >= 2);
    expect(fake.pending()).toEqual([]);
  });

  it('reports a refused token on /readyz, backs off, and recovers', async () => {
    fake.failNext('getUpdates', 1, 401);
    await eventually(async () => (await fetch(`${t.url}/readyz`)).status === 503);
    const body = (await (await fetch(`${t.url}/readyz`)).json()) as { reason: string };
    expect(body.reason).toMatch(/zalo-bot: getUpdates refused \(401\)/);
    await eventually(async () => (await fetch(`${t.url}/readyz`)).status === 200);
    const c = new BotChat(fake, t.running.prisma, null);
    // A first message from someone new: the greeting and the language question.
    expect((await c.say('Chào')).join('\n')).toContain('Which language would you like?');
  });
});
