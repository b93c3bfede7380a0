// The console end to end in real Chromium: a coordinator asks the bot on (fake) Telegram for
// "quản lý câu lạc bộ", signs in through the one-time link, creates a meeting, records attendance
// with the tap list, sees the report's chart and downloads its CSV. A reused or expired link is
// refused, a form posted without its CSRF token is refused, and another club's pages are closed.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../bot/admin/args.ts';
import { runAdmin } from '../../bot/admin/commands.ts';
import { createClubLink } from '../../bot/db/console-link.ts';
import { hashToken } from '../../bot/privacy/token.ts';
import { type FakeTelegram, startFakeTelegram } from '../fakes/telegram-server.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { anyFreePort } from '../../bot/db/embedded.ts';
import { consoleLinkIn, launchChromium } from '../support/console.ts';
import { findInSchema } from '../support/search.ts';
import { person, TelegramChat, telegramEnv } from '../support/telegram.ts';
import { poolOf, schemaOf } from '../../bot/db/client.ts';
import { pgSql } from '../../bot/db/sql.ts';

// page.evaluate runs in the browser; the test's own types have no DOM.
declare const document: { querySelector(s: string): { remove(): void } | null };

let fake: FakeTelegram;
let t: TestApp;
let browser: Browser;
const A = 'xuan-tan';
const B = 'bau-sen';

const admin = (words: string[]) => runAdmin(parseArgs(words), { prisma: t.running.prisma, now: new Date(), addressKey: t.running.keys.addressKey, consoleBase: t.url });
const code = (out: string) => out.match(/[A-Z0-9]{4}-[A-Z0-9]{4}/)![0];

async function joinedChat(inviteCode: string): Promise<TelegramChat> {
  const chat = new TelegramChat(fake, t.url, person());
  await chat.choose(await chat.say('/start'), 'lang.vi');
  await chat.tap('consent.yes');
  const home = await chat.tap('menu.clubs');
  await chat.choose(home, 'clubs.code');
  const consent = await chat.say(inviteCode);
  await chat.choose(consent, 'clubs.consent.yes');
  return chat;
}

let coordinator: TelegramChat;
let pastMeetingId: number;

