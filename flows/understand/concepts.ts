// A small pattern language for concepts, matched on normalised words (normalise.ts) with gaps.
// A pattern is a sequence of slots; a slot lists alternatives ("uong|nuot|chich"), each one or
// more folded words ("thuoc ngu"). Consecutive slots may have up to `gap` other words between
// them, so one inserted word ("uống HẾT CẢ vỉ") does not defeat a concept. An alternative
// written with marks and a leading "!" ("!chó") must be typed that way if it is typed with marks
// at all: "chó" (dog) is not "cho" (give).
import { foldWord, type Words } from './normalise.ts';

interface Alt {
  folded: string[];
  /** Marked spelling required when the word is typed with marks. */
  strict?: string[];
}

export interface Pattern {
  slots: Alt[][];
  gap: number;
}

function alt(src: string): Alt {
  const strict = src.startsWith('!');
  const ws = (strict ? src.slice(1) : src).trim().split(/\s+/);
  const folded = ws.map((w) => foldWord(w));
  return strict ? { folded, strict: ws } : { folded };
}

/** "a|b c" + "d" → [[a],[b c]], [[d]]: slots separated by " + ". */
export function pattern(src: string, gap = 4): Pattern {
  return { slots: src.split(' + ').map((slot) => slot.split('|').map(alt)), gap };
}

function altAt(a: Alt, t: Words, i: number): number {
  const n = a.folded.length;
  if (i + n > t.folded.length) return -1;
  for (let j = 0; j < n; j++) {
    const w = a.folded[j]!;
    // "#many": a count people do not take by mistake ("uống 20 viên").
    if (w === '#many') {
      if (!/^\d+$/.test(t.folded[i + j]!) || Number(t.folded[i + j]) < 5) return -1;
      continue;
    }
    if (t.folded[i + j] !== w) return -1;
    if (a.strict) {
      const typed = t.marked[i + j]!;
      if (typed !== t.folded[i + j] && typed !== a.strict[j]) return -1;
    }
  }
  return i + n;
}

/** Where the pattern matches, as [start, end) word spans; empty when it does not. */
export function findAll(p: Pattern, t: Words, masked?: ReadonlySet<number>): [number, number][] {
  const out: [number, number][] = [];
  const free = (from: number, to: number) => {
    if (!masked) return true;
    for (let k = from; k < to; k++) if (masked.has(k)) return false;
    return true;
  };
  const from = (slot: number, start: number, first: number): number => {
    if (slot === p.slots.length) return start;
    const last = slot === 0 ? start : Math.min(t.folded.length - 1, start + p.gap);
    for (let i = start; i <= last; i++) {
      for (const a of p.slots[slot]!) {
        const end = altAt(a, t, i);
        if (end < 0 || !free(i, end)) continue;
        const done = from(slot + 1, end, first);
        if (done >= 0) return done;
      }
    }
    return -1;
  };
  for (let i = 0; i < t.folded.length; i++) {
    const end = from(0, i, i);
    // from(0, i) looks only at i for the first slot.
    if (end >= 0) out.push([i, end]);
  }
  return out;
}

export function matches(p: Pattern, t: Words, masked?: ReadonlySet<number>): boolean {
  return findAll(p, t, masked).length > 0;
}
