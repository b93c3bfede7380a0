// After-care clubs in the chat: browse province → commune → club card (no districts since 2025; next three
// meetings), join with explicit consent (and an invite code when the club asks for one), RSVP,
// reminder times, leave, "dừng", and volunteers' check-ins. Pure: the world comes in through
// ctx.clubs (loaded by the engine), intents go out as effects.
import { commandOf } from '../commands.ts';
import type { ConsentPurpose } from '../types.ts';
import { result } from '../state.ts';
import { column, fold, msg, tr } from '../text.ts';
import type { Choice, Effect, Flow, FlowState, Input, OutboundMessage, StepContext, StepResult } from '../types.ts';
import { codeOf, typedLinkCode } from './codes.ts';
import { LINK_CHOICE, offerLink, redeemLink } from './link.ts';
import { cardText, rsvpChoices, when } from './render.ts';
import { localToInstant } from './time.ts';
import type { ClubRole, ClubView, ClubsView, MeetingView } from './types.ts';

const EMPTY: ClubsView = { clubs: [], mine: [], assignments: [] };
const view = (ctx: StepContext): ClubsView => ctx.clubs ?? EMPTY;
const T = (ctx: StepContext) => ctx.content.clubs.text;
const L = (ctx: StepContext) => ctx.locale;

/** Choice-id-safe form of a place name ("Đồng Nai" → "dong-nai"). */
export function placeId(name: string): string {
  return fold(name).replace(/ /g, '-').slice(0, 40) || 'x';
}

function back(ctx: StepContext, id = 'menu.clubs'): Choice {
  return { id, label: T(ctx).back[L(ctx)] };
}

function go(state: FlowState, step: string, data: FlowState['data'], messages: OutboundMessage[], effects: Effect[] = []): StepResult {
  return result({ ...state, flow: 'clubs', step, data }, messages, effects);
}

function uniqueSorted(values: string[]): string[] {
  return [...new Set(values)].sort((a, b) => a.localeCompare(b, 'vi'));
}

function enter(state: FlowState, ctx: StepContext): StepResult {
  const v = view(ctx);
  const t = T(ctx);
  const l = L(ctx);
  const choices: Choice[] = [];
  if (v.mine.length) choices.push({ id: 'clubs.mine', label: t.myClubs[l] });
  choices.push({ id: 'clubs.find', label: t.findClub[l] }, { id: 'clubs.code', label: t.haveCode[l] }, back(ctx, 'menu.main'));
  return go(state, 'home', {}, [msg(t.intro[l], column(choices))]);
}

function provinces(state: FlowState, ctx: StepContext): StepResult {
  const v = view(ctx);
  if (!v.clubs.length) return go(state, 'home', {}, [msg(T(ctx).noClubs[L(ctx)], column([back(ctx)]))]);
  const names = uniqueSorted(v.clubs.map((c) => c.province));
  return go(state, 'province', {}, [msg(T(ctx).chooseProvince[L(ctx)], column([...names.map((n) => ({ id: `clubs.p.${placeId(n)}`, label: n })), back(ctx)]))]);
}

function communes(state: FlowState, ctx: StepContext, province: string): StepResult {
  const inProvince = view(ctx).clubs.filter((c) => placeId(c.province) === province);
  if (!inProvince.length) return provinces(state, ctx);
  const names = uniqueSorted(inProvince.map((c) => c.commune));
  return go(state, 'commune', { province }, [
    msg(T(ctx).chooseCommune[L(ctx)], column([...names.map((n) => ({ id: `clubs.c.${placeId(n)}`, label: n })), back(ctx, 'clubs.find')])),
  ]);
}

function clubsIn(state: FlowState, ctx: StepContext, commune: string): StepResult {
  const { province } = state.data as { province?: string };
  const here = view(ctx).clubs.filter((c) => placeId(c.province) === province && placeId(c.commune) === commune);
  if (here.length === 1) return card(state, ctx, here[0]!);
  if (!here.length) return provinces(state, ctx);
  return go(state, 'club', { province }, [
    msg(T(ctx).chooseClub[L(ctx)], column([...here.map((c) => ({ id: `clubs.card.${c.id}`, label: c.name })), back(ctx, `clubs.p.${province}`)])),
  ]);
}

