// The web chat end to end: the real app on real PostgreSQL, first over plain HTTP, then in a real
// browser (Debian's chromium driven by playwright-core) walking the ASSIST screening by clicking.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, startApp } from '../../bot/app.ts';
import { loadConfig } from '../../bot/config.ts';
import { testDatabase } from '../support/db.ts';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let db: Awaited<ReturnType<typeof testDatabase>>;
let app: RunningApp;

beforeAll(async () => {
  db = await testDatabase();
  app = await startApp({
    config: loadConfig({
      DATABASE_URL: db.url,
      HOST: '127.0.0.1',
      PORT: '0',
      PSEUDONYM_SECRET: 'a1'.repeat(32),
      ADDRESS_KEY: 'b2'.repeat(32),
      LOG_LEVEL: 'silent',
    }),
    jobs: false,
  });
});
afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

interface ChatReply {
  status: number;
  body: { messages?: { text: string; choices?: { id: string; label: string }[][] }[]; duplicate?: boolean; error?: string };
  setCookie: string | null;
}

async function chat(payload: unknown, cookie?: string): Promise<ChatReply> {
  const res = await fetch(`${app.url}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': 'vi', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(payload),
  });
  return { status: res.status, body: (await res.json()) as ChatReply['body'], setCookie: res.headers.get('set-cookie') };
}

/** A fresh visitor: start once and keep the cookie the server set. */
async function visitor(): Promise<string> {
  const r = await chat({ id: randomUUID(), kind: 'start' });
  expect(r.setCookie).toBeTruthy();
  return r.setCookie!.split(';')[0]!;
}

describe('web chat over HTTP', () => {
  it('GET / serves the self-contained Vietnamese page with a strict CSP', async () => {
    const res = await fetch(`${app.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await res.text();
    expect(html).toMatch(/<html lang="vi">/);
    expect(html).toContain('<title>Đồng Hành – trò chuyện ẩn danh</title>');
    expect(html).toMatch(/role="log"/);
    expect(html).toMatch(/maxlength="4000"/);
    // Nothing loaded from elsewhere, and server text is never parsed as HTML.
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="(?!data:)|https?:\/\//);
    expect(html).not.toMatch(/innerHTML|insertAdjacentHTML|outerHTML|document\.write/);
  });

  it('POST /api/chat start answers with messages and sets an HttpOnly visitor cookie', async () => {
    const r = await chat({ id: randomUUID(), kind: 'start' });
    expect(r.status).toBe(200);
    expect(r.body.duplicate).toBe(false);
    expect(r.body.messages!.length).toBeGreaterThan(0);
    expect(r.body.messages!.map((m) => m.text).join('\n')).toContain('Đồng Hành');
    const ids = r.body.messages!.flatMap((m) => (m.choices ?? []).flat().map((c) => c.id));
    expect(ids).toEqual(['lang.vi', 'lang.en']);
    expect(r.setCookie).toMatch(/^dh_vid=[A-Za-z0-9_-]{22,64};/);
    expect(r.setCookie).toMatch(/HttpOnly/i);
    expect(r.setCookie).toMatch(/SameSite=Strict/i);
    expect(r.setCookie).toMatch(/Path=\//);

    // The same visitor keeps the cookie: no new one, and the conversation goes on.
    const cookie = r.setCookie!.split(';')[0]!;
    const next = await chat({ id: randomUUID(), kind: 'choice', choice: 'lang.vi' }, cookie);
    expect(next.status).toBe(200);
    expect(next.setCookie).toBeNull();
    expect(next.body.messages!.flatMap((m) => (m.choices ?? []).flat().map((c) => c.id))).toContain('consent.yes');
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

  it('"xóa dữ liệu" confirmed ends the visitor id too', async () => {
    const cookie = await visitor();
    await chat({ id: randomUUID(), kind: 'choice', choice: 'lang.vi' }, cookie);
    const ask = await chat({ id: randomUUID(), kind: 'text', text: 'xóa dữ liệu' }, cookie);
    expect(ask.setCookie).toBeNull();
    const done = await chat({ id: randomUUID(), kind: 'choice', choice: 'privacy.erase.yes' }, cookie);
    expect(done.body.messages![0]!.text).toContain('Đã xóa');
    expect(done.setCookie).toMatch(/^dh_vid=;.*Max-Age=0/);
  });

  it('a repeated message id is a duplicate with no messages', async () => {
    const cookie = await visitor();
    const id = randomUUID();
    const first = await chat({ id, kind: 'choice', choice: 'lang.vi' }, cookie);
    expect(first.body.duplicate).toBe(false);
    expect(first.body.messages!.length).toBeGreaterThan(0);
    const again = await chat({ id, kind: 'choice', choice: 'lang.vi' }, cookie);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ messages: [], duplicate: true });
  });

  it('text over 4000 characters is capped and answered kindly', async () => {
    const cookie = await visitor();
    await chat({ id: randomUUID(), kind: 'choice', choice: 'lang.vi' }, cookie);
    const r = await chat({ id: randomUUID(), kind: 'text', text: 'a'.repeat(4000 + 500) }, cookie);
    expect(r.status).toBe(200);
    expect(r.body.duplicate).toBe(false);
    expect(r.body.messages![0]!.text).toBe(app.content.ui.truncated.vi);
    expect(r.body.messages!.length).toBeGreaterThan(1);
  });
});

