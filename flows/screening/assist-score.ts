// WHO ASSIST v3.1 scoring: per class Q2+Q3+Q4+Q5+Q6+Q7 with the points from the content, and the
// class's risk band. The skip rules are applied here too, so a stray answer cannot add points.
import type { AssistClass, AssistContent, EverAnswer, FrequencyAnswer } from '../../content/schema/assist.ts';
import type { Answers } from './data.ts';

export type AssistBand = 'low' | 'moderate' | 'high';

export interface AssistClassResult {
  cls: AssistClass;
  score: number;
  band: AssistBand;
  /** Q2 was not "never": used in the past 3 months. */
  recent: boolean;
}

export function assistBand(cls: Pick<AssistClass, 'bands'>, score: number): AssistBand {
  if (score >= cls.bands.high) return 'high';
  if (score >= cls.bands.moderate) return 'moderate';
  return 'low';
}

export function usedEver(answers: Answers, classId: string): boolean {
  return answers[`q1.${classId}`] === 'yes';
}

/** Used in the past 3 months: Q2 answered and not "never". */
export function usedRecently(answers: Answers, classId: string): boolean {
  const q2 = answers[`q2.${classId}`];
  return q2 !== undefined && q2 !== 'never';
}

function points<K extends string>(table: Record<K, number>, answer: string | undefined): number {
  return answer !== undefined && Object.hasOwn(table, answer) ? table[answer as K] : 0;
}

export function assistClassScore(a: AssistContent, cls: AssistClass, answers: Answers): number {
  const at = (item: string) => answers[`${item}.${cls.id}`];
  let score = points<FrequencyAnswer>(a.items.q2.points, at('q2'));
  if (usedRecently(answers, cls.id)) {
    score += points<FrequencyAnswer>(a.items.q3.points, at('q3'));
    score += points<FrequencyAnswer>(a.items.q4.points, at('q4'));
    if (cls.askQ5) score += points<FrequencyAnswer>(a.items.q5.points, at('q5'));
  }
  score += points<EverAnswer>(a.items.q6.points, at('q6'));
  score += points<EverAnswer>(a.items.q7.points, at('q7'));
  return score;
}

/** One result per class ever used (Q1 yes), in the content's order. */
export function scoreAssist(a: AssistContent, answers: Answers): AssistClassResult[] {
  return a.classes
    .filter((cls) => usedEver(answers, cls.id))
    .map((cls) => {
      const score = assistClassScore(a, cls, answers);
      return { cls, score, band: assistBand(cls, score), recent: usedRecently(answers, cls.id) };
    });
}

/** Q8: any "yes" (recent or earlier) adds the injecting advice. */
export function injected(answers: Answers): boolean {
  const q8 = answers['q8'];
  return q8 !== undefined && q8 !== 'no';
}
