// Choice ids: how they are built and read back, one typed pack/parse per family, and which
// ones a person may send. A choice id travels through a platform and comes back as data the
// person controls (a Zalo OA button is text they can type; the web sends any string), so an
// id is accepted only if the last message offered it, or if it is a standing id that means the
// same whenever it is tapped (the menu, crisis help, a reminder's buttons). What is logged is
// never a parameter a person could have typed: a standing id with a parameter is logged as its
// family, and screening answers only as `screen.answer`.
import type { Choice, Input } from './types.ts';

/** Dotted lower-case words, bounded: the only shape a choice id ever has. */
const ID = /^[a-z0-9][a-z0-9._:-]{0,63}$/;
const NUM = /^[1-9]\d{0,8}$/;
/** Club ids and place ids: slugs made by the admin tool and content. */
const SLUG = /^[a-z0-9][a-z0-9-]{0,47}$/;

export function wellFormed(id: string): boolean {
  return ID.test(id);
}

export type RsvpAnswer = 'yes' | 'no';
export const rsvpChoice = {
  pack: (occurrenceId: number, answer: RsvpAnswer): string => `rsvp.${occurrenceId}.${answer}`,
  parse(id: string): { occurrenceId: number; answer: RsvpAnswer } | null {
    const [head, occ, answer, extra] = id.split('.');
    if (head !== 'rsvp' || extra !== undefined || !NUM.test(occ ?? '') || (answer !== 'yes' && answer !== 'no')) return null;
    return { occurrenceId: Number(occ), answer };
  },
};

export type VolAction = 'done' | 'help' | 'date';
export const volChoice = {
  pack: (action: VolAction, assignmentId: number): string => `vol.${action}.${assignmentId}`,
  parse(id: string): { action: VolAction; assignmentId: number } | null {
    const [head, action, n, extra] = id.split('.');
    if (head !== 'vol' || extra !== undefined || !NUM.test(n ?? '') || (action !== 'done' && action !== 'help' && action !== 'date')) return null;
    return { action, assignmentId: Number(n) };
  },
};

/** `clubs.<verb>.<param>`: a club id (card, join, times, leave), a place (p, d, c), a times option (t). */
export type ClubVerb = 'card' | 'join' | 'times' | 'leave' | 'p' | 'd' | 'c' | 't';
export const clubChoice = {
  pack: (verb: ClubVerb, param: string): string => `clubs.${verb}.${param}`,
  parse(id: string): { verb: string; param: string } | null {
    if (!id.startsWith('clubs.')) return null;
    const dot = id.indexOf('.', 'clubs.'.length);
    if (dot < 0) return null;
    return { verb: id.slice('clubs.'.length, dot), param: id.slice(dot + 1) };
  },
};

export const MENU_IDS = ['menu.main', 'menu.screening', 'menu.treatment', 'menu.services', 'menu.clubs', 'menu.urgent', 'menu.privacy', 'menu.language', 'menu.reduce-risk'] as const;
const STANDING = new Set<string>([...MENU_IDS, 'lang.vi', 'lang.en', 'vol.list', 'crisis.danger', 'crisis.suicide', 'crisis.worry', 'crisis.numbers', 'crisis.back']);

/** Accepted whatever was offered last: the menu, crisis help, languages and a reminder's buttons. */
export function standing(id: string): boolean {
  if (STANDING.has(id)) return true;
  if (rsvpChoice.parse(id) || volChoice.parse(id)) return true;
  // A club's card and its actions stay on older messages; the flow checks the club and the membership.
  const club = clubChoice.parse(id);
  return club !== null && CLUB_VERBS.has(club.verb) && SLUG.test(club.param);
}

const CLUB_VERBS = new Set(['card', 'join', 'times', 'leave']);

/** Was this id offered by the last message, or is it a standing one? */
export function accepted(id: string, offered: readonly Choice[]): boolean {
  if (!wellFormed(id)) return false;
  return offered.some((c) => c.id === id) || standing(id);
}

/** What the interaction log keeps of an input: only ids this bot wrote, never an answer. */
export function logAs(input: Input, offered: readonly Choice[]): string | null {
  if (input.kind !== 'choice') return null;
  const id = input.choice;
  // Screening answers are not logged, not even as ids: only that a question was answered.
  if (id.startsWith('screen.') && !id.startsWith('screen.age.')) return 'screen.answer';
  if (STANDING.has(id) || offered.some((c) => c.id === id)) return id;
  if (rsvpChoice.parse(id)) return 'rsvp';
  const vol = volChoice.parse(id);
  if (vol) return `vol.${vol.action}`;
  const club = clubChoice.parse(id);
  return club ? `clubs.${club.verb}` : null;
}
