// Carrying out the clubs flow's effects inside the turn's transaction (bot/engine/effects.ts
// calls this). The raw address is only ever stored encrypted, and only while the person has
// something that must reach them.
import type { ClubEffect } from '../../flows/clubs/types.ts';
import type { Prisma } from '../../prisma/generated/client.ts';
import { UNSENT } from '../db/delivery.ts';
import { addDeliveries, toCoordinators } from './ledger.ts';
import { reachableChannel } from '../db/contact.ts';
import { encrypt } from '../privacy/crypto.ts';
import { usableInvite } from './view.ts';
import { createClubLink } from '../db/console-link.ts';
import { hashToken } from '../privacy/token.ts';
import { dropConsent, grantConsent } from '../db/consent.ts';
import { prismaSql } from '../db/sql.ts';
import { countWrongLink, createLink, redeemLinkCode } from './link-code.ts';

type Tx = Prisma.TransactionClient;

export interface ClubEffectContext {
  subject: string;
  channel: string;
  now: Date;
  /** The person's raw address and the key to seal it; absent when the caller has none. */
  address?: string;
  addressKey?: Buffer;
}

async function keepAddress(tx: Tx, ec: ClubEffectContext): Promise<void> {
  // Nothing can reach a closed web page: a web member's visitor id is not kept as an address
  // (no reminder is planned for them; the link code takes the membership where one can be).
  if (!ec.address || !ec.addressKey || ec.channel === 'web') return;
  const addressEnc = encrypt(ec.addressKey, ec.address);
  await tx.contact.upsert({
    where: { subjectKey: ec.subject },
    create: { subjectKey: ec.subject, channel: ec.channel, addressEnc, lastInboundAt: ec.now },
    update: { addressEnc, channel: ec.channel, updatedAt: ec.now },
  });
}

async function cancelPending(tx: Tx, membershipIds: number[]): Promise<void> {
  if (!membershipIds.length) return;
  await tx.reminderDelivery.updateMany({ where: { membershipId: { in: membershipIds }, status: UNSENT }, data: { status: 'cancelled', reason: 'stopped' } });
}

/** Nothing left to send → the address is not kept and consent is withdrawn. */
async function forgetAddressIfIdle(tx: Tx, ec: ClubEffectContext): Promise<void> {
  const active = await tx.membership.count({ where: { subjectKey: ec.subject, status: 'active', remindersOn: true } });
  if (active) return;
  await tx.contact.updateMany({ where: { subjectKey: ec.subject }, data: { addressEnc: null, updatedAt: ec.now } });
  await tx.consent.updateMany({ where: { subjectKey: ec.subject, purpose: { in: ['reminders', 'volunteering'] }, withdrawnAt: null }, data: { withdrawnAt: ec.now } });
}

