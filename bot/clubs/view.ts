// What the clubs flow may see for one turn (flows/clubs/types.ts ClubsView): the directory with
// each club's next three meetings, this person's memberships and assignments, and a typed
// invite code or RSVP'd meeting looked up. Read-only.
import { normaliseCode } from './invite-code.ts';
import type { ClubRole, ClubsView, MeetingView } from '../../flows/clubs/types.ts';
import type { FlowState, Input } from '../../flows/types.ts';
import { commandOf } from '../../flows/commands.ts';
import { newToken } from '../privacy/token.ts';
import { codeOf, typedLinkCode } from '../../flows/clubs/codes.ts';
import { LINK_CHOICE } from '../../flows/clubs/link.ts';
import { clubDirectory } from '../db/club.ts';
import { type UsableInvite, usableInviteByCode } from '../db/invite-code.ts';
import { nextMeetingsByClub, occurrenceById } from '../db/meeting.ts';
import { type Holdings, holdingsOf } from '../db/membership.ts';
import type { Sql } from '../db/sql.ts';
import { freshLink, type LinkTargets, lookupLink } from './link-code.ts';

export interface ClubsViewOptions {
  /** The console's address, for a coordinator's sign-in link. */
  consoleUrl?: string | undefined;
  /** PSEUDONYM_SECRET: link codes are made and looked up by their HMAC. */
  pseudonymSecret?: Buffer | undefined;
  /** Where a web member's link code can be sent. */
  links?: LinkTargets | undefined;
}

const NO_TARGETS: LinkTargets = { telegram: false, zalo: false };

const asMeeting = (o: { id: number; startsAt: Date; topic: string; venue: string; status: string }): MeetingView => ({
  id: o.id,
  startsAt: o.startsAt.toISOString(),
  topic: o.topic,
  venue: o.venue,
  status: o.status as MeetingView['status'],
});

export async function usableInvite(sql: Sql, typed: string, now: Date): Promise<UsableInvite | null> {
  const code = normaliseCode(typed);
  if (code.length !== 8) return null;
  return usableInviteByCode(sql, code, now);
}

/** On the turn's own Sql: browsing the clubs runs on node-postgres like any other turn. */
export async function loadClubsView(sql: Sql, subject: string, state: FlowState | null, input: Input, now: Date, opts: ClubsViewOptions = {}): Promise<ClubsView> {
  const { consoleUrl, pseudonymSecret } = opts;
  const clubs = await clubDirectory(sql);
  const byClub = new Map<string, MeetingView[]>();
  for (const o of await nextMeetingsByClub(sql, now, 3)) {
    const list = byClub.get(o.clubId) ?? [];
    list.push(asMeeting(o));
    byClub.set(o.clubId, list);
  }
  const h = await holdingsOf(sql, subject);
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
    ...holdingsView(h),
  };
  // An invite code typed at the question, or brought by a link ("/start <code>").
  const started = input.kind === 'start' && input.code ? codeOf(input.code) : null;
  const typedInvite = input.kind === 'text' && state?.flow === 'clubs' && state.step === 'code' ? input.text : null;
  const invite = started?.kind === 'invite' ? started.code : typedInvite;
  if (invite !== null) {
    const row = await usableInvite(sql, invite, now);
    view.invite = row ? { clubId: row.clubId, role: row.role as ClubRole } : null;
  }
  // A link code sent from a chat, looked up by its HMAC; a fresh one for a web member who asks.
  const linkCode = started?.kind === 'link' ? started.code : input.kind === 'text' ? typedLinkCode(input.text) : null;
  if (linkCode && pseudonymSecret) view.link = await lookupLink(sql, pseudonymSecret, subject, linkCode, now);
  if (input.kind === 'choice' && input.choice === LINK_CHOICE && pseudonymSecret) view.newLink = freshLink(pseudonymSecret, opts.links ?? NO_TARGETS);
  const rsvp = input.kind === 'choice' ? /^rsvp\.(\d{1,9})\./.exec(input.choice) : null;
  if (rsvp) {
    const o = await occurrenceById(sql, Number(rsvp[1]));
    if (o) view.occurrence = { ...asMeeting(o), clubId: o.clubId };
  }
  // "/console": random tokens for the flow to put in sign-in links (stored only if it does).
  if (consoleUrl && input.kind === 'text' && commandOf(input.text) === 'console') {
    view.console = { baseUrl: consoleUrl, tokens: view.mine.filter((m) => m.role === 'coordinator').slice(0, 3).map(() => newToken()) };
  }
  return view;
}

/** A person's memberships and assignments as the clubs flow sees them. */
export function holdingsView(h: Holdings): Pick<ClubsView, 'mine' | 'assignments'> {
  return {
    mine: h.mine.map((m) => ({ clubId: m.clubId, role: m.role as ClubRole, offsets: offsetsOf(m.offsets), remindersOn: m.remindersOn })),
    assignments: h.assignments.map((a) => ({ id: a.id, clubId: a.clubId, alias: a.alias, nextDueAt: a.nextDueAt.toISOString(), timeZone: a.timeZone })),
  };
}

export function offsetsOf(s: string): number[] {
  return s
    .split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
}
