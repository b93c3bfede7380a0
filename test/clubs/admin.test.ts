// The admin tool against a real PostgreSQL schema: the happy path of a club's first six
// months, and every kind of bad input answered with one clear line and nothing written.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminError, parseArgs } from '../../bot/admin/args.ts';
import { runAdmin } from '../../bot/admin/commands.ts';
import { materialise } from '../../bot/clubs/schedule.ts';
import { clubDb, type TestDb } from './db.ts';
import { pgSql } from '../../bot/db/sql.ts';
import { poolOf } from '../../bot/db/client.ts';

let db: TestDb;
let now = new Date('2026-01-05T03:00:00Z');
const key = randomBytes(32);
const admin = (line: string[]) => runAdmin(parseArgs(line), { prisma: db.prisma, now, addressKey: key });
const fails = async (line: string[], message: RegExp) => {
  const err = await admin(line).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AdminError);
  expect((err as Error).message).toMatch(message);
};
const CLUB = ['club', 'create', '--id', 'xuan-tan', '--name', 'CLB Xuân Tân', '--province', 'Đồng Nai', '--commune', 'Phường Long Khánh', '--venue', 'Nhà văn hóa khu phố 3'];

beforeAll(async () => {
  db = await clubDb();
});
afterAll(async () => {
  await db?.drop();
});

