// Carrying out the clubs flow's effects inside the turn's transaction (bot/engine/effects.ts
// calls this). The raw address is only ever stored encrypted, and only while the person has
// something that must reach them.
import type { ClubEffect } from '../../flows/clubs/types.ts';
import { assignmentOfVolunteer, endAssignmentsOf, recordCheckIn, supportersOf } from '../db/assignment.ts';
import { clubClocks, requiresInvite } from '../db/club.ts';
import { dropConsent, grantConsent, withdrawIfGranted } from '../db/consent.ts';
import { createClubLink } from '../db/console-link.ts';
import { forgetAddress, keepAddress } from '../db/contact.ts';
import { cancelUnsentOf, markAssignmentAnswered, markMeetingAnswered } from '../db/delivery.ts';
import { takeInviteUse } from '../db/invite-code.ts';
import { occurrenceById, saveRsvp } from '../db/meeting.ts';
import { aliasTaken, hasActiveMembership, joinClub, leaveClub, membershipIn, setOffsets, stopAllReminders } from '../db/membership.ts';
import type { Sql } from '../db/sql.ts';
import { encrypt } from '../privacy/crypto.ts';
import { hashToken } from '../privacy/token.ts';
import { addDeliveries, toCoordinators } from './ledger.ts';
import { countWrongLink, createLink, redeemLinkCode } from './link-code.ts';
import { usableInvite } from './view.ts';

export interface ClubEffectContext {
  subject: string;
  channel: string;
  now: Date;
  /** The person's raw address and the key to seal it; absent when the caller has none. */
  address?: string;
  addressKey?: Buffer;
}

async function keepAddressOf(sql: Sql, ec: ClubEffectContext): Promise<void> {
  // Nothing can reach a closed web page: a web member's visitor id is not kept as an address
  // (no reminder is planned for them; the link code takes the membership where one can be).
  if (!ec.address || !ec.addressKey || ec.channel === 'web') return;
  await keepAddress(sql, ec.subject, ec.channel, encrypt(ec.addressKey, ec.address), ec.now);
}

/** Nothing left to send → the address is not kept and consent is withdrawn. */
async function forgetAddressIfIdle(sql: Sql, ec: ClubEffectContext): Promise<void> {
  if (await hasActiveMembership(sql, ec.subject, true)) return;
  await forgetAddress(sql, ec.subject, ec.now);
  await withdrawIfGranted(sql, ec.subject, ['reminders', 'volunteering'], ec.now);
}

