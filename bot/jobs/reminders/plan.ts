// Planning: meetings materialised ahead, then ledger rows for everything that is due soon.
// Idempotent (dedupe keys), so any instance may run it at any time and a missed tick is
// caught up by the next one: no event silently fails to fire.
import { offsetsOf } from '../../clubs/view.ts';
import { materialise } from '../../clubs/schedule.ts';
import { addDeliveries, NUDGE_KINDS, type NewDelivery, toCoordinators } from '../../clubs/ledger.ts';
import { activeAssignments } from '../../db/assignment.ts';
import { clubClocks } from '../../db/club.ts';
import { unansweredNudges } from '../../db/delivery.ts';
import { missedSince, occurrencesToPlan } from '../../db/meeting.ts';
import { remindable } from '../../db/membership.ts';
import type { Sql } from '../../db/sql.ts';

const H = 3_600_000;
/** Member reminders whose time passed more than this long ago are not sent late. */
const LATE_MS = 30 * 60_000;

export interface PlanOptions {
  /** Nudge unanswered → a reminder after this; still unanswered → the coordinator. */
  nudgeAfterMs?: number;
}

/** Plans on node-postgres alone (a bot that only answers and reminds never opens Prisma). */
export async function plan(sql: Sql, now: Date, opts: PlanOptions = {}): Promise<number> {
  const nudgeAfter = opts.nudgeAfterMs ?? 48 * H;
  await materialise(sql, now);
  let added = 0;
  for (const club of await clubClocks(sql, null)) {
    const members = await remindable(sql, club.id, null);
    const rows: NewDelivery[] = [];
    const occurrences = await occurrencesToPlan(sql, club.id, new Date(now.getTime() - 6 * H), new Date(now.getTime() + 8 * 24 * H), new Date(now.getTime() - 24 * H));
    for (const o of occurrences) {
      const version = o.startsAt.getTime();
      for (const m of members) {
        const channel = m.channel;
        if (!channel) continue;
        const base = { clubId: club.id, membershipId: m.id, channel, occurrenceId: o.id };
        if (m.role === 'member' && o.status !== 'cancelled') {
          for (const off of offsetsOf(m.offsets)) {
            const dueAt = new Date(o.startsAt.getTime() - off * 60_000);
            // Not for a meeting already begun; not hours late for someone who joined late.
            if (dueAt.getTime() < now.getTime() - LATE_MS || dueAt >= o.startsAt) continue;
            if (dueAt.getTime() > now.getTime() + 2 * H) continue;
            rows.push({ ...base, dedupeKey: `reminder:${o.id}:${m.id}:${off}:${version}`, kind: 'reminder', dueAt });
          }
        }
        // One notice per change, to members who joined before it, for a meeting still ahead.
        if (o.changedAt && m.role === 'member' && m.createdAt < o.changedAt && o.originalStart > now) {
          const kind = o.status === 'cancelled' ? 'meeting_cancelled' : 'meeting_moved';
          rows.push({ ...base, dedupeKey: `${kind}:${o.id}:${m.id}:${o.changedAt.getTime()}`, kind, dueAt: o.changedAt });
        }
        if (m.role === 'coordinator' && o.status !== 'cancelled') {
          const before = new Date(o.startsAt.getTime() - 3 * H);
          if (before <= new Date(now.getTime() + 2 * H) && o.startsAt > now) rows.push({ ...base, dedupeKey: `coord_before:${o.id}:${m.id}:${version}`, kind: 'coord_before', dueAt: before });
          const after = new Date(o.endsAt.getTime() + H);
          if (after <= now && after.getTime() > now.getTime() - 24 * H) rows.push({ ...base, dedupeKey: `coord_after:${o.id}:${m.id}`, kind: 'coord_after', dueAt: after });
        }
      }
    }
    // Volunteers: new assignment; check-in due; the member missed a meeting.
    for (const a of await activeAssignments(sql, club.id)) {
      const channel = a.channel;
      if (!channel) continue;
      const base = { clubId: club.id, membershipId: a.volunteerId, channel, assignmentId: a.id };
      rows.push({ ...base, dedupeKey: `vol_assigned:${a.id}`, kind: 'vol_assigned', dueAt: now });
      if (a.nextDueAt <= new Date(now.getTime() + H)) rows.push({ ...base, dedupeKey: `checkin_due:${a.id}:${a.nextDueAt.getTime()}`, kind: 'checkin_due', dueAt: a.nextDueAt });
      for (const occurrenceId of await missedSince(sql, a.memberId, new Date(now.getTime() - 7 * 24 * H))) {
        rows.push({ ...base, dedupeKey: `vol_missed:${occurrenceId}:${a.id}`, kind: 'vol_missed', dueAt: now, occurrenceId });
      }
    }
    added += await addDeliveries(sql, club, rows);

    // Unanswered nudges: after 48 h a reminder; 48 h after that, the coordinator.
    const stale = await unansweredNudges(sql, club.id, [...NUDGE_KINDS, 'nudge_again'], new Date(now.getTime() - nudgeAfter));
    for (const n of stale) {
      if (n.membershipId === null || n.assignmentId === null) continue;
      if (n.kind === 'nudge_again') {
        added += await toCoordinators(sql, club.id, 'escalation', `escalation:${n.id}`, now, { assignmentId: n.assignmentId });
      } else {
        added += await addDeliveries(sql, club, [
          { dedupeKey: `nudge_again:${n.id}`, clubId: club.id, membershipId: n.membershipId, kind: 'nudge_again', channel: n.channel, dueAt: now, assignmentId: n.assignmentId },
        ]);
      }
    }
  }
  return added;
}
