// Sending on Zalo OA against the fake OA API and OAuth server: the token refreshed on -216 and
// ahead of expiry, every error answered with HTTP 200 mapped onto SendResult, the 7-day window,
// -32 backed off and retried, long text split, and a refresh that fails (last: it backs off).
import { describe, expect, it } from 'vitest';
import type { Channel } from '../../bot/channels/types.ts';
import { type FakeZaloOa, startFakeZaloOa } from '../fakes/zalo-oa-server.ts';
import { inboxDrained, newUserId, OaChat, oaEnv, oaEvents, postOaEvent } from '../fakes/zalo-oa-webhook.ts';
import { type TestApp, withFakeAndApp } from '../support/app.ts';

let fake: FakeZaloOa;
let t: TestApp;
let oa: Channel;

withFakeAndApp(startFakeZaloOa, (f) => ({ env: oaEnv(f) }), (f, app) => {
  fake = f;
  t = app;
  oa = t.running.channels['zalo-oa']!;
});

const prisma = () => t.running.prisma;
/** Someone who wrote to the OA a moment ago: inside Zalo's 7-day window. */
const reachable = () => {
  const userId = newUserId();
  fake.interacted(userId);
  return userId;
};
const tokenRow = () => prisma().zaloOaToken.findUniqueOrThrow({ where: { appId: fake.appId } });
const contactOf = (userId: string) => prisma().contact.findUnique({ where: { subjectKey: t.running.engine.subjectOf('zalo-oa', userId) } });

async function personInVietnamese(): Promise<OaChat> {
  const c = new OaChat(fake, t.url, prisma());
  const first = await c.say('Chào');
  await c.choose(first, 'lang.vi');
  return c;
}

describe('zalo-oa tokens', () => {
  it('stores the seeded pair encrypted', async () => {
    const row = await tokenRow();
    expect(row.accessTokenEnc).not.toContain(fake.accessToken);
    expect(row.refreshTokenEnc).not.toContain(fake.refreshToken);
    expect(row.version).toBe(1);
    expect(await (await fetch(`${t.url}/readyz`)).json()).toEqual({ ready: true });
  });

  it('refreshes once on -216, retries the send once, and succeeds', async () => {
    const c = await personInVietnamese();
    const before = fake.refreshCalls().length;
    const version = (await tokenRow()).version;
    const oldRefresh = fake.refreshToken;
    fake.revokeAccessToken();
    const replies = await c.say('menu');
    expect(replies.at(-1)!.text).toContain('Bạn muốn làm gì?');
    const calls = fake.refreshCalls().slice(before);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ ok: true, appId: fake.appId, secretKey: fake.appSecret, grantType: 'refresh_token', refreshToken: oldRefresh });
    const attempts = fake.sends(c.userId).slice(-replies.length - 1);
    expect(attempts[0]!.error).toBe(-216);
    expect(attempts.slice(1).every((s) => s.error === 0 && s.token === fake.accessToken)).toBe(true);
    const row = await tokenRow();
    expect(row.version).toBe(version + 1);
    expect(row.refreshedAt).not.toBeNull();
    expect(row.expiresAt.getTime()).toBeGreaterThan(Date.now() + 24 * 3600_000);
  });

  it('refreshes ahead of expiry, before Zalo refuses the token', async () => {
    const c = await personInVietnamese();
    await prisma().zaloOaToken.update({ where: { appId: fake.appId }, data: { expiresAt: new Date(Date.now() + 10 * 60_000) } });
    const before = fake.refreshCalls().length;
    const sendsBefore = fake.sends().length;
    expect((await c.say('menu')).at(-1)!.text).toContain('Bạn muốn làm gì?');
    expect(fake.refreshCalls().slice(before).map((r) => r.ok)).toEqual([true]);
    expect(fake.sends().slice(sendsBefore).every((s) => s.error === 0)).toBe(true);
  });
});