function membershipOf(ctx: StepContext, clubId: string) {
  return view(ctx).mine.find((m) => m.clubId === clubId);
}

function cardMessage(ctx: StepContext, club: ClubView): OutboundMessage {
  const t = T(ctx);
  const l = L(ctx);
  const mine = membershipOf(ctx, club.id);
  let text = cardText(ctx.content, l, club);
  const choices: Choice[][] = [];
  if (ctx.platform === 'web') {
    // Nothing can reach a closed web page: no promise of reminders there. A web member is
    // offered a one-time code to take the membership to Zalo or Telegram (link.ts).
    text += `\n\n${mine ? t.webMemberNote[l] : t.webNoReminders[l]}`;
    if (mine) {
      choices.push([{ id: LINK_CHOICE, label: t.linkOffer[l] }]);
      choices.push([{ id: `clubs.leave.${club.id}`, label: t.leave[l] }]);
    } else choices.push([{ id: `clubs.join.${club.id}`, label: t.webJoin[l] }]);
  } else if (mine) {
    text += `\n\n${mine.remindersOn ? t.youAreMember[l] : t.remindersOffNote[l]}`;
    if (club.next[0]) choices.push(rsvpChoices(ctx.content, l, club.next[0].id));
    choices.push([{ id: `clubs.times.${club.id}`, label: t.changeTimes[l] }]);
    choices.push([{ id: `clubs.leave.${club.id}`, label: t.leave[l] }]);
  } else choices.push([{ id: `clubs.join.${club.id}`, label: t.join[l] }]);
  choices.push([back(ctx)]);
  return { text, choices };
}

function card(state: FlowState, ctx: StepContext, club: ClubView, before: OutboundMessage[] = [], effects: Effect[] = []): StepResult {
  return go(state, 'card', { clubId: club.id }, [...before, cardMessage(ctx, club)], effects);
}

function clubById(ctx: StepContext, id: string): ClubView | undefined {
  return view(ctx).clubs.find((c) => c.id === id);
}

function askConsent(state: FlowState, ctx: StepContext, club: ClubView, role: ClubRole, code: string | null): StepResult {
  const t = T(ctx);
  const l = L(ctx);
  return go(state, 'consent', { clubId: club.id, role, code }, [
    msg(tr(ctx.platform === 'web' ? t.webJoinConsent : t.joinConsent, l, { club: club.name }), column([{ id: 'clubs.consent.yes', label: t.consentYes[l] }, { id: 'clubs.consent.no', label: t.consentNo[l] }])),
  ]);
}

function join(state: FlowState, ctx: StepContext, clubId: string): StepResult {
  const club = clubById(ctx, clubId);
  if (!club) return provinces(state, ctx);
  if (membershipOf(ctx, clubId)) return card(state, ctx, club, [msg(T(ctx).alreadyMember[L(ctx)])]);
  if (club.requiresInvite) return go(state, 'code', { clubId }, [msg(T(ctx).askCode[L(ctx)], column([back(ctx, `clubs.card.${clubId}`)]))]);
  return askConsent(state, ctx, club, 'member', null);
}

const PURPOSE: Record<ClubRole, ConsentPurpose> = { member: 'reminders', volunteer: 'volunteering', coordinator: 'reminders' };

