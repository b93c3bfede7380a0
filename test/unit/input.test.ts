// Typed numbers, labels and ids map back to the choices offered; anything else stays text.
import { describe, expect, it } from 'vitest';
import type { InboundEvent } from '../../bot/channels/types.ts';
import { normaliseText } from '../../bot/channels/types.ts';
import { matchChoice, toInput } from '../../bot/engine/input.ts';

const offered = [
  { id: 'menu.screening', label: '📝 Tự sàng lọc ẩn danh' },
  { id: 'menu.treatment', label: 'Các lựa chọn điều trị' },
  { id: 'consent.yes', label: 'Tôi đồng ý' },
];

describe('matchChoice', () => {
  const cases: [string, string | null][] = [
    ['1', 'menu.screening'],
    ['2.', 'menu.treatment'],
    [' 3 ', 'consent.yes'],
    ['4', null],
    ['0', null],
    ['tôi đồng ý', 'consent.yes'],
    ['toi dong y', 'consent.yes'],
    ['Các lựa chọn điều trị', 'menu.treatment'],
    ['menu.treatment', 'menu.treatment'],
    ['#c:menu.privacy', 'menu.privacy'],
    ['#c:<script>', null],
    ['tôi muốn đồng ý với điều này', null],
    ['', null],
  ];
  for (const [text, want] of cases) it(`"${text}" → ${want}`, () => expect(matchChoice(text, offered)).toBe(want));
});

describe('toInput', () => {
  const base: InboundEvent = { channel: 'telegram', externalId: '1', address: 'x', kind: 'text', receivedAt: new Date() };
  it('maps a typed number to the choice', () => {
    expect(toInput({ ...base, text: '2' }, offered)).toEqual({ kind: 'choice', choice: 'menu.treatment' });
  });
  it('where a number is the answer ("how many days"), a typed number stays text', () => {
    expect(toInput({ ...base, text: '2' }, offered, false, true)).toEqual({ kind: 'text', text: '2' });
    expect(toInput({ ...base, text: 'tôi đồng ý' }, offered, false, true)).toEqual({ kind: 'choice', choice: 'consent.yes' });
  });
  it('keeps other text as text, with the truncation flag', () => {
    expect(toInput({ ...base, text: 'xin chào' }, offered, true)).toEqual({ kind: 'text', text: 'xin chào', truncated: true });
  });
  it('refuses a malformed button id', () => {
    expect(toInput({ ...base, kind: 'choice', choice: 'DROP TABLE' }, offered)).toEqual({ kind: 'unsupported' });
  });
});

describe('normaliseText', () => {
  it('NFC-normalises (decomposed Vietnamese becomes composed)', () => {
    const decomposed = 'Xin cha\u0300o';
    expect(normaliseText(decomposed).text).toBe('Xin chào');
  });
  it('caps at 4,000 characters without splitting a surrogate pair', () => {
    const s = `${'a'.repeat(3999)}😀tail`;
    const r = normaliseText(s);
    expect(r.truncated).toBe(true);
    expect(r.text.length).toBe(3999);
  });
});
