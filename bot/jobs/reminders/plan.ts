// Planning: meetings materialised ahead, then ledger rows for everything that is due soon.
// Idempotent (dedupe keys), so any instance may run it at any time and a missed tick is
// caught up by the next one: no event silently fails to fire.
import { offsetsOf } from '../../clubs/view.ts';
import { materialise, type Db } from '../../clubs/schedule.ts';
import { addDeliveries, channelOf, NUDGE_KINDS, type NewDelivery, toCoordinators } from '../../clubs/ledger.ts';

const H = 3_600_000;
/** Member reminders whose time passed more than this long ago are not sent late. */
const LATE_MS = 30 * 60_000;

export interface PlanOptions {
  /** Nudge unanswered → a reminder after this; still unanswered → the coordinator. */
  nudgeAfterMs?: number;
}

export async function plan(db: Db, now: Date, opts: PlanOptions = {}): Promise<number> {
  const nudgeAfter = opts.nudgeAfterMs ?? 48 * H;
  await materialise(db, now);
  let added = 0;
  const clubs = await db.club.findMany();
  for (const club of clubs) {
    const members = await db.membership.findMany({ where: { clubId: club.id, status: 'active', remindersOn: true } });
    const channels = new Map<string, string | null>();
    for (const m of members) channels.set(m.subjectKey, await channelOf(db, m.subjectKey));
    const rows: NewDelivery[] = [];
    const occurrences = await db.meetingOccurrence.findMany({
      where: { clubId: club.id, OR: [{ startsAt: { gte: new Date(now.getTime() - 6 * H), lte: new Date(now.getTime() + 8 * 24 * H) } }, { changedAt: { gte: new Date(now.getTime() - 24 * H) } }] },
    });
    for (const o of occurrences) {
      const version = o.startsAt.getTime();
      for (const m of members) {
        const channel = channels.get(m.subjectKey);
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
    const assignments = await db.volunteerAssignment.findMany({ where: { clubId: club.id, active: true }, include: { volunteer: true } });
    for (const a of assignments) {
      const v = a.volunteer;
      const channel = v.status === 'active' && v.remindersOn ? channels.get(v.subjectKey) : null;
      if (!channel) continue;
      const base = { clubId: club.id, membershipId: v.id, channel, assignmentId: a.id };
      rows.push({ ...base, dedupeKey: `vol_assigned:${a.id}`, kind: 'vol_assigned', dueAt: now });
      if (a.nextDueAt <= new Date(now.getTime() + H)) rows.push({ ...base, dedupeKey: `checkin_due:${a.id}:${a.nextDueAt.getTime()}`, kind: 'checkin_due', dueAt: a.nextDueAt });
      const missed = await db.attendance.findMany({
        where: { membershipId: a.memberId, present: false, recordedAt: { gte: new Date(now.getTime() - 7 * 24 * H) } },
        select: { occurrenceId: true },
      });
      for (const x of missed) rows.push({ ...base, dedupeKey: `vol_missed:${x.occurrenceId}:${a.id}`, kind: 'vol_missed', dueAt: now, occurrenceId: x.occurrenceId });
    }
    added += await addDeliveries(db, club, rows);

    // Unanswered nudges: after 48 h a reminder; 48 h after that, the coordinator.
    const cutoff = new Date(now.getTime() - nudgeAfter);
    const stale = await db.reminderDelivery.findMany({
      where: { clubId: club.id, kind: { in: [...NUDGE_KINDS, 'nudge_again'] }, status: 'sent', answeredAt: null, sentAt: { lte: cutoff } },
    });
    for (const n of stale) {
      if (n.membershipId === null || n.assignmentId === null) continue;
      if (n.kind === 'nudge_again') {
        added += await toCoordinators(db, club.id, 'escalation', `escalation:${n.id}`, now, { assignmentId: n.assignmentId });
      } else {
        added += await addDeliveries(db, club, [
          { dedupeKey: `nudge_again:${n.id}`, clubId: club.id, membershipId: n.membershipId, kind: 'nudge_again', channel: n.channel, dueAt: now, assignmentId: n.assignmentId },
        ]);
      }
    }
  }
  return added;
}
