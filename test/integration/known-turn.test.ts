// The known turn (bot/engine/turn.ts) on real PostgreSQL: a person's turn after one in this
// process runs on the row that turn wrote, in one statement, and answers exactly as a turn that
// reads the row; a row changed by anyone else meanwhile (another instance, a deletion) is read
// again, never overwritten.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, InboundEvent, OutboundMessage } from '../../bot/channels/types.ts';
import { createPrisma } from '../../bot/db/client.ts';
import { Engine } from '../../bot/engine/engine.ts';
import { createLogger } from '../../bot/logger.ts';
import { createMetrics, type Metrics } from '../../bot/metrics.ts';
import { loadContent } from '../../content/load.ts';
import type { PrismaClient } from '../../prisma/generated/client.ts';
import { testDatabase } from '../support/db.ts';

const content = loadContent();
let db: Awaited<ReturnType<typeof testDatabase>>;
let second: PrismaClient;
// One clock for every engine: replies that name a time are the same on both paths.
const now = () => new Date('2026-12-01T03:00:00.000Z');

function engineOn(prisma: PrismaClient, metrics: Metrics = createMetrics(), readEveryTurn = false, clock = now) {
  return new Engine({
    readEveryTurn,
    prisma,
    content,
    pseudonymSecret: Buffer.alloc(32, 6),
    defaultLocale: 'vi',
    timeZone: 'Asia/Ho_Chi_Minh',
    retentionDays: 180,
    log: createLogger('silent'),
    metrics,
    now: clock,
  });
}

function recorder(): Channel & { sent: OutboundMessage[] } {
  const sent: OutboundMessage[] = [];
  return {
    name: 'telegram',
    sent,
    send: async (_address, message) => {
      sent.push(message);
      return { ok: true };
    },
  };
}

let seq = 0;
function ev(address: string, step: Step): InboundEvent {
  const rest: Partial<InboundEvent> = 'choice' in step ? { kind: 'choice', choice: step.choice } : step.text === '/start' ? { kind: 'start' } : { kind: 'text', text: step.text };
  return { channel: 'telegram', externalId: `k${++seq}`, address, kind: 'text', receivedAt: now(), ...rest };
}

type Step = { text: string } | { choice: string };

/** What a person sees of a turn: its texts and buttons. */
const seen = (messages: OutboundMessage[]) => messages.map((m) => ({ text: m.text, choices: m.choices?.map((row) => row.map((c) => c.id)) ?? [], links: m.links ?? [] }));

async function paths(metrics: Metrics): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const v of (await metrics.turnPaths.get()).values) out[String(v.labels.path)] = v.value;
  return out;
}

async function rowOf(engine: Engine, address: string) {
  const r = await db.prisma.conversation.findUnique({ where: { subjectKey: engine.subjectOf('telegram', address) } });
  return r && { locale: r.locale, flow: r.flow, step: r.step, data: r.data, noStorage: r.noStorage };
}

/** The same steps through an engine whose every turn reads its row. */
async function readEveryTurn(address: string, steps: Step[]) {
  const metrics = createMetrics();
  const engine = engineOn(db.prisma, metrics, true);
  const out: ReturnType<typeof seen>[] = [];
  for (const s of steps) out.push(seen((await engine.handle(ev(address, s), recorder())).messages));
  expect((await paths(metrics)).read).toBe(steps.length);
  return out;
}

beforeAll(async () => {
  db = await testDatabase();
  second = createPrisma(db.url);
});
afterAll(async () => {
  await second?.$disconnect();
  await db?.drop();
});

// Menus, a typed greeting, the treatment and privacy pages, a screening begun and answered,
// a typed number answering the choices on screen, a change of language.
const WALK: Step[] = [
  { text: '/start' },
  { choice: 'lang.vi' },
  { choice: 'consent.yes' },
  { choice: 'menu.treatment' },
  { text: 'xin chao' },
  { choice: 'menu.main' },
  { choice: 'menu.privacy' },
  { choice: 'menu.main' },
  { choice: 'menu.screening' },
  { text: '1' },
  { text: '2' },
  { text: 'menu' },
  { text: '/language' },
  { choice: 'lang.en' },
  { text: 'hello' },
];

