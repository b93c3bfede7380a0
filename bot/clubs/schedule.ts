// Occurrences in the database: materialised ahead from each series (idempotent, so any
// instance may run it at any time), and one-off changes that keep the occurrence's identity.
import type { Prisma, PrismaClient } from '../../prisma/generated/client.ts';
import { UNSENT } from '../db/delivery.ts';
import { insertOccurrences, liveSeries } from '../db/meeting.ts';
import type { Sql } from '../db/sql.ts';
import { expandSeries } from './recurrence.ts';

export type Db = PrismaClient | Prisma.TransactionClient;

/** How far ahead occurrences exist: the card's next three and every reminder need them. */
export const HORIZON_DAYS = 120;

/** Create missing occurrences in [now - 1 day, now + horizon]. Moved and cancelled ones are
 * never touched: the unique (series, original start) key makes this a no-op for them. */
export async function materialise(sql: Sql, now: Date, horizonDays = HORIZON_DAYS, clubId: string | null = null): Promise<number> {
  const from = new Date(now.getTime() - 86_400_000);
  const to = new Date(now.getTime() + horizonDays * 86_400_000);
  let created = 0;
  for (const s of await liveSeries(sql, clubId)) {
    const rows = expandSeries(s, from, to).map((o) => ({ seriesId: s.id, clubId: s.clubId, ...o, topic: s.topic, venue: s.venue }));
    created += await insertOccurrences(sql, rows);
  }
  return created;
}

export interface UpcomingMeeting {
  id: number;
  startsAt: Date;
  endsAt: Date;
  topic: string;
  venue: string;
  status: string;
}

/** The next `n` meetings that will happen (cancelled ones left out). */
export async function nextMeetings(db: Db, clubId: string, now: Date, n = 3): Promise<UpcomingMeeting[]> {
  return db.meetingOccurrence.findMany({
    where: { clubId, status: { not: 'cancelled' }, startsAt: { gte: now } },
    orderBy: { startsAt: 'asc' },
    take: n,
    select: { id: true, startsAt: true, endsAt: true, topic: true, venue: true, status: true },
  });
}

/** Move one meeting; pending reminders for it are cancelled (the planner re-plans them for
 * the new time, and a single "moved" notice goes out). */
export async function moveOccurrence(db: Db, id: number, startsAt: Date, now: Date, venue?: string): Promise<void> {
  const occ = await db.meetingOccurrence.findUniqueOrThrow({ where: { id } });
  const duration = occ.endsAt.getTime() - occ.startsAt.getTime();
  await db.meetingOccurrence.update({
    where: { id },
    data: { startsAt, endsAt: new Date(startsAt.getTime() + duration), status: 'moved', changedAt: now, ...(venue ? { venue } : {}) },
  });
  await cancelPendingFor(db, id);
}

export async function cancelOccurrence(db: Db, id: number, now: Date): Promise<void> {
  await db.meetingOccurrence.update({ where: { id }, data: { status: 'cancelled', changedAt: now } });
  await cancelPendingFor(db, id);
}

async function cancelPendingFor(db: Db, occurrenceId: number): Promise<void> {
  await db.reminderDelivery.updateMany({
    where: { occurrenceId, status: UNSENT, kind: { in: ['reminder', 'coord_before'] } },
    data: { status: 'cancelled', reason: 'meeting_changed' },
  });
}
