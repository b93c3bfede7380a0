// The screening paths issue 12 added, as tables written from the manuals' rules: the WHO ASSIST
// Q8 injecting follow-up (weekly or less → brief intervention and the injecting-risks card; more
// than weekly or 3+ days in a row → further assessment), the overdose warning in every injecting
// advice, ages under 12 (no CRAFFT, the child line), and honest progress counts on every path.
import { describe, expect, it } from 'vitest';
import { screeningFlow } from '../../flows/screening/index.ts';
import type { Locale, StepResult } from '../../flows/types.ts';
import { choice, ids, say, text } from '../support/flow-table.ts';
import { base, content, ctx, type Row, startAt, walk } from '../support/screening-walk.ts';

const EVER = ['screen.ever.no', 'screen.ever.recent', 'screen.ever.earlier'];
const INJECT = ['screen.inject.weekly-or-less', 'screen.inject.more-than-weekly'];
const MENU = ['menu.reduce-risk', 'menu.treatment', 'menu.services', 'menu.urgent', 'menu.main'];
const child = content.emergency.numbers.find((n) => n.id === 'child')!.number;
const ambulance = content.emergency.numbers.find((n) => n.id === 'ambulance')!.number;

/** Opioids only (Q1 yes for class 9), used weekly, every Q3-Q7 answer the lowest: score 4+0+0+0+0+0 = 4, moderate. */
function toQ8(locale: Locale): StepResult {
  const q1: Row[] = Array.from({ length: 10 }, (_, i) => ({ input: choice(i === 8 ? 'screen.yes' : 'screen.no') }));
  const rest: Row[] = [
    { input: choice('screen.freq.weekly') }, // Q2
    { input: choice('screen.freq.never') }, // Q3
    { input: choice('screen.freq.never') }, // Q4
    { input: choice('screen.freq.never') }, // Q5
    { input: choice('screen.ever.no') }, // Q6
    { input: choice('screen.ever.no'), choices: EVER }, // Q7 → Q8
  ];
  return walk(startAt(locale, 'screen.age.18-plus'), [...q1, ...rest], locale).at(-1)!;
}

const opioidRow = { type: 'screeningResult', instrument: 'ASSIST', substance: 'opioids', score: 4, band: 'moderate', ageGroup: '18+', province: null } as const;

describe('ASSIST Q8: injecting, with the WHO follow-up for the past 3 months', () => {
  it('Q8 is asked with the three ever-answers and the honest count', () => {
    const at = toQ8('vi');
    expect(at.messages.at(-1)!.text).toContain('tiêm chích');
    // Part 2: Q2-Q7 = 6 answered; Q8 and its possible follow-up remain.
    expect(at.messages.at(-1)!.text).toContain('Phần 2/2 · câu 7, còn nhiều nhất 1 câu nữa');
    expect(ids(at)).toEqual(EVER);
  });

  it.each([
    ['no', [], ['tiêm chích là cách dùng rủi ro nhất', 'Quá liều', 'xét nghiệm HIV']],
    ['earlier', ['xét nghiệm HIV', 'bơm kim tiêm mới', 'Quá liều', 'Đừng tiêm một mình', `gọi ${ambulance}`], ['mỗi tuần 1 lần trở xuống', 'đánh giá kỹ hơn']],
  ] as const)('Q8 "%s" ends without the follow-up', (answer, has, lacks) => {
    walk(toQ8('vi'), [{ input: choice(`screen.ever.${answer}`), has: [...has], lacks: [...lacks], choices: MENU, effects: [opioidRow] }], 'vi');
  });

  it('Q8 "recent" asks how often, in the WHO form\'s two bands (last question: exact count)', () => {
    const [r] = walk(toQ8('vi'), [{ input: choice('screen.ever.recent'), has: ['Phần 2/2 · câu 8/8', 'thường thì bạn tiêm thế nào'], choices: INJECT }], 'vi');
    expect(r!.state).toMatchObject({ flow: 'screening', step: 'assist' });
    expect(r!.messages.at(-1)!.choices!.flat().map((c) => c.label)).toEqual(['Mỗi tuần 1 lần trở xuống, và không quá 2 ngày liền', 'Nhiều hơn 1 lần mỗi tuần, hoặc từ 3 ngày liền trở lên']);
  });

  it('weekly or less → brief intervention with the injecting-risks card and the overdose warning', () => {
    walk(toQ8('vi'), [
      { input: choice('screen.ever.recent') },
      {
        input: choice('screen.inject.weekly-or-less'),
        has: ['mỗi tuần 1 lần trở xuống', 'bơm kim tiêm mới', 'không dùng chung kim', 'đổi chỗ tiêm', 'HIV', 'Quá liều', 'Đừng tiêm một mình', 'liều cũ', `gọi ${ambulance}`, 'nằm nghiêng'],
        // Moderate and not frequent: no formal-assessment page.
        lacks: ['đánh giá kỹ hơn', 'xác định tình trạng nghiện'],
        choices: MENU,
        effects: [opioidRow],
      },
    ], 'vi');
  });

  it('more than weekly or 3+ days in a row → further assessment, with what a formal finding entails', () => {
    const [, end] = walk(toQ8('en'), [
      { input: say('Yes, in the past 3 months') },
      {
        input: say('3'), // not an option number here: typed words or the buttons only
        has: ['Sorry'],
        choices: INJECT,
      },
    ], 'en');
    walk(end!, [
      {
        input: say('More than once a week, or 3 or more days in a row'),
        has: ['fuller assessment and more intensive treatment', 'methadone clinic', 'Overdose', "Don't inject alone", 'determination of drug dependence', '5 working days', 'compulsory rehab', 'not anonymous'],
        lacks: ['once a week or less)'],
        choices: MENU,
        effects: [opioidRow],
      },
    ], 'en');
  });

  it('the follow-up answer is wiped with the rest at the end', () => {
    const end = walk(toQ8('vi'), [{ input: choice('screen.ever.recent') }, { input: choice('screen.inject.more-than-weekly'), effects: [opioidRow] }], 'vi').at(-1)!;
    expect(end.state!.data).toEqual({});
    expect(JSON.stringify(end.state)).not.toContain('q8');
  });
});