// ---------------------------------------------------------------------------------------------
// A real browser. Labels are what a person sees (content/*.yaml), clicked like a person would.

// The page's globals, for the callbacks that run in the browser (the tsconfig has no DOM lib;
// declared here, in this module only).
interface PageElement {
  textContent: string | null;
  disabled?: boolean;
  offsetParent: unknown;
  classList: { contains(name: string): boolean };
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { height: number };
}
declare const document: {
  activeElement: PageElement | null;
  cookie: string;
  documentElement: { scrollWidth: number };
  getElementById(id: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
};

/** Click the enabled button with exactly this label (earlier questions' buttons are disabled). */
async function tap(page: Page, label: string): Promise<void> {
  await page.getByRole('button', { name: label, exact: true, disabled: false }).click();
}

/** Wait until the bot has answered and the page is ready for the next input. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const log = document.getElementById('log');
    return log?.getAttribute('aria-busy') === 'false' && document.getElementById('text')?.disabled === false;
  });
}

const botTexts = (page: Page) => page.locator('.msg.bot').allTextContents();

describe('web chat in a real browser', () => {
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `${CHROMIUM} is missing: the web chat's browser test needs Debian's chromium (apt-get install -y chromium); this test installs nothing itself`,
      );
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('walks language, consent, age 18+ and the ASSIST questionnaire to a result by clicking', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, locale: 'vi-VN', reducedMotion: 'reduce' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    try {
      await page.goto(app.url);
      expect(await page.title()).toBe('Đồng Hành – trò chuyện ẩn danh');
      expect(await page.getAttribute('html', 'lang')).toBe('vi');
      await expect(page.getByRole('log').count()).resolves.toBe(1);
      await expect(page.getByLabel('Tin nhắn của bạn').getAttribute('maxlength')).resolves.toBe('4000');

      // On load the page says "start"; the first new button gets the focus.
      await page.getByRole('button', { name: 'Tiếng Việt', disabled: false }).waitFor();
      await page.waitForFunction(() => document.activeElement?.textContent === 'Tiếng Việt');
      const cookies = await context.cookies();
      expect(cookies.find((c) => c.name === 'dh_vid')?.httpOnly).toBe(true);
      expect(await page.evaluate(() => document.cookie)).toBe('');

      await tap(page, 'Tiếng Việt');
      await tap(page, 'Tôi đồng ý');
      await tap(page, '📝 Tự sàng lọc ẩn danh');
      await tap(page, '18 tuổi trở lên');

      // Q1 for the ten classes: only alcohol (the second) is "yes".
      for (let i = 1; i <= 10; i++) {
        await page.getByText(`Phần 1/2 · câu ${i}/10`).waitFor();
        await tap(page, i === 2 ? 'Có' : 'Không');
      }
      // Alcohol in the past 3 months: weekly (4) + urge weekly (5) + problems monthly (5)
      // + failed duties never (0) + concern never (0) + tried to cut down earlier (3) = 17: moderate.
      await tap(page, 'Hằng tuần');
      await tap(page, 'Hằng tuần');
      await tap(page, 'Hằng tháng');
      await tap(page, 'Không lần nào');
      await tap(page, 'Không, chưa bao giờ');
      await tap(page, 'Có, nhưng trước 3 tháng qua');
      await tap(page, 'Không, chưa bao giờ'); // injection
      await settled(page);

      const all = (await botTexts(page)).join('\n');
      expect(all).toContain('ASSIST');
      expect(all).toContain('không phải chẩn đoán');
      expect(all).toMatch(/rượu bia: 17 điểm/i);
      expect(all).toContain('nguy cơ trung bình');
      // The answered questions' buttons are disabled; the focus is on the first new choice.
      expect(await page.locator('button.choice:not([disabled])').count()).toBeGreaterThan(0);
      expect(await page.evaluate(() => document.activeElement?.classList.contains('choice'))).toBe(true);
      // Line breaks survive and no markup from the server became elements.
      expect(await page.locator('#log b, #log i, #log img, #log script').count()).toBe(0);

      // A phone-sized page: no sideways scrolling; touch targets of 44px or more.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
      const small = await page.evaluate(() =>
        [...document.querySelectorAll('button, input')]
          .filter((e) => e.offsetParent !== null)
          .map((e) => e.getBoundingClientRect())
          .filter((r) => r.height < 44).length,
      );
      expect(small).toBe(0);
      // Only the conversation scrolls: the header and the input stay on screen.
      const header = await page.locator('header').boundingBox();
      const form = await page.locator('form').boundingBox();
      expect(header?.y).toBe(0);
      expect(form!.y + form!.height).toBeLessThanOrEqual(740 + 0.5);
      await page.screenshot({ path: '/tmp/webchat.png' });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('keeps the typed text and offers a kind retry when the network fails', async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 }, reducedMotion: 'reduce' });
    const page = await context.newPage();
    try {
      await page.goto(app.url);
      await tap(page, 'Tiếng Việt');
      await settled(page);
      // The network goes away for one message.
      await page.route('**/api/chat', (route) => route.abort('internetdisconnected'));
      const typed = '<b>xin chào</b> mình muốn hỏi';
      await page.getByLabel('Tin nhắn của bạn').fill(typed);
      await page.getByLabel('Tin nhắn của bạn').press('Enter');
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('chưa gửi được');
      // Nothing typed is lost, and the failed message is not shown as sent.
      expect(await page.getByLabel('Tin nhắn của bạn').inputValue()).toBe(typed);
      expect(await page.locator('.msg.me').count()).toBe(1); // only "Tiếng Việt"

      // Back online: "Thử lại" has the focus; Enter sends it again (same message id).
      await page.unroute('**/api/chat');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Thử lại');
      await page.keyboard.press('Enter');
      await settled(page);
      expect(await page.getByRole('alert').count()).toBe(0);
      expect(await page.getByLabel('Tin nhắn của bạn').inputValue()).toBe('');
      const mine = await page.locator('.msg.me p').allTextContents();
      expect(mine).toEqual(['Tiếng Việt', typed]);
      expect(await page.locator('#log b').count()).toBe(0);

      // "Xóa dữ liệu" in the header asks for confirmation; keeping the data goes back to the menu.
      await tap(page, 'Xóa dữ liệu');
      await tap(page, 'Không, giữ lại');
      await settled(page);
      expect((await botTexts(page)).join('\n')).toContain('Đã giữ nguyên');
    } finally {
      await context.close();
    }
  });
});