describe('zalo-oa send results', () => {
  it('backs off on -32 and retries', async () => {
    const userId = reachable();
    fake.failNextSends(1, { error: -32 });
    const started = performance.now();
    expect(await oa.send(userId, { text: 'Nhắc lịch' })).toMatchObject({ ok: true });
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    expect(fake.sends(userId).map((s) => s.error)).toEqual([-32, 0]);
  });

  it('gives up as rate_limited when -32 persists', async () => {
    const userId = reachable();
    fake.failNextSends(10, { error: -32 });
    const r = await oa.send(userId, { text: 'Nhắc lịch' });
    fake.failNextSends(0, { error: -32 });
    expect(r).toMatchObject({ ok: false, reason: 'rate_limited' });
    expect(fake.sends(userId).length).toBeLessThanOrEqual(5);
  });

  it.each([
    [-201, 'invalid'],
    [-240, 'invalid'],
    [-244, 'blocked'],
    [-213, 'outside_window'],
    [-217, 'outside_window'],
    [-232, 'outside_window'],
    [-234, 'rate_limited'],
    [-99999, 'invalid'],
  ] as const)('maps HTTP 200 with error %i to %s, with one call', async (code, reason) => {
    const userId = reachable();
    fake.failNextSends(1, { error: code });
    const r = await oa.send(userId, { text: 'Xin chào' });
    expect(r).toMatchObject({ ok: false, reason });
    if (code === -234) expect((r as { retryAfterMs?: number }).retryAfterMs).toBeGreaterThan(0);
    expect(fake.sends(userId)).toHaveLength(1);
  });

  it('retries -100 (a temporary error at Zalo) like a 5xx, then reports transient', async () => {
    const a = reachable();
    fake.failNextSends(1, { error: -100 });
    expect(await oa.send(a, { text: 'Xin chào' })).toMatchObject({ ok: true });
    expect(fake.sends(a).map((s) => s.error)).toEqual([-100, 0]);
    const b = reachable();
    fake.failNextSends(2, { error: -100 });
    expect(await oa.send(b, { text: 'Xin chào' })).toEqual({ ok: false, reason: 'transient' });
    expect(fake.sends(b)).toHaveLength(2);
  });

  it('treats -124 as a rejected token: one refresh, one retry', async () => {
    const userId = reachable();
    const before = fake.refreshCalls().length;
    fake.failNextSends(1, { error: -124 });
    expect(await oa.send(userId, { text: 'Xin chào' })).toMatchObject({ ok: true });
    expect(fake.sends(userId).map((s) => s.error)).toEqual([-124, 0]);
    expect(fake.refreshCalls().slice(before).map((r) => r.ok)).toEqual([true]);
  });

  it('retries an HTTP 500 once, then reports transient', async () => {
    const a = reachable();
    fake.failNextSends(1, { httpStatus: 502 });
    expect(await oa.send(a, { text: 'Xin chào' })).toMatchObject({ ok: true });
    const b = reachable();
    fake.failNextSends(2, { httpStatus: 500 });
    expect(await oa.send(b, { text: 'Xin chào' })).toEqual({ ok: false, reason: 'transient' });
    expect(fake.sends(b)).toHaveLength(2);
  });

  it('marks the contact on -230 and then sends nothing outside the window', async () => {
    const c = await personInVietnamese();
    // Zalo last saw them eight days ago (our own record says otherwise): Zalo's word wins.
    fake.interacted(c.userId, Date.now() - 8 * 24 * 3600_000);
    const sends = fake.sends(c.userId).length;
    expect(await oa.send(c.userId, { text: 'Nhắc lịch họp' })).toEqual({ ok: false, reason: 'outside_window' });
    expect(fake.sends(c.userId).slice(sends).map((s) => s.error)).toEqual([-230]);
    fake.failUser(c.userId, -230);
    expect(await c.say('menu')).toHaveLength(0);
    expect(fake.sends(c.userId).length).toBe(sends + 2);
    expect((await contactOf(c.userId))?.status).toBe('outside_window');
    fake.failUser(c.userId, null);

    // Eight days without a word from them: a reminder would not even be tried.
    await prisma().contact.update({
      where: { subjectKey: t.running.engine.subjectOf('zalo-oa', c.userId) },
      data: { lastInboundAt: new Date(Date.now() - 8 * 24 * 3600_000) },
    });
    const before = fake.sends().length;
    expect(await oa.send(c.userId, { text: 'Nhắc lịch họp' })).toEqual({ ok: false, reason: 'outside_window' });
    expect(fake.sends().length).toBe(before);

    // Writing again reopens the window.
    expect((await c.say('menu')).at(-1)!.text).toContain('Bạn muốn làm gì?');
    expect((await contactOf(c.userId))?.status).toBe('active');
  });

  it('reports someone who never wrote, or who unfollowed, as outside the window (-232, -213)', async () => {
    const stranger = newUserId();
    expect(await oa.send(stranger, { text: 'Xin chào' })).toEqual({ ok: false, reason: 'outside_window' });
    expect(fake.sends(stranger).map((s) => s.error)).toEqual([-232]);
    const c = await personInVietnamese();
    expect(await c.post(oaEvents.follow(fake.appId, c.userId, 'unfollow'))).toEqual([]);
    expect(await oa.send(c.userId, { text: 'Nhắc lịch họp' })).toEqual({ ok: false, reason: 'outside_window' });
    expect(fake.sends(c.userId).at(-1)!.error).toBe(-213);
  });

  it('refreshes when the 25-hour access token has expired (-220)', async () => {
    const userId = reachable();
    const before = fake.refreshCalls().length;
    fake.expireAccessToken();
    expect(await oa.send(userId, { text: 'Xin chào' })).toMatchObject({ ok: true });
    expect(fake.sends(userId).map((s) => s.error)).toEqual([-220, 0]);
    expect(fake.refreshCalls().slice(before).map((r) => r.ok)).toEqual([true]);
  });

  it('keeps to five buttons with short titles: more, or a long title, become a numbered list', async () => {
    const userId = reachable();
    const six = Array.from({ length: 6 }, (_, i) => ({ id: `menu.x${i}`, label: `Lựa chọn ${i + 1}` }));
    expect(await oa.send(userId, { text: 'Chọn', choices: [six] })).toMatchObject({ ok: true });
    const long = [{ id: 'menu.long', label: 'Dài '.repeat(40).trim() }];
    expect(await oa.send(userId, { text: 'Chọn', choices: [long] })).toMatchObject({ ok: true });
    const sent = fake.sends(userId);
    expect(sent.map((s) => s.error)).toEqual([0, 0]);
    expect(sent.every((s) => s.buttons.length === 0)).toBe(true);
    expect(sent[0]!.text).toContain('6. Lựa chọn 6');
    // The fake refuses what Zalo would: six buttons are -201.
    const res = await fetch(`${fake.url}/v3.0/oa/message/cs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', access_token: fake.accessToken },
      body: JSON.stringify({ recipient: { user_id: userId }, message: { text: 'x', attachment: { type: 'template', payload: { buttons: six.map((c) => ({ title: c.label, type: 'oa.query.hide', payload: `#c:${c.id}` })) } } } }),
    });
    expect(((await res.json()) as { error: number }).error).toBe(-201);
  });

  it('splits text over 2000 characters after NFC normalisation', async () => {
    const userId = reachable();
    const nfd = 'Người sau cai nghiện được hỗ trợ. '.normalize('NFD').repeat(90);
    expect(nfd.length).toBeGreaterThan(3000);
    const nfc = nfd.normalize('NFC');
    expect(await oa.send(userId, { text: nfd, choices: [[{ id: 'menu.main', label: 'Menu' }]] })).toMatchObject({ ok: true });
    const parts = fake.delivered(userId);
    expect(parts.length).toBe(Math.ceil(nfc.length / 2000));
    for (const p of parts) expect(p.text.length).toBeLessThanOrEqual(2000);
    expect(parts.map((p) => p.text).join(' ')).toBe(nfc.trim());
    expect(parts.at(-1)!.payloads).toEqual(['#c:menu.main']);
    expect(parts.slice(0, -1).every((p) => p.payloads.length === 0)).toBe(true);
  });
});

