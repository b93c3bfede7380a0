// Which question comes next (the instruments' skip rules), how it is asked and how an answer is
// read. Choice ids name the answer, never the question or the substance: the interaction log
// keeps choice ids and step names, and must not learn what a person uses.
import type { AssistClass } from '../../content/schema/assist.ts';
import type { Content } from '../../content/types.ts';
import { column, fold, msg, tr } from '../text.ts';
import type { AgeGroup, Choice, Input, Locale, OutboundMessage, StepContext, Text } from '../types.ts';
import { usedEver, usedRecently } from './assist-score.ts';
import { anyUse, bucketOf, usesNicotine } from './crafft-score.ts';
import type { Answers, ScreeningData } from './data.ts';

type AssistItem = 'q1' | 'q2' | 'q3' | 'q4' | 'q5' | 'q6' | 'q7' | 'q8' | 'q8freq';

export type Question =
  | { kind: 'age' }
  | { kind: 'assist'; item: AssistItem; cls: AssistClass | null; key: string }
  | { kind: 'crafftA'; id: string; text: Text; key: string }
  | { kind: 'crafftB'; id: string; text: Text; key: string }
  | { kind: 'crafftC'; id: string; text: Text; key: string };

/** The age answer that ends the screening before it starts (below CRAFFT's validated range). */
export const UNDER_12 = 'under-12';

/** Step names: neutral on purpose (logged). */
export function stepOf(q: Question): 'age' | 'assist' | 'crafft' {
  return q.kind === 'age' ? 'age' : q.kind === 'assist' ? 'assist' : 'crafft';
}

/** Part 1 (the gate: ASSIST Q1, CRAFFT Part A) or part 2 (everything the gate opens). */
export function partOf(key: string): 1 | 2 {
  return key.startsWith('q1.') || key.startsWith('a.') ? 1 : 2;
}

function assistQ(item: AssistItem, cls: AssistClass | null): Question {
  return { kind: 'assist', item, cls, key: cls ? `${item}.${cls.id}` : item };
}

/** ASSIST in the WHO's order: Q1 for every class, then each item for the classes it applies to. */
function* assistQuestions(content: Content, answers: Answers): Generator<Question> {
  const classes = content.assist.classes;
  for (const cls of classes) yield assistQ('q1', cls);
  // Lazy on purpose: these lists are computed only once every earlier answer exists.
  const used = classes.filter((c) => usedEver(answers, c.id));
  if (used.length === 0) return; // all "no": the questionnaire ends
  for (const cls of used) yield assistQ('q2', cls);
  // Q3-Q5 only for classes used in the past 3 months; none of them → straight to Q6.
  const recent = used.filter((c) => usedRecently(answers, c.id));
  for (const cls of recent) yield assistQ('q3', cls);
  for (const cls of recent) yield assistQ('q4', cls);
  for (const cls of recent.filter((c) => c.askQ5)) yield assistQ('q5', cls);
  for (const cls of used) yield assistQ('q6', cls);
  for (const cls of used) yield assistQ('q7', cls);
  yield assistQ('q8', null);
  // The WHO form's follow-up: only for injecting in the past 3 months.
  if (answers['q8'] === 'recent') yield assistQ('q8freq', null);
}

/** CRAFFT 2.1+N: Part A (with the nicotine item), then all of Part B if any of items 1-3 is
 * above 0 days, otherwise only CAR; then Part C (HONC) if the nicotine item is above 0. */
function* crafftQuestions(content: Content, answers: Answers): Generator<Question> {
  const c = content.crafft;
  for (const it of [...c.partA.items, c.partA.nicotine]) yield { kind: 'crafftA', id: it.id, text: it.text, key: `a.${it.id}` };
  const partB = anyUse(c, answers) ? c.partB.items : c.partB.items.slice(0, 1);
  for (const it of partB) yield { kind: 'crafftB', id: it.id, text: it.text, key: `b.${it.id}` };
  if (usesNicotine(c, answers)) for (const it of c.partC.items) yield { kind: 'crafftC', id: it.id, text: it.text, key: `c.${it.id}` };
}

function questionsFor(content: Content, data: ScreeningData): Generator<Question> {
  return data.age === '18+' ? assistQuestions(content, data.answers) : crafftQuestions(content, data.answers);
}

