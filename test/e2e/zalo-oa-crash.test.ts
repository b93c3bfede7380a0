// kill -9 right after acknowledging a burst of Zalo OA events: the app runs in a child process
// (bot/main.ts, as in production) against a fake Zalo whose sends are slow, so at the kill
// some events wait in the inbox, some turns are mid-way and some replies are in flight. A new
// process on the same database answers every event within seconds (the dead one's leases are
// short), with at most the replies in flight at the kill sent twice.
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeZaloOa, startFakeZaloOa } from '../fakes/zalo-oa-server.ts';
import { newUserId, oaEnv, oaEvents, postOaEvent } from '../fakes/zalo-oa-webhook.ts';
import { eventually, testEnv } from '../support/app.ts';
import { startScript } from '../support/child.ts';
import { testDatabase } from '../support/db.ts';

const MAIN = path.resolve(import.meta.dirname, '../../bot/main.ts');
const PEOPLE = 40;
let fake: FakeZaloOa;
let db: Awaited<ReturnType<typeof testDatabase>>;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  fake = await startFakeZaloOa();
  db = await testDatabase();
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await db?.drop();
  await fake?.close();
});

/** The app in a child process; resolves with its URL once it is up. */
async function startChild(): Promise<{ child: ChildProcess; url: string }> {
  const env = { ...process.env, ...testEnv({ DATABASE_URL: db.url, ...oaEnv(fake) }), LOG_LEVEL: 'info' };
  const up = (out: string) => /"port":(\d+)[^\n]*"msg":"Đồng Hành is up"/.exec(out)?.[1];
  const { child, ready: port } = await startScript(MAIN, env, up, children);
  return { child, url: `http://127.0.0.1:${port}` };
}

describe('zalo-oa: a crash after acknowledging a burst', () => {
  it('answers every event after a restart, at most the replies in flight twice', async () => {
    const first = await startChild();
    const users = Array.from({ length: PEOPLE }, () => newUserId());
    fake.setSendDelayMs(150);
    const acks = await Promise.all(users.map((u) => postOaEvent(first.url, fake.appId, oaEvents.text(fake.appId, u, 'Chào'))));
    expect(acks.map((r) => r.status)).toEqual(users.map(() => 200));
    // Killed while the burst is being answered.
    await fake.waitFor(() => users.filter((u) => fake.delivered(u).length > 0).length >= 3);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    const answeredBeforeKill = users.filter((u) => fake.delivered(u).length > 0).length;
    fake.setSendDelayMs(0);

    const restartedAt = Date.now();
    const second = await startChild();
    const upAt = Date.now();
    try {
      await eventually(
        async () => (await db.prisma.inboundEvent.count()) === 0 && (await db.prisma.outbox.count()) === 0 && users.every((u) => fake.delivered(u).length > 0),
        120_000,
      );
      const seconds = (Date.now() - upAt) / 1000;
      const startup = (upAt - restartedAt) / 1000;
      const twice = users.filter((u) => fake.delivered(u).length > 1).length;
      process.stdout.write(`zalo-oa crash: ${answeredBeforeKill}/${PEOPLE} answered before the kill; the new process up in ${startup.toFixed(1)} s, all answered ${seconds.toFixed(1)} s later; ${twice} sent twice\n`);
      // Some work was really cut off by the kill.
      expect(answeredBeforeKill).toBeLessThan(PEOPLE);
      for (const u of users) expect(fake.delivered(u).length).toBeLessThanOrEqual(2);
      // At most one per reply in flight at the kill: the inbox runs four turns at a time.
      expect(twice).toBeLessThanOrEqual(4);
      expect(await db.prisma.processedEvent.count({ where: { channel: 'zalo-oa' } })).toBe(PEOPLE);
    } finally {
      second.child.kill('SIGKILL');
    }
  });
});
