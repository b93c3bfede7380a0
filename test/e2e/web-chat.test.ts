// The web chat over plain HTTP: the real app on real PostgreSQL. The page itself, the signed
// visitor id, no rows before a visitor does something that needs state, and the rate limits
// (on a second app whose clock stands still, so the counts do not depend on timing).
// The browser walks are in web-chat-browser.test.ts.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, startApp } from '../../bot/app.ts';
import { ADDRESS_RULE, VISITOR_RULE } from '../../bot/channels/web/rate-limit.ts';
import { loadConfig } from '../../bot/config.ts';
import { testDatabase } from '../support/db.ts';

let db: Awaited<ReturnType<typeof testDatabase>>;
let app: RunningApp;
/** The same database, a clock that moves only when a test moves it. */
let still: RunningApp;
let clock = Date.parse('2026-11-20T03:00:00Z');

const config = () =>
  loadConfig({
    DATABASE_URL: db.url,
    HOST: '127.0.0.1',
    PORT: '0',
    PSEUDONYM_SECRET: 'a1'.repeat(32),
    ADDRESS_KEY: 'b2'.repeat(32),
    LOG_LEVEL: 'silent',
  });

beforeAll(async () => {
  db = await testDatabase();
  app = await startApp({ config: config(), jobs: false });
  still = await startApp({ config: config(), jobs: false, now: () => new Date(clock) });
});
afterAll(async () => {
  await still?.stop();
  await app?.stop();
  await db?.drop();
});

interface ChatReply {
  status: number;
  body: {
    messages?: { text: string; choices?: { id: string; label: string }[][] }[];
    duplicate?: boolean;
    locale?: string | null;
    erased?: boolean;
    limited?: boolean;
    error?: string;
  };
  setCookie: string | null;
  retryAfter: string | null;
}

async function chat(payload: unknown, opts: { cookie?: string; on?: RunningApp; from?: string; lang?: string } = {}): Promise<ChatReply> {
  const res = await fetch(`${(opts.on ?? app).url}/api/chat`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'accept-language': opts.lang ?? 'vi',
      ...(opts.cookie ? { cookie: opts.cookie } : {}),
      // The server trusts the proxy header: each test speaks from its own address.
      ...(opts.from ? { 'x-forwarded-for': opts.from } : {}),
    },
    body: JSON.stringify(payload),
  });
  return {
    status: res.status,
    body: (await res.json()) as ChatReply['body'],
    setCookie: res.headers.get('set-cookie'),
    retryAfter: res.headers.get('retry-after'),
  };
}
const start = () => ({ id: randomUUID(), kind: 'start' });
const say = (text: string) => ({ id: randomUUID(), kind: 'text', text });
const tap = (choice: string) => ({ id: randomUUID(), kind: 'choice', choice });
const texts = (r: ChatReply) => (r.body.messages ?? []).map((m) => m.text).join('\n');
const choiceIds = (r: ChatReply) => (r.body.messages ?? []).flatMap((m) => (m.choices ?? []).flat().map((c) => c.id));

/** A fresh visitor: start once and keep the cookie the server set. */
async function visitor(opts: { on?: RunningApp; from?: string } = {}): Promise<string> {
  const r = await chat(start(), opts);
  expect(r.setCookie).toBeTruthy();
  return r.setCookie!.split(';')[0]!;
}

/** Rows in every table a turn writes to. */
async function rows(): Promise<number> {
  const [r] = await db.prisma.$queryRaw<{ n: bigint }[]>`
    SELECT (SELECT count(*) FROM conversation) + (SELECT count(*) FROM contact) + (SELECT count(*) FROM interaction_log)
      + (SELECT count(*) FROM processed_event) + (SELECT count(*) FROM consent) AS n`;
  return Number(r!.n);
}

