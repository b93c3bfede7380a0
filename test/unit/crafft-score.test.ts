// CRAFFT 2.1 scoring with the real content: 1 point per Part B yes, the 0 / 1 / 2+ bands, and
// only CAR when every Part A answer is 0.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_DIR, parseArea } from '../../content/load.ts';
import { schema } from '../../content/schema/crafft.ts';
import { anyUse, bucketOf, crafftBand, crafftScore, daysOf } from '../../flows/screening/crafft-score.ts';
import type { Answers } from '../../flows/screening/data.ts';

const crafft = parseArea('instruments/crafft.yaml', schema, readFileSync(path.join(CONTENT_DIR, 'instruments/crafft.yaml'), 'utf8'));
const PART_B = ['car', 'relax', 'alone', 'forget', 'family', 'trouble'];
const NO_USE: Answers = { 'a.alcohol': 'none', 'a.cannabis': 'none', 'a.other': 'none' };
const SOME_USE: Answers = { 'a.alcohol': '1-5', 'a.cannabis': 'none', 'a.other': 'none' };

function partB(yes: string[]): Answers {
  return Object.fromEntries(PART_B.map((id) => [`b.${id}`, yes.includes(id) ? 'yes' : 'no']));
}

describe('the content', () => {
  it('has Part A alcohol, cannabis, other and Part B C-R-A-F-F-T, CAR first', () => {
    expect(crafft.partA.items.map((i) => i.id)).toEqual(['alcohol', 'cannabis', 'other']);
    expect(crafft.partB.items.map((i) => i.id)).toEqual(PART_B);
    expect(crafft.partB.points).toEqual({ yes: 1, no: 0 });
    expect(crafft.bands).toEqual({ low: 1, positive: 2 });
  });
  it('the schema refuses CAR anywhere but first, and points other than yes 1 / no 0', () => {
    const moved = structuredClone(crafft);
    moved.partB.items.reverse();
    expect(schema.safeParse(moved).success).toBe(false);
    const points = structuredClone(crafft);
    points.partB.points.no = 1;
    expect(schema.safeParse(points).success).toBe(false);
  });
});

describe('score and bands', () => {
  it.each([
    [[], 0, 'none'],
    [['relax'], 1, 'low'],
    [['relax', 'alone'], 2, 'positive'],
    [['car', 'relax', 'alone'], 3, 'positive'],
    [PART_B, 6, 'positive'],
  ] as const)('yes to %j → %i, %s', (yes, score, band) => {
    const s = crafftScore(crafft, { ...SOME_USE, ...partB([...yes]) });
    expect(s).toBe(score);
    expect(crafftBand(crafft, s)).toBe(band);
  });

  it.each([
    [0, 'none'], [1, 'low'], [2, 'positive'],
  ] as const)('band boundary %i → %s', (score, band) => {
    expect(crafftBand(crafft, score)).toBe(band);
  });

  it('no use in Part A: only CAR counts, even if other answers were somehow present', () => {
    expect(anyUse(crafft, NO_USE)).toBe(false);
    expect(crafftScore(crafft, { ...NO_USE, ...partB(['relax', 'alone', 'forget']) })).toBe(0);
    expect(crafftScore(crafft, { ...NO_USE, ...partB(['car', 'relax']) })).toBe(1);
  });

  it('any day of use in any Part A item counts as use', () => {
    for (const item of ['alcohol', 'cannabis', 'other']) {
      expect(anyUse(crafft, { ...NO_USE, [`a.${item}`]: '6-plus' })).toBe(true);
    }
  });
});

describe('typed day counts', () => {
  it.each([
    [0, 'none'], [1, '1-5'], [5, '1-5'], [6, '6-plus'], [365, '6-plus'],
  ] as const)('%i days → %s', (days, bucket) => {
    expect(bucketOf(crafft, days)).toBe(bucket);
    expect(daysOf(crafft, bucket) > 0).toBe(days > 0);
  });
});
