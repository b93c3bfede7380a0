// What a club's board pages read and change. Every function takes the club id the session is
// bound to: nothing here can reach another club's rows.
import type { PrismaClient } from '../../../prisma/generated/client.ts';
import { validateSeries } from '../../clubs/recurrence.ts';
import { cancelOccurrence, materialise, moveOccurrence } from '../../clubs/schedule.ts';
import { prismaSql } from '../../db/sql.ts';
import { newInviteCode } from '../../clubs/invite-code.ts';
import { outsideWindow } from '../../channels/zalo-oa/window.ts';
import { decrypt, encrypt } from '../../privacy/crypto.ts';

/** The club a page is about; throws for an unknown id (the guard has let only real ones by). */
export function clubById(db: PrismaClient, clubId: string) {
  return db.club.findUniqueOrThrow({ where: { id: clubId } });
}

/** The province of a club, for an officer's access; null for an unknown id. */
export async function provinceOf(db: PrismaClient, clubId: string): Promise<string | null | undefined> {
  return (await db.club.findUnique({ where: { id: clubId }, select: { province: true } }))?.province ?? undefined;
}

/** The ids of a province's real (not sample) clubs. */
export async function clubIdsIn(db: PrismaClient, province: string): Promise<string[]> {
  return (await db.club.findMany({ where: { province, sample: false }, select: { id: true } })).map((c) => c.id);
}

export async function clubOverview(db: PrismaClient, clubId: string, now: Date) {
  const club = await db.club.findUnique({ where: { id: clubId } });
  if (!club) return null;
  const series = await db.meetingSeries.findMany({ where: { clubId, endedAt: null }, orderBy: { id: 'asc' } });
  const next = await db.meetingOccurrence.findMany({
    where: { clubId, startsAt: { gte: new Date(now.getTime() - 3 * 3_600_000) } },
    orderBy: { startsAt: 'asc' },
    take: 8,
  });
  return { club, series, next };
}

export type Repeat = 'once' | 'weekly' | 'monthly';

/** A new meeting: one-off (COUNT=1) or a series repeating weekly or on the same weekday of the month. */
export async function createMeeting(
  db: PrismaClient,
  clubId: string,
  m: { date: string; time: string; durationMin: number; topic: string; venue: string | null; repeat: Repeat },
  now: Date,
): Promise<{ ok: true; seriesId: number } | { ok: false; problem: string }> {
  const club = await db.club.findUniqueOrThrow({ where: { id: clubId } });
  const dtstart = `${m.date}T${m.time}`;
  const d = new Date(`${m.date}T00:00:00Z`);
  const byday = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'][d.getUTCDay()]!;
  const nth = Math.ceil(d.getUTCDate() / 7);
  const rrule = m.repeat === 'once' ? 'FREQ=YEARLY;COUNT=1' : m.repeat === 'weekly' ? `FREQ=WEEKLY;BYDAY=${byday}` : `FREQ=MONTHLY;BYDAY=${nth > 4 ? -1 : nth}${byday}`;
  const rule = { rrule, dtstart, timeZone: club.timeZone, durationMin: m.durationMin };
  const problem = validateSeries(rule);
  if (problem) return { ok: false, problem };
  return db.$transaction(async (tx) => {
    const s = await tx.meetingSeries.create({ data: { clubId, ...rule, topic: m.topic, venue: m.venue } });
    await materialise(prismaSql(tx), now, undefined, clubId);
    return { ok: true, seriesId: s.id } as const;
  });
}

export async function occurrenceIn(db: PrismaClient, clubId: string, id: number) {
  return db.meetingOccurrence.findFirst({ where: { id, clubId } });
}

export async function moveMeeting(db: PrismaClient, id: number, to: Date, venue: string | undefined, now: Date): Promise<void> {
  await db.$transaction((tx) => moveOccurrence(tx, id, to, now, venue));
}

export async function cancelMeeting(db: PrismaClient, id: number, now: Date): Promise<void> {
  await db.$transaction((tx) => cancelOccurrence(tx, id, now));
}

export type Reach = 'ok' | 'blocked' | 'outside_window' | 'no_address' | 'reminders_off';

export async function members(db: PrismaClient, clubId: string, now: Date) {
  const rows = await db.membership.findMany({ where: { clubId, status: 'active' }, orderBy: [{ role: 'asc' }, { alias: 'asc' }, { id: 'asc' }] });
  const contacts = await db.contact.findMany({ where: { subjectKey: { in: rows.map((r) => r.subjectKey) } } });
  const bySubject = new Map(contacts.map((c) => [c.subjectKey, c]));
  return rows.map((m) => {
    const c = bySubject.get(m.subjectKey);
    let reach: Reach = 'ok';
    if (!m.remindersOn) reach = 'reminders_off';
    else if (!c?.addressEnc) reach = 'no_address';
    else if (c.status === 'blocked' || c.status === 'unfollowed') reach = 'blocked';
    // A Zalo OA contact never heard from has no open window either.
    else if (c.status === 'outside_window' || (c.channel === 'zalo-oa' && !c.lastInboundAt) || outsideWindow(c.channel, c.lastInboundAt, now)) reach = 'outside_window';
    // The subject key stays here: pages get an id, an alias and a role.
    return { id: m.id, name: m.alias ?? `#${m.id}`, role: m.role, reach, channel: c?.channel ?? null };
  });
}

