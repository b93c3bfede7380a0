// WHO ASSIST v3.1 scoring with the real content: the points table, every band boundary and the
// skip rules (Q3-Q5 only after use in the past 3 months; no Q5 for tobacco).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_DIR, parseArea } from '../../content/load.ts';
import { schema } from '../../content/schema/assist.ts';
import { assistBand, assistClassScore, injected, scoreAssist } from '../../flows/screening/assist-score.ts';
import type { Answers } from '../../flows/screening/data.ts';

const assist = parseArea('instruments/assist.yaml', schema, readFileSync(path.join(CONTENT_DIR, 'instruments/assist.yaml'), 'utf8'));
const cls = (id: string) => assist.classes.find((c) => c.id === id)!;

/** Answers for one class: q1 yes, then item → answer id. */
function answersFor(id: string, items: Record<string, string>): Answers {
  const out: Answers = { [`q1.${id}`]: 'yes' };
  for (const [item, a] of Object.entries(items)) out[`${item}.${id}`] = a;
  return out;
}

describe('the points in the content are the WHO table', () => {
  it.each([
    ['q2', [0, 2, 3, 4, 6]],
    ['q3', [0, 3, 4, 5, 6]],
    ['q4', [0, 4, 5, 6, 7]],
    ['q5', [0, 5, 6, 7, 8]],
  ] as const)('%s: never · once or twice · monthly · weekly · daily', (item, pts) => {
    expect(Object.values(assist.items[item].points)).toEqual(pts);
  });
  it.each(['q6', 'q7'] as const)('%s: no 0 · in the past 3 months 6 · earlier 3', (item) => {
    expect(assist.items[item].points).toEqual({ no: 0, recent: 6, earlier: 3 });
  });
  it('ten classes, tobacco without Q5, alcohol with its own bands', () => {
    expect(assist.classes.map((c) => c.id)).toEqual([
      'tobacco', 'alcohol', 'cannabis', 'cocaine', 'amphetamines', 'inhalants', 'sedatives', 'hallucinogens', 'opioids', 'other',
    ]);
    expect(assist.classes.filter((c) => !c.askQ5).map((c) => c.id)).toEqual(['tobacco']);
    expect(cls('alcohol').bands).toEqual({ moderate: 11, high: 27 });
    for (const c of assist.classes.filter((c) => c.id !== 'alcohol')) expect(c.bands).toEqual({ moderate: 4, high: 27 });
  });
  it('the schema rejects a table that does not start at 0 or does not rise', () => {
    const bad = structuredClone(assist) as unknown as { items: { q2: { points: Record<string, number> } } };
    bad.items.q2.points['never'] = 1;
    expect(schema.safeParse(bad).success).toBe(false);
    bad.items.q2.points['never'] = 0;
    bad.items.q2.points['weekly'] = 2;
    expect(schema.safeParse(bad).success).toBe(false);
    const missing = structuredClone(assist) as unknown as { items: { q6: { points: Record<string, number> } } };
    delete missing.items.q6.points['earlier'];
    expect(schema.safeParse(missing).success).toBe(false);
  });
});

describe('bands at every boundary', () => {
  it.each([
    [0, 'low'], [10, 'low'], [11, 'moderate'], [26, 'moderate'], [27, 'high'], [39, 'high'],
  ] as const)('alcohol %i → %s', (score, band) => {
    expect(assistBand(cls('alcohol'), score)).toBe(band);
  });
  const others = assist.classes.filter((c) => c.id !== 'alcohol').map((c) => c.id);
  for (const id of others) {
    it.each([
      [0, 'low'], [3, 'low'], [4, 'moderate'], [26, 'moderate'], [27, 'high'],
    ] as const)(`${id} %i → %s`, (score, band) => {
      expect(assistBand(cls(id), score)).toBe(band);
    });
  }
});