beforeAll(async () => {
  fake = await startFakeTelegram();
  const port = await anyFreePort();
  // PUBLIC_URL is the app's own address, so the link the bot sends opens in the test's browser.
  t = await startTestApp({ env: { ...telegramEnv(fake), PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` } });
  for (const [id, name, commune] of [[A, 'CLB Xuân Tân', 'Phường Long Khánh'], [B, 'CLB Bàu Sen', 'Phường Bảo Vinh']] as const) {
    await admin(['club', 'create', '--id', id, '--name', name, '--province', 'Đồng Nai', '--commune', commune, '--venue', 'Nhà văn hóa khu phố 3']);
    await admin(['series', 'add', '--club', id, '--rrule', 'FREQ=MONTHLY;BYDAY=2SA', '--start', '2026-01-10T08:00', '--duration', '120', '--topic', 'Sinh hoạt định kỳ']);
  }
  coordinator = await joinedChat(code(await admin(['invite', 'create', '--club', A, '--role', 'coordinator', '--alias', 'Chủ nhiệm'])));
  // Members, and one meeting that took place two hours ago.
  for (const alias of ['Anh Tư', 'Chú Ba', 'Cô Năm']) {
    await t.running.prisma.membership.create({ data: { clubId: A, subjectKey: `k-${randomBytes(8).toString('hex')}`, role: 'member', alias, consentAt: new Date() } });
  }
  const series = await t.running.prisma.meetingSeries.findFirstOrThrow({ where: { clubId: A } });
  const start = new Date(Date.now() - 2 * 3_600_000);
  const past = await t.running.prisma.meetingOccurrence.create({
    data: { seriesId: series.id, clubId: A, originalStart: start, startsAt: start, endsAt: new Date(start.getTime() + 7_200_000), topic: 'Sinh hoạt định kỳ', venue: 'Nhà văn hóa khu phố 3' },
  });
  pastMeetingId = past.id;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
  await fake?.close();
});

async function signIn(link: string): Promise<{ context: BrowserContext; page: Page; status: number }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
  const page = await context.newPage();
  await page.goto(link);
  const [response] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Đăng nhập' }).click()]);
  return { context, page, status: response?.status() ?? 0 };
}

describe('the console', () => {
  let link: string;
  let page: Page;
  let context: BrowserContext;

  it('a member who is not on the board gets no link', async () => {
    const member = await joinedChat(code(await admin(['invite', 'create', '--club', A, '--role', 'member'])));
    const replies = await member.say('quản lý câu lạc bộ');
    expect(consoleLinkIn(replies)).toBeNull();
    expect(replies.map((c) => String(c.params['text'])).join('\n')).toMatch(/chỉ dành cho Ban Chủ nhiệm/);
    expect(await t.running.prisma.consoleLink.count()).toBe(0);
  });

  it('the coordinator asks the bot and signs in through the one-time link', async () => {
    const replies = await coordinator.say('quản lý câu lạc bộ');
    link = consoleLinkIn(replies)!;
    expect(link).toMatch(new RegExp(`^${t.url}/console/in/[A-Za-z0-9_-]{32}$`));
    // Only the token's hash is stored.
    const token = link.split('/').at(-1)!;
    expect(await findInSchema(t.databaseUrl, schemaOf(t.databaseUrl), [token])).toEqual([]);
    expect(await t.running.prisma.consoleLink.count({ where: { tokenHash: hashToken(token) } })).toBe(1);

    ({ context, page } = await signIn(link));
    expect(new URL(page.url()).pathname).toBe(`/console/club/${A}`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('CLB Xuân Tân');
    const schedule = await page.locator('main').textContent();
    expect(schedule).toContain('Thứ Bảy tuần thứ hai hằng tháng, 8:00-10:00');
    expect(schedule).toContain('RRULE:FREQ=MONTHLY;BYDAY=2SA');
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'dh_console')!;
    expect(session.httpOnly).toBe(true);
    expect(session.sameSite).toBe('Strict');
    expect(await t.running.prisma.consoleAudit.count({ where: { action: 'sign_in', actor: 'Chủ nhiệm' } })).toBe(1);
  });

  it('creates a meeting', async () => {
    const day = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    await page.locator('input[name="date"]').last().fill(day);
    await page.locator('input[name="time"]').last().fill('15:30');
    await page.locator('input[name="topic"]').fill('Họp mặt cuối năm');
    await page.getByRole('button', { name: 'Tạo' }).click();
    await page.getByText('Đã thêm buổi sinh hoạt.').waitFor();
    const created = await t.running.prisma.meetingOccurrence.findFirst({ where: { clubId: A, topic: 'Họp mặt cuối năm' } });
    expect(created).not.toBeNull();
    expect(await page.locator('main').textContent()).toContain('Họp mặt cuối năm');
    expect(await t.running.prisma.consoleAudit.count({ where: { action: 'meeting_create' } })).toBe(1);
  });

  it('moves one meeting and cancels another', async () => {
    const created = await t.running.prisma.meetingOccurrence.findFirstOrThrow({ where: { clubId: A, topic: 'Họp mặt cuối năm' } });
    const moved = page.locator('li.meeting', { hasText: 'Họp mặt cuối năm' });
    await moved.locator('summary').click();
    const day = new Date(created.startsAt.getTime() + 86_400_000).toISOString().slice(0, 10);
    await moved.locator('input[name="date"]').fill(day);
    await moved.locator('input[name="time"]').fill('09:00');
    await moved.locator('input[name="venue"]').fill('Hội trường UBND phường');
    await moved.getByRole('button', { name: 'Dời buổi' }).click();
    await page.getByText('Đã dời buổi sinh hoạt').waitFor();
    const after = await t.running.prisma.meetingOccurrence.findUniqueOrThrow({ where: { id: created.id } });
    expect(after.status).toBe('moved');
    expect(after.startsAt.toISOString()).toBe(`${day}T02:00:00.000Z`);
    expect(after.venue).toBe('Hội trường UBND phường');

    const regular = await t.running.prisma.meetingOccurrence.findFirstOrThrow({ where: { clubId: A, topic: 'Sinh hoạt định kỳ', startsAt: { gt: new Date() } }, orderBy: { startsAt: 'asc' } });
    const item = page.locator('li.meeting', { has: page.locator(`form[action$="/meetings/${regular.id}/cancel"]`) });
    await item.locator('summary').click();
    await item.getByRole('button', { name: 'Hủy buổi này' }).click();
    await page.getByText('Đã hủy buổi sinh hoạt').waitFor();
    expect((await t.running.prisma.meetingOccurrence.findUniqueOrThrow({ where: { id: regular.id } })).status).toBe('cancelled');
  });

  it('refuses a form posted without its CSRF token, and changes nothing', async () => {
    const before = await t.running.prisma.meetingSeries.count();
    const day = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await page.locator('input[name="date"]').last().fill(day);
    await page.locator('input[name="topic"]').fill('Không có mã');
    // The page's own form, with its hidden token taken out.
    await page.evaluate(() => document.querySelector('form[action$="/meetings"] input[name="csrf"]')?.remove());
    const [response] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Tạo' }).click()]);
    expect(response?.status()).toBe(403);
    expect(await page.locator('main').textContent()).toContain('Biểu mẫu này đã cũ');
    expect(await t.running.prisma.meetingSeries.count()).toBe(before);
    // A forged token is refused too.
    const forged = await context.request.post(`${t.url}/console/club/${A}/meetings`, { form: { csrf: 'x'.repeat(32), date: day, time: '08:00', duration: '60', topic: 'Giả', repeat: 'once' } });
    expect(forged.status()).toBe(403);
    expect(await t.running.prisma.meetingSeries.count()).toBe(before);
  });

  it('records attendance with the tap list', async () => {
    await page.goto(`${t.url}/console/club/${A}`);
    await page.getByRole('link', { name: 'Điểm danh' }).click();
    await page.locator(`a[href$="/attendance/${pastMeetingId}"]`).click();
    await page.getByText('Anh Tư').click();
    await page.getByText('Chú Ba').click();
    await page.getByRole('button', { name: 'Lưu điểm danh' }).click();
    await page.getByText('Đã lưu điểm danh.').waitFor();
    const rows = await t.running.prisma.attendance.findMany({ where: { occurrenceId: pastMeetingId }, include: { membership: true } });
    expect(rows).toHaveLength(4);
    expect(rows.filter((r) => r.present).map((r) => r.membership.alias).sort()).toEqual(['Anh Tư', 'Chú Ba']);
    expect(rows.find((r) => r.membership.alias === 'Cô Năm')?.present).toBe(false);
  });

  it('saves the monthly review of a member; the note is stored encrypted', async () => {
    await page.getByRole('link', { name: 'Đánh giá tháng' }).click();
    const card = page.locator('section.card', { hasText: 'Anh Tư' });
    await card.getByLabel('Cần hỗ trợ').check();
    await card.locator('textarea[name="note"]').fill('Đang tìm việc ở xưởng mộc, cần giới thiệu');
    await card.getByRole('button', { name: 'Lưu' }).click();
    await page.getByText('Đã lưu đánh giá.').waitFor();
    expect(await page.locator('section.card', { hasText: 'Anh Tư' }).locator('textarea').inputValue()).toBe('Đang tìm việc ở xưởng mộc, cần giới thiệu');
    const note = await t.running.prisma.progressNote.findFirstOrThrow({ include: { membership: true } });
    expect([note.membership.alias, note.status]).toEqual(['Anh Tư', 'needs_support']);
    expect(await findInSchema(t.databaseUrl, schemaOf(t.databaseUrl), ['xưởng mộc'])).toEqual([]);
  });

  it('shows the report with its chart and table, and downloads the same figures as CSV', async () => {
    await page.getByRole('link', { name: 'Báo cáo' }).click();
    const chart = page.locator('svg.chart').nth(1);
    await chart.waitFor();
    expect(await chart.getAttribute('role')).toBe('img');
    expect(await chart.locator('circle').count()).toBeGreaterThan(0);
    expect((await chart.boundingBox())!.width).toBeGreaterThan(200);
    const summary = await page.locator('section.summary table').textContent();
    // Two of the four on the sheet came (the member who joined over Telegram is the fourth).
    expect(summary).toMatch(/Tỷ lệ có mặt\s*50%/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Tải CSV' }).click()]);
    const text = readFileSync((await download.path())!, 'utf8');
    const [head, ...rows] = text.replace(/^\uFEFF/, '').trim().split('\r\n').map((r) => r.split(','));
    expect(head).toContain('attendance_rate');
    const total = rows.at(-1)!;
    expect(total[0]).toBe('total');
    expect(total[head!.indexOf('attendance_present')]).toBe('2');
    expect(total[head!.indexOf('attendance_rate')]).toBe('50%');
    expect(total[head!.indexOf('meetings_held')]).toBe('1');
  });

  it('a coordinator cannot open or change another club', async () => {
    const res = await page.goto(`${t.url}/console/club/${B}`);
    expect(res?.status()).toBe(403);
    expect(await page.locator('main').textContent()).toContain('không có quyền');
    for (const path of ['/members', '/attendance', '/report', '/report.csv', '/progress', '/volunteers']) {
      expect((await context.request.get(`${t.url}/console/club/${B}${path}`, { maxRedirects: 0 })).status()).toBe(403);
    }
    const other = await t.running.prisma.meetingOccurrence.findFirstOrThrow({ where: { clubId: B, startsAt: { gt: new Date() } } });
    await page.goto(`${t.url}/console/club/${A}`);
    const csrf = await page.locator('input[name="csrf"]').first().inputValue();
    const r = await context.request.post(`${t.url}/console/club/${B}/meetings/${other.id}/cancel`, { form: { csrf } });
    expect(r.status()).toBe(403);
    // Nor through its own club's address with the other club's meeting id.
    const r2 = await context.request.post(`${t.url}/console/club/${A}/meetings/${other.id}/cancel`, { form: { csrf } });
    expect(r2.status()).toBe(400);
    expect((await t.running.prisma.meetingOccurrence.findUniqueOrThrow({ where: { id: other.id } })).status).toBe('scheduled');
  });

  it('refuses a reused link and an expired one', async () => {
    const reused = await signIn(link);
    expect(reused.status).toBe(410);
    expect(await reused.page.locator('main').textContent()).toContain('đã được dùng hoặc đã hết hạn');
    await reused.context.close();

    const m = await t.running.prisma.membership.findFirstOrThrow({ where: { clubId: A, role: 'coordinator' } });
    const token = randomBytes(24).toString('base64url');
    await createClubLink(pgSql(poolOf(t.running.prisma)), m.subjectKey, A, hashToken(token), new Date(Date.now() - 11 * 60_000));
    const expired = await signIn(`${t.url}/console/in/${token}`);
    expect(expired.status).toBe(410);
    await expired.context.close();
    expect(await t.running.prisma.consoleSession.count()).toBe(1);
  });

  it('"sign out everywhere" ends every session of the coordinator', async () => {
    const second = await signIn(consoleLinkIn(await coordinator.say('/console'))!);
    expect(new URL(second.page.url()).pathname).toBe(`/console/club/${A}`);
    await page.getByRole('button', { name: 'Đăng xuất trên mọi thiết bị' }).click();
    await page.waitForURL(`${t.url}/console`);
    const again = await second.page.goto(`${t.url}/console/club/${A}`);
    expect(new URL(again!.url()).pathname).toBe('/console');
    expect(await t.running.prisma.consoleSession.count({ where: { revokedAt: null } })).toBe(0);
    await second.context.close();
    await context.close();
  });

  it('the audit log names people by alias only; no raw chat id anywhere; no token in the logs', async () => {
    const audit = await t.running.prisma.consoleAudit.findMany();
    expect(new Set(audit.map((a) => a.actor))).toEqual(new Set(['Chủ nhiệm']));
    expect(new Set(audit.map((a) => a.action))).toEqual(new Set(['sign_in', 'meeting_create', 'meeting_move', 'meeting_cancel', 'attendance_record', 'progress_save', 'sign_out_everywhere']));
    expect(await findInSchema(t.databaseUrl, schemaOf(t.databaseUrl), [String(coordinator.person.chatId)])).toEqual([]);
    // The board reads the same log on its audit page (a fresh sign-in: the last one ended everywhere).
    const board = await signIn(consoleLinkIn(await coordinator.say('/console'))!);
    await board.page.goto(`${t.url}/console/club/${A}/audit`);
    const rows = await board.page.locator('tbody tr').allTextContents();
    expect(rows.some((r) => r.includes('Chủ nhiệm') && r.includes('Dời buổi sinh hoạt'))).toBe(true);
    await board.context.close();
    const token = link.split('/').at(-1)!;
    expect(t.logs.join('\n')).not.toContain(token);
    expect(t.logs.some((l) => l.includes('/console/in/:token'))).toBe(true);
  });

  it('sign-in attempts are limited per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await fetch(`${t.url}/console/in`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'token=x&csrf=y' });
      statuses.push(r.status);
    }
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
    expect(statuses.filter((s) => s === 403).length).toBeGreaterThanOrEqual(1);
  });
});
