// Which intent (content/intents.yaml) a typed message is closest to. Words are normalised
// (normalise.ts: no marks, teencode expanded) and compared as bags, so word order does not
// matter; a word one typo away from a known word still counts, most of the way. Rare words weigh
// more (idf), and a message scores against each example both ways (how much of the message the
// example explains, and how much of the example the message has), so "methadone ở đâu" is
// closer to "methadone ở đâu" (services) than to "methadone là gì" (the methadone page).
import type { Content } from '../../content/types.ts';
import { provinceNames } from '../places.ts';
import { words } from './normalise.ts';

export interface IntentMatch {
  id: string;
  score: number;
}
export interface IntentReading {
  /** Set when one intent is clearly closest. */
  best: IntentMatch | null;
  /** Every intent with some likeness, closest first. */
  ranked: IntentMatch[];
}

/** A match at or above this, and clearly ahead of the next intent, is acted on at once. */
export const CONFIDENT = 0.55;
const MARGIN = 0.08;
/** Below this an intent is not worth offering as a suggestion. */
export const SUGGEST = 0.3;

// Words that say nothing about the topic.
const STOP = new Set(
  'toi minh em anh chi ban la thi ma cua va voi nhe a oi vay nay do kia cho hoi xin duoc khong co i me my the an to is do you your it of and or please can am are be for in on ah u'.split(' '),
);

/** A province by any of its names reads as one word: "ở Bình Dương" is as close to "cơ sở ở Hà
 * Nội" as "ở Hà Nội" is. Numbers ("quận 8") say nothing about the topic. */
const PLACE = '#place';
const placeIndexes = new WeakMap<object, string[][]>();

function placesOf(content: Content): string[][] {
  let names = placeIndexes.get(content.places);
  if (!names) {
    names = [...new Set(provinceNames(content.places))].map((n) => words(n).folded).filter((n) => n.length > 0);
    names.sort((a, b) => b.length - a.length);
    placeIndexes.set(content.places, names);
  }
  return names;
}

function withPlaces(folded: string[], names: string[][]): string[] {
  const out: string[] = [];
  for (let i = 0; i < folded.length; ) {
    const name = names.find((n) => n.every((w, j) => folded[i + j] === w));
    if (name) {
      out.push(PLACE);
      i += name.length;
    } else out.push(folded[i++]!);
  }
  return out;
}

/** English endings ("addicted", "meetings") off long words; no Vietnamese syllable ends so. */
function stem(w: string): string {
  if (w.length < 6 || !/^[a-z]+$/.test(w)) return w;
  const one = w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w;
  return one.length >= 6 ? one.replace(/(ing|ed)$/, '') : one;
}

function terms(text: string, content: Content): string[] {
  const all = withPlaces(words(text).folded, placesOf(content)).map(stem);
  const kept = all.filter((w) => !STOP.has(w) && !/^\d+$/.test(w));
  // "bạn ơi": a message of small words is still a message.
  return [...new Set(kept.length ? kept : all)];
}

/** Only small words ("không", "ok"): placed only when it is an example word for word. */
function onlySmallWords(text: string): boolean {
  return words(text).folded.every((w) => STOP.has(w));
}

/** 1 for the same word, 0.8 one edit apart (words of 4+ letters), else 0. */
function likeness(a: string, b: string): number {
  if (a === b) return 1;
  // "không" is not a typo of "chồng": small words are never fuzzy.
  if (STOP.has(a) || STOP.has(b)) return 0;
  if (a.length < 4 || b.length < 4 || Math.abs(a.length - b.length) > 1) return 0;
  // One substitution, insertion or deletion.
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const tail = (x: string, y: string) => x === y;
  if (a.length === b.length) return tail(a.slice(i + 1), b.slice(i + 1)) || (a[i] === b[i + 1] && a[i + 1] === b[i] && tail(a.slice(i + 2), b.slice(i + 2))) ? 0.8 : 0;
  return a.length > b.length ? (tail(a.slice(i + 1), b.slice(i)) ? 0.8 : 0) : tail(a.slice(i), b.slice(i + 1)) ? 0.8 : 0;
}

interface Example {
  intent: string;
  terms: string[];
  /** The terms as a set, and the sum of their weights (the example's side of `coverage`). */
  has: Set<string>;
  weight: number;
}
interface Index {
  examples: Example[];
  idf: Map<string, number>;
  defaultIdf: number;
  /** Every example term, by length: only words of about the same length can be alike. */
  byLength: Map<number, string[]>;
}