describe('scores reached by real answers', () => {
  const cases: { name: string; id: string; items: Record<string, string>; score: number; band: string }[] = [
    { name: 'alcohol 10: daily (6) + urge monthly (4)', id: 'alcohol', items: { q2: 'daily', q3: 'monthly', q4: 'never', q5: 'never', q6: 'no', q7: 'no' }, score: 10, band: 'low' },
    { name: 'alcohol 11: daily (6) + urge weekly (5)', id: 'alcohol', items: { q2: 'daily', q3: 'weekly', q4: 'never', q5: 'never', q6: 'no', q7: 'no' }, score: 11, band: 'moderate' },
    { name: 'alcohol 26: 6 + 6 + 7 + 7', id: 'alcohol', items: { q2: 'daily', q3: 'daily', q4: 'daily', q5: 'weekly', q6: 'no', q7: 'no' }, score: 26, band: 'moderate' },
    { name: 'alcohol 27: 6 + 6 + 7 + 8', id: 'alcohol', items: { q2: 'daily', q3: 'daily', q4: 'daily', q5: 'daily', q6: 'no', q7: 'no' }, score: 27, band: 'high' },
    { name: 'cannabis 3: monthly', id: 'cannabis', items: { q2: 'monthly', q3: 'never', q4: 'never', q5: 'never', q6: 'no', q7: 'no' }, score: 3, band: 'low' },
    { name: 'cannabis 4: weekly', id: 'cannabis', items: { q2: 'weekly', q3: 'never', q4: 'never', q5: 'never', q6: 'no', q7: 'no' }, score: 4, band: 'moderate' },
    { name: 'amphetamines 26', id: 'amphetamines', items: { q2: 'daily', q3: 'daily', q4: 'daily', q5: 'weekly', q6: 'no', q7: 'no' }, score: 26, band: 'moderate' },
    { name: 'amphetamines 27', id: 'amphetamines', items: { q2: 'daily', q3: 'daily', q4: 'daily', q5: 'daily', q6: 'no', q7: 'no' }, score: 27, band: 'high' },
    { name: 'opioids 39: every item at its maximum', id: 'opioids', items: { q2: 'daily', q3: 'daily', q4: 'daily', q5: 'daily', q6: 'recent', q7: 'recent' }, score: 39, band: 'high' },
    { name: 'not in the past 3 months: only Q6 + Q7 count (Q3-Q5 skipped)', id: 'opioids', items: { q2: 'never', q3: 'daily', q4: 'daily', q5: 'daily', q6: 'earlier', q7: 'no' }, score: 3, band: 'low' },
    { name: 'Q6 earlier + Q7 earlier = 6 → moderate for cannabis', id: 'cannabis', items: { q2: 'never', q6: 'earlier', q7: 'earlier' }, score: 6, band: 'moderate' },
    { name: 'tobacco has no Q5: a stray Q5 answer adds nothing', id: 'tobacco', items: { q2: 'daily', q3: 'daily', q4: 'daily', q5: 'daily', q6: 'recent', q7: 'recent' }, score: 31, band: 'high' },
    { name: 'tobacco, moderate without Q5: 6 + 6 + 4 + 6 = 22', id: 'tobacco', items: { q2: 'daily', q3: 'daily', q4: 'once-twice', q6: 'recent', q7: 'no' }, score: 22, band: 'moderate' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const answers = answersFor(c.id, c.items);
      expect(assistClassScore(assist, cls(c.id), answers)).toBe(c.score);
      const [r] = scoreAssist(assist, answers);
      expect(r).toMatchObject({ score: c.score, band: c.band });
      expect(r!.cls.id).toBe(c.id);
    });
  }

  it('only classes answered "yes" at Q1 are scored, in the content order', () => {
    const answers: Answers = {
      ...answersFor('opioids', { q2: 'weekly', q3: 'never', q4: 'never', q5: 'never', q6: 'no', q7: 'no' }),
      ...answersFor('alcohol', { q2: 'monthly', q3: 'never', q4: 'never', q5: 'never', q6: 'no', q7: 'no' }),
      'q1.cannabis': 'no',
    };
    expect(scoreAssist(assist, answers).map((r) => [r.cls.id, r.score, r.band, r.recent])).toEqual([
      ['alcohol', 3, 'low', true],
      ['opioids', 4, 'moderate', true],
    ]);
  });

  it('unknown or missing answers count 0 rather than failing', () => {
    expect(assistClassScore(assist, cls('alcohol'), { 'q1.alcohol': 'yes', 'q2.alcohol': 'sometimes' })).toBe(0);
  });

  it('injection: any "yes" at Q8, recent or earlier', () => {
    expect(injected({ q8: 'recent' })).toBe(true);
    expect(injected({ q8: 'earlier' })).toBe(true);
    expect(injected({ q8: 'no' })).toBe(false);
    expect(injected({})).toBe(false);
  });
});