function consented(state: FlowState, ctx: StepContext): StepResult {
  const { clubId, role, code } = state.data as { clubId?: string; role?: ClubRole; code?: string | null };
  const club = clubId ? clubById(ctx, clubId) : undefined;
  if (!club || !role) return enter(state, ctx);
  const t = T(ctx);
  const l = L(ctx);
  const words = ctx.platform === 'web' ? t.joinedWeb : role === 'member' ? t.joinedMember : role === 'volunteer' ? t.joinedVolunteer : t.joinedCoordinator;
  const effects: Effect[] = [
    { type: 'consent', purpose: PURPOSE[role], granted: true },
    { type: 'clubJoin', clubId: club.id, role, code: code ?? null },
  ];
  // The card is shown as it will be once the join is stored.
  const joinedCtx: StepContext = {
    ...ctx,
    clubs: { ...view(ctx), mine: [...view(ctx).mine, { clubId: club.id, role, offsets: [1440, 120], remindersOn: true }] },
  };
  return card(state, joinedCtx, club, [msg(tr(words, l, { club: club.name }))], effects);
}

function rsvp(state: FlowState, ctx: StepContext, occurrenceId: number, answer: 'yes' | 'no'): StepResult {
  const t = T(ctx);
  const l = L(ctx);
  const v = view(ctx);
  let meeting: (MeetingView & { clubId: string }) | undefined = v.occurrence?.id === occurrenceId ? v.occurrence : undefined;
  if (!meeting) {
    for (const c of v.clubs) {
      const m = c.next.find((n) => n.id === occurrenceId);
      if (m) meeting = { ...m, clubId: c.id };
    }
  }
  const club = meeting ? clubById(ctx, meeting.clubId) : undefined;
  if (!meeting || !club || meeting.status === 'cancelled' || Date.parse(meeting.startsAt) < ctx.now.getTime()) {
    return go(state, 'home', {}, [msg(t.rsvpGone[l], column([back(ctx)]))]);
  }
  if (!membershipOf(ctx, club.id)) return card(state, ctx, club, [msg(t.notMember[l])]);
  const w = when(ctx.content, l, new Date(meeting.startsAt), club.timeZone);
  const words = answer === 'yes' ? tr(t.rsvpThanksYes, l, w) : t.rsvpThanksNo[l];
  return go(state, 'home', {}, [msg(words, column([{ id: `clubs.card.${club.id}`, label: club.name }, back(ctx, 'menu.main')]))], [
    { type: 'clubRsvp', occurrenceId, answer },
  ]);
}

function chooseTimes(state: FlowState, ctx: StepContext, clubId: string): StepResult {
  const club = clubById(ctx, clubId);
  if (!club || !membershipOf(ctx, clubId)) return club ? card(state, ctx, club, [msg(T(ctx).notMember[L(ctx)])]) : enter(state, ctx);
  const options = ctx.content.clubs.times.map((o) => ({ id: `clubs.t.${o.id}`, label: o.label[L(ctx)] }));
  return go(state, 'times', { clubId }, [msg(T(ctx).chooseTimes[L(ctx)], column([...options, back(ctx, `clubs.card.${clubId}`)]))]);
}

function setTimes(state: FlowState, ctx: StepContext, optionId: string): StepResult {
  const clubId = String(state.data['clubId'] ?? '');
  const club = clubById(ctx, clubId);
  const option = ctx.content.clubs.times.find((o) => o.id === optionId);
  if (!club || !option || !membershipOf(ctx, clubId)) return enter(state, ctx);
  const mine = view(ctx).mine.map((m) => (m.clubId === clubId ? { ...m, offsets: option.offsets, remindersOn: true } : m));
  return card(state, { ...ctx, clubs: { ...view(ctx), mine } }, club, [msg(tr(T(ctx).timesSaved, L(ctx), { times: option.label[L(ctx)] }))], [
    { type: 'clubTimes', clubId, offsets: option.offsets },
  ]);
}

function confirmLeave(state: FlowState, ctx: StepContext, clubId: string): StepResult {
  const club = clubById(ctx, clubId);
  if (!club || !membershipOf(ctx, clubId)) return enter(state, ctx);
  const t = T(ctx);
  const l = L(ctx);
  return go(state, 'leave', { clubId }, [
    msg(tr(t.leaveConfirm, l, { club: club.name }), column([{ id: 'clubs.leave.yes', label: t.leaveYes[l] }, back(ctx, `clubs.card.${clubId}`)])),
  ]);
}

