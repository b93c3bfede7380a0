// Crisis detection and guidance (docs/architecture.md, "The path of one message"; domain.md
// section 2 in the team's reference). detectCrisis runs on every inbound text before any flow;
// crisisFlow shows what to do now. Every number comes from
// content/emergency.yaml, where each has a source. Never methods, never doses.
import type { Keyword } from '../content/schema/emergency.ts';
import type { Content } from '../content/types.ts';
import { result } from './state.ts';
import { type CrisisReading, type Phrases, type PhraseTest, readCrisis } from './understand/crisis-read.ts';
import { type Words, words } from './understand/normalise.ts';
import { column, msg, tr } from './text.ts';
import { formatDay } from './text.ts';
import type { Choice, Flow, FlowState, OutboundMessage, StepContext, StepResult } from './types.ts';

export type CrisisTier = 'danger' | 'suicide' | 'worry';
/** Most urgent first: a message that mentions both an overdose and fear gets the overdose answer. */
const TIERS: readonly CrisisTier[] = ['danger', 'suicide', 'worry'];
export type CrisisStep = CrisisTier | 'menu';

// --- Detection -------------------------------------------------------------------------------
// The phrases of emergency.yaml, with their homograph guards, feed the concept reader in
// flows/understand/crisis-read.ts, which also knows idioms, gaps and questions.

interface Matcher {
  folded: string[];
  /** Set for guarded phrases only (see emergency.yaml, "Guarded phrases"). */
  guard?: {
    marked: string[];
    homographs: string[][];
    contexts: { folded: string[]; at: number }[];
    notFollowedBy: string[][];
    alone: boolean;
  };
}

function compile(k: Keyword): Matcher {
  if (typeof k === 'string') return { folded: words(k).folded };
  const phrase = words(k.phrase);
  const contexts = k.contexts.map((c) => {
    const f = words(c).folded;
    const at = f.findIndex((_, i) => startsAt(f, i, phrase.folded));
    return { folded: f, at };
  });
  return {
    folded: phrase.folded,
    guard: {
      marked: phrase.marked,
      homographs: k.homographs.map((h) => words(h).marked),
      contexts: contexts.filter((c) => c.at >= 0),
      notFollowedBy: k.notFollowedBy.map((n) => words(n).folded),
      alone: k.alone,
    },
  };
}

function startsAt(hay: string[], i: number, needle: string[]): boolean {
  if (i < 0 || needle.length === 0 || i + needle.length > hay.length) return false;
  return needle.every((w, j) => hay[i + j] === w);
}

/**
 * A guarded phrase found at word i. Each word typed with marks votes: spelled like the phrase →
 * it is the phrase ("tự tử"); spelled like a homograph → it is not ("từ từ"). Words typed bare
 * (or with a typo) do not vote; with no vote at all the phrase needs its context, or the whole
 * message must be just the phrase.
 */
function guardedMatch(g: NonNullable<Matcher['guard']>, len: number, t: Words, i: number): boolean {
  let phrase = false;
  let homograph = false;
  for (let j = 0; j < len; j++) {
    const w = t.marked[i + j]!;
    if (w === t.folded[i + j]) continue;
    const isPhrase = w === g.marked[j];
    const isHomograph = g.homographs.some((h) => h[j] === w);
    if (isPhrase && !isHomograph) phrase = true;
    else if (isHomograph && !isPhrase) homograph = true;
  }
  if (phrase) return true;
  if (homograph) return false;
  if (g.alone && t.folded.filter((w) => w !== '_').length === len) return true;
  return g.contexts.some((c) => {
    const start = i - c.at;
    if (!startsAt(t.folded, start, c.folded)) return false;
    const end = start + c.folded.length;
    return !g.notFollowedBy.some((n) => startsAt(t.folded, end, n));
  });
}

function test(m: Matcher): PhraseTest {
  const len = m.folded.length;
  return (t) => {
    for (let i = 0; i + len <= t.folded.length; i++) {
      if (!startsAt(t.folded, i, m.folded)) continue;
      if (!m.guard || guardedMatch(m.guard, len, t, i)) return true;
    }
    return false;
  };
}

/** Danger phrases that name a thing people ask about, rather than a sign of it happening now. */
const INFO = new Set(['qua lieu', 'soc thuoc', 'soc ma tuy', 'ngao da', 'bi ngao', 'loan than', 'ao giac', 'hoang tuong', 'overdose', 'od', 'psychosis', 'psychotic']);

const compiled = new WeakMap<object, Phrases>();

function phrasesOf(content: Content): Phrases {
  const kw = content.emergency.keywords;
  let p = compiled.get(kw);
  if (!p) {
    p = {
      danger: kw.danger.map((k) => {
        const m = compile(k);
        return { test: test(m), info: INFO.has(m.folded.join(' ')) };
      }),
      suicide: kw.suicide.map((k) => test(compile(k))),
      worry: kw.worry.map((k) => test(compile(k))),
    };
    compiled.set(kw, p);
  }
  return p;
}

/** What a text says about crisis: the most urgent alarm, or a question about overdose. */
export function readCrisisText(text: string, content: Content): CrisisReading {
  return readCrisis(text, phrasesOf(content));
}

/** The crisis step a text calls for ('menu' for a bare plea such as "cứu tôi"), or null.
 * Prefers false positives. */
export function detectCrisis(text: string, content: Content): CrisisStep | null {
  const a = readCrisisText(text, content).alarm;
  return a === 'help' ? 'menu' : a;
}

// --- Guidance --------------------------------------------------------------------------------

