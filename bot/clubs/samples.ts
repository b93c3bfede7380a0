// Sample clubs (content/clubs.sample.yaml), so a newcomer running `npm start` sees schedules at
// once. Loaded at start-up only into an empty club table; by hand with `admin sample load`;
// `admin sample remove` deletes them and nothing else. Every row is marked sample = true.
import type { SampleClubs } from '../../content/schema/clubs.ts';
import type pg from 'pg';
import { insertSampleClub, noClubs } from '../db/club.ts';
import { lockForTransaction } from '../db/lock.ts';
import { insertSeries } from '../db/meeting.ts';
import { inTransaction, type Sql } from '../db/sql.ts';
import { validateSeries } from './recurrence.ts';
import { type Db, materialise } from './schedule.ts';

/** Creates the sample clubs not yet present (by id); returns the ids created. */
export async function insertSamples(sql: Sql, samples: SampleClubs, now: Date): Promise<string[]> {
  const created: string[] = [];
  for (const c of samples.clubs) {
    const club = { id: c.id, name: c.name, province: c.province, commune: c.commune, venue: c.venue, boardContacts: c.board, timeZone: c.timeZone, requiresInvite: c.requiresInvite };
    if (!(await insertSampleClub(sql, club))) continue;
    for (const s of c.series) {
      const rule = { rrule: s.rrule, dtstart: s.start, timeZone: c.timeZone, durationMin: s.durationMin };
      const problem = validateSeries(rule);
      if (problem) throw new Error(`content/clubs.sample.yaml: ${c.id}: ${problem}`);
      await insertSeries(sql, { clubId: c.id, ...rule, topic: s.topic });
    }
    await materialise(sql, now, undefined, c.id);
    created.push(c.id);
  }
  return created;
}

/** At start-up: the samples, only while the club table is empty. Instances starting together
 * take turns on an advisory lock, so the samples are loaded once. */
export async function loadSamplesIfEmpty(pool: pg.Pool, samples: SampleClubs, now: Date): Promise<string[]> {
  return inTransaction(pool, 60_000, async (sql) => {
    await lockForTransaction(sql, 'club-samples');
    if (!(await noClubs(sql))) return [];
    return insertSamples(sql, samples, now);
  });
}

/** Deletes the sample clubs (their series, meetings, members and invites cascade) and their
 * ledger rows; real clubs are untouched. Returns how many clubs went. */
export async function removeSamples(db: Db): Promise<number> {
  const ids = (await db.club.findMany({ where: { sample: true }, select: { id: true } })).map((c) => c.id);
  if (!ids.length) return 0;
  await db.reminderDelivery.deleteMany({ where: { clubId: { in: ids } } });
  return (await db.club.deleteMany({ where: { id: { in: ids } } })).count;
}
