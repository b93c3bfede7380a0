// The scheduled work (planning, composing and handing reminders over, the retention purge) runs
// on node-postgres alone: a bot that only answers and reminds never opens the Prisma client
// (about 35 MB of a process). The data is written through another client; the client under
// test must still be unopened when seven kinds of plan row (member and coordinator reminders,
// a volunteer's assignment, check-in, missed meeting, second nudge and escalation) have been
// made, composed and handed over. The kinds a turn makes (RSVP "no", a call for help) are
// composed in test/clubs/reminders.test.ts; test/e2e/turns-without-prisma.test.ts walks the turns.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, poolOf, prismaOpened } from '../../bot/db/client.ts';
import { pgSql } from '../../bot/db/sql.ts';
import { purgeExpired } from '../../bot/jobs/retention.ts';
import { Dispatcher } from '../../bot/jobs/reminders/dispatch.ts';
import { plan } from '../../bot/jobs/reminders/plan.ts';
import { encrypt } from '../../bot/privacy/crypto.ts';
import { loadContent } from '../../content/load.ts';
import type { PrismaClient } from '../../prisma/generated/client.ts';
import { clubDb, type TestDb } from './db.ts';

const H = 3_600_000;
const key = randomBytes(32);
const now = new Date('2026-03-13T23:10:00Z'); // Sat 06:10 local; the meeting is at 08:00
let db: TestDb;
let fresh: PrismaClient;

async function person(alias: string, role: string) {
  const subjectKey = `subj-${alias}`;
  await db.prisma.contact.create({ data: { subjectKey, channel: 'telegram', addressEnc: encrypt(key, `addr-${alias}`), lastInboundAt: now } });
  return db.prisma.membership.create({ data: { clubId: 'c1', subjectKey, role, alias, consentAt: now, createdAt: new Date(now.getTime() - 30 * 24 * H) } });
}

beforeAll(async () => {
  db = await clubDb();
  await db.prisma.club.create({ data: { id: 'c1', name: 'CLB Một', province: 'P', commune: 'C', venue: 'Nhà văn hóa', requiresInvite: false } });
  await db.prisma.meetingSeries.create({ data: { clubId: 'c1', rrule: 'FREQ=MONTHLY;BYDAY=2SA', dtstart: '2026-01-10T08:00', timeZone: 'Asia/Ho_Chi_Minh', durationMin: 120, topic: 'Chia sẻ' } });
  const member = await person('Tư', 'member');
  const volunteer = await person('Lan', 'volunteer');
  await person('Coord', 'coordinator');
  const a = await db.prisma.volunteerAssignment.create({ data: { clubId: 'c1', volunteerId: volunteer.id, memberId: member.id, memberAlias: 'Tư', cadenceDays: 7, nextDueAt: now } });
  // Last month's meeting, missed; a nudge sent three days ago, unanswered.
  const series = await db.prisma.meetingSeries.findFirstOrThrow();
  const missed = await db.prisma.meetingOccurrence.create({
    data: { seriesId: series.id, clubId: 'c1', originalStart: new Date('2026-03-07T01:00:00Z'), startsAt: new Date('2026-03-07T01:00:00Z'), endsAt: new Date('2026-03-07T03:00:00Z'), topic: 'x', venue: 'y' },
  });
  await db.prisma.attendance.create({ data: { occurrenceId: missed.id, membershipId: member.id, present: false, recordedAt: new Date(now.getTime() - 6 * 24 * H) } });
  for (const kind of ['checkin_due', 'nudge_again']) {
    const at = new Date(now.getTime() - 100 * H);
    await db.prisma.reminderDelivery.create({
      data: { dedupeKey: `old-${kind}`, clubId: 'c1', membershipId: volunteer.id, assignmentId: a.id, kind, channel: 'telegram', dueAt: at, sendAt: at, status: 'sent', sentAt: at },
    });
  }
  const old = new Date(now.getTime() - 400 * 24 * H);
  await db.prisma.interactionLog.create({ data: { day: old, dayKey: 'k', channel: 'web', flow: 'menu', step: 'main', eventKind: 'text', latencyMs: 1, outcome: 'ok', createdAt: old } });
  await db.prisma.processedEvent.create({ data: { channel: 'web', externalId: 'old', receivedAt: old } });
  fresh = createPrisma(db.url);
});
afterAll(async () => {
  await fresh?.$disconnect();
  await db?.drop();
});

describe('scheduled work without the Prisma client', () => {
  it('plans seven kinds of row, composes and hands them over, and purges, on the pool alone', async () => {
    const sql = pgSql(poolOf(fresh));
    expect(await plan(sql, now)).toBeGreaterThan(0);
    const kinds = (await db.prisma.reminderDelivery.findMany({ where: { status: 'pending' }, select: { kind: true } })).map((r) => r.kind);
    expect(new Set(kinds)).toEqual(new Set(['reminder', 'coord_before', 'vol_assigned', 'checkin_due', 'vol_missed', 'nudge_again', 'escalation']));
    // Planning again adds nothing.
    expect(await plan(sql, now)).toBe(0);

    // An hour on, quiet hours (until 07:00) are over and everything planned is due.
    const later = new Date(now.getTime() + H);
    const dispatcher = new Dispatcher({ prisma: fresh, content: loadContent(), channels: ['telegram'], addressKey: key, now: () => later });
    const handed = await dispatcher.handOver();
    expect(handed).toBe(kinds.length);
    expect(await db.prisma.outbox.count()).toBe(handed);

    const purged = await purgeExpired(sql, now, 180);
    expect(purged).toMatchObject({ logs: 1, events: 1 });

    expect(prismaOpened(fresh)).toBe(false);
  });

  it('a client that is used is reported opened (the check above can fail)', async () => {
    const other = createPrisma(db.url);
    expect(prismaOpened(other)).toBe(false);
    await other.club.count();
    expect(prismaOpened(other)).toBe(true);
    await other.$disconnect();
  });
});
