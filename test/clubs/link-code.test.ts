// Link codes in the database (bot/clubs/link-code.ts, bot/db/link-code.ts), on real PostgreSQL:
// only the HMAC is kept, a code is used once, memberships move with their alias and RSVPs (an
// old row of the chat identity for the same club is taken up again), wrong codes are counted
// per hour, and retention and erasure leave nothing behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLink, hashLinkCode, lookupLink, MAX_WRONG_CODES, newLinkCode, redeemLinkCode, countWrongLink, WRONG_WINDOW_MS } from '../../bot/clubs/link-code.ts';
import { purgeExpired } from '../../bot/jobs/retention.ts';
import { eraseSubject } from '../../bot/privacy/erase.ts';
import { prismaSql, type Sql } from '../../bot/db/sql.ts';
import type { Prisma } from '../../prisma/generated/client.ts';
import { clubDb, type TestDb } from './db.ts';
import { pgSql } from '../../bot/db/sql.ts';
import { poolOf } from '../../bot/db/client.ts';

const secret = Buffer.alloc(32, 9);
const now = new Date('2026-03-01T03:00:00Z');
let db: TestDb;
let sql: Sql;

const membership = (clubId: string, subjectKey: string, extra: Partial<Prisma.MembershipUncheckedCreateInput> = {}) =>
  db.prisma.membership.create({ data: { clubId, subjectKey, role: 'member', consentAt: now, ...extra } });

beforeAll(async () => {
  db = await clubDb();
  sql = prismaSql(db.prisma as unknown as Prisma.TransactionClient);
  for (const id of ['c1', 'c2']) await db.prisma.club.create({ data: { id, name: `CLB ${id}`, province: 'P', commune: 'C', venue: 'V', requiresInvite: false } });
});
afterAll(async () => {
  await db?.drop();
});

