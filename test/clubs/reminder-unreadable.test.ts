// One plan row that cannot be read (its address sealed with another ADDRESS_KEY, as when two
// instances each made their own key file) is closed as failed; it does not hold back the
// reminders of everyone after it.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, OutboundMessage, SendResult } from '../../bot/channels/types.ts';
import { plan } from '../../bot/jobs/reminders/plan.ts';
import { encrypt } from '../../bot/privacy/crypto.ts';
import { loadContent } from '../../content/load.ts';
import { clubDb, type TestDb } from './db.ts';
import { type Sender, sender } from './sender.ts';
import { pgSql } from '../../bot/db/sql.ts';
import { poolOf } from '../../bot/db/client.ts';

const content = loadContent();
const key = randomBytes(32);
const otherKey = randomBytes(32);
let db: TestDb;
let s: Sender;
const clock = new Date('2026-03-13T01:00:00Z'); // Fri 08:00 local; meeting Sat 14 March 08:00

const sent: { address: string; message: OutboundMessage }[] = [];
const telegram: Channel = {
  name: 'telegram',
  async send(address: string, message: OutboundMessage): Promise<SendResult> {
    sent.push({ address, message });
    return { ok: true };
  },
};

async function person(alias: string, sealedWith: Buffer) {
  const subjectKey = `subj-${alias}`;
  await db.prisma.contact.create({ data: { subjectKey, channel: 'telegram', addressEnc: encrypt(sealedWith, `addr-${alias}`), lastInboundAt: clock } });
  await db.prisma.membership.create({ data: { clubId: 'c1', subjectKey, role: 'member', alias, consentAt: clock, createdAt: new Date(clock.getTime() - 86_400_000) } });
}

beforeAll(async () => {
  db = await clubDb();
  await db.prisma.club.create({ data: { id: 'c1', name: 'CLB Một', province: 'P', commune: 'C', venue: 'Nhà văn hóa', requiresInvite: false } });
  await db.prisma.meetingSeries.create({ data: { clubId: 'c1', rrule: 'FREQ=MONTHLY;BYDAY=2SA', dtstart: '2026-01-10T08:00', timeZone: 'Asia/Ho_Chi_Minh', durationMin: 120, topic: 'Chia sẻ' } });
  s = sender(db.prisma, content, [telegram], key, () => clock);
});
afterAll(async () => {
  await s?.stop();
  await db?.drop();
});

describe('a plan row that cannot be read', () => {
  it('is closed as failed (invalid) and the others are still delivered', async () => {
    await person('Một', otherKey); // first in the plan's order
    await person('Hai', key);
    await plan(pgSql(poolOf(db.prisma)), new Date(clock.getTime() - 3_600_000));
    const due = await db.prisma.reminderDelivery.findMany({ where: { kind: 'reminder' }, orderBy: { id: 'asc' } });
    expect(due).toHaveLength(2);
    await s.deliverAll();
    const after = await db.prisma.reminderDelivery.findMany({ where: { kind: 'reminder' }, orderBy: { id: 'asc' }, include: { membership: true } });
    expect(after.map((r) => [r.membership?.alias, r.status, r.reason])).toEqual([
      ['Một', 'failed', 'invalid'],
      ['Hai', 'sent', null],
    ]);
    expect(sent.map((m) => m.address)).toEqual(['addr-Hai']);
  });
});
