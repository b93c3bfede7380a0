// kill -9 while a burst of Telegram updates is being answered: the webhook answers each update
// at its turn's commit, before the reply goes (docs/architecture.md, step 6), so an update
// Telegram saw answered must be answered by the outbox even if the process dies right after.
// The app runs in a child process (bot/main.ts, as in production). Updates not answered 200
// are delivered again, as Telegram does; a new process on the same database answers everyone.
import { describe, expect, it } from 'vitest';
import { MAX_DELIVERING } from '../../bot/engine/engine.ts';
import { startFakeTelegram } from '../fakes/telegram-server.ts';
import { eventually } from '../support/app.ts';
import { withAppChildren } from '../support/child.ts';
import { person, sendUpdate, telegramEnv, updates } from '../support/telegram.ts';

const PEOPLE = 40;
const apps = withAppChildren(startFakeTelegram, (f) => telegramEnv(f));

const repliesTo = (chatId: number) => apps.fake().calls('sendMessage').filter((c) => String(c.params['chat_id']) === String(chatId) && c.status === 200);

describe('telegram: a crash while answered turns are still sending', () => {
  it('answers every update it said 200 to, after a restart, once, without Telegram delivering it again', async () => {
    const [fake, db] = [apps.fake(), apps.db()];
    const first = await apps.start();
    const people = Array.from({ length: PEOPLE }, () => person());
    const sent = people.map((p) => updates.text(p, '/start'));
    // Every reply told to wait 8 s: the channel waits it out (within its bound), so at the kill
    // no reply has gone out, and the turns past MAX_DELIVERING still wait for their own.
    fake.failNext('sendMessage', PEOPLE, { kind: 'rate_limited', retryAfter: 8 });
    // Each answer as Telegram sees it: 200, or none (the process died).
    const answers = sent.map((u) => sendUpdate(first.url, u).then((r) => r.status, () => 0));
    await fake.waitFor(() => fake.calls('sendMessage').filter((c) => c.status === 429).length === PEOPLE);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    const statuses = await Promise.all(answers);
    // Answered at the commit, with the reply not out: as many as the bound allows.
    expect(statuses.filter((s) => s === 200)).toHaveLength(Math.min(PEOPLE, MAX_DELIVERING));
    expect(people.filter((p) => repliesTo(p.chatId).length > 0)).toHaveLength(0);

    const second = await apps.start();
    try {
      // Telegram delivers again what was not answered 200, and only that.
      for (const [i, u] of sent.entries()) if (statuses[i] !== 200) expect((await sendUpdate(second.url, u)).status).toBe(200);
      // The dead process's rows are taken once their lease runs out.
      await eventually(async () => (await db.prisma.outbox.count()) === 0 && people.every((p) => repliesTo(p.chatId).length > 0), 120_000);
      // Each once: none had gone out before the kill.
      for (const p of people) expect(repliesTo(p.chatId)).toHaveLength(1);
      expect(await db.prisma.processedEvent.count({ where: { channel: 'telegram' } })).toBe(PEOPLE);
    } finally {
      second.child.kill('SIGKILL');
    }
  });
});
