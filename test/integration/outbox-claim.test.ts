// The outbox claim keeps one message in flight per person, even when a row commits after a turn's
// snapshot: a reminder handed over (older id) while that turn's reply (newer id) is being sent
// waits until the reply is done.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poolOf } from '../../bot/db/client.ts';
import { claimOutbox } from '../../bot/db/outbox.ts';
import { pgSql } from '../../bot/db/sql.ts';
import { type TestDatabase, testDatabase } from '../support/db.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await testDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const row = (subject: string, leasedSeconds: number | null) =>
  db.prisma.outbox.create({
    data: { subjectKey: subject, channel: 'telegram', payloadEnc: 'sealed', leasedUntil: leasedSeconds === null ? null : new Date(Date.now() + leasedSeconds * 1000) },
  });

describe('claimOutbox', () => {
  it("takes no row of a person while another of theirs is in flight, and takes it once that one is gone", async () => {
    const sql = pgSql(poolOf(db.prisma));
    const reminder = await row('subj-a', null); // older id, committed late
    const reply = await row('subj-a', 10); // newer id, leased: being sent right now
    expect(await claimOutbox(sql, ['telegram'], 10)).toBeNull();
    await db.prisma.outbox.delete({ where: { id: reply.id } });
    expect((await claimOutbox(sql, ['telegram'], 10))?.id).toBe(String(reminder.id));
  });

  it('still takes the oldest row of other people meanwhile', async () => {
    const sql = pgSql(poolOf(db.prisma));
    await row('subj-b', 10);
    const other = await row('subj-c', null);
    expect((await claimOutbox(sql, ['telegram'], 10))?.id).toBe(String(other.id));
  });
});