/** On the turn's own Sql (node-postgres, in the turn's transaction). */
export async function applyClubEffect(sql: Sql, e: ClubEffect, ec: ClubEffectContext): Promise<void> {
  switch (e.type) {
    case 'clubJoin': {
      let role = e.role;
      let alias: string | null = null;
      if (e.code !== null) {
        const invite = await usableInvite(sql, e.code, ec.now);
        // Used up or revoked between the question and the answer: join nothing.
        if (!invite || invite.clubId !== e.clubId) return;
        if (!(await takeInviteUse(sql, invite.code))) return;
        role = invite.role as typeof role;
        alias = invite.alias;
      } else if ((await requiresInvite(sql, e.clubId)) !== false || role !== 'member') return;
      if (alias && (await aliasTaken(sql, e.clubId, alias))) alias = null;
      await joinClub(sql, e.clubId, ec.subject, role, alias, ec.now);
      await keepAddressOf(sql, ec);
      return;
    }
    case 'clubRsvp': {
      const occ = await occurrenceById(sql, e.occurrenceId);
      if (!occ || occ.status === 'cancelled') return;
      const m = await membershipIn(sql, occ.clubId, ec.subject);
      if (m?.status !== 'active') return;
      await saveRsvp(sql, occ.id, m.id, e.answer, ec.now);
      await markMeetingAnswered(sql, occ.id, m.id, ec.now);
      if (e.answer === 'no') {
        // The volunteer who supports this member hears of it.
        const [club] = await clubClocks(sql, occ.clubId);
        for (const a of await supportersOf(sql, m.id)) {
          if (!a.channel || !club) continue;
          await addDeliveries(sql, club, [
            { dedupeKey: `vol_declined:${occ.id}:${a.id}`, clubId: occ.clubId, membershipId: a.volunteerId, kind: 'vol_declined', channel: a.channel, dueAt: ec.now, occurrenceId: occ.id, assignmentId: a.id },
          ]);
        }
      }
      return;
    }
    case 'clubTimes': {
      const m = await membershipIn(sql, e.clubId, ec.subject);
      if (m?.status !== 'active') return;
      const offsets = [...new Set(e.offsets)].filter((n) => Number.isInteger(n) && n >= 15 && n <= 10_080).sort((a, b) => b - a);
      if (!offsets.length) return;
      await setOffsets(sql, m.id, offsets.join(','));
      // Reminders already planned at the old offsets go; the planner adds the new ones.
      await cancelUnsentOf(sql, [m.id], 'times_changed', 'reminder');
      await keepAddressOf(sql, ec);
      return;
    }
    case 'clubLeave': {
      const m = await membershipIn(sql, e.clubId, ec.subject);
      if (m?.status !== 'active') return;
      await leaveClub(sql, m.id, ec.now);
      await endAssignmentsOf(sql, m.id, ec.now);
      await cancelUnsentOf(sql, [m.id], 'stopped');
      await forgetAddressIfIdle(sql, ec);
      return;
    }
    case 'clubStopAll': {
      await cancelUnsentOf(sql, await stopAllReminders(sql, ec.subject), 'stopped');
      await forgetAddressIfIdle(sql, ec);
      return;
    }
    case 'consoleLink':
      // The membership's role is checked again here; a link that is not stored opens nothing.
      await createClubLink(sql, ec.subject, e.clubId, hashToken(e.token), ec.now);
      return;
    case 'linkCreate':
      // Only a web visitor makes codes; only for memberships that exist.
      if (ec.channel !== 'web' || !(await hasActiveMembership(sql, ec.subject, false))) return;
      await createLink(sql, e.hash, ec.subject, ec.now);
      return;
    case 'linkRedeem': {
      if (ec.channel === 'web') return;
      const done = await redeemLinkCode(sql, e.hash, ec.subject, ec.now);
      if (!done?.moved.length) return;
      // Sending the code is this person's own act: reminders (and nudges) may reach them here.
      // The web identity keeps nothing to be reminded of: its consent row goes (a withdrawal
      // time would match this grant's, linking the two identities).
      for (const purpose of ['reminders', 'volunteering'] as const) {
        if (purpose === 'reminders' || done.moved.some((m) => m.role === 'volunteer')) await grantConsent(sql, ec.subject, purpose, ec.now);
        await dropConsent(sql, done.from, purpose);
      }
      await keepAddressOf(sql, ec);
      return;
    }
    case 'linkFailed':
      if (ec.channel !== 'web') await countWrongLink(sql, ec.subject, ec.now);
      return;
    case 'checkIn': {
      // Only the assigned volunteer may answer for an assignment.
      const a = await assignmentOfVolunteer(sql, e.assignmentId, ec.subject);
      if (!a) return;
      const nextAt = e.outcome === 'rescheduled' && e.nextAt ? new Date(e.nextAt) : null;
      const nextDueAt = e.outcome === 'done' ? new Date(ec.now.getTime() + a.cadenceDays * 86_400_000) : nextAt;
      await recordCheckIn(sql, a.id, ec.now, e.outcome, nextAt, nextDueAt);
      await markAssignmentAnswered(sql, a.id, ec.now);
      if (e.outcome === 'needs_support') {
        await toCoordinators(sql, a.clubId, 'coord_help', `coord_help:${a.id}:${ec.now.getTime()}`, ec.now, { assignmentId: a.id });
      }
      return;
    }
  }
}
