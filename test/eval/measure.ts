// Figures for the understanding components, on a labelled corpus (test/data/…): per-tier
// recall, tier accuracy and false alarms for crisis; accuracy for intents. Every miss is listed.
// Shared by `npm run eval` and the test that holds the held-out figures.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Content } from '../../content/types.ts';
import { readCrisisText } from '../../flows/crisis.ts';
import { readIntent, SUGGEST } from '../../flows/understand/intents.ts';

const DATA = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'data');

export type Part = 'dev' | 'held-out';
export const CRISIS_LABELS = ['danger', 'suicide', 'help', 'worry', 'question', 'none'] as const;
export type CrisisLabel = (typeof CRISIS_LABELS)[number];

/** The corpora: '' is the first (dev.jsonl, held-out.jsonl); a named one is <name>-dev.jsonl and
 * <name>-heldout.jsonl, written later by someone who had not read the rules (the fresher check). */
export const CORPORA = ['', 'street'] as const;
export type Corpus = (typeof CORPORA)[number];

function corpusFile(part: Part, corpus: Corpus): string {
  if (!corpus) return `${part}.jsonl`;
  return `${corpus}-${part === 'dev' ? 'dev' : 'heldout'}.jsonl`;
}

export function readCorpus<T>(area: 'crisis' | 'intents', part: Part, corpus: Corpus = ''): T[] {
  return readFileSync(path.join(DATA, area, corpusFile(part, corpus)), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

export interface CrisisFigures {
  n: number;
  /** Per alarm tier: share of its messages that raised any alarm. */
  recall: Record<string, { hit: number; of: number }>;
  /** Of all alarm messages, share given an alarm at all. */
  alarmRecall: { hit: number; of: number };
  /** Of all alarm messages, share given exactly their tier. */
  tierAccuracy: { hit: number; of: number };
  /** Of messages that need no interruption (none + question), share interrupted. */
  falseAlarms: { hit: number; of: number };
  /** Of overdose questions, share answered as questions. */
  questions: { hit: number; of: number };
  misses: { text: string; want: CrisisLabel; got: CrisisLabel }[];
}

export function measureCrisis(content: Content, part: Part, corpus: Corpus = ''): CrisisFigures {
  const rows = readCorpus<{ text: string; tier: CrisisLabel }>('crisis', part, corpus);
  const f: CrisisFigures = {
    n: rows.length,
    recall: {},
    alarmRecall: { hit: 0, of: 0 },
    tierAccuracy: { hit: 0, of: 0 },
    falseAlarms: { hit: 0, of: 0 },
    questions: { hit: 0, of: 0 },
    misses: [],
  };
  for (const { text, tier } of rows) {
    const r = readCrisisText(text, content);
    const got: CrisisLabel = r.alarm ?? (r.question ? 'question' : 'none');
    const alarmWanted = tier !== 'none' && tier !== 'question';
    if (alarmWanted) {
      f.recall[tier] ??= { hit: 0, of: 0 };
      const rec = f.recall[tier];
      rec.of++;
      f.alarmRecall.of++;
      f.tierAccuracy.of++;
      if (r.alarm) {
        rec.hit++;
        f.alarmRecall.hit++;
      }
      if (got === tier) f.tierAccuracy.hit++;
    } else {
      f.falseAlarms.of++;
      if (r.alarm) f.falseAlarms.hit++;
      if (tier === 'question') {
        f.questions.of++;
        if (got === 'question') f.questions.hit++;
      }
    }
    if (got !== tier) f.misses.push({ text, want: tier, got });
  }
  return f;
}

export const pct = (x: { hit: number; of: number }) => (x.of ? (100 * x.hit) / x.of : 100);
export const fmt = (x: { hit: number; of: number }) => `${pct(x).toFixed(1)}% (${x.hit}/${x.of})`;

export interface IntentFigures {
  n: number;
  /** Landed on the right intent at once. */
  accuracy: { hit: number; of: number };
  /** Right at once, or among the suggestions offered. */
  offered: { hit: number; of: number };
  misses: { text: string; want: string; got: string; offered: string[] }[];
}

export function measureIntents(content: Content, part: Part, corpus: Corpus = ''): IntentFigures {
  const rows = readCorpus<{ text: string; intent: string }>('intents', part, corpus);
  const f: IntentFigures = { n: rows.length, accuracy: { hit: 0, of: 0 }, offered: { hit: 0, of: 0 }, misses: [] };
  for (const { text, intent } of rows) {
    const r = readIntent(text, content);
    const crisis = readCrisisText(text, content);
    // An overdose question goes to the overdose answer; an alarm to urgent help.
    const got = crisis.question ? 'overdose' : crisis.alarm === 'help' ? 'urgent' : (r.best?.id ?? 'unsure');
    const offered = got === 'unsure' ? r.ranked.filter((m) => m.score >= SUGGEST).slice(0, 3).map((m) => m.id) : [got];
    f.accuracy.of++;
    f.offered.of++;
    if (got === intent) f.accuracy.hit++;
    if (offered.includes(intent)) f.offered.hit++;
    if (got !== intent) f.misses.push({ text, want: intent, got, offered });
  }
  return f;
}
