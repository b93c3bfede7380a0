// The web chat in a real browser (Debian's chromium driven by playwright-core), as a person on a
// phone uses it: where the focus goes, the page in the chosen language, erasure leaving nothing
// behind, "Không, giữ lại" keeping the place, and axe-core finding nothing to fix on every screen
// in both languages and both colour schemes.
// UPDATE_SCREENSHOTS=1 writes the phone screenshots to docs/screenshots/ (shown in the README).
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, startApp } from '../../bot/app.ts';
import { loadConfig } from '../../bot/config.ts';
import type { Locale } from '../../flows/types.ts';
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
const PHONE = { width: 390, height: 844 };
const UPDATE = process.env['UPDATE_SCREENSHOTS'] === '1';
const SHOTS = path.join(tmpdir(), 'dong-hanh-screenshots');
/** The ones the README shows (the rest stay in the temporary folder, for a look). */
const README_SHOTS = new Set(['web-vi-light-1-menu', 'web-vi-light-2-question', 'web-vi-light-3-result', 'web-vi-light-4-erase', 'web-en-dark-2-question', 'web-en-dark-5-erased']);

let db: Awaited<ReturnType<typeof testDatabase>>;
let app: RunningApp;
let browser: Browser;
let axeSource: string;

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
  axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  mkdirSync(SHOTS, { recursive: true });
  if (UPDATE) mkdirSync('docs/screenshots', { recursive: true });
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  } catch (err) {
    throw new Error(
      `${CHROMIUM} could not start (${(err as Error).message.split('\n')[0]}): the browser tests need Debian's chromium (apt-get install -y chromium); they install nothing themselves`,
    );
  }
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await db?.drop();
});

// The page's globals, for the callbacks that run in the browser (the tsconfig has no DOM lib;
// declared here, in this module only).
interface PageElement {
  id: string;
  tagName: string;
  textContent: string | null;
  disabled?: boolean;
  offsetParent: unknown;
  classList: { contains(name: string): boolean };
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { height: number };
  querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
}
declare const document: {
  activeElement: PageElement | null;
  cookie: string;
  title: string;
  documentElement: { scrollWidth: number; lang: string };
  getElementById(id: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
};
declare const axe: {
  run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }>;
};

const T = (key: keyof RunningApp['content']['ui'], l: Locale) => app.content.ui[key][l];

async function open(opts: { locale?: string; scheme?: 'light' | 'dark' } = {}): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({
    viewport: PHONE,
    locale: opts.locale ?? 'vi-VN',
    colorScheme: opts.scheme ?? 'light',
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().includes('ERR_INTERNET_DISCONNECTED')) problems.push(`console: ${m.text()}`);
  });
  await page.goto(app.url);
  await page.locator('#log .msg.bot').first().waitFor();
  await settled(page);
  return { context, page, problems };
}

/** Wait until the bot has answered (the log is no longer busy). */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => document.getElementById('log')?.getAttribute('aria-busy') === 'false');
}

/** Tap the enabled answer with this choice id (labels change with content; ids do not). */
async function tapId(page: Page, id: string): Promise<void> {
  await page.locator(`#log button.choice[data-id="${id}"]:not([disabled])`).click();
  await settled(page);
}
/** Tap an enabled button by what it says. */
async function tap(page: Page, label: string): Promise<void> {
  await page.getByRole('button', { name: label, exact: true, disabled: false }).click();
  await settled(page);
}
async function type(page: Page, text: string): Promise<void> {
  await page.locator('#text').fill(text);
  await page.locator('#text').press('Enter');
  await settled(page);
}

/** What has the focus: its role and, for a group, the text of the question that names it. */
function focused(page: Page) {
  return page.evaluate(() => {
    const a = document.activeElement;
    const by = a?.getAttribute('aria-labelledby');
    return {
      id: a?.id ?? '',
      tag: a?.tagName ?? '',
      role: a?.getAttribute('role') ?? null,
      isAnswer: a?.classList.contains('choice') ?? false,
      label: by ? (document.getElementById(by)?.textContent ?? null) : null,
    };
  });
}

