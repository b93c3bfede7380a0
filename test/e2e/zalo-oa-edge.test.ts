// The Zalo OA webhook's edge, as a table (testdata/zalo-oa-incoming.json: payload → status and
// effect): the timestamp window on signed events, group chats and anonymous senders, malformed
// JSON, a NUL in msg_id. Then what the table cannot show: a group message in the middle of a
// screening changes nothing, and an event that keeps failing is set aside while the person's
// next message is answered.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seal } from '../../bot/channels/inbox/seal.ts';
import { EVENT_MAX_AGE_MS } from '../../bot/channels/zalo-oa/signature.ts';
import { EVENT_DEDUPE_DAYS, purgeExpired } from '../../bot/jobs/retention.ts';
import { startFakeZaloOa, type FakeZaloOa } from '../fakes/zalo-oa-server.ts';
import { inboxDrained, newMsgId, newUserId, OaChat, oaEnv, oaEvents, payloadIds, postOaEvent, sign, OA_SECRET_KEY } from '../fakes/zalo-oa-webhook.ts';
import { eventually, type TestApp, withFakeAndApp } from '../support/app.ts';
import { pgSql } from '../../bot/db/sql.ts';
import { poolOf } from '../../bot/db/client.ts';

interface Case {
  name: string;
  body?: unknown;
  raw?: string;
  sign?: 'correct' | 'none';
  expect: { status: number; effect: 'answered' | 'nothing' | 'refused'; log?: string };
}
const table = JSON.parse(readFileSync(new URL('./testdata/zalo-oa-incoming.json', import.meta.url), 'utf8')) as { cases: Case[] };

let fake: FakeZaloOa;
let t: TestApp;

withFakeAndApp(startFakeZaloOa, (f) => ({ env: { ...oaEnv(f), METRICS_TOKEN: 'edge-test-metrics-token-0001' } }), (f, app) => {
  fake = f;
  t = app;
});

const prisma = () => t.running.prisma;
const contactOf = (userId: string) => prisma().contact.findUnique({ where: { subjectKey: t.running.engine.subjectOf('zalo-oa', userId) } });

/** Fill the placeholders of a table body. */
function fill(value: unknown, vars: { app: string; user: string; msg: string; now: number }): unknown {
  if (typeof value === 'string') {
    const shifted = /^\$NOW([+-]\d+)h$/.exec(value);
    if (shifted) return String(vars.now + Number(shifted[1]) * 3_600_000);
    return value.replace('$APP', vars.app).replace('$USER', vars.user).replace('$MSG', vars.msg).replace('$NOW', String(vars.now));
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, vars));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, vars)]));
  return value;
}

describe('zalo-oa webhook: incoming cases (testdata/zalo-oa-incoming.json)', () => {
  it('keeps the dedupe rows longer than the timestamp window', () => {
    expect(EVENT_DEDUPE_DAYS * 86_400_000).toBeGreaterThan(EVENT_MAX_AGE_MS);
    // Longer than Zalo's reported 12 hours of re-sending.
    expect(EVENT_MAX_AGE_MS).toBeGreaterThan(12 * 3_600_000);
  });

  it.each(table.cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const user = newUserId();
    const body = c.body === undefined ? undefined : fill(c.body, { app: fake.appId, user, msg: newMsgId(), now: Date.now() });
    const raw = c.raw ?? JSON.stringify(body);
    const ts = (body as { timestamp?: string } | undefined)?.timestamp ?? '';
    const logsBefore = t.logs.length;
    const res = await postOaEvent(t.url, fake.appId, raw, { signature: c.sign === 'none' ? null : sign(fake.appId, raw, ts, OA_SECRET_KEY) });
    expect(res.status).toBe(c.expect.status);
    // No body echoes what was sent.
    const answer = await res.text();
    expect(answer).not.toContain(user);
    expect(answer.length).toBeLessThan(40);
    await inboxDrained(prisma());
    if (c.expect.effect === 'answered') {
      expect(fake.delivered(user).length).toBeGreaterThan(0);
      expect(await contactOf(user)).not.toBeNull();
    } else {
      expect(fake.sends(user)).toEqual([]);
      expect(await contactOf(user)).toBeNull();
    }
    const lines = t.logs.slice(logsBefore);
    if (c.expect.log) expect(lines.some((l) => l.includes(c.expect.log!))).toBe(true);
    expect(lines.filter((l) => l.includes(user) || l.includes('muốn chết'))).toEqual([]);
  });

  it('answers a re-delivered event with a NUL in msg_id once, and stores no NUL', async () => {
    const c = new OaChat(fake, t.url, prisma());
    const event = { ...oaEvents.text(fake.appId, c.userId, 'Chào'), message: { text: 'Chào', msg_id: 'x\u0000y' } };
    const first = await c.post(event);
    expect(first.length).toBeGreaterThan(0);
    expect(await c.post(event)).toEqual([]);
    const keys = await prisma().processedEvent.findMany({ where: { channel: 'zalo-oa', externalId: { startsWith: 'h:' } } });
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((k) => /^h:[0-9a-f]{64}$/.test(k.externalId))).toBe(true);
  });
});