describe('under 12: no CRAFFT, a kind page with the child line', () => {
  it.each([
    ['vi', choice('screen.age.under-12'), ['12 tuổi trở lên', 'không lưu gì', 'người lớn bạn tin', `Gọi ${child}`, 'Tổng đài quốc gia bảo vệ trẻ em', `gọi ${ambulance}`]],
    ['vi', say('9 tuổi'), ['12 tuổi trở lên', `Gọi ${child}`]],
    ['vi', say('11'), ['12 tuổi trở lên']],
    ['en', say('10'), ['aged 12 and over', 'adult you trust', `Call ${child}`, 'national child protection line']],
  ] as const)('%s %j', (locale, input, has) => {
    const intro = screeningFlow.enter(base(locale), ctx(locale));
    const r = screeningFlow.step(intro.state!, input, ctx(locale));
    for (const h of has) expect(text(r)).toContain(h);
    expect(text(r)).not.toContain('CRAFFT');
    // Nothing kept: no-storage mode, what was kept before goes now, no result row.
    expect(r.state).toMatchObject({ flow: 'menu', step: 'main', data: {}, noStorage: true });
    expect(r.effects).toEqual([{ type: 'erase' }]);
    expect(ids(r)).toEqual(MENU.slice(1));
  });

  it('12 is CRAFFT, 4 is not an age we screen (re-asked)', () => {
    const intro = screeningFlow.enter(base('vi'), ctx('vi'));
    expect(text(screeningFlow.step(intro.state!, say('12'), ctx('vi')))).toContain('CRAFFT');
    expect(text(screeningFlow.step(intro.state!, say('4'), ctx('vi')))).toContain('chưa hiểu');
  });
});

describe('progress: every question says where the person is and how much is left', () => {
  /** Walk a path and collect the progress line of every question. */
  function lines(from: StepResult, answers: string[], locale: Locale = 'vi'): string[] {
    const out = [from.messages.at(-1)!.text.split('\n')[0]!];
    let state = from.state!;
    for (const a of answers) {
      const r = screeningFlow.step(state, choice(a), ctx(locale));
      if (r.state!.flow !== 'screening') break;
      out.push(r.messages.at(-1)!.text.split('\n')[0]!);
      state = r.state!;
    }
    return out;
  }

  it('ASSIST, three substances used daily: part 2 is counted at its largest and only ever shrinks', () => {
    const q1 = ['screen.yes', 'screen.yes', 'screen.no', 'screen.no', 'screen.yes', ...Array(5).fill('screen.no')];
    const part2 = [...Array(11).fill('screen.freq.daily'), ...Array(6).fill('screen.ever.no'), 'screen.ever.no'];
    const got = lines(startAt('vi', 'screen.age.18-plus'), [...q1, ...part2]);
    expect(got.slice(0, 10)).toEqual(Array.from({ length: 10 }, (_, i) => `Phần 1/2 · câu ${i + 1}/10`));
    // Tobacco, alcohol, meth: Q2 ×3, Q3-Q4 ×3, Q5 ×2, Q6-Q7 ×3, Q8 + follow-up = 19 at most.
    expect(got[10]).toBe('Phần 2/2 · câu 1, còn nhiều nhất 18 câu nữa');
    const left = got.slice(10).map((l) => {
      const m = /câu (\d+)(?:\/(\d+)|, còn nhiều nhất (\d+) câu nữa)/.exec(l)!;
      return m[2] ? Number(m[2]) - Number(m[1]) : Number(m[3]);
    });
    left.forEach((n, i) => {
      if (i > 0) expect(n).toBe(left[i - 1]! - 1);
    });
    expect(got.at(-1)).toBe('Phần 2/2 · câu 18, còn nhiều nhất 1 câu nữa');
  });

  it('CRAFFT: part 1 is the four day questions; part 2 is exact once they are answered', () => {
    const got = lines(startAt('vi', 'screen.age.16-17'), ['screen.days.1-5', 'screen.days.none', 'screen.days.none', 'screen.days.6-plus', ...Array(16).fill('screen.no')]);
    expect(got.slice(0, 4)).toEqual(['Phần 1/2 · câu 1/4', 'Phần 1/2 · câu 2/4', 'Phần 1/2 · câu 3/4', 'Phần 1/2 · câu 4/4']);
    // Part B (6) and the nicotine checklist (10).
    expect(got.slice(4)).toEqual(Array.from({ length: 16 }, (_, i) => `Phần 2/2 · câu ${i + 1}/16`));
  });

  it('CRAFFT without any use: part 2 is CAR alone', () => {
    const got = lines(startAt('en', 'screen.age.12-15'), ['screen.days.none', 'screen.days.none', 'screen.days.none', 'screen.days.none', 'screen.no'], 'en');
    expect(got).toEqual(['Part 1 of 2 · question 1 of 4', 'Part 1 of 2 · question 2 of 4', 'Part 1 of 2 · question 3 of 4', 'Part 1 of 2 · question 4 of 4', 'Part 2 of 2 · question 1 of 1']);
  });
});
