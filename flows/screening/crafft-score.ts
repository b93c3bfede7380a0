// CRAFFT 2.1 scoring: Part A decides how much of Part B is asked; the score is the points of the
// Part B answers (1 per yes).
import type { CrafftContent } from '../../content/schema/crafft.ts';
import type { Answers } from './data.ts';

export type CrafftBand = 'none' | 'low' | 'positive';

/** The lowest day count of the Part A bucket this answer names; unknown answers count as 0. */
export function daysOf(c: CrafftContent, answer: string | undefined): number {
  return c.partA.days.find((d) => d.id === answer)?.min ?? 0;
}

/** The bucket a typed number of days falls in. */
export function bucketOf(c: CrafftContent, days: number): string {
  let id = c.partA.days[0]!.id;
  for (const d of c.partA.days) if (days >= d.min) id = d.id;
  return id;
}

/** Any Part A answer above 0 days: ask all of Part B. */
export function anyUse(c: CrafftContent, answers: Answers): boolean {
  return c.partA.items.some((it) => daysOf(c, answers[`a.${it.id}`]) > 0);
}

/** CRAFFT 2.1+N item 4 (nicotine, vaping) above 0 days: ask Part C (HONC). */
export function usesNicotine(c: CrafftContent, answers: Answers): boolean {
  return daysOf(c, answers[`a.${c.partA.nicotine.id}`]) > 0;
}

/** HONC: the number of yes answers (0-10); any yes means lost full autonomy over nicotine. */
export function honcScore(c: CrafftContent, answers: Answers): number {
  return c.partC.items.filter((it) => answers[`c.${it.id}`] === 'yes').length;
}

export function crafftScore(c: CrafftContent, answers: Answers): number {
  const asked = anyUse(c, answers) ? c.partB.items : c.partB.items.slice(0, 1);
  return asked.reduce((sum, it) => {
    const a = answers[`b.${it.id}`];
    return sum + (a === 'yes' ? c.partB.points.yes : a === 'no' ? c.partB.points.no : 0);
  }, 0);
}

export function crafftBand(c: Pick<CrafftContent, 'bands'>, score: number): CrafftBand {
  if (score >= c.bands.positive) return 'positive';
  if (score >= c.bands.low) return 'low';
  return 'none';
}
