// The delivery path of reminders for the clubs tests: the real hand-over (plan row → outbox row)
// and the real outbox sender, on the test's database, with the test's channels and clock.
import type { Content } from '../../content/types.ts';
import type { Channel } from '../../bot/channels/types.ts';
import { poolOf } from '../../bot/db/client.ts';
import { Outbox } from '../../bot/engine/outbox.ts';
import { Dispatcher } from '../../bot/jobs/reminders/dispatch.ts';
import { createLogger } from '../../bot/logger.ts';
import { createMetrics } from '../../bot/metrics.ts';
import type { PrismaClient } from '../../prisma/generated/client.ts';

export interface Sender {
  outbox: Outbox;
  dispatcher: Dispatcher;
  /** Hand over what is due, then send until the outbox is empty (retries included). */
  deliverAll(): Promise<void>;
  /** Send what is due now; rows waiting for a retry stay. */
  sendDue(): Promise<void>;
  stop(): Promise<void>;
}

export function sender(prisma: PrismaClient, content: Content, channels: Channel[], key: Buffer, now: () => Date, ratePerSecond = 200): Sender {
  const outbox = new Outbox({ pool: poolOf(prisma), key, log: createLogger('silent'), metrics: createMetrics(), now, ratePerSecond: () => ratePerSecond, sweepEveryMs: 3_600_000 });
  for (const c of channels) outbox.use(c);
  const dispatcher = new Dispatcher({ prisma, content, channels: channels.map((c) => c.name), addressKey: key, now });
  const sendDue = async () => {
    for (;;) {
      if (await outbox.sendDue()) continue;
      // A row another sender (or a background worker) holds is not done yet. FOR UPDATE waits
      // for a claim still in progress (the outbox's own wake-up after a back-off may claim the
      // row just as the test does; its lease is not yet committed) and then reads the row as
      // that claim left it: without it, this saw the row unleased and returned mid-send.
      const [held] = await prisma.$queryRaw<{ n: number }[]>`
        SELECT count(*) FILTER (WHERE leased_until > clock_timestamp())::int AS n FROM (SELECT leased_until FROM outbox FOR UPDATE) o`;
      if (!held?.n) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return {
    outbox,
    dispatcher,
    sendDue,
    async deliverAll() {
      await dispatcher.handOver();
      for (;;) {
        await sendDue();
        if (!(await prisma.outbox.count())) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    stop: () => outbox.stop(),
  };
}
