// kill -9 right after acknowledging a burst of Zalo OA events: the app runs in a child process
// (bot/main.ts, as in production) against a fake Zalo whose sends are slow, so at the kill
// some events wait in the inbox, some turns are mid-way and some replies are in flight. A new
// process on the same database answers every event within seconds (the dead one's leases are
// short), with at most the replies in flight at the kill sent twice.
import { describe, expect, it } from 'vitest';
import { startFakeZaloOa } from '../fakes/zalo-oa-server.ts';
import { newUserId, oaEnv, oaEvents, postOaEvent } from '../fakes/zalo-oa-webhook.ts';
import { eventually } from '../support/app.ts';
import { withAppChildren } from '../support/child.ts';

const PEOPLE = 40;
const apps = withAppChildren(startFakeZaloOa, (f) => oaEnv(f));

describe('zalo-oa: a crash after acknowledging a burst', () => {
  it('answers every event after a restart, at most the replies in flight twice', async () => {
    const [fake, db] = [apps.fake(), apps.db()];
    const first = await apps.start();
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
    const second = await apps.start();
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