describe('the page', () => {
  it('GET / is self-contained, in the browser language, with a strict CSP', async () => {
    for (const [lang, want] of [['vi-VN,vi;q=0.9', 'vi'], ['en-US,en;q=0.9', 'en'], ['fr', 'vi']] as const) {
      const res = await fetch(`${app.url}/`, { headers: { 'accept-language': lang } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      const html = await res.text();
      expect(html).toContain(`<html lang="${want}">`);
      expect(html).toContain(`<title>${app.content.ui.webTitle[want]}</title>`);
      expect(html).toContain(`>${app.content.ui.webInputLabel[want]}</label>`);
      expect(html).toMatch(/role="log"/);
      expect(html).toMatch(/maxlength="4000"/);
      expect(html).not.toContain('{{');
      // Nothing loaded from elsewhere, and server text is never parsed as HTML.
      expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="(?!data:)|https?:\/\//);
      expect(html).not.toMatch(/innerHTML|insertAdjacentHTML|outerHTML|document\.write/);
    }
  });

  it('every emergency number is a tel: link in the page itself, from content/emergency.yaml', async () => {
    const html = await (await fetch(`${app.url}/`)).text();
    const links = [...html.matchAll(/href="tel:(\d+)"/g)].map((m) => m[1]);
    expect(links).toEqual(app.content.emergency.numbers.map((n) => n.number.replace(/\s/g, '')));
    expect(links).toContain('115');
    // Only those: no other number is written into the page.
    for (const [, digits] of html.matchAll(/>(\d[\d ]{2,})</g)) {
      expect(app.content.emergency.numbers.map((n) => n.number)).toContain(digits);
    }
  });
});

describe('the visitor id', () => {
  it('a newcomer is greeted from content alone: a signed HttpOnly cookie, and no row written', async () => {
    const before = await rows();
    const r = await chat(start());
    expect(r.status).toBe(200);
    expect(r.body.duplicate).toBe(false);
    expect(texts(r)).toContain('Đồng Hành');
    expect(choiceIds(r)).toEqual(['lang.vi', 'lang.en']);
    expect(r.setCookie).toMatch(/^dh_vid=[A-Za-z0-9_-]{24}\.[A-Za-z0-9_-]{22};/);
    expect(r.setCookie).toMatch(/HttpOnly/i);
    expect(r.setCookie).toMatch(/SameSite=Strict/i);
    expect(r.setCookie).toMatch(/Path=\//);
    expect(r.setCookie).toMatch(/Max-Age=31536000/);
    expect(await rows()).toBe(before);

    // A reload before choosing anything: still nothing stored. The first choice is stored.
    const cookie = r.setCookie!.split(';')[0]!;
    expect(texts(await chat(start(), { cookie }))).toContain('Đồng Hành');
    expect(await rows()).toBe(before);
    const next = await chat(tap('lang.vi'), { cookie });
    expect(next.status).toBe(200);
    expect(next.setCookie).toBeNull();
    expect(next.body.locale).toBe('vi');
    expect(choiceIds(next)).toContain('consent.yes');
    expect(await rows()).toBeGreaterThan(before);
  });

  it('300 requests without a cookie write no row', async () => {
    const before = await rows();
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, i) => chat(i % 3 === 0 ? start() : i % 3 === 1 ? say('alo') : tap('lang.vi'), { from: '203.0.113.9' })),
    );
    // The per-address limit answers some of them kindly instead; none is an error.
    expect(answers.every((a) => a.status === 200 || a.status === 429)).toBe(true);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThan(0);
    expect(await rows()).toBe(before);
  });

  it('a forged or unsigned visitor id is refused: never adopted, a new id instead', async () => {
    const cookie = await visitor();
    const real = await chat(tap('lang.en'), { cookie });
    expect(real.body.locale).toBe('en');
    const value = cookie.slice('dh_vid='.length);
    const [id, tag] = value.split('.') as [string, string];
    const subject = app.engine.subjectOf('web', id);
    const kept = await db.prisma.conversation.findUniqueOrThrow({ where: { subjectKey: subject } });

    const forgeries = [
      `dh_vid=${id}.${tag.slice(0, -2)}${tag.endsWith('AA') ? 'BB' : 'AA'}`, // the real id, a wrong tag
      `dh_vid=${id}`, // the real id, unsigned (as before signing)
      `dh_vid=${'A'.repeat(24)}.${'A'.repeat(22)}`,
      'dh_vid=x', // malformed
    ];
    for (const forged of forgeries) {
      const before = await rows();
      const r = await chat(tap('consent.yes'), { cookie: forged });
      expect(r.status, forged).toBe(200);
      expect(texts(r), forged).toContain(app.content.ui.webSessionLost.vi);
      expect(choiceIds(r)).toEqual(['lang.vi', 'lang.en']);
      expect(r.setCookie).toMatch(/^dh_vid=[A-Za-z0-9_-]{24}\.[A-Za-z0-9_-]{22};/);
      expect(r.setCookie).not.toContain(id);
      expect(await rows()).toBe(before);
    }
    // The real conversation was not touched, and the forged ids have none.
    const after = await db.prisma.conversation.findUniqueOrThrow({ where: { subjectKey: subject } });
    expect(after.updatedAt).toEqual(kept.updatedAt);
    expect(after.step).toBe(kept.step);
    expect(await db.prisma.conversation.count({ where: { subjectKey: app.engine.subjectOf('web', 'A'.repeat(24)) } })).toBe(0);
    // The real cookie still works.
    expect(choiceIds(await chat(tap('consent.yes'), { cookie }))).toContain('menu.screening');
  });

  it('rejects malformed bodies with 400 and no details', async () => {
    const bad: unknown[] = [
      {},
      { kind: 'start' },
      { id: 'not-a-uuid', kind: 'start' },
      { id: randomUUID(), kind: 'sticker' },
      { id: randomUUID(), kind: 'choice', choice: 'x'.repeat(65) },
      { id: randomUUID(), kind: 'text', text: 42 },
      [1, 2, 3],
    ];
    for (const payload of bad) {
      const r = await chat(payload);
      expect(r.status, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(r.body).toEqual({ error: 'Bad request' });
      expect(r.setCookie).toBeNull();
    }
  });

  it('"xóa dữ liệu" confirmed ends the visitor id too, and says what was erased', async () => {
    const cookie = await visitor();
    await chat(tap('lang.vi'), { cookie });
    const ask = await chat(say('xóa dữ liệu'), { cookie });
    expect(ask.setCookie).toBeNull();
    expect(texts(ask)).toContain(app.content.ui.privacyItemWeb.vi.slice(2));
    const done = await chat(tap('privacy.erase.yes'), { cookie });
    expect(done.body.erased).toBe(true);
    expect(done.body.messages![0]!.text).toContain('Đã xóa');
    expect(done.body.messages![0]!.text).toContain(app.content.ui.privacyItemWeb.vi.slice(2));
    expect(done.setCookie).toMatch(/^dh_vid=;.*Max-Age=0/);
    const subject = app.engine.subjectOf('web', cookie.slice('dh_vid='.length).split('.')[0]!);
    expect(await db.prisma.conversation.count({ where: { subjectKey: subject } })).toBe(0);
  });

  it('under 16 the visitor id becomes a session cookie: nothing lasting stays in the browser', async () => {
    const cookie = await visitor();
    await chat(tap('lang.vi'), { cookie });
    await chat(tap('consent.yes'), { cookie });
    expect((await chat(tap('menu.screening'), { cookie })).setCookie).toBeNull();
    const young = await chat(tap('screen.age.12-15'), { cookie });
    expect(young.status).toBe(200);
    expect(young.setCookie).toMatch(new RegExp(`^${cookie};`));
    expect(young.setCookie).not.toMatch(/Max-Age|Expires/i);
    expect(young.setCookie).toMatch(/HttpOnly/i);
  });

  it('a repeated message id is a duplicate with no messages', async () => {
    const cookie = await visitor();
    const id = randomUUID();
    const first = await chat({ id, kind: 'choice', choice: 'lang.vi' }, { cookie });
    expect(first.body.duplicate).toBe(false);
    expect(first.body.messages!.length).toBeGreaterThan(0);
    const again = await chat({ id, kind: 'choice', choice: 'lang.vi' }, { cookie });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ messages: [], duplicate: true, locale: 'vi' });
  });

  it('text over 4000 characters is capped and answered kindly', async () => {
    const cookie = await visitor();
    await chat(tap('lang.vi'), { cookie });
    const r = await chat(say('a'.repeat(4000 + 500)), { cookie });
    expect(r.status).toBe(200);
    expect(r.body.duplicate).toBe(false);
    expect(r.body.messages![0]!.text).toBe(app.content.ui.truncated.vi);
    expect(r.body.messages!.length).toBeGreaterThan(1);
  });

  it('a newcomer typing crisis words gets the guidance at once, still without a row', async () => {
    const before = await rows();
    const r = await chat(say('tôi muốn chết'));
    expect(r.status).toBe(200);
    expect(texts(r)).toContain('115');
    expect(await rows()).toBe(before);
  });
});

