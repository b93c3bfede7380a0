// The delivery ledger: one row per (occurrence or assignment, recipient, kind), keyed by a
// deterministic dedupe key so planning twice, or on two instances, adds nothing.
import { afterQuietHours, DEFAULT_QUIET, parseHhmm, type QuietHours } from '../../flows/clubs/time.ts';
import type { Db } from './schedule.ts';

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
export async function addDeliveries(db: Db, club: { timeZone: string; quietStart: string; quietEnd: string }, rows: NewDelivery[]): Promise<number> {
  if (!rows.length) return 0;
  const q = quietOf(club);
  const data = rows.map((r) => ({
    ...r,
    occurrenceId: r.occurrenceId ?? null,
    assignmentId: r.assignmentId ?? null,
    sendAt: afterQuietHours(r.dueAt, club.timeZone, q),
  }));
  return (await db.reminderDelivery.createMany({ data, skipDuplicates: true })).count;
}

/** Channel of a subject's contact, or null when there is no one to reach. */
export async function channelOf(db: Db, subjectKey: string): Promise<string | null> {
  const c = await db.contact.findUnique({ where: { subjectKey }, select: { channel: true, addressEnc: true } });
  return c?.addressEnc ? c.channel : null;
}

/** Tell every coordinator of a club. */
export async function toCoordinators(db: Db, clubId: string, kind: DeliveryKind, keyBase: string, dueAt: Date, extra: Partial<NewDelivery> = {}): Promise<number> {
  const club = await db.club.findUniqueOrThrow({ where: { id: clubId } });
  const coords = await db.membership.findMany({ where: { clubId, role: 'coordinator', status: 'active', remindersOn: true } });
  const rows: NewDelivery[] = [];
  for (const c of coords) {
    const channel = await channelOf(db, c.subjectKey);
    if (channel) rows.push({ dedupeKey: `${keyBase}:${c.id}`, clubId, membershipId: c.id, kind, channel, dueAt, ...extra });
  }
  return addDeliveries(db, club, rows);
}