describe('admin CLI', () => {
  it('creates a club and a "2nd Saturday 08:00" series with meetings materialised ahead', async () => {
    expect(await admin(CLUB)).toBe('created club xuan-tan');
    const out = await admin(['series', 'add', '--club', 'xuan-tan', '--rrule', 'FREQ=MONTHLY;BYDAY=2SA', '--start', '2026-01-10T08:00', '--duration', '120', '--topic', 'Sinh hoạt định kỳ']);
    expect(out).toMatch(/created series \d+ for xuan-tan; 4 meetings scheduled ahead/);
    const list = await admin(['meetings', '--club', 'xuan-tan']);
    expect(list.split('\n')[0]).toMatch(/^\d+\t10\/01\/2026 08:00\tscheduled\tSinh hoạt định kỳ\tNhà văn hóa khu phố 3$/);
    // Running the materialiser again creates nothing new.
    expect(await materialise(pgSql(poolOf(db.prisma)), now)).toBe(0);
  });

  it('rejects bad input with one clear line, and writes nothing', async () => {
    await fails(CLUB, /already exists/);
    await fails(['club', 'create', '--id', 'Bad Id'], /--id must be lower-case/);
    await fails(['club', 'create', '--id', 'ok-id', '--name', 'x'], /--province is required/);
    await fails([...CLUB.slice(0, 4), 'other', ...CLUB.slice(4), '--tz', 'Mars/Base'], /--tz must be an IANA time zone/);
    await fails([...CLUB, '--colour', 'red'], /unknown option --colour/);
    await fails(['series', 'add', '--club', 'nowhere', '--rrule', 'FREQ=WEEKLY', '--start', '2026-01-10T08:00', '--duration', '60', '--topic', 't'], /no club with id "nowhere"/);
    await fails(['series', 'add', '--club', 'xuan-tan', '--rrule', 'FREQ=HOURLY', '--start', '2026-01-10T08:00', '--duration', '60', '--topic', 't'], /HOURLY is not allowed/);
    await fails(['series', 'add', '--club', 'xuan-tan', '--rrule', 'FREQ=WEEKLY', '--start', '10/01/2026', '--duration', '60', '--topic', 't'], /--start must be a local date and time/);
    await fails(['series', 'add', '--club', 'xuan-tan', '--rrule', 'FREQ=WEEKLY', '--start', '2026-01-10T08:00', '--duration', 'long', '--topic', 't'], /--duration must be a whole number/);
    await fails(['meeting', 'move', '--id', '999999', '--to', '2026-03-15T09:00'], /no meeting with id 999999/);
    await fails(['frobnicate'], /unknown command "frobnicate"/);
    expect(await db.prisma.club.count()).toBe(1);
    expect(await db.prisma.meetingSeries.count()).toBe(1);
  });

  it('moves and cancels one meeting; the series keeps the rest', async () => {
    const occ = await db.prisma.meetingOccurrence.findMany({ orderBy: { startsAt: 'asc' } });
    await fails(['meeting', 'move', '--id', String(occ[1]!.id), '--to', '2025-12-01T08:00'], /in the past/);
    expect(await admin(['meeting', 'move', '--id', String(occ[1]!.id), '--to', '2026-02-15T09:00', '--venue', 'UBND phường'])).toMatch(/moved meeting/);
    expect(await admin(['meeting', 'cancel', '--id', String(occ[2]!.id)])).toMatch(/cancelled meeting/);
    await fails(['meeting', 'cancel', '--id', String(occ[2]!.id)], /already cancelled/);
    await fails(['meeting', 'move', '--id', String(occ[2]!.id), '--to', '2026-03-20T09:00'], /cancelled; it cannot be moved/);
    // Re-materialising does not resurrect or reset them.
    await materialise(pgSql(poolOf(db.prisma)), now);
    const after = await db.prisma.meetingOccurrence.findMany({ orderBy: { originalStart: 'asc' } });
    expect(after.map((o) => o.status).slice(0, 4)).toEqual(['scheduled', 'moved', 'cancelled', 'scheduled']);
    expect(after[1]!.startsAt.toISOString()).toBe('2026-02-15T02:00:00.000Z');
    expect(after[1]!.venue).toBe('UBND phường');
    expect(after[1]!.endsAt.getTime() - after[1]!.startsAt.getTime()).toBe(120 * 60_000);
  });

  it('issues and revokes invite codes', async () => {
    const out = await admin(['invite', 'create', '--club', 'xuan-tan', '--role', 'volunteer', '--alias', 'Chị Lan']);
    const code = /invite code ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(out)![1]!;
    expect((await db.prisma.inviteCode.findUnique({ where: { code: code.replace('-', '') } }))?.role).toBe('volunteer');
    await fails(['invite', 'create', '--club', 'xuan-tan', '--role', 'volunteer'], /--alias is required/);
    await fails(['invite', 'create', '--club', 'xuan-tan', '--role', 'boss', '--alias', 'x'], /--role must be member, volunteer or coordinator/);
    await fails(['invite', 'create', '--club', 'xuan-tan', '--role', 'member', '--alias', 'A', '--uses', '5'], /--uses must be 1/);
    expect(await admin(['invite', 'revoke', '--code', code.toLowerCase()])).toBe(`revoked ${code}`);
    await fails(['invite', 'revoke', '--code', code], /already revoked/);
    await fails(['invite', 'revoke', '--code', 'NOPE-NOPE'], /no invite code/);
  });

  it('assigns volunteers, records attendance and progress, lists members by alias', async () => {
    const mk = (alias: string, role: string) =>
      db.prisma.membership.create({ data: { clubId: 'xuan-tan', subjectKey: `s-${alias}`, role, alias, consentAt: now } });
    await mk('Anh Tư', 'member');
    await mk('Chú Ba', 'member');
    await mk('Cô Năm', 'member');
    await mk('Chị Lan', 'volunteer');
    expect(await admin(['members', '--club', 'xuan-tan'])).toBe('Anh Tư\tmember\treminders on\nChú Ba\tmember\treminders on\nCô Năm\tmember\treminders on\nChị Lan\tvolunteer\treminders on');
    expect(await admin(['assign', '--club', 'xuan-tan', '--volunteer', 'Chị Lan', '--member', 'Anh Tư', '--as', 'Tư', '--every', '7'])).toMatch(/supports Anh Tư, check-in every 7 days/);
    await admin(['assign', '--club', 'xuan-tan', '--volunteer', 'Chị Lan', '--member', 'Chú Ba']);
    await fails(['assign', '--club', 'xuan-tan', '--volunteer', 'Chị Lan', '--member', 'Cô Năm'], /already supports two people/);
    await fails(['assign', '--club', 'xuan-tan', '--volunteer', 'Anh Tư', '--member', 'Chú Ba'], /is a member, not a volunteer/);
    await fails(['assign', '--club', 'xuan-tan', '--volunteer', 'Chị Lan', '--member', 'Nobody'], /no active member "Nobody"/);

    now = new Date('2026-01-10T06:00:00Z');
    const first = await db.prisma.meetingOccurrence.findFirstOrThrow({ orderBy: { startsAt: 'asc' } });
    const later = await db.prisma.meetingOccurrence.findFirstOrThrow({ where: { status: 'scheduled' }, orderBy: { startsAt: 'desc' } });
    await fails(['attendance', '--meeting', String(later.id), '--present', 'Anh Tư'], /has not happened yet/);
    // One bad alias: nothing at all is recorded.
    await fails(['attendance', '--meeting', String(first.id), '--present', 'Anh Tư,Ghost'], /no active member "Ghost"/);
    expect(await db.prisma.attendance.count()).toBe(0);
    await fails(['attendance', '--meeting', String(first.id), '--present', 'Anh Tư', '--absent', 'Anh Tư'], /both present and absent/);
    expect(await admin(['attendance', '--meeting', String(first.id), '--present', 'Anh Tư,Chú Ba', '--absent', 'Cô Năm'])).toBe(`recorded 2 present, 1 absent for meeting ${first.id}`);

    await fails(['progress', '--club', 'xuan-tan', '--member', 'Anh Tư', '--month', '2026-13', '--status', 'on_track'], /--month must be a month/);
    await fails(['progress', '--club', 'xuan-tan', '--member', 'Anh Tư', '--month', '2026-01', '--status', 'great'], /--status must be on_track/);
    await admin(['progress', '--club', 'xuan-tan', '--member', 'Anh Tư', '--month', '2026-01', '--status', 'on_track', '--note', 'Đã đi làm lại']);
    const note = await db.prisma.progressNote.findFirstOrThrow();
    expect(note.noteEnc).not.toContain('đi làm');
  });

  it('exports the six-monthly CSV report', async () => {
    const a = await db.prisma.volunteerAssignment.findFirstOrThrow();
    await db.prisma.checkIn.create({ data: { assignmentId: a.id, at: now, outcome: 'done' } });
    await db.prisma.reminderDelivery.createMany({
      data: [
        { dedupeKey: 'a', clubId: 'xuan-tan', kind: 'reminder', channel: 'telegram', dueAt: now, sendAt: now, status: 'sent', sentAt: now },
        { dedupeKey: 'b', clubId: 'xuan-tan', kind: 'reminder', channel: 'telegram', dueAt: now, sendAt: now, status: 'failed', reason: 'blocked' },
        { dedupeKey: 'c', clubId: 'xuan-tan', kind: 'reminder', channel: 'zalo-oa', dueAt: now, sendAt: now, status: 'failed', reason: 'outside_window' },
      ],
    });
    now = new Date('2026-06-30T10:00:00Z');
    // The planner does this every hour in the bot.
    await materialise(pgSql(poolOf(db.prisma)), new Date('2026-04-01T00:00:00Z'));
    await materialise(pgSql(poolOf(db.prisma)), now);
    const csv = await admin(['report', '--club', 'xuan-tan', '--from', '2026-01-01', '--to', '2026-06-30']);
    const [header, row] = csv.split('\n');
    const r = Object.fromEntries(header!.split(',').map((h, i) => [h, row!.split(',')[i]]));
    expect(r).toMatchObject({
      club_id: 'xuan-tan',
      meetings_cancelled: '1',
      attendance_recorded: '3',
      attendance_rate: '0.67',
      reminders_sent: '1',
      failed_blocked: '1',
      failed_outside_window: '1',
      active_volunteers: '1',
      check_ins_done: '1',
    });
    // Jan, Feb (moved), Apr, May, Jun; March was cancelled.
    expect(r['meetings_held']).toBe('5');
    await fails(['report', '--from', '2026-07-01', '--to', '2026-01-01'], /--from is after --to/);
    await fails(['report', '--from', 'yesterday'], /--from must be a date/);
  });
});
