// What the clubs flow may see for one turn (flows/clubs/types.ts ClubsView): the directory with
// each club's next three meetings, this person's memberships and assignments, and a typed
// invite code or RSVP'd meeting looked up. Read-only.
import { normaliseCode } from './invite-code.ts';
import type { ClubRole, ClubsView, MeetingView } from '../../flows/clubs/types.ts';
import type { FlowState, Input } from '../../flows/types.ts';
import type { Db } from './schedule.ts';
import { commandOf } from '../../flows/commands.ts';
import { newToken } from '../privacy/token.ts';

const asMeeting = (o: { id: number; startsAt: Date; topic: string; venue: string; status: string }): MeetingView => ({
  id: o.id,
  startsAt: o.startsAt.toISOString(),
  topic: o.topic,
  venue: o.venue,
  status: o.status as MeetingView['status'],
});

export async function usableInvite(db: Db, typed: string, now: Date) {
  const code = normaliseCode(typed);
  if (code.length !== 8) return null;
  const row = await db.inviteCode.findUnique({ where: { code } });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt < now) || row.uses >= row.maxUses) return null;
  return row;
}

export async function loadClubsView(db: Db, subject: string, state: FlowState | null, input: Input, now: Date, consoleUrl?: string): Promise<ClubsView> {
  const clubs = await db.club.findMany({ orderBy: { id: 'asc' } });
  const upcoming = await db.meetingOccurrence.findMany({
    where: { status: { not: 'cancelled' }, startsAt: { gte: now } },
    orderBy: { startsAt: 'asc' },
    take: 2000,
  });
  const byClub = new Map<string, MeetingView[]>();
  for (const o of upcoming) {
    const list = byClub.get(o.clubId) ?? [];
    if (list.length < 3) list.push(asMeeting(o));
    byClub.set(o.clubId, list);
  }
  const mine = await db.membership.findMany({ where: { subjectKey: subject, status: 'active' } });
  const assignments = await db.volunteerAssignment.findMany({
    where: { active: true, volunteer: { subjectKey: subject, status: 'active' } },
    include: { volunteer: { include: { club: { select: { timeZone: true } } } } },
    orderBy: { id: 'asc' },
  });
  const view: ClubsView = {
    clubs: clubs.map((c) => ({
      id: c.id,
      name: c.name,
      province: c.province,
      commune: c.commune,
      venue: c.venue,
      board: c.boardContacts,
      timeZone: c.timeZone,
      requiresInvite: c.requiresInvite,
      sample: c.sample,
      next: byClub.get(c.id) ?? [],
    })),
    mine: mine.map((m) => ({ clubId: m.clubId, role: m.role as ClubRole, offsets: offsetsOf(m.offsets), remindersOn: m.remindersOn })),
    assignments: assignments.map((a) => ({ id: a.id, clubId: a.clubId, alias: a.memberAlias, nextDueAt: a.nextDueAt.toISOString(), timeZone: a.volunteer.club.timeZone })),
  };
  if (input.kind === 'text' && state?.flow === 'clubs' && state.step === 'code') {
    const row = await usableInvite(db, input.text, now);
    view.invite = row ? { clubId: row.clubId, role: row.role as ClubRole } : null;
  }
  const rsvp = input.kind === 'choice' ? /^rsvp\.(\d{1,9})\./.exec(input.choice) : null;
  if (rsvp) {
    const o = await db.meetingOccurrence.findUnique({ where: { id: Number(rsvp[1]) } });
    if (o) view.occurrence = { ...asMeeting(o), clubId: o.clubId };
  }
  // "/console": random tokens for the flow to put in sign-in links (stored only if it does).
  if (consoleUrl && input.kind === 'text' && commandOf(input.text) === 'console') {
    view.console = { baseUrl: consoleUrl, tokens: view.mine.filter((m) => m.role === 'coordinator').slice(0, 3).map(() => newToken()) };
  }
  return view;
}

export function offsetsOf(s: string): number[] {
  return s
    .split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
}
