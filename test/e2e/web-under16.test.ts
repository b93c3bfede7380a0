// Under 16 in the web chat over real HTTP: once the age is known, the visitor cookie becomes a
// session cookie (no Max-Age, no Expires: gone when the browser closes), no conversation row
// is left, and the questionnaire still carries on from memory.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.stop();
});

interface Reply {
  messages: { text: string; choices?: { id: string; label: string }[][] }[];
  setCookie: string | null;
}

async function chat(cookie: string | null, payload: Record<string, string>): Promise<Reply> {
  const res = await fetch(`${t.url}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': 'vi', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ id: randomUUID(), ...payload }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { messages: Reply['messages'] };
  return { messages: body.messages, setCookie: res.headers.get('set-cookie') };
}

const allText = (r: Reply) => r.messages.map((m) => m.text).join('\n');
const prisma = () => t.running.prisma;

describe('web chat, under 16', () => {
  it('no lasting cookie and no conversation row after the age turn', async () => {
    const first = await chat(null, { kind: 'start' });
    expect(first.setCookie).toMatch(/Max-Age=31536000/);
    const cookie = first.setCookie!.split(';')[0]!;
    await chat(cookie, { kind: 'choice', choice: 'lang.vi' });
    await chat(cookie, { kind: 'choice', choice: 'consent.yes' });
    const intro = await chat(cookie, { kind: 'choice', choice: 'menu.screening' });
    expect(allText(intro)).toContain('bao nhiêu tuổi');
    expect(await prisma().conversation.count({ where: { channel: 'web' } })).toBe(1);

    const age = await chat(cookie, { kind: 'text', text: '14' });
    expect(allText(age)).toContain('chưa đủ 16 tuổi');
    // The same id, now a session cookie: no Max-Age, no Expires.
    expect(age.setCookie).toBe(`${cookie}; Path=/; HttpOnly; SameSite=Strict`);
    expect(await prisma().conversation.count({ where: { channel: 'web' } })).toBe(0);
    expect(await prisma().consent.count()).toBe(0);
    expect(await prisma().contact.count()).toBe(0);

    // The questionnaire goes on from memory, and nothing is written on the way.
    const logs = await prisma().interactionLog.count();
    const next = await chat(cookie, { kind: 'text', text: '0' });
    expect(allText(next)).toContain('cần sa');
    expect(next.setCookie).not.toMatch(/Max-Age|Expires/i);
    expect(await prisma().conversation.count({ where: { channel: 'web' } })).toBe(0);
    expect(await prisma().interactionLog.count()).toBe(logs);
  });
});
