// Choice ids on the real engine and database: an id is taken only if it was offered (or is a
// standing one, flows/choices.ts), so a forged `#c:…` on Zalo OA or a forged web `choice` never
// reaches a table; screening answers are logged only as `screen.answer`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, ChannelName, InboundEvent, OutboundMessage } from '../../bot/channels/types.ts';
import { Engine } from '../../bot/engine/engine.ts';
import { createLogger } from '../../bot/logger.ts';
import { createMetrics } from '../../bot/metrics.ts';
import { loadContent } from '../../content/load.ts';
import { testDatabase } from '../support/db.ts';
import { findInSchema } from '../support/search.ts';

const content = loadContent();
let db: Awaited<ReturnType<typeof testDatabase>>;
let engine: Engine;

beforeAll(async () => {
  db = await testDatabase();
  engine = new Engine({
    prisma: db.prisma,
    content,
    pseudonymSecret: Buffer.alloc(32, 9),
    addressKey: Buffer.alloc(32, 3),
    defaultLocale: 'vi',
    timeZone: 'Asia/Ho_Chi_Minh',
    retentionDays: 180,
    log: createLogger('silent'),
    metrics: createMetrics(),
  });
});
afterAll(async () => {
  await engine?.stop();
  await db?.drop();
});

function recorder(name: ChannelName): Channel & { sent: OutboundMessage[] } {
  const sent: OutboundMessage[] = [];
  return {
    name,
    sent,
    send: async (_a, m) => {
      sent.push(m);
      return { ok: true };
    },
  };
}

let seq = 0;
const ev = (channel: ChannelName, address: string, rest: Partial<InboundEvent>): InboundEvent => ({
  channel,
  externalId: `c${++seq}`,
  address,
  kind: 'text',
  receivedAt: new Date(),
  ...rest,
});

const offeredIds = (m: OutboundMessage | undefined) => (m?.choices ?? []).flat().map((c) => c.id);

describe('choice ids', () => {
  const FORGED = 'nguyen-van-an.0912345678';

  it('a forged #c: on Zalo OA, or a forged web choice, is never stored', async () => {
    const oa = recorder('zalo-oa');
    const web = recorder('web');
    const user = '6123456789012345678';
    const visitor = 'Vq3mT0kq1nXbC2aD9fGh7J';
    for (const [ch, address] of [
      [oa, user],
      [web, visitor],
    ] as const) {
      await engine.handle(ev(ch.name, address, { kind: 'start' }), ch);
      await engine.handle(ev(ch.name, address, { kind: 'choice', choice: 'lang.vi' }), ch);
    }
    await engine.handle(ev('zalo-oa', user, { text: `#c:${FORGED}` }), oa);
    await engine.handle(ev('zalo-oa', user, { text: '#c:clubs.card.nguyen-van-an-0912345678' }), oa);
    await engine.handle(ev('web', visitor, { kind: 'choice', choice: FORGED }), web);
    await engine.handle(ev('web', visitor, { kind: 'choice', choice: 'svc.p.0912345678' }), web);
    // Every one was answered kindly.
    expect(oa.sent.length).toBeGreaterThanOrEqual(4);
    expect(web.sent.length).toBeGreaterThanOrEqual(4);
    expect(await findInSchema(db.url, db.schema, ['nguyen-van-an', '0912345678'])).toEqual([]);
    // A standing id with a parameter is logged by its family only.
    const logged = (await db.prisma.interactionLog.findMany({ select: { choiceId: true } })).map((r) => r.choiceId);
    expect(logged).toContain('clubs.card');
    expect(logged.every((c) => c === null || /^[a-z.-]+$/.test(c))).toBe(true);
  });

  it('screening answers are logged only as screen.answer', async () => {
    const ch = recorder('telegram');
    const addr = '7391830001';
    for (const e of [{ kind: 'start' }, { kind: 'choice', choice: 'lang.vi' }, { kind: 'choice', choice: 'consent.yes' }, { kind: 'choice', choice: 'menu.screening' }, { kind: 'choice', choice: 'screen.age.18-plus' }] as const) {
      await engine.handle(ev('telegram', addr, e), ch);
    }
    const answered: string[] = [];
    // Answer each question with its last option until the questionnaire has a result.
    for (let i = 0; i < 40; i++) {
      const ids = offeredIds(ch.sent.at(-1)).filter((id) => id.startsWith('screen.'));
      if (!ids.length) break;
      const pick = ids.at(-1)!;
      answered.push(pick);
      await engine.handle(ev('telegram', addr, { kind: 'choice', choice: pick }), ch);
    }
    expect(answered.length).toBeGreaterThan(3);
    const logged = (await db.prisma.interactionLog.findMany({ where: { choiceId: { startsWith: 'screen.' } }, select: { choiceId: true } })).map((r) => r.choiceId);
    expect(logged.filter((c) => c === 'screen.answer')).toHaveLength(answered.length);
    expect(logged.filter((c) => c !== 'screen.answer')).toEqual(['screen.age.18-plus']);
  });

  it('the privacy page counts the person\'s clubs and volunteering, read on the hot path', async () => {
    const ch = recorder('telegram');
    const addr = '7391830002';
    await engine.handle(ev('telegram', addr, { kind: 'start' }), ch);
    await engine.handle(ev('telegram', addr, { kind: 'choice', choice: 'lang.vi' }), ch);
    const subject = engine.subjectOf('telegram', addr);
    const now = new Date();
    await db.prisma.club.create({ data: { id: 'p1', name: 'CLB P', province: 'Đồng Nai', commune: 'Phường Xuân Tân', venue: 'Nhà văn hóa' } });
    const vol = await db.prisma.membership.create({ data: { clubId: 'p1', subjectKey: subject, role: 'volunteer', consentAt: now } });
    const member = await db.prisma.membership.create({ data: { clubId: 'p1', subjectKey: 'someone-else', role: 'member', consentAt: now } });
    await db.prisma.volunteerAssignment.create({ data: { clubId: 'p1', volunteerId: vol.id, memberId: member.id, memberAlias: 'A', cadenceDays: 7, nextDueAt: now } });
    await engine.handle(ev('telegram', addr, { kind: 'choice', choice: 'menu.privacy' }), ch);
    const text = ch.sent.at(-1)!.text;
    const ui = content.ui;
    expect(text).toContain(ui.privacyHeldClubs.vi.replace('{count}', '1'));
    expect(text).toContain(ui.privacyHeldVolunteer.vi.replace('{count}', '1'));
  });
});