describe('zalo-oa webhook: what the table cannot show', () => {
  it('a group message in the middle of a screening changes nothing', async () => {
    const c = new OaChat(fake, t.url, prisma());
    const menu = await c.choose(await c.choose(await c.say('Chào'), 'lang.vi'), 'consent.yes');
    expect(menu.length).toBeGreaterThan(0);
    const started = await c.tap('menu.screening');
    expect(started.length).toBeGreaterThan(0);
    const subject = t.running.engine.subjectOf('zalo-oa', c.userId);
    const before = await prisma().conversation.findUniqueOrThrow({ where: { subjectKey: subject } });
    const logs = await prisma().interactionLog.count();
    const offered = payloadIds(started);
    for (const text of [offered[0] ? `#c:${offered[0]}` : '1', '1', 'tôi 17 tuổi']) {
      const group = { ...oaEvents.text(fake.appId, c.userId, text), event_name: 'user_send_group_text', recipient: { id: 'g5590412765503214321' } };
      expect(await c.post(group)).toEqual([]);
    }
    const after = await prisma().conversation.findUniqueOrThrow({ where: { subjectKey: subject } });
    expect({ flow: after.flow, step: after.step, data: after.data }).toEqual({ flow: before.flow, step: before.step, data: before.data });
    expect(await prisma().interactionLog.count()).toBe(logs);
  });

  it('sets aside an event that keeps failing, and answers the person’s next message', async () => {
    const c = new OaChat(fake, t.url, prisma());
    const subject = t.running.engine.subjectOf('zalo-oa', c.userId);
    // An event whose turn can never commit (its key cannot be stored), recorded before the person's next message.
    const poison = { channel: 'zalo-oa' as const, externalId: 'bad\u0000key', address: c.userId, kind: 'text' as const, text: 'Chào', receivedAt: new Date() };
    const row = await prisma().inboundEvent.create({ data: { channel: 'zalo-oa', externalId: `poison-${c.userId}`, subjectKey: subject, payloadEnc: seal(t.running.keys.addressKey, poison, false) } });
    const replies = await c.say('Chào');
    expect(replies.length).toBeGreaterThan(0);
    expect(replies[0]!.text.startsWith(t.running.content.ui.welcome.vi)).toBe(true);
    const parked = await prisma().inboundEvent.findUniqueOrThrow({ where: { id: row.id } });
    expect(parked.parkedAt).not.toBeNull();
    expect(parked.attempts).toBe(4);
    expect(t.logs.some((l) => l.includes('set aside (parked) after repeated failures'))).toBe(true);
    // Its re-delivery stays a duplicate: it does not run again, and blocks nothing.
    const more = await c.say('menu');
    expect(more.length).toBeGreaterThan(0);
    expect((await prisma().inboundEvent.findUniqueOrThrow({ where: { id: row.id } })).attempts).toBe(4);
    const metrics = await eventually(async () => {
      const text = await (await fetch(`${t.url}/metrics`, { headers: { authorization: 'Bearer edge-test-metrics-token-0001' } })).text();
      return text.includes('outcome="parked"') ? text : null;
    });
    expect(metrics).toMatch(/donghanh_updates_total\{channel="zalo-oa",outcome="parked"\} 1/);
  });

  it('sets aside at once an event that cannot be opened (another key, damaged)', async () => {
    const c = new OaChat(fake, t.url, prisma());
    const subject = t.running.engine.subjectOf('zalo-oa', c.userId);
    const row = await prisma().inboundEvent.create({ data: { channel: 'zalo-oa', externalId: `garbled-${c.userId}`, subjectKey: subject, payloadEnc: 'v1.not-a-sealed-event' } });
    expect((await c.say('Chào')).length).toBeGreaterThan(0);
    const parked = await prisma().inboundEvent.findUniqueOrThrow({ where: { id: row.id } });
    expect(parked.parkedAt).not.toBeNull();
    expect(parked.attempts).toBe(1);
  });

  it('purges parked events with the dedupe rows, after 7 days', async () => {
    const old = await prisma().inboundEvent.create({
      data: { channel: 'zalo-oa', externalId: 'parked-old', subjectKey: 's-old', payloadEnc: 'x', parkedAt: new Date(Date.now() - 8 * 86_400_000) },
    });
    const recent = await prisma().inboundEvent.create({ data: { channel: 'zalo-oa', externalId: 'parked-new', subjectKey: 's-new', payloadEnc: 'x', parkedAt: new Date() } });
    await purgeExpired(pgSql(poolOf(prisma())), new Date(), 180);
    expect(await prisma().inboundEvent.findUnique({ where: { id: old.id } })).toBeNull();
    expect(await prisma().inboundEvent.findUnique({ where: { id: recent.id } })).not.toBeNull();
  });
});
