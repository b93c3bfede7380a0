// What the bot keeps, it keeps only as long as it must (docs/architecture.md, "Privacy rules").
import { WRONG_WINDOW_MS } from '../clubs/link-code.ts';
import { purgeNoStorage, purgeUnfinished } from '../db/conversation.ts';
import { purgeProcessed } from '../db/inbox.ts';
import { purgeLogs } from '../db/interaction-log.ts';
import { purgeLinkRows } from '../db/link-code.ts';
import type { Sql } from '../db/sql.ts';

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

/** On node-postgres (`sql` on the pool): the hourly purge never opens Prisma. */
export async function purgeExpired(sql: Sql, now: Date, retentionDays: number): Promise<PurgeCounts> {
  const day = 86_400_000;
  const logs = await purgeLogs(sql, new Date(now.getTime() - retentionDays * day));
  // Inbound events set aside after repeated failures go with the dedupe rows.
  const events = await purgeProcessed(sql, new Date(now.getTime() - EVENT_DEDUPE_DAYS * day));
  // Unfinished screening answers are gone after 24 hours, paused or abandoned.
  const unfinished = await purgeUnfinished(sql, new Date(now.getTime() - day));
  // Under-16 mode keeps a place in the conversation only while it is in use.
  const noStorage = await purgeNoStorage(sql, new Date(now.getTime() - 60 * 60 * 1000));
  // Link codes past their 30 minutes, and counts of wrong codes whose window has passed.
  await purgeLinkRows(sql, now, new Date(now.getTime() - WRONG_WINDOW_MS));
  return { logs, events, unfinished, noStorage };
}