const MESSAGE_LIMIT = 1500;

/** The emergency numbers as {placeholders} for any text: numbers live only in emergency.yaml. */
export function numberVars(ctx: StepContext): Record<string, string> {
  return Object.fromEntries(ctx.content.emergency.numbers.map((n) => [n.id, n.number]));
}

function isStep(s: unknown): s is CrisisStep {
  return s === 'menu' || TIERS.includes(s as CrisisTier);
}

function choicesFor(step: CrisisStep, state: FlowState, ctx: StepContext, withNumbers = true): Choice[] {
  const t = ctx.content.emergency.texts;
  const l = ctx.locale;
  const list: Choice[] = [];
  if (step === 'menu') {
    list.push(
      { id: 'crisis.danger', label: t.chooseDanger[l] },
      { id: 'crisis.suicide', label: t.chooseSuicide[l] },
      { id: 'crisis.worry', label: t.chooseWorry[l] },
    );
  }
  if (step === 'suicide' || step === 'worry') list.push({ id: 'menu.services', label: t.findService[l] });
  if (withNumbers) list.push({ id: 'crisis.numbers', label: t.chooseNumbers[l] });
  // Only offered when there is somewhere to go back to; the router resumes it.
  if (state.paused) list.push({ id: 'crisis.back', label: t.back[l] });
  list.push({ id: 'menu.main', label: ctx.content.ui.backToMenu[l] });
  return list;
}

function at(state: FlowState, step: CrisisStep): FlowState {
  return { ...state, flow: 'crisis', step, data: {} };
}

/** The numbers to call first for each step, as tel: links (a call button on Zalo OA). */
const CALL_FIRST: Record<CrisisStep, string[]> = { danger: ['ambulance'], menu: ['ambulance'], suicide: ['ambulance', 'ngaymai'], worry: ['ngaymai'] };

function callLinks(step: CrisisStep, ctx: StepContext): { label: string; url: string }[] {
  return CALL_FIRST[step].flatMap((id) => {
    const n = ctx.content.emergency.numbers.find((x) => x.id === id);
    return n ? [{ label: `📞 ${n.number} · ${n.name[ctx.locale]}`, url: `tel:${n.number.replace(/\D/g, '')}` }] : [];
  });
}

function guidance(state: FlowState, ctx: StepContext, step: CrisisStep): StepResult {
  const vars = numberVars(ctx);
  const texts = ctx.content.emergency.guidance[step].messages.map((m) => tr(m, ctx.locale, vars));
  const messages: OutboundMessage[] = texts.map((text, i) =>
    i === texts.length - 1 ? msg(text, column(choicesFor(step, state, ctx))) : msg(text),
  );
  // The numbers one tap away, on the first message (the one read first).
  const calls = callLinks(step, ctx);
  if (calls.length && messages[0]) messages[0] = { ...messages[0], links: [...calls, ...(messages[0].links ?? [])] };
  return result(at(state, step), messages);
}

/** Every number, with hours, note and source; split so no message is too long for a phone. */
function allNumbers(state: FlowState, ctx: StepContext): StepResult {
  const e = ctx.content.emergency;
  const l = ctx.locale;
  const blocks = [tr(e.texts.numbersTitle, l, { date: formatDay(e.reviewedOn, l) })];
  for (const n of e.numbers) {
    const lines = [`☎️ ${n.number}: ${n.name[l]}. ${n.hours[l]}.`];
    if (n.note) lines.push(n.note[l]);
    lines.push(`${e.texts.source[l]}: ${n.sources.map((s) => s.title).join('; ')}`);
    blocks.push(lines.join('\n'));
  }
  blocks.push(tr(e.noHotline, l, numberVars(ctx)));
  const texts: string[] = [];
  for (const b of blocks) {
    const last = texts.length - 1;
    if (last >= 0 && texts[last]!.length + 2 + b.length <= MESSAGE_LIMIT) texts[last] += `\n\n${b}`;
    else texts.push(b);
  }
  const step = isStep(state.step) ? state.step : 'menu';
  const links = e.numbers.flatMap((n) => n.sources.flatMap((s) => (s.url ? [{ label: s.title, url: s.url }] : [])));
  const messages = texts.map((text, i) => {
    if (i < texts.length - 1) return msg(text);
    const m = msg(text, column(choicesFor(step, state, ctx, false)));
    return links.length ? { ...m, links } : m;
  });
  return result(at(state, step), messages);
}

export const crisisFlow: Flow = {
  name: 'crisis',
  /** entry: a CrisisTier (from detectCrisis) or 'menu' (the "Cần giúp ngay" choice). */
  enter(state, ctx, entry) {
    const step: CrisisStep = isStep(entry) ? entry : isStep(state.step) && entry === 'resume' ? state.step : 'menu';
    return guidance(state, ctx, step);
  },
  step(state, input, ctx) {
    const step: CrisisStep = isStep(state.step) ? state.step : 'menu';
    if (input.kind === 'choice') {
      const c = input.choice;
      if (c === 'crisis.numbers') return allNumbers(state, ctx);
      if (c.startsWith('crisis.')) {
        const tier = c.slice('crisis.'.length);
        if (isStep(tier)) return guidance(state, ctx, tier);
      }
    }
    // Anything else: stay, say so kindly, and keep the way to help in view.
    const text = tr(ctx.content.emergency.texts.stillHere, ctx.locale, numberVars(ctx));
    return result(at(state, step), [msg(text, column(choicesFor(step, state, ctx)))]);
  },
};
