// The programme's view never shows a count under 5: every table cell, every chart label and every
// CSV cell an officer can reach is either "<5", a rate, or a whole number of at least 5. The
// figures seeded here are mostly small on purpose (1-4), with a few that may be shown (7, 12).
import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../bot/admin/args.ts';
import { runAdmin } from '../../bot/admin/commands.ts';
import { DIMENSIONS } from '../../bot/console/db/programme.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { anyFreePort } from '../../bot/db/embedded.ts';
import { countsIn, launchChromium } from '../support/console.ts';

let t: TestApp;
let browser: Browser;
const now = new Date();
const monthsAgo = (n: number, day = 10) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - n, day));

const admin = (words: string[]) => runAdmin(parseArgs(words), { prisma: t.running.prisma, now: new Date(), addressKey: t.running.keys.addressKey, consoleBase: t.url });

beforeAll(async () => {
  const port = await anyFreePort();
  t = await startTestApp({ env: { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` } });
  const p = t.running.prisma;
  // Screening results: small and large cells across every dimension.
  const results: { instrument: string; substance: string | null; band: string; ageGroup: string; province: string | null; channel: string; n: number; month: number }[] = [
    { instrument: 'ASSIST', substance: 'alcohol', band: 'moderate', ageGroup: '18+', province: 'Tỉnh Đồng Nai', channel: 'telegram', n: 12, month: 0 },
    { instrument: 'ASSIST', substance: 'amphetamines', band: 'high', ageGroup: '18+', province: 'Tỉnh Đồng Nai', channel: 'zalo-oa', n: 3, month: 0 },
    { instrument: 'CRAFFT', substance: null, band: 'high', ageGroup: '16-17', province: 'Thành phố Hà Nội', channel: 'web', n: 1, month: 1 },
    { instrument: 'ASSIST', substance: 'cannabis', band: 'low', ageGroup: '18+', province: null, channel: 'web', n: 7, month: 1 },
    { instrument: 'CRAFFT', substance: null, band: 'low', ageGroup: '12-15', province: 'Tỉnh Đồng Nai', channel: 'telegram', n: 4, month: 2 },
    { instrument: 'ASSIST', substance: 'opioids', band: 'high', ageGroup: '18+', province: 'Thành phố Hà Nội', channel: 'zalo-bot', n: 2, month: 3 },
  ];
  for (const r of results) {
    const { n, month, ...row } = r;
    await p.screeningResult.createMany({ data: Array.from({ length: n }, () => ({ ...row, score: 10, day: monthsAgo(month) })) });
  }
  // The path: person-days in the log (each its own day key).
  const log = (flow: string, step: string, eventKind: string, choiceId: string | null, n: number, month: number) =>
    p.interactionLog.createMany({
      data: Array.from({ length: n }, () => ({ day: monthsAgo(month), dayKey: randomBytes(8).toString('hex'), channel: 'telegram', flow, step, eventKind, choiceId, latencyMs: 5, outcome: 'ok' })),
    });
  await log('start', 'language', 'start', null, 9, 0);
  await log('menu', 'main', 'choice', 'consent.yes', 6, 0);
  await log('menu', 'main', 'choice', 'screen.answer', 2, 0);
  await log('treatment', 'list', 'choice', 'menu.treatment', 3, 1);
  await log('services', 'province', 'choice', 'menu.services', 1, 1);
  await log('clubs', 'joined', 'choice', 'clubs.consent.yes', 4, 2);
  // A club in Đồng Nai with a few meetings and a handful of attendances.
  await admin(['club', 'create', '--id', 'xuan-tan', '--name', 'CLB Xuân Tân', '--province', 'Đồng Nai', '--commune', 'Phường Long Khánh', '--venue', 'Nhà văn hóa']);
  await admin(['series', 'add', '--club', 'xuan-tan', '--rrule', 'FREQ=MONTHLY;BYDAY=2SA', '--start', '2026-01-10T08:00', '--duration', '120', '--topic', 'Sinh hoạt']);
  const series = await p.meetingSeries.findFirstOrThrow({ where: { clubId: 'xuan-tan' } });
  const members = await Promise.all(['A', 'B', 'C'].map((a) => p.membership.create({ data: { clubId: 'xuan-tan', subjectKey: `k-${a}-${randomBytes(4).toString('hex')}`, role: 'member', alias: a, consentAt: now } })));
  for (const m of [1, 2]) {
    const at = monthsAgo(m, 12);
    const occ = await p.meetingOccurrence.create({ data: { seriesId: series.id, clubId: 'xuan-tan', originalStart: at, startsAt: at, endsAt: new Date(at.getTime() + 7_200_000), topic: 'Sinh hoạt', venue: 'Nhà văn hóa' } });
    for (const [i, mm] of members.entries()) await p.attendance.create({ data: { occurrenceId: occ.id, membershipId: mm.id, present: i < 2, recordedAt: at } });
  }
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

async function officer(province?: string): Promise<{ context: BrowserContext; page: Page }> {
  const out = await admin(['console', 'link', '--officer', 'Cán bộ tỉnh', ...(province ? ['--province', province] : [])]);
  const link = out.split('\n').at(-1)!;
  expect(link).toMatch(/\/console\/in\/[A-Za-z0-9_-]{32}$/);
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(link);
  await Promise.all([page.waitForURL(/\/console\/programme$/), page.getByRole('button', { name: 'Đăng nhập' }).click()]);
  return { context, page };
}

/** Every table cell, chart label and chart tooltip on the page. */
async function shownCells(page: Page): Promise<string[]> {
  const cells = await page.locator('td, tbody th').allTextContents();
  const svg = await page.locator('svg.chart text, svg.chart title').allTextContents();
  // A tooltip reads "series, month: value": the value is what is shown.
  return [...cells, ...svg.map((s) => s.split(': ').at(-1) ?? s)];
}

function csvCells(text: string): string[] {
  return text.replace(/^\uFEFF/, '').trim().split('\r\n').slice(1).flatMap((r) => r.split(','));
}

describe('no count under 5 on any page, chart or CSV an officer sees', () => {
  it('the programme view, by every dimension, and its CSV', async () => {
    const { context, page } = await officer();
    for (const by of DIMENSIONS) {
      await page.goto(`${t.url}/console/programme?by=${by}`);
      const cells = await shownCells(page);
      expect(cells.length).toBeGreaterThan(10);
      expect(countsIn(cells).filter((n) => n < 5)).toEqual([]);
      expect(cells).toContain('<5');
      const csv = await (await context.request.get(`${t.url}/console/programme.csv?by=${by}`)).text();
      const cellsCsv = csvCells(csv);
      expect(countsIn(cellsCsv).filter((n) => n < 5)).toEqual([]);
      expect(cellsCsv).toContain('<5');
    }
    // Not everything is hidden: the 12 alcohol results and the 9 starts are shown as they are.
    await page.goto(`${t.url}/console/programme?by=substance`);
    expect(await page.locator('td').allTextContents()).toContain('12');
    expect(await page.locator('td').allTextContents()).toContain('9');
    await context.close();
  });

  it('the province report and a club report seen by an officer, with their CSVs', async () => {
    const { context, page } = await officer();
    for (const path of [`/console/province/${encodeURIComponent('Tỉnh Đồng Nai')}/report`, '/console/club/xuan-tan/report']) {
      const res = await page.goto(`${t.url}${path}`);
      expect(res?.status()).toBe(200);
      const cells = await shownCells(page);
      expect(countsIn(cells).filter((n) => n < 5)).toEqual([]);
      expect(cells).toContain('<5');
      expect(await page.locator('svg.chart').count()).toBe(4);
      const csv = csvCells(await (await context.request.get(`${t.url}${path}.csv`)).text());
      expect(countsIn(csv).filter((n) => n < 5)).toEqual([]);
      expect(csv).toContain('<5');
    }
    await context.close();
  });

  it('a provincial officer sees their province only', async () => {
    const { context, page } = await officer('Hà Nội');
    expect((await page.goto(`${t.url}/console/province/${encodeURIComponent('Tỉnh Đồng Nai')}/report`))?.status()).toBe(403);
    expect((await page.goto(`${t.url}/console/club/xuan-tan/report`))?.status()).toBe(403);
    // Club board pages are never an officer's.
    expect((await page.goto(`${t.url}/console/club/xuan-tan/members`))?.status()).toBe(403);
    await page.goto(`${t.url}/console/programme?by=province`);
    const headers = await page.locator('thead th').allTextContents();
    expect(headers).toContain('Thành phố Hà Nội');
    expect(headers).not.toContain('Tỉnh Đồng Nai');
    await context.close();
  });
});