/** The first unanswered question, or null when the questionnaire is complete. */
export function nextQuestion(content: Content, data: ScreeningData): Question | null {
  if (data.age === null) return { kind: 'age' };
  for (const q of questionsFor(content, data)) if (q.kind !== 'age' && data.answers[q.key] === undefined) return q;
  return null;
}

export interface Progress {
  part: 1 | 2;
  /** This question's number within its part. */
  n: number;
  /** Questions in the part, counting the ones still possible. */
  total: number;
  /** false while a later answer can still drop questions (ASSIST Q2 "never", Q8 not recent). */
  exact: boolean;
}

/** Where the person is, honestly: part 1 is fixed; part 2 is known once part 1 is done and
 * counted at its largest while later answers can still shorten it. */
export function progressOf(content: Content, data: ScreeningData, q: Question): Progress | null {
  if (q.kind === 'age' || data.age === null) return null;
  const part = partOf(q.key);
  const answered = Object.keys(data.answers).filter((k) => partOf(k) === part).length;
  if (part === 1) {
    const total = data.age === '18+' ? content.assist.classes.length : content.crafft.partA.items.length + 1;
    return { part, n: answered + 1, total, exact: true };
  }
  // Fill every open answer with the one that asks the most, and count what would be asked.
  const widest: Answers = { ...data.answers };
  let exact = true;
  for (let guard = 0; guard < 200; guard++) {
    const next = nextOf(content, { ...data, answers: widest });
    if (!next || next.kind === 'age') break;
    if (next.key.startsWith('q2.') || next.key === 'q8') exact = false;
    widest[next.key] = next.key.startsWith('q2.') ? 'daily' : next.key === 'q8' ? 'recent' : 'yes';
  }
  const total = Object.keys(widest).filter((k) => partOf(k) === 2).length;
  return { part, n: answered + 1, total, exact };
}

function nextOf(content: Content, data: ScreeningData): Question | null {
  for (const q of questionsFor(content, data)) if (q.kind !== 'age' && data.answers[q.key] === undefined) return q;
  return null;
}

function progressLine(p: Progress, ctx: StepContext): string {
  const pr = ctx.content.screening.progress;
  return p.exact ? tr(pr.exact, ctx.locale, { part: p.part, n: p.n, total: p.total }) : tr(pr.atMost, ctx.locale, { part: p.part, n: p.n, left: p.total - p.n });
}

/** An answer: the value stored, the choice id offered, its label and extra typed words. */
interface Option {
  value: string;
  id: string;
  label: Text;
  words: readonly string[];
}

type AgeAnswer = AgeGroup | typeof UNDER_12;
const AGE_IDS: Record<AgeAnswer, string> = {
  'under-12': 'screen.age.under-12',
  '12-15': 'screen.age.12-15',
  '16-17': 'screen.age.16-17',
  '18+': 'screen.age.18-plus',
};

function yesNo(content: Content): Option[] {
  const s = content.screening;
  return [
    { value: 'yes', id: 'screen.yes', label: s.yes.label, words: s.yes.words },
    { value: 'no', id: 'screen.no', label: s.no.label, words: s.no.words },
  ];
}

function optionsOf(q: Question, content: Content): Option[] {
  const a = content.assist;
  switch (q.kind) {
    case 'age':
      return (Object.keys(AGE_IDS) as AgeAnswer[]).map((g) => ({ value: g, id: AGE_IDS[g], label: content.screening.age.options[g], words: [fold(g)] }));
    case 'crafftA':
      return content.crafft.partA.days.map((d) => ({ value: d.id, id: `screen.days.${d.id}`, label: d.label, words: d.words }));
    case 'crafftB':
    case 'crafftC':
      return yesNo(content);
    case 'assist':
      if (q.item === 'q1') return yesNo(content);
      if (q.item === 'q8freq') return a.items.q8freq.options.map((x) => ({ value: x.id, id: `screen.inject.${x.id}`, label: x.label, words: x.words }));
      if (q.item === 'q6' || q.item === 'q7' || q.item === 'q8') {
        return a.scales.ever.map((x) => ({ value: x.id, id: `screen.ever.${x.id}`, label: x.label, words: x.words }));
      }
      return a.scales.frequency.map((x) => ({ value: x.id, id: `screen.freq.${x.id}`, label: x.label, words: x.words }));
  }
}

