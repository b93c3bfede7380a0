// The Zalo OA 7-day window lives in one module and applies to the OA only.
import { describe, expect, it } from 'vitest';
import { outsideWindow, WINDOW_MS } from '../../bot/channels/zalo-oa/window.ts';

const now = new Date('2026-11-30T08:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

describe('zalo window', () => {
  const cases: [string, Date | null, boolean][] = [
    ['zalo-oa', ago(WINDOW_MS - 60_000), false],
    ['zalo-oa', ago(WINDOW_MS + 60_000), true],
    ['zalo-oa', null, false],
    ['zalo-bot', ago(30 * 86_400_000), false],
    ['telegram', ago(30 * 86_400_000), false],
    ['web', ago(30 * 86_400_000), false],
  ];
  for (const [channel, last, want] of cases) {
    it(`${channel}, last heard ${last ? `${Math.round((now.getTime() - last.getTime()) / 3_600_000)} h` : 'never'} ago → ${want ? 'outside' : 'inside'}`, () => {
      expect(outsideWindow(channel, last, now)).toBe(want);
    });
  }
});