function leave(state: FlowState, ctx: StepContext): StepResult {
  const club = clubById(ctx, String(state.data['clubId'] ?? ''));
  if (!club || !membershipOf(ctx, club.id)) return enter(state, ctx);
  const mine = view(ctx).mine.filter((m) => m.clubId !== club.id);
  return card(state, { ...ctx, clubs: { ...view(ctx), mine } }, club, [msg(tr(T(ctx).left, L(ctx), { club: club.name }))], [{ type: 'clubLeave', clubId: club.id }]);
}

function myClubs(state: FlowState, ctx: StepContext): StepResult {
  const v = view(ctx);
  const t = T(ctx);
  const l = L(ctx);
  const choices: Choice[] = v.mine.flatMap((m) => {
    const c = clubById(ctx, m.clubId);
    return c ? [{ id: `clubs.card.${c.id}`, label: c.name }] : [];
  });
  if (v.mine.some((m) => m.role !== 'member')) choices.push({ id: 'vol.list', label: t.myAssignments[l] });
  return go(state, 'mine', {}, [msg(t.myClubs[l], column([...choices, back(ctx)]))]);
}

function assignmentChoices(ctx: StepContext, id: number): Choice[] {
  const t = T(ctx);
  const l = L(ctx);
  return [
    { id: `vol.done.${id}`, label: t.volDone[l] },
    { id: `vol.help.${id}`, label: t.volHelp[l] },
    { id: `vol.date.${id}`, label: t.volNewDate[l] },
  ];
}

function assignments(state: FlowState, ctx: StepContext): StepResult {
  const t = T(ctx);
  const l = L(ctx);
  const list = view(ctx).assignments;
  if (!list.length) return go(state, 'home', {}, [msg(t.noAssignments[l], column([back(ctx)]))]);
  const messages = list.map((a) => {
    const d = when(ctx.content, l, new Date(a.nextDueAt), a.timeZone);
    return { text: tr(t.assignmentLine, l, { alias: a.alias, date: d.date }), choices: [assignmentChoices(ctx, a.id)] };
  });
  return go(state, 'assignments', {}, [msg(t.myAssignments[l]), ...messages]);
}

function checkIn(state: FlowState, ctx: StepContext, verb: string, id: number): StepResult {
  const t = T(ctx);
  const l = L(ctx);
  const a = view(ctx).assignments.find((x) => x.id === id);
  if (!a) return assignments(state, ctx);
  if (verb === 'date') return go(state, 'date', { assignmentId: id }, [msg(tr(t.askDate, l, { alias: a.alias }), column([back(ctx, 'vol.list')]))]);
  const outcome = verb === 'done' ? 'done' : 'needs_support';
  const words = outcome === 'done' ? t.checkInSaved : t.helpRaised;
  return go(state, 'home', {}, [msg(tr(words, l, { alias: a.alias }), column([{ id: 'vol.list', label: t.myAssignments[l] }, back(ctx, 'menu.main')]))], [
    { type: 'checkIn', assignmentId: id, outcome },
  ]);
}

/** "25/11" or "25/11/2026" → that day, 09:00 in the assignment's zone, within 60 days. */
export function parseDayMonth(text: string, now: Date, tz: string): Date | null {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?\s*$/.exec(text);
  if (!m) return null;
  const d = Number(m[1]);
  const mo = Number(m[2]);
  const nowYear = Number(new Intl.DateTimeFormat('en', { timeZone: tz, year: 'numeric' }).format(now));
  for (const y of m[3] ? [Number(m[3])] : [nowYear, nowYear + 1]) {
    const probe = new Date(Date.UTC(y, mo - 1, d));
    if (probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) return null;
    // 09:00 local: a check-in nudge should not arrive at night.
    const at = localToInstant(y, mo, d, 9, 0, tz);
    const days = (at.getTime() - now.getTime()) / 86_400_000;
    if (days > -1 && days <= 60) return at;
  }
  return null;
}

