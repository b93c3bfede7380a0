// What the bot keeps, it keeps only as long as it must (docs/architecture.md, "Privacy rules").
import type { Prisma, PrismaClient } from '../../prisma/generated/client.ts';
import { WRONG_WINDOW_MS } from '../clubs/link-code.ts';
import { poolOf } from '../db/client.ts';
import { purgeParkedInbound } from '../db/inbox.ts';
import { purgeLinkRows } from '../db/link-code.ts';
import { pgSql, prismaSql } from '../db/sql.ts';

export interface PurgeCounts {
  logs: number;
  events: number;
  unfinished: number;
  noStorage: number;
}

/** Days a platform may still re-deliver an event (Zalo re-sends for up to 12 hours; Telegram ~a
 * day). Longer than the Zalo OA webhook's timestamp window (EVENT_MAX_AGE_MS), so an event is
 * refused as too old before its dedupe row can be gone. */
export const EVENT_DEDUPE_DAYS = 7;

export async function purgeExpired(prisma: PrismaClient, now: Date, retentionDays: number): Promise<PurgeCounts> {
  const day = 86_400_000;
  const logs = await prisma.interactionLog.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - retentionDays * day) } } });
  const events = await prisma.processedEvent.deleteMany({ where: { receivedAt: { lt: new Date(now.getTime() - EVENT_DEDUPE_DAYS * day) } } });
  // Inbound events set aside after repeated failures go with the dedupe rows.
  const parked = await purgeParkedInbound(pgSql(poolOf(prisma)), new Date(now.getTime() - EVENT_DEDUPE_DAYS * day));
  const cutoff = new Date(now.getTime() - day);
  // Unfinished screening answers are gone after 24 hours, paused or abandoned.
  const paused = await prisma.$executeRaw`
    UPDATE conversation SET data = data - 'paused'
    WHERE data ? 'paused' AND (data->'paused'->>'at')::timestamptz < ${cutoff}`;
  const abandoned = await prisma.$executeRaw`
    UPDATE conversation SET flow = 'menu', step = 'main', data = jsonb_set(data, '{data}', '{}'::jsonb)
    WHERE flow = 'screening' AND updated_at < ${cutoff}`;
  // Under-16 mode keeps a place in the conversation only while it is in use.
  const noStorage = await prisma.conversation.deleteMany({
    where: { noStorage: true, updatedAt: { lt: new Date(now.getTime() - 60 * 60 * 1000) } },
  });
  // Link codes past their 30 minutes, and counts of wrong codes whose window has passed.
  await purgeLinkRows(prismaSql(prisma as unknown as Prisma.TransactionClient), now, new Date(now.getTime() - WRONG_WINDOW_MS));
  return { logs: logs.count, events: events.count + parked, unfinished: paused + abandoned, noStorage: noStorage.count };
}