describe('link codes in the database', () => {
  it('two chats sending one code at once: the second waits for the first, then finds it used', async () => {
    const code = newLinkCode();
    await membership('c1', 'web-race');
    await createLink(sql, hashLinkCode(secret, code), 'web-race', now);
    let release!: () => void;
    const firstMayGo = new Promise<void>((r) => {
      release = r;
    });
    let firstLooked!: () => void;
    const looked = new Promise<void>((r) => {
      firstLooked = r;
    });
    const first = db.prisma.$transaction(async (tx) => {
      const t = prismaSql(tx);
      const seen = await lookupLink(t, secret, 'tg-race-1', code, now);
      firstLooked();
      await firstMayGo;
      return { seen: seen.status, redeemed: (await redeemLinkCode(t, hashLinkCode(secret, code), 'tg-race-1', now)) !== null };
    });
    await looked;
    const second = db.prisma.$transaction(async (tx) => (await lookupLink(prismaSql(tx), secret, 'tg-race-2', code, now)).status);
    // The second lookup is held by the first one's lock until the first commits (without the
    // lock it would answer at once, before the first has used the code).
    let settled = false;
    void second.finally(() => {
      settled = true;
    });
    const waiting = (async () => {
      while (!settled) {
        const rows = await db.prisma.$queryRawUnsafe<{ n: number }[]>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()");
        if ((rows[0]?.n ?? 0) > 0) return;
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await Promise.race([waiting, second]);
    release();
    await waiting;
    expect(await first).toEqual({ seen: 'ok', redeemed: true });
    expect(await second).toBe('wrong');
    expect((await db.prisma.membership.findFirstOrThrow({ where: { clubId: 'c1', subjectKey: 'tg-race-1' } })).status).toBe('active');
  });

  it('keeps only the HMAC; a code moves the memberships once, keeping alias and RSVPs', async () => {
    const code = newLinkCode();
    const moved = await membership('c1', 'web-a', { alias: 'Anh Tư' });
    const webC2 = await membership('c2', 'web-a', { alias: 'Chị Ba' });
    // The chat identity left c2 long ago: that row is taken up again, with the web row's alias
    // and its RSVP.
    const old = await membership('c2', 'tg-a', { status: 'left', remindersOn: false });
    const series = await db.prisma.meetingSeries.create({ data: { clubId: 'c2', rrule: 'FREQ=MONTHLY;BYDAY=2SA', dtstart: '2026-01-10T08:00', timeZone: 'Asia/Ho_Chi_Minh', durationMin: 120, topic: 'T' } });
    const at = new Date('2026-03-14T01:00:00Z');
    const occurrence = await db.prisma.meetingOccurrence.create({ data: { seriesId: series.id, clubId: 'c2', originalStart: at, startsAt: at, endsAt: new Date(at.getTime() + 7_200_000), topic: 'T', venue: 'V' } });
    await db.prisma.rsvp.create({ data: { occurrenceId: occurrence.id, membershipId: webC2.id, answer: 'yes', answeredAt: now } });
    await db.prisma.membership.create({ data: { clubId: 'c1', subjectKey: 'web-a-left', role: 'member', consentAt: now, status: 'left' } });
    await createLink(sql, hashLinkCode(secret, code), 'web-a', now);
    const row = await db.prisma.linkCode.findFirstOrThrow({ where: { subjectKey: 'web-a' } });
    expect(row.codeHash).toBe(hashLinkCode(secret, code));
    expect(JSON.stringify(row)).not.toContain(code);

    expect(await lookupLink(sql, secret, 'tg-a', code, now)).toEqual({ status: 'ok', hash: row.codeHash, clubIds: ['c1', 'c2'] });
    const done = await redeemLinkCode(sql, row.codeHash, 'tg-a', now);
    expect(done?.from).toBe('web-a');
    expect(done?.moved.map((m) => m.clubId).sort()).toEqual(['c1', 'c2']);
    const mine = await db.prisma.membership.findMany({ where: { subjectKey: 'tg-a' }, orderBy: { clubId: 'asc' } });
    expect(mine.map((m) => [m.clubId, m.status, m.remindersOn, m.alias])).toEqual([
      ['c1', 'active', true, 'Anh Tư'],
      ['c2', 'active', true, 'Chị Ba'],
    ]);
    expect(mine.find((m) => m.clubId === 'c1')?.id).toBe(moved.id);
    expect(mine.find((m) => m.clubId === 'c2')?.id).toBe(old.id);
    expect(await db.prisma.rsvp.findMany({ where: { occurrenceId: occurrence.id }, select: { membershipId: true, answer: true } })).toEqual([{ membershipId: old.id, answer: 'yes' }]);
    expect(await db.prisma.membership.count({ where: { subjectKey: 'web-a', status: 'active' } })).toBe(0);
    // Used: gone, and a second send moves nothing.
    expect(await db.prisma.linkCode.count({ where: { subjectKey: 'web-a' } })).toBe(0);
    expect(await redeemLinkCode(sql, row.codeHash, 'tg-b', now)).toBeNull();
    expect(await lookupLink(sql, secret, 'tg-b', code, now)).toEqual({ status: 'wrong' });
  });

  it('a code is live for 30 minutes, and a new one replaces the old', async () => {
    const first = newLinkCode();
    const second = newLinkCode();
    await membership('c1', 'web-b');
    await createLink(sql, hashLinkCode(secret, first), 'web-b', now);
    await createLink(sql, hashLinkCode(secret, second), 'web-b', now);
    expect(await lookupLink(sql, secret, 'tg-c', first, now)).toEqual({ status: 'wrong' });
    expect((await lookupLink(sql, secret, 'tg-c', second, new Date(now.getTime() + 29 * 60_000))).status).toBe('ok');
    expect(await lookupLink(sql, secret, 'tg-c', second, new Date(now.getTime() + 30 * 60_000))).toEqual({ status: 'wrong' });
  });

  it('wrong codes: refused after the limit, for the rest of the hour, then allowed again', async () => {
    for (let i = 0; i < MAX_WRONG_CODES; i++) {
      expect((await lookupLink(sql, secret, 'tg-guess', newLinkCode(), now)).status).toBe('wrong');
      await countWrongLink(sql, 'tg-guess', new Date(now.getTime() + i * 1000));
    }
    expect(await lookupLink(sql, secret, 'tg-guess', newLinkCode(), now)).toEqual({ status: 'blocked' });
    expect(await lookupLink(sql, secret, 'tg-other', newLinkCode(), now)).toEqual({ status: 'wrong' });
    const later = new Date(now.getTime() + WRONG_WINDOW_MS + 1000);
    expect(await lookupLink(sql, secret, 'tg-guess', newLinkCode(), later)).toEqual({ status: 'wrong' });
    await countWrongLink(sql, 'tg-guess', later);
    expect((await db.prisma.linkAttempt.findUniqueOrThrow({ where: { subjectKey: 'tg-guess' } })).failures).toBe(1);
  });

  it('retention removes expired codes and spent windows; erasure removes a person\'s own', async () => {
    await membership('c1', 'web-c');
    await createLink(sql, hashLinkCode(secret, newLinkCode()), 'web-c', now);
    await countWrongLink(sql, 'tg-erase', now);
    await eraseSubject(sql, 'web-c', { now, timeZone: 'Asia/Ho_Chi_Minh', retentionDays: 180, pseudonymSecret: secret });
    await eraseSubject(sql, 'tg-erase', { now, timeZone: 'Asia/Ho_Chi_Minh', retentionDays: 180, pseudonymSecret: secret });
    expect(await db.prisma.linkCode.count({ where: { subjectKey: 'web-c' } })).toBe(0);
    expect(await db.prisma.linkAttempt.count({ where: { subjectKey: 'tg-erase' } })).toBe(0);

    expect(await db.prisma.linkCode.count()).toBeGreaterThan(0);
    expect(await db.prisma.linkAttempt.count()).toBeGreaterThan(0);
    await purgeExpired(pgSql(poolOf(db.prisma)), new Date(now.getTime() + 3 * WRONG_WINDOW_MS), 180);
    expect(await db.prisma.linkCode.count()).toBe(0);
    expect(await db.prisma.linkAttempt.count()).toBe(0);
  });
});
