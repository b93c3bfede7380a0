// The Zalo OA's 7-day window is the OA's alone (reference/zalo.md): a member on the Zalo Bot who
// last wrote a month ago still gets the reminder, while one on the OA is reported, not tried.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, OutboundMessage, SendResult } from '../../bot/channels/types.ts';
import { plan } from '../../bot/jobs/reminders/plan.ts';
import { encrypt } from '../../bot/privacy/crypto.ts';
import { loadContent } from '../../content/load.ts';
import { clubDb, type TestDb } from './db.ts';
import { sender } from './sender.ts';
import { pgSql } from '../../bot/db/sql.ts';
import { poolOf } from '../../bot/db/client.ts';

const content = loadContent();
const key = randomBytes(32);
let db: TestDb;
const clock = new Date('2026-03-13T01:00:00Z'); // Fri 08:00 local; meeting Sat 14 March 08:00

class RecordingChannel implements Channel {
  sent: string[] = [];
  name: Channel['name'];
  constructor(name: Channel['name']) {
    this.name = name;
  }
  async send(address: string, _message: OutboundMessage): Promise<SendResult> {
    this.sent.push(address);
    return { ok: true };
  }
}

beforeAll(async () => {
  db = await clubDb();
  await db.prisma.club.create({ data: { id: 'c1', name: 'CLB Một', province: 'P', commune: 'C', venue: 'Nhà văn hóa', requiresInvite: false } });
  await db.prisma.meetingSeries.create({ data: { clubId: 'c1', rrule: 'FREQ=MONTHLY;BYDAY=2SA', dtstart: '2026-01-10T08:00', timeZone: 'Asia/Ho_Chi_Minh', durationMin: 120, topic: 'Chia sẻ' } });
});
afterAll(async () => {
  await db?.drop();
});

describe('reminders and the 7-day window', () => {
  it('applies the window to the Zalo OA only, never to the Zalo Bot', async () => {
    const monthAgo = new Date(clock.getTime() - 30 * 86_400_000);
    for (const [alias, channel] of [
      ['Bot', 'zalo-bot'],
      ['Oa', 'zalo-oa'],
    ] as const) {
      const subjectKey = `subj-${alias}`;
      await db.prisma.contact.create({ data: { subjectKey, channel, addressEnc: encrypt(key, `addr-${alias}`), lastInboundAt: monthAgo } });
      await db.prisma.membership.create({ data: { clubId: 'c1', subjectKey, role: 'member', alias, consentAt: monthAgo, createdAt: monthAgo } });
    }
    await plan(pgSql(poolOf(db.prisma)), clock);
    const bot = new RecordingChannel('zalo-bot');
    const oa = new RecordingChannel('zalo-oa');
    const s = sender(db.prisma, content, [bot, oa], key, () => clock);
    const due = await db.prisma.reminderDelivery.findMany({ where: { status: 'pending', sendAt: { lte: clock } }, orderBy: { id: 'asc' } });
    expect(due).toHaveLength(2);
    await s.deliverAll();
    await s.stop();

    expect(bot.sent).toEqual(['addr-Bot']);
    expect(oa.sent).toEqual([]);
    const rows = await db.prisma.reminderDelivery.findMany({ include: { membership: { select: { alias: true } } }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.membership?.alias, r.status, r.reason]).sort()).toEqual([
      ['Bot', 'sent', null],
      ['Oa', 'failed', 'outside_window'],
    ]);
  });
});
