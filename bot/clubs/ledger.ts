// The delivery ledger: one row per (occurrence or assignment, recipient, kind), keyed by a
// deterministic dedupe key so planning twice, or on two instances, adds nothing.
import { afterQuietHours, DEFAULT_QUIET, parseHhmm, type QuietHours } from '../../flows/clubs/time.ts';
import { clubClocks } from '../db/club.ts';
import { insertDeliveries } from '../db/delivery.ts';
import { remindable } from '../db/membership.ts';
import type { Sql } from '../db/sql.ts';

export type DeliveryKind =
  | 'reminder'
  | 'meeting_moved'
  | 'meeting_cancelled'
  | 'vol_assigned'
  | 'checkin_due'
  | 'vol_declined'
  | 'vol_missed'
  | 'nudge_again'
  | 'escalation'
  | 'coord_help'
  | 'coord_before'
  | 'coord_after';

/** Kinds a volunteer must answer; unanswered after 48 h → a reminder, then the coordinator. */
export const NUDGE_KINDS: DeliveryKind[] = ['checkin_due', 'vol_declined', 'vol_missed'];

export interface NewDelivery {
  dedupeKey: string;
  clubId: string;
  membershipId: number;
  kind: DeliveryKind;
  channel: string;
  dueAt: Date;
  occurrenceId?: number | null;
  assignmentId?: number | null;
}

export function quietOf(club: { quietStart: string; quietEnd: string }): QuietHours {
  return { start: parseHhmm(club.quietStart) ?? DEFAULT_QUIET.start, end: parseHhmm(club.quietEnd) ?? DEFAULT_QUIET.end };
}

/** Add rows (quiet hours applied: moved to the next allowed time, never dropped). */
export async function addDeliveries(sql: Sql, club: { timeZone: string; quietStart: string; quietEnd: string }, rows: NewDelivery[]): Promise<number> {
  if (!rows.length) return 0;
  const q = quietOf(club);
  return insertDeliveries(
    sql,
    rows.map((r) => ({ ...r, occurrenceId: r.occurrenceId ?? null, assignmentId: r.assignmentId ?? null, sendAt: afterQuietHours(r.dueAt, club.timeZone, q) })),
  );
}

/** Tell every coordinator of a club who can be reached. */
export async function toCoordinators(sql: Sql, clubId: string, kind: DeliveryKind, keyBase: string, dueAt: Date, extra: Partial<NewDelivery> = {}): Promise<number> {
  const [club] = await clubClocks(sql, clubId);
  if (!club) throw new Error(`toCoordinators: no club ${clubId}`);
  const rows: NewDelivery[] = [];
  for (const c of await remindable(sql, clubId, 'coordinator')) {
    if (c.channel) rows.push({ dedupeKey: `${keyBase}:${c.id}`, clubId, membershipId: c.id, kind, channel: c.channel, dueAt, ...extra });
  }
  return addDeliveries(sql, club, rows);
}
