// The engine on real PostgreSQL: dedupe, per-person ordering across instances, effects,
// erasure and retention — with a recording channel, no platform.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, InboundEvent, OutboundMessage } from '../../bot/channels/types.ts';
import { createPrisma, poolOf } from '../../bot/db/client.ts';
import { Engine } from '../../bot/engine/engine.ts';
import { purgeExpired } from '../../bot/jobs/retention.ts';
import { createLogger } from '../../bot/logger.ts';
import { createMetrics } from '../../bot/metrics.ts';
import { loadContent } from '../../content/load.ts';
import type { PrismaClient } from '../../prisma/generated/client.ts';
import { eventually } from '../support/app.ts';
import { testDatabase } from '../support/db.ts';
import { pgSql } from '../../bot/db/sql.ts';

const content = loadContent();
let db: Awaited<ReturnType<typeof testDatabase>>;
let second: PrismaClient;

function engineOn(prisma: PrismaClient, now?: () => Date, settleMs?: number, leaseSeconds?: number) {
  return new Engine({
    ...(settleMs ? { outbox: { settleMs, ...(leaseSeconds ? { leaseSeconds } : {}) } } : {}),
    prisma,
    content,
    pseudonymSecret: Buffer.alloc(32, 5),
    defaultLocale: 'vi',
    timeZone: 'Asia/Ho_Chi_Minh',
    retentionDays: 180,
    log: createLogger('silent'),
    metrics: createMetrics(),
    ...(now ? { now } : {}),
  });
}

function recorder(): Channel & { sent: { address: string; message: OutboundMessage }[] } {
  const sent: { address: string; message: OutboundMessage }[] = [];
  return {
    name: 'telegram',
    sent,
    send: async (address, message) => {
      sent.push({ address, message });
      return { ok: true };
    },
  };
}

let seq = 0;
function ev(address: string, rest: Partial<InboundEvent>): InboundEvent {
  return { channel: 'telegram', externalId: `e${++seq}`, address, kind: 'text', receivedAt: new Date(), ...rest };
}

beforeAll(async () => {
  db = await testDatabase();
  second = createPrisma(db.url);
});
afterAll(async () => {
  await second?.$disconnect();
  await db?.drop();
});