export async function applyClubEffect(tx: Tx, e: ClubEffect, ec: ClubEffectContext): Promise<void> {
  switch (e.type) {
    case 'clubJoin': {
      let role = e.role;
      let alias: string | null = null;
      if (e.code !== null) {
        const invite = await usableInvite(tx, e.code, ec.now);
        // Used up or revoked between the question and the answer: join nothing.
        if (!invite || invite.clubId !== e.clubId) return;
        const taken = await tx.inviteCode.updateMany({ where: { code: invite.code, uses: { lt: invite.maxUses } }, data: { uses: { increment: 1 } } });
        if (!taken.count) return;
        role = invite.role as typeof role;
        alias = invite.alias;
      } else {
        const club = await tx.club.findUnique({ where: { id: e.clubId } });
        if (!club || club.requiresInvite || role !== 'member') return;
      }
      if (alias && (await tx.membership.findUnique({ where: { clubId_alias: { clubId: e.clubId, alias } } }))) alias = null;
      await tx.membership.upsert({
        where: { clubId_subjectKey: { clubId: e.clubId, subjectKey: ec.subject } },
        create: { clubId: e.clubId, subjectKey: ec.subject, role, alias, consentAt: ec.now },
        update: { role, status: 'active', leftAt: null, remindersOn: true, consentAt: ec.now, ...(alias ? { alias } : {}) },
      });
      await keepAddress(tx, ec);
      return;
    }
    case 'clubRsvp': {
      const occ = await tx.meetingOccurrence.findUnique({ where: { id: e.occurrenceId }, include: { club: true } });
      if (!occ || occ.status === 'cancelled') return;
      const m = await tx.membership.findUnique({ where: { clubId_subjectKey: { clubId: occ.clubId, subjectKey: ec.subject } } });
      if (m?.status !== 'active') return;
      await tx.rsvp.upsert({
        where: { occurrenceId_membershipId: { occurrenceId: occ.id, membershipId: m.id } },
        create: { occurrenceId: occ.id, membershipId: m.id, answer: e.answer, answeredAt: ec.now },
        update: { answer: e.answer, answeredAt: ec.now },
      });
      await tx.reminderDelivery.updateMany({ where: { occurrenceId: occ.id, membershipId: m.id, answeredAt: null }, data: { answeredAt: ec.now } });
      if (e.answer === 'no') {
        // The volunteer who supports this member hears of it.
        const supports = await tx.volunteerAssignment.findMany({ where: { memberId: m.id, active: true }, include: { volunteer: true } });
        for (const a of supports) {
          if (a.volunteer.status !== 'active' || !a.volunteer.remindersOn) continue;
          const channel = await reachableChannel(prismaSql(tx), a.volunteer.subjectKey);
          if (!channel) continue;
          await addDeliveries(prismaSql(tx), occ.club, [
            { dedupeKey: `vol_declined:${occ.id}:${a.id}`, clubId: occ.clubId, membershipId: a.volunteerId, kind: 'vol_declined', channel, dueAt: ec.now, occurrenceId: occ.id, assignmentId: a.id },
          ]);
        }
      }
      return;
    }
    case 'clubTimes': {
      const m = await tx.membership.findUnique({ where: { clubId_subjectKey: { clubId: e.clubId, subjectKey: ec.subject } } });
      if (m?.status !== 'active') return;
      const offsets = [...new Set(e.offsets)].filter((n) => Number.isInteger(n) && n >= 15 && n <= 10_080).sort((a, b) => b - a);
      if (!offsets.length) return;
      await tx.membership.update({ where: { id: m.id }, data: { offsets: offsets.join(','), remindersOn: true } });
      // Reminders already planned at the old offsets go; the planner adds the new ones.
      await tx.reminderDelivery.updateMany({ where: { membershipId: m.id, status: UNSENT, kind: 'reminder' }, data: { status: 'cancelled', reason: 'times_changed' } });
      await keepAddress(tx, ec);
      return;
    }
    case 'clubLeave': {
      const m = await tx.membership.findUnique({ where: { clubId_subjectKey: { clubId: e.clubId, subjectKey: ec.subject } } });
      if (m?.status !== 'active') return;
      await tx.membership.update({ where: { id: m.id }, data: { status: 'left', leftAt: ec.now, remindersOn: false } });
      await tx.volunteerAssignment.updateMany({ where: { OR: [{ volunteerId: m.id }, { memberId: m.id }], active: true }, data: { active: false, endedAt: ec.now } });
      await cancelPending(tx, [m.id]);
      await forgetAddressIfIdle(tx, ec);
      return;
    }
    case 'clubStopAll': {
      const all = await tx.membership.findMany({ where: { subjectKey: ec.subject }, select: { id: true } });
      await tx.membership.updateMany({ where: { subjectKey: ec.subject }, data: { remindersOn: false } });
      await cancelPending(tx, all.map((m) => m.id));
      await forgetAddressIfIdle(tx, ec);
      return;
    }
    case 'consoleLink':
      // The membership's role is checked again here; a link that is not stored opens nothing.
      await createClubLink(tx, ec.subject, e.clubId, hashToken(e.token), ec.now);
      return;
    case 'linkCreate':
      // Only a web visitor makes codes; only for memberships that exist.
      if (ec.channel !== 'web' || !(await tx.membership.count({ where: { subjectKey: ec.subject, status: 'active' } }))) return;
      await createLink(prismaSql(tx), e.hash, ec.subject, ec.now);
      return;
    case 'linkRedeem': {
      if (ec.channel === 'web') return;
      const sql = prismaSql(tx);
      const done = await redeemLinkCode(sql, e.hash, ec.subject, ec.now);
      if (!done?.moved.length) return;
      // Sending the code is this person's own act: reminders (and nudges) may reach them here.
      // The web identity keeps nothing to be reminded of: its consent row goes (a withdrawal
      // time would match this grant's, linking the two identities).
      for (const purpose of ['reminders', 'volunteering'] as const) {
        if (purpose === 'reminders' || done.moved.some((m) => m.role === 'volunteer')) await grantConsent(sql, ec.subject, purpose, ec.now);
        await dropConsent(sql, done.from, purpose);
      }
      await keepAddress(tx, ec);
      return;
    }
    case 'linkFailed':
      if (ec.channel !== 'web') await countWrongLink(prismaSql(tx), ec.subject, ec.now);
      return;
    case 'checkIn': {
      const a = await tx.volunteerAssignment.findUnique({ where: { id: e.assignmentId }, include: { volunteer: true } });
      // Only the assigned volunteer may answer for an assignment.
      if (!a?.active || a.volunteer.subjectKey !== ec.subject) return;
      const nextAt = e.outcome === 'rescheduled' && e.nextAt ? new Date(e.nextAt) : null;
      await tx.checkIn.create({ data: { assignmentId: a.id, at: ec.now, outcome: e.outcome, nextAt } });
      await tx.reminderDelivery.updateMany({ where: { assignmentId: a.id, answeredAt: null }, data: { answeredAt: ec.now } });
      await tx.reminderDelivery.updateMany({ where: { assignmentId: a.id, status: UNSENT, kind: { in: ['nudge_again', 'escalation'] } }, data: { status: 'cancelled', reason: 'answered' } });
      if (e.outcome === 'done') await tx.volunteerAssignment.update({ where: { id: a.id }, data: { nextDueAt: new Date(ec.now.getTime() + a.cadenceDays * 86_400_000) } });
      if (nextAt) await tx.volunteerAssignment.update({ where: { id: a.id }, data: { nextDueAt: nextAt } });
      if (e.outcome === 'needs_support') {
        await toCoordinators(prismaSql(tx), a.clubId, 'coord_help', `coord_help:${a.id}:${ec.now.getTime()}`, ec.now, { assignmentId: a.id });
      }
      return;
    }
  }
}