export async function invites(db: PrismaClient, clubId: string, now: Date) {
  const rows = await db.inviteCode.findMany({ where: { clubId, revokedAt: null }, orderBy: { createdAt: 'desc' }, take: 20 });
  return rows.filter((r) => (!r.expiresAt || r.expiresAt > now) && r.uses < r.maxUses);
}

export async function createInvite(db: PrismaClient, clubId: string, i: { role: string; alias: string | null; uses: number; days: number }, now: Date) {
  if (i.alias && (await db.membership.findUnique({ where: { clubId_alias: { clubId, alias: i.alias } } }))) return null;
  const code = newInviteCode();
  await db.inviteCode.create({ data: { code, clubId, role: i.role, alias: i.alias, maxUses: i.uses, expiresAt: new Date(now.getTime() + i.days * 86_400_000) } });
  return code;
}

export async function revokeInvite(db: PrismaClient, clubId: string, code: string, now: Date): Promise<boolean> {
  const n = await db.inviteCode.updateMany({ where: { clubId, code, revokedAt: null }, data: { revokedAt: now } });
  return n.count > 0;
}

/** Meetings that have started, newest first, with how many were marked. */
export async function pastMeetings(db: PrismaClient, clubId: string, now: Date) {
  const rows = await db.meetingOccurrence.findMany({
    where: { clubId, status: { not: 'cancelled' }, startsAt: { lte: now, gte: new Date(now.getTime() - 180 * 86_400_000) } },
    orderBy: { startsAt: 'desc' },
    take: 12,
    include: { _count: { select: { attendance: true } } },
  });
  return rows.map((r) => ({ ...r, marked: r._count.attendance }));
}

export async function attendanceSheet(db: PrismaClient, clubId: string, occurrenceId: number) {
  const people = await db.membership.findMany({ where: { clubId, status: 'active', role: { in: ['member', 'volunteer'] } }, orderBy: [{ role: 'asc' }, { alias: 'asc' }, { id: 'asc' }] });
  const marks = await db.attendance.findMany({ where: { occurrenceId } });
  const rsvps = await db.rsvp.findMany({ where: { occurrenceId } });
  const mark = new Map(marks.map((a) => [a.membershipId, a.present]));
  const rsvp = new Map(rsvps.map((r) => [r.membershipId, r.answer]));
  return people.map((m) => ({ id: m.id, name: m.alias ?? `#${m.id}`, role: m.role, present: mark.get(m.id) ?? null, rsvp: rsvp.get(m.id) ?? null }));
}

/** Everyone on the sheet is recorded: ticked present, the rest absent. */
export async function recordAttendance(db: PrismaClient, clubId: string, occurrenceId: number, presentIds: Set<number>, now: Date): Promise<{ present: number; absent: number }> {
  const sheet = await attendanceSheet(db, clubId, occurrenceId);
  await db.$transaction(async (tx) => {
    for (const p of sheet) {
      const present = presentIds.has(p.id);
      await tx.attendance.upsert({
        where: { occurrenceId_membershipId: { occurrenceId, membershipId: p.id } },
        create: { occurrenceId, membershipId: p.id, present, recordedAt: now },
        update: { present, recordedAt: now },
      });
    }
  });
  const present = sheet.filter((p) => presentIds.has(p.id)).length;
  return { present, absent: sheet.length - present };
}

export async function progressSheet(db: PrismaClient, clubId: string, month: string, key: Buffer) {
  const people = await db.membership.findMany({ where: { clubId, status: 'active', role: 'member' }, orderBy: [{ alias: 'asc' }, { id: 'asc' }] });
  const notes = await db.progressNote.findMany({ where: { membershipId: { in: people.map((p) => p.id) }, month: new Date(`${month}-01T00:00:00Z`) } });
  const byMember = new Map(notes.map((n) => [n.membershipId, n]));
  return people.map((m) => {
    const n = byMember.get(m.id);
    let note = '';
    try {
      note = n?.noteEnc ? decrypt(key, n.noteEnc) : '';
    } catch {
      note = '';
    }
    return { id: m.id, name: m.alias ?? `#${m.id}`, status: n?.status ?? null, note };
  });
}

export async function saveProgress(db: PrismaClient, clubId: string, membershipId: number, month: string, status: string, note: string, key: Buffer): Promise<boolean> {
  const m = await db.membership.findFirst({ where: { id: membershipId, clubId, status: 'active', role: 'member' } });
  if (!m) return false;
  const monthDay = new Date(`${month}-01T00:00:00Z`);
  const noteEnc = note ? encrypt(key, note) : null;
  await db.progressNote.upsert({
    where: { membershipId_month: { membershipId, month: monthDay } },
    create: { membershipId, month: monthDay, status, noteEnc },
    update: { status, noteEnc },
  });
  return true;
}

export async function volunteers(db: PrismaClient, clubId: string, now: Date) {
  const rows = await db.volunteerAssignment.findMany({
    where: { clubId, active: true },
    include: { volunteer: true, checkIns: { orderBy: { at: 'desc' }, take: 1 } },
    orderBy: { id: 'asc' },
  });
  return rows.map((a) => ({
    volunteer: a.volunteer.alias ?? `#${a.volunteer.id}`,
    member: a.memberAlias,
    cadenceDays: a.cadenceDays,
    nextDueAt: a.nextDueAt,
    overdue: a.nextDueAt < now,
    last: a.checkIns[0] ? { at: a.checkIns[0].at, outcome: a.checkIns[0].outcome } : null,
  }));
}
