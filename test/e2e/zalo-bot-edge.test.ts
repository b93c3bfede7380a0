// The Zalo Bot webhook's edge as a table (testdata/zalo-bot-incoming.json: update → status and
// effect): captions and the text of unsupported events reach the crisis check, groups and bots
// are ignored, a NUL in message_id cannot poison the queue, bad bodies get 400, a bad secret 401.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BotChat } from '../fakes/zalo-bot-chat.ts';
import { botEnv, type FakeZaloBot, newBotMessageId, newChatId, postBotUpdate, startFakeZaloBot } from '../fakes/zalo-bot-server.ts';
import { inboxDrained } from '../fakes/zalo-oa-webhook.ts';
import { type TestApp, withFakeAndApp } from '../support/app.ts';

interface Case {
  name: string;
  body?: unknown;
  raw?: string;
  wrap?: boolean;
  secret?: 'correct' | 'none' | 'wrong';
  expect: { status: number; effect: 'answered' | 'crisis' | 'nothing' | 'refused' };
}
const table = JSON.parse(readFileSync(new URL('./testdata/zalo-bot-incoming.json', import.meta.url), 'utf8')) as { cases: Case[] };

let fake: FakeZaloBot;
let t: TestApp;
let crisisAnswer: string[];

withFakeAndApp(startFakeZaloBot, (f) => ({ env: botEnv(f, 'webhook') }), async (f, app) => {
  fake = f;
  t = app;
  // What a person who types the words gets: the answer every crisis case must match.
  crisisAnswer = await new BotChat(fake, t.running.prisma, t.url).say('tôi muốn chết');
});

function fill(value: unknown, vars: { chat: string; msg: string; now: number }): unknown {
  if (typeof value === 'string') {
    if (value === '$NOW') return vars.now;
    return value.replace('$CHAT', vars.chat).replace('$MSG', vars.msg);
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, vars));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, vars)]));
  return value;
}

describe('zalo-bot webhook: incoming cases (testdata/zalo-bot-incoming.json)', () => {
  it('has the crisis answer to compare with', () => {
    expect(crisisAnswer.length).toBeGreaterThan(0);
  });

  it.each(table.cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const chat = newChatId();
    const body = c.body === undefined ? undefined : fill(c.body, { chat, msg: newBotMessageId(), now: Date.now() });
    const payload = c.raw ?? (c.wrap ? { ok: true, result: body } : body);
    const secret = c.secret === 'none' ? null : c.secret === 'wrong' ? 'not-the-secret-at-all' : undefined;
    const logsBefore = t.logs.length;
    const res = await postBotUpdate(t.url, payload, secret);
    expect(res.status).toBe(c.expect.status);
    const answer = await res.text();
    expect(answer).not.toContain(chat);
    await inboxDrained(t.running.prisma, 'zalo-bot');
    const got = fake.texts(chat);
    if (c.expect.effect === 'crisis') expect(got).toEqual(crisisAnswer);
    else if (c.expect.effect === 'answered') expect(got.length).toBeGreaterThan(0);
    else expect(got).toEqual([]);
    const contact = await t.running.prisma.contact.findUnique({ where: { subjectKey: t.running.engine.subjectOf('zalo-bot', chat) } });
    expect(contact !== null).toBe(c.expect.effect === 'answered' || c.expect.effect === 'crisis');
    expect(t.logs.slice(logsBefore).filter((l) => l.includes(chat) || l.includes('muốn chết'))).toEqual([]);
  });
});