function questionText(q: Question, ctx: StepContext): string {
  const { content, locale: l } = ctx;
  switch (q.kind) {
    case 'age':
      return content.screening.age.question[l];
    case 'crafftA':
      return `${q.text[l]}\n${content.crafft.partA.hint[l]}`;
    case 'crafftB':
    case 'crafftC':
      return q.text[l];
    case 'assist': {
      const a = content.assist;
      if (q.item === 'q8freq') return a.items.q8freq.text[l];
      if (!q.cls) return a.items.q8.text[l];
      const vars = { substance: q.cls.name[l] };
      if (q.item === 'q1') return tr(a.items.q1.text, l, { ...vars, examples: q.cls.examples[l] });
      return tr(a.items[q.item as Exclude<AssistItem, 'q1' | 'q8' | 'q8freq'>].text, l, vars);
    }
  }
}

/** The question as a message, under its progress line: yes/no side by side, longer scales one
 * per row. Where a typed number is the answer itself (days), channels must not number the list. */
export function questionMessage(q: Question, ctx: StepContext, data?: ScreeningData): OutboundMessage {
  const choices: Choice[] = optionsOf(q, ctx.content).map((o) => ({ id: o.id, label: o.label[ctx.locale] }));
  const p = data ? progressOf(ctx.content, data, q) : null;
  const body = p ? `${progressLine(p, ctx)}\n${questionText(q, ctx)}` : questionText(q, ctx);
  const m = msg(body, choices.length === 2 ? [choices] : column(choices));
  return q.kind === 'crafftA' ? { ...m, numbersAreAnswers: true } : m;
}

/** Introductions shown before the first question of a part. */
export function transitionBefore(q: Question, data: ScreeningData, ctx: StepContext): OutboundMessage[] {
  const { content, locale: l } = ctx;
  const none = (prefix: string) => !Object.keys(data.answers).some((k) => k.startsWith(prefix));
  if (q.kind === 'assist' && q.item === 'q1' && none('q1.')) return [msg(`${content.assist.intro[l]}\n\n${content.assist.notice[l]}`)];
  if (q.kind === 'assist' && q.item === 'q2' && none('q2.')) return [msg(content.assist.recentIntro[l])];
  if (q.kind === 'crafftA' && none('a.')) return [msg(`${content.crafft.intro[l]}\n\n${content.crafft.notice[l]}`)];
  if (q.kind === 'crafftB' && none('b.') && anyUse(content.crafft, data.answers)) return [msg(content.crafft.partB.intro[l])];
  if (q.kind === 'crafftC' && none('c.')) return [msg(content.crafft.partC.intro[l])];
  return [];
}

/** The single whole number in a text ("17", "khoảng 10 ngày"), or null. */
function numberIn(folded: string): number | null {
  const nums = folded.match(/\d+/g);
  return nums && nums.length === 1 && nums[0]!.length <= 4 ? Number.parseInt(nums[0]!, 10) : null;
}

function ageGroupOf(age: number): AgeAnswer | null {
  if (age < 5 || age > 120) return null;
  if (age >= 18) return '18+';
  if (age >= 16) return '16-17';
  if (age >= 12) return '12-15';
  // CRAFFT is validated from 12: a younger child gets a kind page, not a questionnaire.
  return UNDER_12;
}

/** The stored answer value for this input, or null when it is not an answer to this question. */
export function parseAnswer(q: Question, input: Input, content: Content): string | null {
  const options = optionsOf(q, content);
  if (input.kind === 'choice') return options.find((o) => o.id === input.choice)?.value ?? null;
  if (input.kind !== 'text') return null;
  const f = fold(input.text);
  if (!f) return null;
  const hit = options.find((o) => o.words.includes(f) || (['vi', 'en'] as Locale[]).some((l) => fold(o.label[l]) === f));
  if (hit) return hit.value;
  const n = numberIn(f);
  if (n === null) return null;
  if (q.kind === 'age') return ageGroupOf(n);
  if (q.kind === 'crafftA') return n <= 366 ? bucketOf(content.crafft, n) : null;
  return null;
}
