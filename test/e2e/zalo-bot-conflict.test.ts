// The fake Zalo Bot Platform is as strict as the platform about who may poll (polling and a
// webhook exclude each other; one poller per token), and our poller takes a 409 sanely: it backs
// off, growing, says so in the log without the token or the platform's words, shows on /readyz
// when it keeps happening, and goes back to work as soon as the token is its own again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotChat } from '../fakes/zalo-bot-chat.ts';
import { botEnv, type FakeZaloBot, startFakeZaloBot } from '../fakes/zalo-bot-server.ts';
import { eventually, startTestApp, type TestApp } from '../support/app.ts';

let fake: FakeZaloBot;
let t: TestApp;

/** Another program using the same token, straight against the fake. */
const call = async (method: string, params: Record<string, unknown> = {}) => {
  const res = await fetch(`${fake.url}/bot${fake.token}/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
  return { status: res.status, body: (await res.json()) as { ok: boolean; error_code?: number; description?: string } };
};
/** Our app's polls (it asks with a 30-second timeout; the other program with '1'). */
const ours = () => fake.calls('getUpdates').filter((c) => c.params['timeout'] === '30');

describe('the fake refuses what the platform refuses', () => {
  beforeAll(async () => {
    fake = await startFakeZaloBot({ holdMs: 400 });
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('a second poller ends the first with 409; alone, a poll times out with 408', async () => {
    const first = call('getUpdates', { timeout: '1' });
    await fake.waitFor(() => fake.calls('getUpdates').length === 1);
    const second = await call('getUpdates', { timeout: '1' });
    expect((await first).status).toBe(409);
    expect((await first).body).toMatchObject({ ok: false, error_code: 409 });
    expect(second.status).toBe(408);
  });

  it('no getUpdates while a webhook is set; deleteWebhook makes polling possible again', async () => {
    expect((await call('setWebhook', { url: 'https://example.org/hook', secret_token: 'secret-12345' })).status).toBe(200);
    expect(await call('getUpdates', { timeout: '1' })).toMatchObject({ status: 409, body: { ok: false, error_code: 409 } });
    expect((await call('getWebhookInfo')).body).toMatchObject({ ok: true });
    await call('deleteWebhook');
    expect((await call('getUpdates', { timeout: '1' })).status).toBe(408);
  });

  it('setting a webhook ends a waiting poll with 409', async () => {
    const before = fake.calls('getUpdates').length;
    const waiting = call('getUpdates', { timeout: '1' });
    await fake.waitFor(() => fake.calls('getUpdates').length > before);
    await call('setWebhook', { url: 'https://example.org/hook', secret_token: 'secret-12345' });
    expect((await waiting).status).toBe(409);
    await call('deleteWebhook');
  });
});

describe('our poller meets a webhook set by someone else', () => {
  beforeAll(async () => {
    fake = await startFakeZaloBot({ holdMs: 200 });
    t = await startTestApp({ env: botEnv(fake, 'polling') });
  });
  afterAll(async () => {
    await t?.stop();
    await fake?.close();
  });

  it('backs off with growing waits, logs without secrets, shows on /readyz, and recovers', async () => {
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