function reschedule(state: FlowState, input: Input, ctx: StepContext): StepResult {
  const t = T(ctx);
  const l = L(ctx);
  const id = Number(state.data['assignmentId']);
  const a = view(ctx).assignments.find((x) => x.id === id);
  if (!a) return assignments(state, ctx);
  const at = input.kind === 'text' ? parseDayMonth(input.text, ctx.now, a.timeZone) : null;
  if (!at) return go(state, 'date', state.data, [msg(t.dateInvalid[l], column([back(ctx, 'vol.list')]))]);
  const d = when(ctx.content, l, at, a.timeZone);
  return go(state, 'home', {}, [msg(tr(t.rescheduled, l, { alias: a.alias, date: d.date }), column([back(ctx, 'menu.main')]))], [
    { type: 'checkIn', assignmentId: id, outcome: 'rescheduled', nextAt: at.toISOString() },
  ]);
}

const YES = new Set(['co', 'dong y', 'toi dong y', 'ok', 'oke', 'yes', 'y', 'agree', 'i agree']);
const NO = new Set(['khong', 'ko', 'k', 'thoi', 'khong cam on', 'no', 'n', 'no thanks']);

/** Words typed at the consent question are understood, or the question is asked again. */
function typedConsent(state: FlowState, input: Input, ctx: StepContext): StepResult {
  const words = input.kind === 'text' ? fold(input.text) : '';
  if (YES.has(words)) return consented(state, ctx);
  if (NO.has(words)) return go(state, 'home', {}, [msg(T(ctx).consentDeclined[L(ctx)], column([back(ctx)]))], []);
  const { clubId, role, code } = state.data as { clubId?: string; role?: ClubRole; code?: string | null };
  const club = clubId ? clubById(ctx, clubId) : undefined;
  if (!club || !role) return enter(state, ctx);
  const again = askConsent(state, ctx, club, role, code ?? null);
  return { ...again, messages: [msg(T(ctx).consentUnclear[L(ctx)]), ...again.messages] };
}

function enterCode(state: FlowState, input: Input, ctx: StepContext): StepResult {
  const t = T(ctx);
  const l = L(ctx);
  const invite = view(ctx).invite;
  const wanted = state.data['clubId'] as string | undefined;
  const club = invite ? clubById(ctx, invite.clubId) : undefined;
  if (input.kind !== 'text' || !invite || !club || (wanted && wanted !== invite.clubId)) {
    return go(state, 'code', state.data, [msg(t.codeInvalid[l], column([back(ctx, wanted ? `clubs.card.${wanted}` : 'menu.clubs')]))]);
  }
  if (membershipOf(ctx, club.id)) return card(state, ctx, club, [msg(t.alreadyMember[l])]);
  return askConsent(state, ctx, club, invite.role, input.text);
}

/** "dừng" outside a questionnaire: every reminder and nudge stops at once. */
export function stopAll(_state: FlowState, ctx: StepContext): { messages: OutboundMessage[]; effects: Effect[] } {
  const any = view(ctx).mine.some((m) => m.remindersOn);
  return { messages: [msg(any ? T(ctx).stopAll[L(ctx)] : T(ctx).stopAllNone[L(ctx)])], effects: any ? [{ type: 'clubStopAll' }] : [] };
}

/** Choices that work from anywhere: a reminder's buttons arrive whatever the state. */
export function isClubChoice(choice: string): boolean {
  return choice === 'menu.clubs' || choice.startsWith('clubs.') || choice.startsWith('rsvp.') || choice.startsWith('vol.');
}

