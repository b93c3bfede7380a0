// Reading one message for crisis: the phrases of content/emergency.yaml (with their homograph
// guards) and the concept rules of crisis-rules.ts, after masking idioms. The most urgent alarm
// wins. A question about overdose ("OD là gì", "quá liều methadone có nguy hiểm không?") is not
// an alarm: it gets an honest answer with the emergency number beside it.
import { findAll, matches, pattern } from './concepts.ts';
import { type Alarm, MASKS, OWN_WISH, RULES, TOLD_MASKS, WISHES } from './crisis-rules.ts';
import { splitRunTogether, words, type Words } from './normalise.ts';

export type { Alarm } from './crisis-rules.ts';
export const ALARMS: readonly Alarm[] = ['danger', 'suicide', 'help', 'worry'];

export interface CrisisReading {
  alarm: Alarm | null;
  /** Asked about overdose and its signs, with nothing happening now. */
  question: boolean;
}

/** A phrase test from content: true when it is in the text (guards applied). */
export type PhraseTest = (t: Words) => boolean;
export interface Phrases {
  /** `info`: the name of something people ask about ("quá liều"), not a sign of it happening. */
  danger: { test: PhraseTest; info: boolean }[];
  suicide: PhraseTest[];
  worry: PhraseTest[];
}

const QUESTION = [
  pattern('la gi|nghia la gi|la sao|the nao|nhu the nao|ra sao|bao nhieu|lam sao|xu ly|xu tri|phong tranh|phong ngua|so nao|so may|lam sao biet|tai sao|vi sao|co nguy hiem|co sao|co hai|nen lam gi|lam gi|phai lam gi|so cuu|dau hieu|trieu chung|bieu hien|co gay|bi gi|mua o dau|o dau|duoc khong|co duoc khong', 1),
  pattern('what|how|why|can|signs|sign|symptoms|mean|meaning|what to do|is it|dangerous', 1),
  pattern('co + nguy hiem|sao|hai|bi|gay|chet|ban + khong', 4),
];
/** A condition ("nếu …", "… thì xử lý thế nào") or a sign asked about in general ("co giật là
 * dấu hiệu gì", "sơ cứu người bất tỉnh thế nào"): asked about, even with the signs named, when no
 * one is in view (PERSON). */
const IN_GENERAL = [
  pattern('neu|gia su|if|in case|lo|nhung khi|truong hop + thi|phai|nen|lam gi|lam sao|what|how', 6),
  pattern('thi + xu ly|xu tri|lam gi|lam sao|phai lam gi|nen lam gi|so cuu', 2),
  pattern('la dau hieu|dau hieu gi|co nguy hiem|co chet|khi nao thi|cach xu tri|cach so cuu|so cuu nguoi|khi thay nguoi|khi gap nguoi|lam gi khi|what should i do if|what to do when|what to do if', 1),
];
const PERSON = pattern('no|anh ay|chi ay|ong ay|ba ay|co ay|thang|con be|em be|my|he|she|his|her', 1);
/** Hypotheticals keep a question a question even with a person in it ("nếu bạn tôi…"). */
const HYPOTHETICAL = [
  pattern('neu|gia su|if|lam sao biet|how do i know|dau hieu|signs|trieu chung|phong tranh|phong ngua|prevent', 1),
  // "lỡ bạn mình quá liều thì gọi số nào": "lỡ … thì" is "in case".
  pattern('lo|nhung khi|truong hop|in case + thi|phai|nen|goi', 6),
];
/** Something happening now: not a question, whatever the question words. */
const HAPPENING = pattern('roi|dang|vua|bay gio|gio|ngay|cuu voi|cuu toi|cuu em|giup voi|help|now|right now|just|he is|she is|hes|shes|they are|he has|she has|is not|my friend|ban toi|ban em|ban minh|no bi|nguoi nha|chong|vo|con toi', 1);