describe('engine', () => {
  it('a replayed event changes nothing and sends nothing', async () => {
    const engine = engineOn(db.prisma);
    const ch = recorder();
    const e = ev('7391820001', { kind: 'start' });
    const first = await engine.handle(e, ch);
    expect(first.status).toBe('done');
    const n = ch.sent.length;
    expect(n).toBeGreaterThan(0);
    const again = await engine.handle(e, ch);
    expect(again.status).toBe('duplicate');
    expect(ch.sent.length).toBe(n);
    const logs = await db.prisma.interactionLog.count({ where: { eventKind: 'start' } });
    expect(logs).toBe(1);
  });

  it('two instances taking one person\'s events at once process each exactly once, in turn', async () => {
    const a = engineOn(db.prisma);
    const b = engineOn(second);
    const ch = recorder();
    const addr = '7391820002';
    await a.handle(ev(addr, { kind: 'start' }), ch);
    await a.handle(ev(addr, { kind: 'choice', choice: 'lang.vi' }), ch);
    const before = await db.prisma.interactionLog.count();
    // 20 events, the same 10 delivered to both instances (as a platform retry would).
    const events = Array.from({ length: 10 }, (_, i) => ev(addr, { text: i % 2 ? 'menu' : '/language' }));
    const outcomes = await Promise.all(events.flatMap((e) => [a.handle(e, ch), b.handle(e, ch)]));
    expect(outcomes.filter((o) => o.status === 'done')).toHaveLength(10);
    expect(outcomes.filter((o) => o.status === 'duplicate')).toHaveLength(10);
    expect(await db.prisma.interactionLog.count()).toBe(before + 10);
    const row = await db.prisma.conversation.findUnique({ where: { subjectKey: a.subjectOf('telegram', addr) } });
    expect(row?.locale).toBe('vi');
  });

  it('consent is recorded per purpose, and erasure removes everything linked to the person', async () => {
    const engine = engineOn(db.prisma);
    const ch = recorder();
    const addr = '7391820003';
    const subject = engine.subjectOf('telegram', addr);
    await engine.handle(ev(addr, { kind: 'start' }), ch);
    await engine.handle(ev(addr, { kind: 'choice', choice: 'lang.en' }), ch);
    await engine.handle(ev(addr, { kind: 'choice', choice: 'consent.yes' }), ch);
    expect(await db.prisma.consent.count({ where: { subjectKey: subject, purpose: 'screening', withdrawnAt: null } })).toBe(1);
    expect(await db.prisma.contact.count({ where: { subjectKey: subject } })).toBe(1);
    expect(await db.prisma.interactionLog.count()).toBeGreaterThan(0);
    const logsBefore = await db.prisma.interactionLog.count();

    await engine.handle(ev(addr, { text: 'xóa dữ liệu' }), ch);
    const done = await engine.handle(ev(addr, { kind: 'choice', choice: 'privacy.erase.yes' }), ch);
    expect(done.messages[0]?.text).toContain('erased');
    expect(await db.prisma.conversation.count({ where: { subjectKey: subject } })).toBe(0);
    expect(await db.prisma.consent.count({ where: { subjectKey: subject } })).toBe(0);
    expect(await db.prisma.contact.count({ where: { subjectKey: subject } })).toBe(0);
    // This person's 4 log rows (3 counted above and the "xóa dữ liệu" turn) are gone; others stay.
    expect(await db.prisma.interactionLog.count()).toBe(logsBefore - 3);
  });

  it('under 16: what was kept before the age was known is erased, and nothing more is kept', async () => {
    const engine = engineOn(db.prisma);
    const ch = recorder();
    const addr = '7391820006';
    const subject = engine.subjectOf('telegram', addr);
    for (const e of [{ kind: 'start' }, { kind: 'choice', choice: 'lang.vi' }, { kind: 'choice', choice: 'consent.yes' }, { kind: 'choice', choice: 'menu.screening' }] as const) {
      await engine.handle(ev(addr, e), ch);
    }
    expect(await db.prisma.consent.count({ where: { subjectKey: subject } })).toBe(1);
    const logs = await db.prisma.interactionLog.count();
    await engine.handle(ev(addr, { kind: 'choice', choice: 'screen.age.12-15' }), ch);
    expect(await db.prisma.consent.count({ where: { subjectKey: subject } })).toBe(0);
    expect(await db.prisma.contact.count({ where: { subjectKey: subject } })).toBe(0);
    expect(await db.prisma.interactionLog.count()).toBe(logs - 4);
    await engine.handle(ev(addr, { kind: 'choice', choice: 'screen.no' }), ch);
    expect(await db.prisma.interactionLog.count()).toBe(logs - 4);
    // No conversation row either: the questionnaire runs from this process's memory.
    expect(await db.prisma.conversation.findUnique({ where: { subjectKey: subject } })).toBeNull();
    const next = await engine.handle(ev(addr, { kind: 'choice', choice: 'screen.no' }), ch);
    expect(next.noStorage).toBe(true);
    expect(await db.prisma.conversation.findUnique({ where: { subjectKey: subject } })).toBeNull();
  });

  it('typed numbers answer the choices last offered', async () => {
    const engine = engineOn(db.prisma);
    const ch = recorder();
    const addr = '7391820004';
    await engine.handle(ev(addr, { kind: 'start' }), ch);
    const r = await engine.handle(ev(addr, { text: '2' }), ch); // 2 = English
    expect(r.messages[0]?.text).toContain("I don't ask your name");
  });

  it('a blocked person is marked, and the remaining replies are not attempted', async () => {
    const engine = engineOn(db.prisma);
    const addr = '7391820005';
    await engine.handle(ev(addr, { kind: 'start' }), recorder());
    let calls = 0;
    const blocked: Channel = {
      name: 'telegram',
      send: async () => {
        calls++;
        return { ok: false, reason: 'blocked' };
      },
    };
    await engine.handle(ev(addr, { kind: 'choice', choice: 'lang.vi' }), blocked);
    expect(calls).toBe(1);
    const c = await db.prisma.contact.findUnique({ where: { subjectKey: engine.subjectOf('telegram', addr) } });
    expect(c?.status).toBe('blocked');
  });

  it('retention purges old logs and old dedupe keys, and wipes stale unfinished answers', async () => {
    const old = new Date(Date.now() - 200 * 86_400_000);
    await db.prisma.interactionLog.create({
      data: { day: old, dayKey: 'k', channel: 'web', flow: 'menu', step: 'main', eventKind: 'text', latencyMs: 1, outcome: 'ok', createdAt: old },
    });
    await db.prisma.processedEvent.create({ data: { channel: 'web', externalId: 'old', receivedAt: old } });
    await db.prisma.conversation.create({
      data: { subjectKey: 'stale', channel: 'web', flow: 'screening', step: 'q2', data: { data: { answers: [1, 2] } }, updatedAt: new Date(Date.now() - 2 * 86_400_000) },
    });
    const counts = await purgeExpired(pgSql(poolOf(db.prisma)), new Date(), 180);
    expect(counts.logs).toBe(1);
    expect(counts.events).toBe(1);
    expect(counts.unfinished).toBeGreaterThanOrEqual(1);
    const stale = await db.prisma.conversation.findUnique({ where: { subjectKey: 'stale' } });
    expect(stale?.flow).toBe('menu');
    expect((stale?.data as { data?: object } | undefined)?.data).toEqual({});
  });

  it('never stores an address', async () => {
    const rows = await db.prisma.$queryRawUnsafe<{ hit: string }[]>(
      `SELECT table_name || '.' || column_name AS hit FROM information_schema.columns WHERE table_schema = current_schema()`,
    );
    for (const { hit } of rows) {
      const [table, column] = hit.split('.');
      const found = await db.prisma.$queryRawUnsafe<{ n: bigint }[]>(
        `SELECT count(*) AS n FROM "${table}" WHERE "${column}"::text LIKE ANY (ARRAY['%739182000%'])`,
      );
      expect(Number(found[0]?.n), hit).toBe(0);
    }
  });
});