const indexes = new WeakMap<object, Index>();

function indexOf(content: Content): Index {
  const key = content.intents;
  let ix = indexes.get(key);
  if (ix) return ix;
  const examples: Example[] = [];
  for (const intent of key.intents) {
    for (const e of [...intent.examples.vi, ...intent.examples.en]) {
      const t = terms(e, content);
      examples.push({ intent: intent.id, terms: t, has: new Set(t), weight: 0 });
    }
  }
  const df = new Map<string, number>();
  for (const e of examples) for (const t of e.terms) df.set(t, (df.get(t) ?? 0) + 1);
  const n = examples.length;
  const idf = new Map([...df].map(([t, d]) => [t, Math.log(1 + n / d)]));
  const defaultIdf = Math.log(1 + n);
  for (const e of examples) for (const t of e.terms) e.weight += idf.get(t) ?? defaultIdf;
  const byLength = new Map<number, string[]>();
  for (const t of df.keys()) {
    const same = byLength.get(t.length);
    if (same) same.push(t);
    else byLength.set(t.length, [t]);
  }
  ix = { examples, idf, defaultIdf, byLength };
  indexes.set(key, ix);
  return ix;
}

/** How alike each query term is to each example term, for the pairs that are alike at all:
 * `near[i]` for the query's i-th term, and `best` for each example term (its closest query
 * term). Computed once a message, not once an example: the scores are the same. */
function likenesses(q: string[], ix: Index): { near: Map<string, number>[]; best: Map<string, number> } {
  const best = new Map<string, number>();
  const near = q.map((a) => {
    const m = new Map<string, number>();
    for (let len = a.length - 1; len <= a.length + 1; len++) {
      for (const b of ix.byLength.get(len) ?? []) {
        const l = likeness(a, b);
        if (l > 0) {
          m.set(b, l);
          if (l > (best.get(b) ?? 0)) best.set(b, l);
        }
      }
    }
    return m;
  });
  return { near, best };
}

/** How much of the message the example explains (`coverage(q, e.terms)`). */
function messageCovered(q: string[], near: Map<string, number>[], e: Example, ix: Index): number {
  let got = 0;
  let all = 0;
  for (let i = 0; i < q.length; i++) {
    const w = ix.idf.get(q[i]!) ?? ix.defaultIdf;
    all += w;
    let best = 0;
    for (const [b, l] of near[i]!) if (l > best && e.has.has(b)) best = l;
    got += w * best;
  }
  return all ? got / all : 0;
}

/** How much of the example the message has (`coverage(e.terms, q)`). */
function exampleCovered(e: Example, best: Map<string, number>, ix: Index): number {
  let got = 0;
  for (const b of e.terms) got += (ix.idf.get(b) ?? ix.defaultIdf) * (best.get(b) ?? 0);
  return e.weight ? got / e.weight : 0;
}

/** The last reading, per content: a turn reads the same message more than once (the router,
 * then the answer to a question). */
const lastReading = new WeakMap<object, { text: string; reading: IntentReading }>();

export function readIntent(text: string, content: Content): IntentReading {
  const last = lastReading.get(content.intents);
  if (last?.text === text) return last.reading;
  const reading = readIntentAfresh(text, content);
  lastReading.set(content.intents, { text, reading });
  return reading;
}

function readIntentAfresh(text: string, content: Content): IntentReading {
  const q = terms(text, content);
  if (q.length === 0) return { best: null, ranked: [] };
  const ix = indexOf(content);
  const { near, best: closest } = likenesses(q, ix);
  const scores = new Map<string, number>();
  for (const e of ix.examples) {
    const a = messageCovered(q, near, e, ix);
    const b = exampleCovered(e, closest, ix);
    const s = a + b === 0 ? 0 : (2 * a * b) / (a + b);
    if (s > (scores.get(e.intent) ?? 0)) scores.set(e.intent, s);
  }
  const ranked = [...scores].map(([id, score]) => ({ id, score })).filter((m) => m.score > 0).sort((x, y) => y.score - x.score);
  const [top, next] = ranked;
  const small = onlySmallWords(text);
  const best = top && top.score >= (small ? 0.99 : CONFIDENT) && top.score - (next?.score ?? 0) >= MARGIN ? top : null;
  return { best, ranked };
}