describe('the known turn', () => {
  it('answers and stores exactly what a turn that reads the row does, in one statement for most turns', async () => {
    const metrics = createMetrics();
    const engine = engineOn(db.prisma, metrics);
    const known: ReturnType<typeof seen>[] = [];
    for (const s of WALK) known.push(seen((await engine.handle(ev('7391830001', s), recorder())).messages));
    const read = await readEveryTurn('7391830002', WALK);
    for (let i = 0; i < WALK.length; i++) expect(known[i], `step ${i} ${JSON.stringify(WALK[i])}`).toEqual(read[i]);
    expect(await rowOf(engine, '7391830001')).toEqual(await rowOf(engine, '7391830002'));
    const p = await paths(metrics);
    // The first turn reads (a person new to this process), and so does each step that reads
    // clubs or has effects (consent); every other turn is one statement.
    expect(p.known).toBeGreaterThanOrEqual(WALK.length - 5);
    expect(p.stale ?? 0).toBe(0);
    expect((p.known ?? 0) + (p.read ?? 0)).toBe(WALK.length);
  });

  it('reads the row again when another instance moved the conversation on meanwhile', async () => {
    const ma = createMetrics();
    const a = engineOn(db.prisma, ma);
    const b = engineOn(second);
    const addr = '7391830003';
    const steps: Step[] = [{ text: '/start' }, { choice: 'lang.vi' }, { choice: 'consent.yes' }, { choice: 'menu.treatment' }];
    await a.handle(ev(addr, steps[0]!), recorder());
    await a.handle(ev(addr, steps[1]!), recorder());
    // Instance b takes the next message: a's row is now an old one.
    await b.handle(ev(addr, steps[2]!), recorder());
    const last = seen((await a.handle(ev(addr, steps[3]!), recorder())).messages);
    expect(last).toEqual((await readEveryTurn('7391830004', steps))[3]);
    expect((await paths(ma)).stale).toBe(1);
  });

  it("when one person's messages reach two instances in turn, each soon stops trying what is mostly stale, and answers the same", async () => {
    const ma = createMetrics();
    const mb = createMetrics();
    const a = engineOn(db.prisma, ma);
    const b = engineOn(second, mb);
    const steps: Step[] = Array.from({ length: 80 }, (_, i) => (i % 2 ? { choice: 'menu.main' } : { choice: 'menu.treatment' }));
    const start: Step[] = [{ text: '/start' }, { choice: 'lang.vi' }];
    const addr = '7391830008';
    for (const s of start) await a.handle(ev(addr, s), recorder());
    const got: ReturnType<typeof seen>[] = [];
    for (const [i, s] of steps.entries()) got.push(seen((await (i % 2 ? b : a).handle(ev(addr, s), recorder())).messages));
    const read = (await readEveryTurn('7391830009', [...start, ...steps])).slice(start.length);
    expect(got).toEqual(read);
    // Every known turn here is stale: without the limit, 40 a side (each a round trip more
    // than reading); with it, about six before the limit, then one in 16.
    const [pa, pb] = [await paths(ma), await paths(mb)];
    expect(pa.stale ?? 0).toBeLessThanOrEqual(10);
    expect(pb.stale ?? 0).toBeLessThanOrEqual(10);
    // a's known turns are the two before b took any.
    expect([pa.known, pb.known ?? 0]).toEqual([2, 0]);
  });

  it('does not use a row kept for an hour: the turn reads it', async () => {
    let t = now().getTime();
    const ma = createMetrics();
    const a = engineOn(db.prisma, ma, false, () => new Date(t));
    const addr = '7391830010';
    await a.handle(ev(addr, { text: '/start' }), recorder());
    await a.handle(ev(addr, { choice: 'lang.vi' }), recorder());
    t += 60 * 60 * 1000;
    await a.handle(ev(addr, { choice: 'menu.treatment' }), recorder());
    expect(await paths(ma)).toEqual({ read: 2, known: 1 });
  });

  it('starts afresh when the row was deleted meanwhile (an erasure, the retention job)', async () => {
    const ma = createMetrics();
    const a = engineOn(db.prisma, ma);
    const addr = '7391830005';
    await a.handle(ev(addr, { text: '/start' }), recorder());
    await a.handle(ev(addr, { choice: 'lang.en' }), recorder());
    await db.prisma.conversation.delete({ where: { subjectKey: a.subjectOf('telegram', addr) } });
    const after = seen((await a.handle(ev(addr, { text: 'hello' }), recorder())).messages);
    expect(after).toEqual((await readEveryTurn('7391830006', [{ text: 'hello' }]))[0]);
    expect((await paths(ma)).stale).toBe(1);
  });

  it('a repeated event is a duplicate on this path too: nothing sent or written twice', async () => {
    const ma = createMetrics();
    const a = engineOn(db.prisma, ma);
    const ch = recorder();
    const addr = '7391830007';
    await a.handle(ev(addr, { text: '/start' }), ch);
    const e = ev(addr, { choice: 'lang.vi' });
    expect((await a.handle(e, ch)).status).toBe('done');
    const sent = ch.sent.length;
    const logs = await db.prisma.interactionLog.count();
    const row = await rowOf(a, addr);
    expect((await a.handle(e, ch)).status).toBe('duplicate');
    expect(ch.sent.length).toBe(sent);
    expect(await db.prisma.interactionLog.count()).toBe(logs);
    expect(await rowOf(a, addr)).toEqual(row);
    expect((await paths(ma)).known).toBe(1);
  });
});