// Last: a failed refresh leaves the store backing off (as it should) for the rest of this app.
describe('zalo-oa refresh failure', () => {
  it('logs loudly, reports it on /readyz, and does not retry in a loop', async () => {
    const c = await personInVietnamese();
    const before = fake.refreshCalls().length;
    fake.revokeAccessToken();
    fake.failNextRefreshes(100);
    // The turns run; their replies wait in the outbox for a token (OaChat would wait for them).
    const delivered = fake.delivered(c.userId).length;
    for (const text of ['menu', 'menu']) {
      expect((await postOaEvent(t.url, fake.appId, oaEvents.text(fake.appId, c.userId, text))).status).toBe(200);
      await inboxDrained(prisma());
    }
    expect(fake.delivered(c.userId)).toHaveLength(delivered);
    expect(await oa.send(c.userId, { text: 'x' })).toEqual({ ok: false, reason: 'transient' });
    expect(fake.refreshCalls().slice(before)).toHaveLength(1);

    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { reason: string }).reason).toMatch(/zalo-oa: access token refresh failed \(error -14014/);
    expect(t.logs.some((l) => l.includes('ZALO OA TOKEN REFRESH FAILED'))).toBe(true);
    const row = await tokenRow();
    expect(row).toMatchObject({ failures: 1 });
    expect(row.lastError).toMatch(/-14014/);
  });
});