describe('sent replies', () => {
  async function outboxIds(): Promise<string[]> {
    return (await db.prisma.outbox.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((r) => String(r.id));
  }

  it('are deleted by the next turn’s write, anyone’s; a turn that ends early leaves them to the sender', async () => {
    // A minute before the sender would delete them itself: only a turn's write can, here.
    const engine = engineOn(db.prisma, undefined, 60_000);
    const ch = recorder();
    await db.prisma.outbox.deleteMany();
    await engine.handle(ev('7391820101', { kind: 'start' }), ch);
    const first = await outboxIds();
    expect(first).toHaveLength(1);
    // Another person's turn deletes it, and leaves its own row, sent, for the next.
    await engine.handle(ev('7391820102', { kind: 'start' }), ch);
    const second = await outboxIds();
    expect(second).toHaveLength(1);
    expect(second[0]).not.toBe(first[0]);
    // A duplicate ends before writing: the row it took is given back, not lost.
    const dup = ev('7391820103', { kind: 'start' });
    await engine.handle(dup, ch);
    const third = await outboxIds();
    expect(await engine.handle(dup, ch)).toMatchObject({ status: 'duplicate' });
    expect(await outboxIds()).toEqual(third);
    // Stopping deletes what is left.
    await engine.stop();
    expect(await outboxIds()).toEqual([]);
  });

  it('stay leased while their delete waits, and are never sent twice by the instance that sent them', async () => {
    // No turn comes to delete it, and the sender's own delete is a minute away.
    const engine = engineOn(db.prisma, undefined, 60_000, 3);
    const ch = recorder();
    await db.prisma.outbox.deleteMany();
    await engine.handle(ev('7391820111', { kind: 'start' }), ch);
    const sent = ch.sent.length;
    const [row] = await db.prisma.outbox.findMany();
    const leasedAt = row!.leasedUntil!.getTime();
    // Its lease is renewed while it waits, so no sender may take it.
    await eventually(async () => (await db.prisma.outbox.findUnique({ where: { id: row!.id } }))!.leasedUntil!.getTime() > leasedAt);
    // Even free for any sender (as after a lapsed lease; the heartbeat renews only leased rows),
    // this instance's sender takes it and does not send it again.
    const freed = await db.prisma.outbox.update({ where: { id: row!.id }, data: { leasedUntil: null } });
    // Claimed again, perhaps at a second try: a heartbeat that began before the row was freed
    // can still hold its lock for a moment (PostgreSQL locks a row it then rechecks and
    // skips), and the claim skips a locked row.
    await eventually(async () => {
      await engine.outbox.sendDue();
      return (await db.prisma.outbox.findUnique({ where: { id: row!.id } }))!.attempts > freed.attempts;
    });
    expect(ch.sent.length).toBe(sent);
    await engine.stop();
    expect(await outboxIds()).toEqual([]);
  });
});

describe('engine without its database', () => {
  it('still answers crisis words with the emergency guidance, once, and reports the failure', async () => {
    const dead = createPrisma('postgresql://postgres@127.0.0.1:1/none');
    const engine = engineOn(dead);
    const ch = recorder();
    const e = ev('7391820009', { text: 'bạn tôi bị quá liều' });
    await expect(engine.handle(e, ch)).rejects.toThrow();
    expect(ch.sent.map((s) => s.message.text).join('\n')).toContain('115');
    const n = ch.sent.length;
    await expect(engine.handle(e, ch)).rejects.toThrow(); // a re-delivery: no second copy
    expect(ch.sent.length).toBe(n);
    await expect(engine.handle(ev('7391820009', { text: 'xin chào' }), ch)).rejects.toThrow();
    expect(ch.sent.length).toBe(n);
    await dead.$disconnect();
  });
});

describe('engine losing its connection mid-turn', () => {
  it('fails that turn (the platform delivers again), keeps running, and the next turn is answered', async () => {
    const engine = engineOn(db.prisma);
    const ch = recorder();
    const address = '7391820077';
    const subject = engine.subjectOf('telegram', address);
    // Another session holds the person's lock: the turn waits inside turn_begin, on its
    // connection, until that connection is cut from the database's side.
    const holder = await poolOf(db.prisma).connect();
    try {
      await holder.query('SELECT pg_advisory_lock(hashtextextended($1, 7))', [subject]);
      // Its outcome is taken at once: the turn may fail before the terminating query returns,
      // and a rejection nobody holds yet is an unhandled one.
      const turn = engine.handle(ev(address, { text: 'xin chào' }), ch).then(
        () => null,
        (err: unknown) => err,
      );
      let waiting: number | undefined;
      await eventually(async () => {
        const r = await db.prisma.$queryRawUnsafe<{ pid: number }[]>("SELECT pid FROM pg_stat_activity WHERE wait_event = 'advisory' AND query LIKE '%turn_begin%'");
        waiting = r[0]?.pid;
        return waiting !== undefined;
      });
      await db.prisma.$queryRawUnsafe('SELECT pg_terminate_backend($1)', waiting);
      expect(await turn).toBeInstanceOf(Error);
    } finally {
      await holder.query('SELECT pg_advisory_unlock_all()');
      holder.release();
    }
    // The process is still here, and the person's next message is a turn like any other.
    const next = await engine.handle(ev(address, { kind: 'start' }), ch);
    expect(next.status).toBe('done');
    await engine.stop();
  });
});
