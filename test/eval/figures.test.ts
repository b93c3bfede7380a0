// Holds the held-out figures at what was reached (see README, "Understanding what people
// write"): a change that loses recall or raises false alarms fails here. Tuning looks only at
// the dev parts; these parts are for measuring.
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../content/load.ts';
import { measureCrisis, measureIntents, pct } from './measure.ts';
import { measureProbes } from './probes.ts';

const content = loadContent();

describe('crisis detector on the held-out corpus', () => {
  const f = measureCrisis(content, 'held-out');
  it('has enough messages of every kind to mean something', () => {
    expect(f.n).toBeGreaterThanOrEqual(200);
    for (const t of ['danger', 'suicide', 'help', 'worry']) expect(f.recall[t]?.of).toBeGreaterThanOrEqual(10);
  });
  it('raises an alarm for at least 99% of messages that need one', () => {
    expect(pct(f.alarmRecall)).toBeGreaterThanOrEqual(99);
    expect(pct(f.recall['danger']!)).toBe(100);
    expect(pct(f.recall['suicide']!)).toBe(100);
  });
  it('picks the right tier for at least 97% of them', () => {
    expect(pct(f.tierAccuracy)).toBeGreaterThanOrEqual(97);
  });
  it('interrupts at most 3% of messages that need no interruption', () => {
    expect(pct(f.falseAlarms)).toBeLessThanOrEqual(3);
  });
});

describe('intent matcher on the held-out corpus', () => {
  const f = measureIntents(content, 'held-out');
  it('lands at least 95% of typed questions on the right page at once', () => {
    expect(f.n).toBeGreaterThanOrEqual(60);
    expect(pct(f.accuracy)).toBeGreaterThanOrEqual(95);
  });
  it('has the right page at once or among the suggestions for at least 97%', () => {
    expect(pct(f.offered)).toBeGreaterThanOrEqual(97);
  });
});

// The second corpus ("street"), written later by someone who had not read the rules, is harder:
// its held-out part shows how far the rules carry to sentences nobody tuned on. Held at what was
// reached, so a change may not lose ground there either.
describe('crisis detector on the street held-out corpus', () => {
  const f = measureCrisis(content, 'held-out', 'street');
  it('raises an alarm for at least 93% of messages that need one, with at most 10% false alarms', () => {
    expect(f.n).toBeGreaterThanOrEqual(120);
    expect(pct(f.alarmRecall)).toBeGreaterThanOrEqual(93);
    expect(pct(f.tierAccuracy)).toBeGreaterThanOrEqual(91);
    expect(pct(f.falseAlarms)).toBeLessThanOrEqual(10);
  });
});

describe('intent matcher on the street held-out corpus', () => {
  const f = measureIntents(content, 'held-out', 'street');
  it('lands at least 75% at once and 87% at once or among the suggestions', () => {
    expect(f.n).toBeGreaterThanOrEqual(30);
    expect(pct(f.accuracy)).toBeGreaterThanOrEqual(75);
    expect(pct(f.offered)).toBeGreaterThanOrEqual(87);
  });
});

describe('templated probes (who × what was used × what is seen, with and without marks)', () => {
  // Run-together words are split by syllables; an ambiguous split ("phanung": "pha nung" or
  // "phan ung") can still miss, so that family is held at what was reached.
  const floor: Record<string, number> = { 'run together': 95 };
  for (const p of measureProbes(content)) {
    it(`${p.name}: ${p.want}`, () => {
      if (floor[p.name]) expect(pct(p)).toBeGreaterThanOrEqual(floor[p.name]!);
      else expect(p.misses).toEqual([]);
    });
  }
});