export function chooseClub(state: FlowState, choice: string, ctx: StepContext): StepResult | null {
  const [head, a, b] = choice.split('.');
  if (choice === 'menu.clubs') return enter(state, ctx);
  if (head === 'rsvp' && (b === 'yes' || b === 'no') && /^\d{1,9}$/.test(a ?? '')) return rsvp(state, ctx, Number(a), b);
  if (head === 'vol') {
    if (a === 'list') return assignments(state, ctx);
    if ((a === 'done' || a === 'help' || a === 'date') && /^\d{1,9}$/.test(b ?? '')) return checkIn(state, ctx, a, Number(b));
    return null;
  }
  if (choice === LINK_CHOICE) return ctx.platform === 'web' && view(ctx).mine.length ? offerLink(state, ctx) : enter(state, ctx);
  const rest = choice.slice(`clubs.${a}.`.length);
  switch (a) {
    case 'find':
      return provinces(state, ctx);
    case 'mine':
      return myClubs(state, ctx);
    case 'code':
      return go(state, 'code', {}, [msg(T(ctx).askCode[L(ctx)], column([back(ctx)]))]);
    case 'p':
      return communes(state, ctx, rest);
    case 'c':
      return clubsIn(state, ctx, rest);
    case 'card': {
      const club = clubById(ctx, rest);
      return club ? card(state, ctx, club) : provinces(state, ctx);
    }
    case 'join':
      return join(state, ctx, rest);
    case 'consent':
      if (state.flow !== 'clubs' || state.step !== 'consent') return enter(state, ctx);
      if (rest === 'yes') return consented(state, ctx);
      return go(state, 'home', {}, [msg(T(ctx).consentDeclined[L(ctx)], column([back(ctx)]))], []);
    case 'times':
      return chooseTimes(state, ctx, rest);
    case 't':
      return setTimes(state, ctx, rest);
    case 'leave':
      return rest === 'yes' ? leave(state, ctx) : confirmLeave(state, ctx, rest);
    default:
      return null;
  }
}

export const clubsFlow: Flow = {
  name: 'clubs',
  enter: (state, ctx) => enter(state, ctx),
  step(state, input, ctx) {
    if (input.kind === 'choice') return chooseClub(state, input.choice, ctx) ?? enter(state, ctx);
    if (state.step === 'code') return enterCode(state, input, ctx);
    if (state.step === 'consent') return typedConsent(state, input, ctx);
    if (state.step === 'date') return reschedule(state, input, ctx);
    return enter(state, ctx);
  },
};

/**
 * A code brought by a link ("/start <code>" on Telegram, the Zalo Bot's "/start <code>", the web
 * page's "?start=<code>") or a link code sent as a message: an invite code opens the join
 * (consent first), a link code moves a web membership here. Null when the input names no code.
 */
export function fromCode(state: FlowState, input: Input, ctx: StepContext): StepResult | null {
  const named = input.kind === 'start' && input.code ? codeOf(input.code) : input.kind === 'text' && typedLinkCode(input.text) ? { kind: 'link' as const } : null;
  if (!named) return null;
  // The web makes link codes and never takes one; an invite link opens the join there too.
  if (named.kind === 'link') return ctx.platform === 'web' ? null : redeemLink(state, ctx);
  // An invite link: the person's app language until they choose one.
  const s: FlowState = state.locale === null ? { ...state, locale: ctx.locale } : state;
  const before = state.locale === null ? [msg(ctx.content.ui.welcome[ctx.locale])] : [];
  const invite = view(ctx).invite;
  const club = invite ? clubById(ctx, invite.clubId) : undefined;
  if (!invite || !club) return go(s, 'code', {}, [...before, msg(T(ctx).codeInvalid[L(ctx)], column([back(ctx)]))]);
  if (membershipOf(ctx, club.id)) return card(s, ctx, club, [...before, msg(T(ctx).alreadyMember[L(ctx)])]);
  const asked = askConsent(s, ctx, club, invite.role, named.code);
  return { ...asked, messages: [...before, ...asked.messages] };
}

/** Whether a step needs ctx.clubs: the engine loads it only then. */
export function needsClubs(state: FlowState | null, input: Input, isStop: boolean): boolean {
  // A code brought by a link, or a link code sent as a message (fromCode).
  if ((input.kind === 'start' && input.code) || (input.kind === 'text' && typedLinkCode(input.text))) return true;
  if (state?.flow === 'clubs') return true;
  if (input.kind === 'choice') return isClubChoice(input.choice);
  const command = input.kind === 'text' ? commandOf(input.text) : null;
  return input.kind === 'text' && (isStop || command === 'console');
}
