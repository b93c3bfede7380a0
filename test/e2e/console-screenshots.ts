// Takes the README's screenshots of the console at phone width, on a demo club with six months
// of history: `node --experimental-strip-types test/e2e/console-screenshots.ts` (needs the test
// database and /usr/bin/chromium, like the tests). Not a test: it only writes docs/screenshots/.
import { randomBytes } from 'node:crypto';
import { parseArgs } from '../../bot/admin/args.ts';
import { runAdmin } from '../../bot/admin/commands.ts';
import { poolOf } from '../../bot/db/client.ts';
import { createClubLink } from '../../bot/db/console-link.ts';
import { pgSql } from '../../bot/db/sql.ts';
import { hashToken, newToken } from '../../bot/privacy/token.ts';
import { startTestApp } from '../support/app.ts';
import { anyFreePort } from '../../bot/db/embedded.ts';
import { launchChromium } from '../support/console.ts';

const port = await anyFreePort();
const t = await startTestApp({ env: { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, TELEGRAM_BOT_USERNAME: 'DongHanhBot', LOG_LEVEL: 'silent' } });
const p = t.running.prisma;
const now = new Date();
const admin = (words: string[]) => runAdmin(parseArgs(words), { prisma: p, now, addressKey: t.running.keys.addressKey, consoleBase: t.url });
try {
  const CLUB = 'xuan-tan';
  await admin(['club', 'create', '--id', CLUB, '--name', 'CLB người sau cai nghiện phường Xuân Tân', '--province', 'Đồng Nai', '--commune', 'Phường Long Khánh', '--venue', 'Nhà văn hóa khu phố 3']);
  await admin(['series', 'add', '--club', CLUB, '--rrule', 'FREQ=MONTHLY;BYDAY=2SA', '--start', '2026-01-10T08:00', '--duration', '120', '--topic', 'Sinh hoạt định kỳ']);
  const series = await p.meetingSeries.findFirstOrThrow({ where: { clubId: CLUB } });
  const coord = await p.membership.create({ data: { clubId: CLUB, subjectKey: `demo-${randomBytes(6).toString('hex')}`, role: 'coordinator', alias: 'Chủ nhiệm Hòa', consentAt: now } });
  const names = ['Anh Tư', 'Chú Ba', 'Cô Năm', 'Anh Sáu', 'Chị Bảy', 'Anh Tám', 'Chú Chín', 'Anh Mười'];
  const members = [];
  for (const alias of names) members.push(await p.membership.create({ data: { clubId: CLUB, subjectKey: `demo-${randomBytes(6).toString('hex')}`, role: 'member', alias, consentAt: now } }));
  const vols = [];
  for (const alias of ['Chị Lan', 'Anh Minh']) vols.push(await p.membership.create({ data: { clubId: CLUB, subjectKey: `demo-${randomBytes(6).toString('hex')}`, role: 'volunteer', alias, consentAt: now } }));
  // Reachability: one blocked the bot, one is outside Zalo's window.
  await p.contact.create({ data: { subjectKey: members[2]!.subjectKey, channel: 'telegram', status: 'blocked', addressEnc: 'v1.x.y.z' } });
  await p.contact.create({ data: { subjectKey: members[4]!.subjectKey, channel: 'zalo-oa', status: 'active', addressEnc: 'v1.x.y.z', lastInboundAt: new Date(now.getTime() - 12 * 86_400_000) } });
  for (const m of [...members, ...vols, coord]) {
    if (m === members[2] || m === members[4]) continue;
    await p.contact.create({ data: { subjectKey: m.subjectKey, channel: 'telegram', status: 'active', addressEnc: 'v1.x.y.z', lastInboundAt: now } });
  }
  // Six months of meetings, attendance, reminders and check-ins.
  const assignments = [
    await p.volunteerAssignment.create({ data: { clubId: CLUB, volunteerId: vols[0]!.id, memberId: members[0]!.id, memberAlias: 'Anh Tư', cadenceDays: 14, nextDueAt: new Date(now.getTime() + 5 * 86_400_000) } }),
    await p.volunteerAssignment.create({ data: { clubId: CLUB, volunteerId: vols[1]!.id, memberId: members[1]!.id, memberAlias: 'Chú Ba', cadenceDays: 14, nextDueAt: new Date(now.getTime() - 2 * 86_400_000) } }),
  ];
  let lastPast = 0;
  for (let back = 5; back >= 0; back--) {
    const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 8, 1, 0));
    if (at > now) continue;
    const cancelled = back === 3;
    const occ = await p.meetingOccurrence.create({
      data: { seriesId: series.id, clubId: CLUB, originalStart: at, startsAt: at, endsAt: new Date(at.getTime() + 7_200_000), topic: 'Sinh hoạt định kỳ', venue: 'Nhà văn hóa khu phố 3', status: cancelled ? 'cancelled' : 'scheduled' },
    });
    if (cancelled) continue;
    lastPast = occ.id;
    if (back === 0) continue; // the latest one waits for its attendance (the tap-list screenshot)
    const came = 4 + ((back * 3) % 5);
    for (const [i, m] of members.entries()) await p.attendance.create({ data: { occurrenceId: occ.id, membershipId: m.id, present: i < came, recordedAt: at } });
    for (const [i, m] of members.entries()) {
      const failed = i === 2 ? 'blocked' : i === 4 && back < 3 ? 'outside_window' : null;
      await p.reminderDelivery.create({ data: { dedupeKey: `demo:${occ.id}:${m.id}`, clubId: CLUB, membershipId: m.id, occurrenceId: occ.id, kind: 'reminder', channel: 'telegram', dueAt: new Date(at.getTime() - 86_400_000), sendAt: new Date(at.getTime() - 86_400_000), status: failed ? 'failed' : 'sent', reason: failed, sentAt: failed ? null : at } });
    }
    for (const a of assignments) await p.checkIn.create({ data: { assignmentId: a.id, at: new Date(at.getTime() + 3 * 86_400_000), outcome: back === 2 && a === assignments[1] ? 'needs_support' : 'done' } });
  }
  await admin(['invite', 'create', '--club', CLUB, '--role', 'member', '--uses', '20', '--days', '14']);
  // Anonymous screening results and a path, for the officers' view.
  const bands = ['low', 'moderate', 'high'];
  for (let back = 5; back >= 0; back--) {
    const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 5));
    for (const [i, band] of bands.entries()) {
      const n = [14, 9, 3][i]! + back * (2 - i);
      await p.screeningResult.createMany({ data: Array.from({ length: n }, () => ({ instrument: 'ASSIST', substance: 'amphetamines', score: 12, band, ageGroup: '18+', province: 'Đồng Nai', day, channel: i === 0 ? 'zalo-oa' : 'telegram' })) });
    }
    for (const [flow, choiceId, n] of [['start', null, 40], ['menu', 'consent.yes', 31], ['menu', 'screen.answer', 22], ['treatment', null, 12], ['services', null, 9], ['clubs', 'clubs.consent.yes', 3]] as const) {
      await p.interactionLog.createMany({ data: Array.from({ length: n - back }, () => ({ day, dayKey: randomBytes(8).toString('hex'), channel: 'telegram', flow, step: 'x', eventKind: flow === 'start' ? 'start' : 'choice', choiceId, latencyMs: 5, outcome: 'ok' })) });
    }
  }

  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'vi-VN' });
  const page = await context.newPage();
  const shot = (name: string, fullPage = true) => page.screenshot({ path: `docs/screenshots/console-${name}.png`, fullPage });
  const token = newToken();
  await createClubLink(pgSql(poolOf(p)), coord.subjectKey, CLUB, hashToken(token), now);
  await page.goto(`${t.url}/console/in/${token}`);
  await shot('sign-in', false);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(/\/console\/club\//);
  await page.locator('details').first().evaluate((d) => d.setAttribute('open', ''));
  await shot('club');
  await page.goto(`${t.url}/console/club/${CLUB}/members`);
  await shot('members');
  await page.goto(`${t.url}/console/club/${CLUB}/attendance/${lastPast}`);
  for (const n of ['Anh Tư', 'Chú Ba', 'Anh Sáu', 'Chị Bảy', 'Anh Tám']) await page.getByText(n, { exact: true }).click();
  await shot('attendance');
  await page.goto(`${t.url}/console/club/${CLUB}/volunteers`);
  await shot('volunteers');
  await page.goto(`${t.url}/console/club/${CLUB}/report`);
  await shot('report');
  await page.emulateMedia({ media: 'print' });
  await shot('report-print');
  await page.emulateMedia({ media: 'screen' });
  const out = await admin(['console', 'link', '--officer', 'Cán bộ Sở LĐ-TB&XH']);
  const officer = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
  const op = await officer.newPage();
  await op.goto(out.split('\n').at(-1)!);
  await op.getByRole('button', { name: 'Đăng nhập' }).click();
  await op.waitForURL(/\/console\/programme/);
  await op.goto(`${t.url}/console/programme?by=band`);
  await op.screenshot({ path: 'docs/screenshots/console-programme.png', fullPage: true });
  await browser.close();
} finally {
  await t.stop();
}
