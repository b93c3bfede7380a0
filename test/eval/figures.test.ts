// Holds the held-out figures at what was reached (see README, "Understanding what people
// write"): a change that loses recall or raises false alarms fails here. Tuning looks only at
// the dev parts; these parts are for measuring.
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../content/load.ts';
import { measureCrisis, measureIntents, pct } from './measure.ts';

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
