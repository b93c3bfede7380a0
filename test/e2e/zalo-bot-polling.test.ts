// The Zalo Bot Platform by long polling (no PUBLIC_URL): deleteWebhook then getUpdates, never
// both; 408 means "no update" and polls again at once; one update per answer; failures back
// off and a refused token shows on /readyz until polling works again. A 409 (a webhook set for
// the same token elsewhere, or a second poller) backs off with growing waits, is logged without
// secrets, shows on /readyz when it keeps happening, and ends as soon as the token is free.
import { describe, expect, it } from 'vitest';
import { BotChat } from '../fakes/zalo-bot-chat.ts';
import { botEnv, botUpdates, type FakeZaloBot, postBotUpdate, startFakeZaloBot } from '../fakes/zalo-bot-server.ts';
import { numberOf } from '../fakes/zalo-oa-webhook.ts';
import { eventually, type TestApp, withFakeAndApp } from '../support/app.ts';

let fake: FakeZaloBot;
let t: TestApp;

/** Another program using the same token, straight against the fake. */
const call = (method: string, params: Record<string, unknown> = {}) =>
  fetch(`${fake.url}/bot${fake.token}/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
/** Our app's polls (it asks with a 30-second timeout). */
const ours = () => fake.calls('getUpdates').filter((c) => c.params['timeout'] === '30');

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

  it('a webhook set elsewhere (409): backs off with growing waits, logs without secrets, shows on /readyz, and recovers', async () => {
    await eventually(() => ours().length >= 1);
    // Another deployment sets a webhook for the same token.
    await call('setWebhook', { url: 'https://elsewhere.example.org/hook', secret_token: 'other-secret-123' });
    const conflicts = await eventually(() => {
      const c = ours().filter((x) => x.status === 409);
      return c.length >= 3 ? c : null;
    }, 60_000);
    // Each wait at least as long as the one before, and never less than a second: no hammering.
    const gaps = conflicts.slice(1).map((c, i) => c.at - conflicts[i]!.at);
    for (const g of gaps) expect(g).toBeGreaterThanOrEqual(950);
    expect(gaps[1]!).toBeGreaterThanOrEqual(gaps[0]!);
    await eventually(async () => (await fetch(`${t.url}/readyz`)).status === 503);
    const body = (await (await fetch(`${t.url}/readyz`)).json()) as { reason: string };
    expect(body.reason).toMatch(/zalo-bot: getUpdates conflict \(409\)/);
    const lines = t.logs.filter((l) => l.includes('getUpdates conflict'));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const l of t.logs) {
      expect(l).not.toContain(fake.token);
      expect(l).not.toContain('other-secret-123');
      expect(l).not.toContain('elsewhere.example.org');
      expect(l).not.toContain("can't use getUpdates");
    }

    // The webhook goes: the next poll works, /readyz is green again, and people are answered.
    await call('deleteWebhook');
    await eventually(async () => (await fetch(`${t.url}/readyz`)).status === 200, 120_000);
    const c = new BotChat(fake, t.running.prisma, null);
    expect((await c.say('Chào')).length).toBeGreaterThan(0);
  });
});