describe('rate limits (a clock that stands still)', () => {
  it(`one visitor: ${VISITOR_RULE.burst} messages at once, then a kind 429 until time passes`, async () => {
    const from = '198.51.100.1';
    const cookie = await visitor({ on: still, from });
    const statuses: number[] = [];
    for (let i = 0; i < VISITOR_RULE.burst + 5; i++) statuses.push((await chat(say('menu'), { on: still, cookie, from })).status);
    expect(statuses.slice(0, VISITOR_RULE.burst).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(VISITOR_RULE.burst).every((s) => s === 429)).toBe(true);

    const limited = await chat(say('menu'), { on: still, cookie, from });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ messages: [], duplicate: false, locale: null, limited: true });
    expect(Number(limited.retryAfter)).toBeGreaterThanOrEqual(1);
    // Crisis words are never held back: the guidance comes even when limited.
    const crisis = await chat(say('tôi muốn chết'), { on: still, cookie, from });
    expect(crisis.status).toBe(429);
    expect(texts(crisis)).toContain('115');
    // Someone else behind the same address is not affected.
    const other = await visitor({ on: still, from });
    expect((await chat(tap('lang.vi'), { on: still, cookie: other, from })).status).toBe(200);
    // Two seconds later the first visitor may write again.
    clock += 2000;
    expect((await chat(say('menu'), { on: still, cookie, from })).status).toBe(200);
  });

  it(`one address: ${ADDRESS_RULE.burst} requests at once, then 429 for everyone behind it`, async () => {
    const from = '198.51.100.2';
    const statuses: number[] = [];
    for (let i = 0; i < ADDRESS_RULE.burst + 10; i++) statuses.push((await chat(start(), { on: still, from })).status);
    expect(statuses.filter((s) => s === 200).length).toBe(ADDRESS_RULE.burst);
    expect(statuses.slice(ADDRESS_RULE.burst).every((s) => s === 429)).toBe(true);
    // Another address is not affected.
    expect((await chat(start(), { on: still, from: '198.51.100.3' })).status).toBe(200);
  });
});

describe('with the database gone', () => {
  it('crisis words still get the guidance; anything else a clear error, and the page itself still loads', async () => {
    const cookie = await visitor();
    await chat(tap('lang.vi'), { cookie });
    // The tables disappear from under the app (the schema is renamed), as when the database fails.
    await db.prisma.$executeRawUnsafe(`ALTER SCHEMA "${db.schema}" RENAME TO "${db.schema}_away"`);
    try {
      const crisis = await chat(say('tôi muốn chết'), { cookie });
      expect(crisis.status).toBe(200);
      expect(texts(crisis)).toContain('115');
      const other = await chat(say('menu'), { cookie });
      expect(other.status).toBe(500);
      expect(other.body).toEqual({ error: 'Internal error' });
      expect((await fetch(`${app.url}/`)).status).toBe(200);
      // A newcomer is greeted from content alone.
      expect(choiceIds(await chat(start()))).toEqual(['lang.vi', 'lang.en']);
    } finally {
      await db.prisma.$executeRawUnsafe(`ALTER SCHEMA "${db.schema}_away" RENAME TO "${db.schema}"`);
    }
  });
});