function masksOf(t: Words, patterns: readonly ReturnType<typeof pattern>[]): Set<number> {
  const masked = new Set<number>();
  for (const m of patterns) for (const [a, b] of findAll(m, t)) for (let k = a; k < b; k++) masked.add(k);
  return masked;
}

function notAfterOk(t: Words, start: number, notAfter: string[] | undefined): boolean {
  return !notAfter || start === 0 || !notAfter.includes(t.folded[start - 1]!);
}

function vetoed(t: Words, span: [number, number], unless: { p: ReturnType<typeof pattern>[]; near: number } | undefined): boolean {
  if (!unless) return false;
  const from = Math.max(0, span[0] - unless.near);
  const to = Math.min(t.folded.length, span[1] + unless.near);
  const window: Words = { folded: t.folded.slice(from, to), marked: t.marked.slice(from, to) };
  return unless.p.some((p) => matches(p, window));
}

export function readCrisis(text: string, phrases: Phrases): CrisisReading {
  const t = words(text);
  if (t.folded.length === 0) return { alarm: null, question: false };
  const first = readWords(text, t, phrases);
  if (first.alarm || first.question) return first;
  // "khongmuonsongnua": read again with run-together words split; it can only add an alarm.
  // Words an idiom masked in the first reading stay whole ("game" in "game này khó thở"), so
  // the second reading masks them again instead of reading their pieces.
  const split = splitRunTogether(t, maskedWords(t).masked);
  const second = split ? readWords(text, split, phrases) : null;
  return second?.alarm ? second : first;
}

function maskedWords(t: Words): { wishes: Set<number>; masked: Set<number> } {
  const wishes = masksOf(t, WISHES);
  const told = matches(OWN_WISH, t) ? [] : TOLD_MASKS;
  return { wishes, masked: new Set([...masksOf(t, [...MASKS, ...told]), ...wishes]) };
}

function readWords(text: string, t: Words, phrases: Phrases): CrisisReading {
  const { wishes, masked } = maskedWords(t);
  // With idioms masked, the phrase tests see only the words left.
  const open: Words = { folded: t.folded.map((w, i) => (masked.has(i) ? '_' : w)), marked: t.marked.map((w, i) => (masked.has(i) ? '_' : w)) };
  const fired = new Set<Alarm>(wishes.size ? ['suicide'] : []);
  let dangerNow = false;
  for (const rule of RULES) {
    if (fired.has(rule.alarm) && (rule.alarm !== 'danger' || dangerNow || rule.info)) continue;
    const spans = findAll(rule.p, open).filter(([a]) => notAfterOk(open, a, rule.notAfter));
    if (spans.some((s) => !vetoed(open, s, rule.unless))) {
      fired.add(rule.alarm);
      if (rule.alarm === 'danger' && !rule.info) dangerNow = true;
    }
  }
  for (const d of phrases.danger) {
    if ((dangerNow || (fired.has('danger') && d.info)) || !d.test(open)) continue;
    fired.add('danger');
    if (!d.info) dangerNow = true;
  }
  if (phrases.suicide.some((test) => test(open))) fired.add('suicide');
  if (phrases.worry.some((test) => test(open))) fired.add('worry');
  // "chích quá liều cho chết luôn": an intention, not an overdose happening now.
  if (fired.has('danger') && !dangerNow && fired.has('suicide') && !matches(HAPPENING, open)) fired.delete('danger');
  const alarm = ALARMS.find((a) => fired.has(a)) ?? null;
  if (alarm === 'danger' && !fired.has('suicide') && !fired.has('help')) {
    const asked = text.includes('?') || QUESTION.some((q) => matches(q, open));
    const happening = matches(HAPPENING, open);
    if (asked && !dangerNow && (HYPOTHETICAL.some((h) => matches(h, open)) || !happening)) return { alarm: null, question: true };
    if (asked && dangerNow && !happening && !matches(PERSON, open) && IN_GENERAL.some((h) => matches(h, open))) return { alarm: null, question: true };
  }
  return { alarm, question: false };
}