async function activeIds(page: Page): Promise<string[]> {
  return page.locator('#log button.choice:not([disabled])').evaluateAll((bs) => bs.map((b) => (b as unknown as PageElement).getAttribute('data-id') ?? ''));
}

/** Language, consent, the menu. */
async function toMenu(page: Page, l: Locale): Promise<void> {
  await tapId(page, `lang.${l}`);
  await tapId(page, 'consent.yes');
}

/** The screening as an adult, answered "no" until `stopAt` questions were asked (or to the result). */
async function screening(page: Page, stopAt = Number.POSITIVE_INFINITY): Promise<number> {
  await tapId(page, 'menu.screening');
  await tapId(page, 'screen.age.18-plus');
  let asked = 1;
  while (asked < stopAt && (await activeIds(page)).includes('screen.no')) {
    await tapId(page, 'screen.no');
    asked++;
  }
  return asked;
}

async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const r = await page.evaluate(() => axe.run(document, { resultTypes: ['violations'] }));
  return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function heapHas(context: BrowserContext, page: Page, needle: string): Promise<boolean> {
  const cdp = await context.newCDPSession(page);
  const chunks: string[] = [];
  cdp.on('HeapProfiler.addHeapSnapshotChunk', (e) => chunks.push(e.chunk));
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  await cdp.detach();
  return chunks.join('').includes(needle);
}

