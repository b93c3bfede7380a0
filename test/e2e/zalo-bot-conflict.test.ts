// The fake Zalo Bot Platform is as strict as the platform about who may poll: polling and a
// webhook exclude each other, and one poller per token (409, as the fake Bot API). How our
// poller takes that answer: test/e2e/zalo-bot-polling.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeZaloBot, startFakeZaloBot } from '../fakes/zalo-bot-server.ts';

let fake: FakeZaloBot;

/** Another program using the same token, straight against the fake. */
const call = async (method: string, params: Record<string, unknown> = {}) => {
  const res = await fetch(`${fake.url}/bot${fake.token}/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
  return { status: res.status, body: (await res.json()) as { ok: boolean; error_code?: number; description?: string } };
};

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
