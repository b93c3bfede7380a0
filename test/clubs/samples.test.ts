// Sample clubs: loaded into an empty club table (once, even with two instances starting
// together), never next to a real club at start-up; `admin sample load|remove` by hand, and
// remove deletes only the samples.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../bot/admin/args.ts';
import { runAdmin } from '../../bot/admin/commands.ts';
import { loadSamplesIfEmpty } from '../../bot/clubs/samples.ts';
import { nextMeetings } from '../../bot/clubs/schedule.ts';
import { loadContent } from '../../content/load.ts';
import { clubDb, type TestDb } from './db.ts';
import { poolOf } from '../../bot/db/client.ts';

const samples = loadContent().clubSamples;
const now = new Date('2026-03-02T03:00:00Z');
let db: TestDb;
const admin = (line: string) => runAdmin(parseArgs(line.split(' ')), { prisma: db.prisma, now, addressKey: randomBytes(32) });

beforeAll(async () => {
  db = await clubDb();
});
afterAll(async () => {
  await db?.drop();
});

describe('sample clubs', () => {
  it('start-up loads them into an empty table, once, with meetings ahead', async () => {
    const [a, b] = await Promise.all([loadSamplesIfEmpty(poolOf(db.prisma), samples, now), loadSamplesIfEmpty(poolOf(db.prisma), samples, now)]);
    expect([...a, ...b].sort()).toEqual(samples.clubs.map((c) => c.id).sort());
    const clubs = await db.prisma.club.findMany();
    expect(clubs).toHaveLength(samples.clubs.length);
    expect(clubs.every((c) => c.sample && c.name.includes('(mẫu)'))).toBe(true);
    const next = await nextMeetings(db.prisma, 'sample-xuan-tan', now);
    expect(next.map((m) => m.startsAt.toISOString())).toEqual(['2026-03-14T01:00:00.000Z', '2026-04-11T01:00:00.000Z', '2026-05-09T01:00:00.000Z']);
    expect(await loadSamplesIfEmpty(poolOf(db.prisma), samples, now)).toEqual([]);
  });

  it('admin sample remove deletes the samples only; start-up does not bring them back next to a real club', async () => {
    await admin('club create --id xuan-tan --name CLB --province 01 --commune 00004 --venue V');
    await admin('series add --club xuan-tan --rrule FREQ=MONTHLY;BYDAY=2SA --start 2026-01-10T08:00 --duration 120 --topic T');
    expect(await admin('sample remove')).toBe(`removed ${samples.clubs.length} sample clubs`);
    expect((await db.prisma.club.findMany()).map((c) => c.id)).toEqual(['xuan-tan']);
    expect(await db.prisma.meetingOccurrence.count({ where: { clubId: { startsWith: 'sample-' } } })).toBe(0);
    expect(await db.prisma.meetingOccurrence.count({ where: { clubId: 'xuan-tan' } })).toBeGreaterThan(0);
    expect(await loadSamplesIfEmpty(poolOf(db.prisma), samples, now)).toEqual([]);
    expect(await admin('sample remove')).toBe('no sample clubs to remove');
  });

  it('admin sample load adds them by hand, next to real clubs, once', async () => {
    expect(await admin('sample load')).toBe(`loaded ${samples.clubs.length} sample clubs: ${samples.clubs.map((c) => c.id).join(', ')}`);
    expect(await admin('sample load')).toBe('the sample clubs are already loaded');
    expect(await db.prisma.club.count({ where: { sample: true } })).toBe(samples.clubs.length);
    expect(await db.prisma.club.count({ where: { sample: false } })).toBe(1);
    await expect(admin('sample load --force true')).rejects.toThrow(/unknown option --force/);
  });
});