// Each walk drives real Chromium through many turns: on a loaded machine that takes minutes.
describe('web chat in a real browser', { timeout: 300_000 }, () => {
  it('after each tap the focus moves to the new question (its group), never onto an answer', async () => {
    const { context, page, problems } = await open();
    try {
      expect(await page.title()).toBe(T('webTitle', 'vi'));
      expect(await page.getAttribute('html', 'lang')).toBe('vi');
      expect(await page.getByRole('log').count()).toBe(1);
      // On load nothing takes the focus (a phone keyboard does not pop up, no answer looks chosen).
      expect((await focused(page)).isAnswer).toBe(false);
      expect(await page.evaluate(() => document.cookie)).toBe('');
      expect((await context.cookies()).find((c) => c.name === 'dh_vid')?.httpOnly).toBe(true);

      await tapId(page, 'lang.vi');
      let f = await focused(page);
      expect(f.role).toBe('group');
      expect(f.label).toContain(app.content.ui.consentQuestion.vi);
      await tapId(page, 'consent.yes');
      f = await focused(page);
      expect(f.role).toBe('group');
      expect(f.label).toBe(T('menuTitle', 'vi'));
      await tapId(page, 'menu.screening');
      await tapId(page, 'screen.age.18-plus');
      for (let i = 1; i <= 3; i++) {
        f = await focused(page);
        expect(f.role).toBe('group');
        expect(f.isAnswer).toBe(false);
        expect(f.label).toContain(`${i}/10`);
        await tapId(page, 'screen.no');
      }
      // Every set of answers is a group named by its question.
      const groups = await page.evaluate(() =>
        [...document.querySelectorAll('#log .choices')].map((g) => ({
          role: g.getAttribute('role'),
          label: document.getElementById(g.getAttribute('aria-labelledby') ?? '')?.textContent ?? '',
          buttons: g.querySelectorAll('button').length,
        })),
      );
      expect(groups.length).toBeGreaterThan(5);
      for (const g of groups) {
        expect(g.role).toBe('group');
        expect(g.label.length).toBeGreaterThan(0);
        expect(g.buttons).toBeGreaterThan(0);
      }
      const q4 = page.getByRole('group', { name: /4\/10/ });
      expect(await q4.getByRole('button').count()).toBeGreaterThanOrEqual(2);
      // The form is a landmark of its own, named by its label.
      expect(await page.getByRole('form', { name: T('webInputLabel', 'vi') }).count()).toBe(1);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('after typing the focus stays in the input, which is never disabled while the bot answers', async () => {
    const { context, page, problems } = await open();
    try {
      await toMenu(page, 'vi');
      // Hold the answer back a moment to look at the page while it waits.
      let release: () => void = () => {};
      const held = new Promise<void>((r) => {
        release = r;
      });
      await page.route('**/api/chat', async (route) => {
        await held;
        await route.continue();
      });
      await page.locator('#text').fill('menu');
      await page.locator('#text').press('Enter');
      await page.waitForFunction(() => document.getElementById('log')?.getAttribute('aria-busy') === 'true');
      expect(await page.locator('#text').isDisabled()).toBe(false);
      expect((await focused(page)).id).toBe('text');
      release();
      await settled(page);
      await page.unroute('**/api/chat');
      expect(await activeIds(page)).toContain('menu.screening');
      expect((await focused(page)).id).toBe('text');

      // Sent with the button instead of Enter: the focus comes back to the input.
      await page.locator('#text').fill('menu');
      await page.getByRole('button', { name: T('webSend', 'vi'), exact: true }).click();
      await settled(page);
      expect((await focused(page)).id).toBe('text');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('in English every label, button, error, the title and lang are English', async () => {
    const { context, page, problems } = await open({ locale: 'vi-VN' });
    try {
      await tapId(page, 'lang.en');
      // The notice reads as English ("…knows", one subject), not a translation of the Vietnamese.
      expect((await page.locator('#log .msg.bot').allTextContents()).join('\n')).toContain('Your network provider (and your browser) knows');
      await tapId(page, 'consent.yes');
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      expect(await page.title()).toBe(T('webTitle', 'en'));
      expect(await page.getByRole('textbox', { name: T('webInputLabel', 'en'), exact: true }).count()).toBe(1);
      expect(await page.getByRole('button', { name: T('webSend', 'en'), exact: true }).count()).toBe(1);
      expect(await page.getByRole('button', { name: T('webErase', 'en'), exact: true }).count()).toBe(1);
      expect(await page.getByRole('log', { name: T('webConversation', 'en') }).count()).toBe(1);
      expect(await page.locator('.sos').textContent()).toContain(T('webEmergency', 'en'));
      expect(await page.locator('.sos').textContent()).toContain(app.content.emergency.numbers[0]!.name.en);
      // Nothing Vietnamese is left in the page's own words.
      const chrome = await page.locator('header, form').allTextContents();
      for (const key of ['webErase', 'webTagline', 'webInputLabel', 'webSend', 'webEmergency', 'webEmergencyMore'] as const) {
        expect(chrome.join(' ')).not.toContain(T(key, 'vi'));
      }

      // The network error, and its retry button, are English too.
      await page.route('**/api/chat', (route) => route.abort('internetdisconnected'));
      await page.locator('#text').fill('hello');
      await page.locator('#text').press('Enter');
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain(T('webNetworkError', 'en'));
      expect(await page.locator('#text').inputValue()).toBe('hello');
      expect((await focused(page)).tag).toBe('BUTTON');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(T('webRetry', 'en'));
      await page.unroute('**/api/chat');
      await page.keyboard.press('Enter');
      await settled(page);
      expect(await page.getByRole('alert').count()).toBe(0);

      // And back: choosing Vietnamese turns the page Vietnamese.
      await tapId(page, 'menu.language');
      await tapId(page, 'lang.vi');
      expect(await page.getAttribute('html', 'lang')).toBe('vi');
      expect(await page.getByRole('button', { name: T('webSend', 'vi'), exact: true }).count()).toBe(1);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }

    // An English browser gets the English page before anything is chosen.
    const en = await open({ locale: 'en-US' });
    try {
      expect(await en.page.getAttribute('html', 'lang')).toBe('en');
      expect(await en.page.getByRole('textbox', { name: T('webInputLabel', 'en'), exact: true }).count()).toBe(1);
    } finally {
      await en.context.close();
    }
  });

  it('erasure takes the transcript off the page and out of its memory, and says what went', async () => {
    const { context, page, problems } = await open();
    const needle = 'Kiwi-7Q3xZ';
    try {
      await toMenu(page, 'vi');
      await type(page, `mình tên là ${needle}`);
      // Free text at the menu gets likely topics or the whole menu; either way, back to the menu.
      if ((await activeIds(page)).includes('menu.main')) await tapId(page, 'menu.main');
      await screening(page, 2);
      expect(await page.content()).toContain(needle);
      // A message that could not be sent is held by the page's script (for "Thử lại"): the
      // control that the memory check below can see what the page keeps.
      const unsent = 'Papaya-9Wm2K';
      await context.setOffline(true);
      await page.locator('#text').fill(unsent);
      await page.locator('#text').press('Enter');
      await page.getByRole('alert').waitFor();
      await context.setOffline(false);
      expect(await heapHas(context, page, unsent)).toBe(true);

      await tap(page, T('webErase', 'vi'));
      const ask = (await page.locator('#log .msg.bot').last().textContent()) ?? '';
      expect(ask).toContain('2 câu trả lời của bài sàng lọc đang làm dở');
      expect((await focused(page)).role).toBe('group');
      await tapId(page, 'privacy.erase.yes');

      // Only the confirmation is left: no earlier bubble, no answer, nothing typed.
      const left = await page.locator('#log .msg').allTextContents();
      expect(left).toHaveLength(1);
      expect(left[0]).toContain('Đã xóa mọi dữ liệu');
      expect(left[0]).toContain('2 câu trả lời của bài sàng lọc đang làm dở');
      const html = await page.content();
      expect(html).not.toContain(needle);
      expect(html).not.toContain('2/10');
      expect(await page.locator('#text').inputValue()).toBe('');
      expect((await context.cookies()).find((c) => c.name === 'dh_vid')).toBeUndefined();
      expect(await heapHas(context, page, unsent)).toBe(false);
      expect(await heapHas(context, page, needle)).toBe(false);
      expect(html).not.toContain(unsent);
      // Writing again starts over as someone new.
      await type(page, 'alo');
      expect(await activeIds(page)).toEqual(['lang.vi', 'lang.en']);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('"Không, giữ lại" returns to the question the person was on', async () => {
    const { context, page, problems } = await open();
    try {
      await toMenu(page, 'vi');
      await screening(page, 3);
      await tap(page, T('webErase', 'vi'));
      await tapId(page, 'privacy.erase.no');
      const last = (await page.locator('#log .msg.bot').allTextContents()).slice(-3).join('\n');
      expect(last).toContain(T('privacyEraseCancelled', 'vi'));
      const f = await focused(page);
      expect(f.role).toBe('group');
      expect(f.label).toContain('3/10');
      await tapId(page, 'screen.no');
      expect((await focused(page)).label).toContain('4/10');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the emergency numbers are in the page and stay when the network is gone', async () => {
    const { context, page } = await open();
    try {
      const first = app.content.emergency.numbers[0]!;
      const call = page.locator('header a.first');
      expect(await call.getAttribute('href')).toBe(`tel:${first.number.replace(/\D/g, '')}`);
      expect(await call.isVisible()).toBe(true);
      await context.setOffline(true);
      await page.locator('#text').fill('cứu');
      await page.locator('#text').press('Enter');
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').textContent()).toContain('số khẩn cấp ở đầu trang');
      expect(await call.isVisible()).toBe(true);
      await page.getByText(T('webEmergencyMore', 'vi')).click();
      for (const n of app.content.emergency.numbers) {
        const link = page.locator(`header a[href="tel:${n.number.replace(/\D/g, '')}"]`);
        expect(await link.isVisible(), n.id).toBe(true);
      }
    } finally {
      await context.close();
    }
  });

  it('a phone-sized page: no sideways scrolling, 44px targets, header and input always on screen', async () => {
    const { context, page } = await open();
    try {
      await toMenu(page, 'vi');
      await screening(page);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
      const small = await page.evaluate(() =>
        [...document.querySelectorAll('button, input, header a, summary')]
          .filter((e) => e.offsetParent !== null)
          .map((e) => e.getBoundingClientRect())
          .filter((r) => r.height < 44).length,
      );
      expect(small).toBe(0);
      const header = await page.locator('header').boundingBox();
      const form = await page.locator('form').boundingBox();
      expect(header?.y).toBe(0);
      expect(form!.y + form!.height).toBeLessThanOrEqual(PHONE.height + 0.5);
    } finally {
      await context.close();
    }
  });

  it('axe-core is really looking (a control: a broken element is reported)', async () => {
    const { context, page } = await open();
    try {
      await page.evaluate(() => {
        const d = document as unknown as { body: { append(e: unknown): void }; createElement(t: string): { id: string } };
        const img = d.createElement('img');
        img.id = 'broken';
        d.body.append(img);
      });
      expect((await axeViolations(page)).join('\n')).toMatch(/^image-alt/m);
    } finally {
      await context.close();
    }
  });

  for (const l of ['vi', 'en'] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      it(`axe-core finds nothing on the chat, the menu, a question, a result and erasure (${l}, ${scheme})`, async () => {
        const { context, page, problems } = await open({ locale: l === 'vi' ? 'vi-VN' : 'en-US', scheme });
        const shot = async (name: string) => {
          const file = `web-${l}-${scheme}-${name}`;
          await page.mouse.move(0, PHONE.height - 1); // no hover left where the last tap was
          await page.screenshot({ path: path.join(UPDATE && README_SHOTS.has(file) ? 'docs/screenshots' : SHOTS, `${file}.png`) });
        };
        try {
          const found: Record<string, string[]> = {};
          found['chat'] = await axeViolations(page);
          await toMenu(page, l);
          found['menu'] = await axeViolations(page);
          await shot('1-menu');
          await tapId(page, 'menu.screening');
          await tapId(page, 'screen.age.18-plus');
          found['question'] = await axeViolations(page);
          await shot('2-question');
          while ((await activeIds(page)).includes('screen.no')) await tapId(page, 'screen.no');
          found['result'] = await axeViolations(page);
          await shot('3-result');
          await tap(page, T('webErase', l));
          found['erasure'] = await axeViolations(page);
          await shot('4-erase');
          await tapId(page, 'privacy.erase.yes');
          found['erased'] = await axeViolations(page);
          await shot('5-erased');
          expect(found).toEqual({ chat: [], menu: [], question: [], result: [], erasure: [], erased: [] });
          expect(problems).toEqual([]);
        } finally {
          await context.close();
        }
      });
    }
  }

  it('figures (reported, not asserted): page size and the first reply', async () => {
    const res = await fetch(`${app.url}/`);
    const html = Buffer.from(await res.arrayBuffer());
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const context = await browser.newContext({ viewport: PHONE });
      const page = await context.newPage();
      const t0 = performance.now();
      await page.goto(app.url);
      await page.locator('#log .msg.bot').first().waitFor();
      times.push(performance.now() - t0);
      await context.close();
    }
    times.sort((a, b) => a - b);
    // The server's part: a newcomer's greeting (no database), and a stored turn (a tap).
    const server = async (body: () => object, cookie?: string) => {
      const ms: number[] = [];
      for (let i = 0; i < 21; i++) {
        const t0 = performance.now();
        const r = await fetch(`${app.url}/api/chat`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
          body: JSON.stringify(body()),
        });
        await r.arrayBuffer();
        ms.push(performance.now() - t0);
      }
      return ms.sort((a, b) => a - b)[10]!.toFixed(1);
    };
    const greet = await server(() => ({ id: crypto.randomUUID(), kind: 'start' }));
    const first = await fetch(`${app.url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: crypto.randomUUID(), kind: 'start' }),
    });
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    const turn = await server(() => ({ id: crypto.randomUUID(), kind: 'choice', choice: 'menu.main' }), cookie);
    console.info(
      `web chat figures: page ${html.length} bytes (${gzipSync(html).length} gzipped); from navigation to the first reply on screen: median ${times[2]!.toFixed(0)} ms (5 loads, fastest ${times[0]!.toFixed(0)} ms); server, median of 21: greeting ${greet} ms, a stored turn ${turn} ms`,
    );
    expect(html.length).toBeGreaterThan(0);
  });
});
