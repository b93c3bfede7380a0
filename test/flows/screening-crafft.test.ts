// The screening flow for ages 12-17 as tables: CRAFFT 2.1+N walked to a result in vi and en,
// the Part A skip rules (items 1-3 open Part B; item 4, nicotine, opens the HONC), typed day
// counts, the wording per band, under-16 no-storage mode and kind re-asks.
import { describe, expect, it } from 'vitest';
import { screeningFlow } from '../../flows/screening/index.ts';
import type { AgeGroup, Effect, Locale, StepResult } from '../../flows/types.ts';
import { choice, ids, say, text } from '../support/flow-table.ts';
import { ctx, type Row, startAt, walk } from '../support/screening-walk.ts';

const DAYS = ['screen.days.none', 'screen.days.1-5', 'screen.days.6-plus'];
const YN = ['screen.yes', 'screen.no'];
const MENU = ['menu.reduce-risk', 'menu.treatment', 'menu.services', 'menu.urgent', 'menu.main'];
const nicotineRow = (score: number, band: string, ageGroup: AgeGroup): Effect => ({
  type: 'screeningResult', instrument: 'CRAFFT', substance: 'nicotine', score, band, ageGroup, province: null,
});
const AGE_ID: Record<AgeGroup, string> = { '12-15': 'screen.age.12-15', '16-17': 'screen.age.16-17', '18+': 'screen.age.18-plus' };

const row = (score: number, band: string, ageGroup: AgeGroup): Effect => ({
  type: 'screeningResult', instrument: 'CRAFFT', substance: null, score, band, ageGroup, province: null,
});

function young(locale: Locale, age: AgeGroup): StepResult {
  return startAt(locale, AGE_ID[age]);
}

describe('ages 12-17 get CRAFFT 2.1+N', () => {
  it('16-17: the intro with the copyright notice, then Part A with day choices', () => {
    const r = young('vi', '16-17');
    expect(text(r)).toContain('CRAFFT 2.1+N © John R. Knight, Boston Children\'s Hospital');
    // Typed numbers are day counts here: channels without buttons must not number the list.
    expect(r.messages.at(-1)!.numbersAreAnswers).toBe(true);
    expect(r.state!.typedNumbers).toBe('answer');
    expect(text(r)).toContain('www.crafft.org');
    expect(r.messages.at(-1)!.text).toContain('uống hơn vài ngụm');
    expect(r.messages.at(-1)!.text).toContain('gõ số ngày');
    expect(ids(r)).toEqual(DAYS);
    expect(r.state).toMatchObject({ flow: 'screening', step: 'crafft', noStorage: false });
  });

  it('12-15: says kindly that nothing is stored, and turns on no-storage mode', () => {
    const r = young('vi', '12-15');
    expect(text(r)).toContain('chưa đủ 16 tuổi');
    expect(text(r)).toContain('không lưu gì về bạn');
    expect(text(r)).toContain('cuộc trò chuyện không được ghi lại');
    expect(text(r)).toContain('lâu nhất 1 giờ');
    expect(r.state!.noStorage).toBe(true);
    const en = young('en', '12-15');
    expect(text(en)).toContain('under 16');
    expect(en.state!.noStorage).toBe(true);
  });

  it('no-storage mode outlives the result', () => {
    const end = walk(young('vi', '12-15'), [
      { input: choice('screen.days.none') },
      { input: choice('screen.days.none') },
      { input: choice('screen.days.none') },
      { input: choice('screen.days.none') },
      { input: choice('screen.no'), effects: [row(0, 'none', '12-15')] },
    ], 'vi').at(-1)!;
    expect(end.state!.noStorage).toBe(true);
  });
});

describe('no use in Part A: only CAR', () => {
  const partA: Row[] = [
    { input: choice('screen.days.none'), has: ['cần sa'], choices: DAYS },
    { input: say('0'), has: ['để "phê"'], choices: DAYS },
    { input: say('không'), has: ['vape', 'thuốc lá điện tử'], choices: DAYS },
    { input: say('0'), has: ['đi xe', 'xe máy'], lacks: ['Có hoặc Không'], choices: YN },
  ];

  it('CAR "no" → 0, affirmed', () => {
    const end = walk(young('vi', '12-15'), [
      ...partA,
      {
        input: say('không'),
        has: ['CRAFFT 2.1+N: 0/6 điểm', 'không dùng rượu bia hay ma túy trong 12 tháng qua', 'hãy giữ vững', 'không phải chẩn đoán', 'Cần giúp ngay'],
        lacks: ['đừng lên xe', 'thuốc lá và vape'],
        choices: MENU,
        effects: [row(0, 'none', '12-15')],
      },
    ], 'vi').at(-1)!;
    expect(end.state).toMatchObject({ flow: 'menu', step: 'main', data: {} });
  });

  it('CAR "yes" → 1 without any use: praised for not using, and the riding advice', () => {
    walk(young('vi', '16-17'), [
      ...partA,
      {
        input: choice('screen.yes'),
        has: ['1/6 điểm', 'không dùng rượu bia hay ma túy', 'hãy giữ vững', 'chuyện đi xe', 'đừng lên xe', 'không phải chẩn đoán'],
        lacks: ['một dấu hiệu cần để ý'],
        choices: MENU,
        effects: [row(1, 'low', '16-17')],
      },
    ], 'vi');
  });
});

describe('use in Part A: all six of Part B', () => {
  const partA: Row[] = [
    { input: say('khoảng 10 ngày'), has: ['cần sa'] },
    { input: choice('screen.days.none'), has: ['để "phê"'] },
    { input: say('Không ngày nào'), has: ['vape'] },
    { input: say('0'), has: ['Có hoặc Không', 'đi xe'], choices: YN },
  ];
  const B = ['thư giãn', 'một mình', 'quên', 'bớt uống', 'gặp rắc rối'];

  it('yes to RELAX and ALONE → 2: positive, see a health worker', () => {
    walk(young('vi', '16-17'), [
      ...partA,
      { input: choice('screen.no'), has: [B[0]!] },
      { input: say('có'), has: [B[1]!] },
      { input: choice('screen.yes'), has: [B[2]!] },
      { input: choice('screen.no'), has: [B[3]!] },
      { input: say('ko'), has: [B[4]!] },
      {
        input: choice('screen.no'),
        has: ['2/6 điểm', 'nói chuyện kỹ hơn', 'nhân viên y tế', 'không phải chẩn đoán', 'bạn không phải một mình', 'Cần giúp ngay'],
        lacks: ['đừng lên xe'],
        choices: MENU,
        effects: [row(2, 'positive', '16-17')],
      },
    ], 'vi');
  });

  it('yes to TROUBLE only → 1', () => {
    walk(young('vi', '12-15'), [
      ...partA,
      ...Array.from({ length: 5 }, (): Row => ({ input: choice('screen.no') })),
      { input: choice('screen.yes'), has: ['một dấu hiệu cần để ý'], effects: [row(1, 'low', '12-15')] },
    ], 'vi');
  });

  it('all "no" → 0, with a gentle word because there was use', () => {
    walk(young('vi', '16-17'), [
      ...partA,
      ...Array.from({ length: 5 }, (): Row => ({ input: choice('screen.no') })),
      // Drank on some days but no CRAFFT sign: still brief advice, never "no sign of risk".
      {
        input: choice('screen.no'),
        has: ['Bạn có dùng trong 12 tháng qua', 'mỗi lần dùng', 'rủi ro pháp lý', 'ngừng hẳn thì tốt nhất'],
        lacks: ['chưa cho thấy dấu hiệu nguy cơ', 'hãy giữ vững'],
        effects: [row(0, 'none', '16-17')],
      },
    ], 'vi');
  });

  it('in English, every yes → 6', () => {
    const end = walk(young('en', '16-17'), [
      { input: choice('screen.days.6-plus'), has: ['marijuana'], choices: DAYS },
      { input: say('3 days'), has: ['anything else to get high'] },
      { input: say('No days'), has: ['vaping device'] },
      { input: say('none'), has: ['Yes or No', 'motorbike'], choices: YN },
      ...['relax', 'by yourself', 'forget', 'cut down', 'trouble'].map((h): Row => ({ input: say('yes'), has: [h] })),
      {
        input: choice('screen.yes'),
        has: ['Your CRAFFT 2.1+N screening result: 6 out of 6', 'talking it through', 'health worker', 'not a diagnosis', "don't get on a motorbike", 'Urgent help'],
        choices: MENU,
        effects: [row(6, 'positive', '16-17')],
      },
    ], 'en').at(-1)!;
    expect(end.state!.data).toEqual({});
    expect(JSON.stringify(end.state)).not.toContain('b.car');
  });
});

describe('re-asks and resume', () => {
  it.each([
    [say('9999')],
    [say('nhiều lắm, không nhớ 2 hay 3')],
    [choice('screen.yes')],
  ])('%j at Part A re-asks with the day choices and the hint', (input) => {
    const start = young('vi', '16-17');
    const r = screeningFlow.step(start.state!, input, ctx('vi'));
    expect(r.messages[0]!.text).toContain('chưa hiểu');
    expect(r.messages.at(-1)!.text).toBe(start.messages.at(-1)!.text);
    expect(ids(r)).toEqual(DAYS);
    expect(r.state!.data).toEqual(start.state!.data);
  });

  it('gibberish at Part B re-asks the same yes/no question', () => {
    const atCar = walk(young('en', '16-17'), [{ input: say('0') }, { input: say('0') }, { input: say('0') }, { input: say('0') }], 'en').at(-1)!;
    const r = screeningFlow.step(atCar.state!, say('what?'), ctx('en'));
    expect(r.messages.at(-1)!.text).toBe(atCar.messages.at(-1)!.text);
    expect(ids(r)).toEqual(YN);
  });

  it('resume mid-Part A keeps the answers and asks the next item', () => {
    const mid = walk(young('vi', '12-15'), [{ input: choice('screen.days.1-5') }], 'vi').at(-1)!;
    const r = screeningFlow.enter(mid.state!, ctx('vi'), 'resume');
    expect(text(r)).toContain('quay lại');
    expect(r.messages.at(-1)!.text).toContain('cần sa');
    expect(r.state!.data).toEqual(mid.state!.data);
    expect(r.state!.noStorage).toBe(true);
  });
});

describe('CRAFFT 2.1+N: nicotine and vaping (item 4) opens the Hooked on Nicotine Checklist', () => {
  it('vaping only: CAR, then the ten HONC questions; one yes → hooked', () => {
    const end = walk(young('vi', '12-15'), [
      { input: say('0') },
      { input: say('0') },
      { input: say('0') },
      { input: say('khoảng 30 ngày'), has: ['đi xe'], choices: YN },
      { input: choice('screen.no'), has: ['thuốc lá và vape', 'bỏ thuốc lá hoặc vape'], choices: YN },
      { input: choice('screen.no'), has: ['bỏ thật sự rất khó'] },
      { input: choice('screen.no'), has: ['lệ thuộc'] },
      { input: choice('screen.yes') },
      ...Array.from({ length: 6 }, (): Row => ({ input: choice('screen.no') })),
      {
        input: choice('screen.no'),
        has: ['không dùng rượu bia hay ma túy', 'Có ở 1/10 câu', 'phụ thuộc vào nicotine', 'Bỏ sớm dễ hơn'],
        choices: MENU,
        effects: [row(0, 'none', '12-15'), nicotineRow(1, 'positive', '12-15')],
      },
    ], 'vi').at(-1)!;
    expect(end.state!.data).toEqual({});
  });

  it('vaping and alcohol, no HONC yes: Part B in full, then the checklist; "not hooked yet"', () => {
    walk(young('en', '16-17'), [
      { input: say('2') },
      { input: say('0') },
      { input: say('0') },
      { input: choice('screen.days.6-plus') },
      ...Array.from({ length: 6 }, (): Row => ({ input: choice('screen.no') })),
      ...Array.from({ length: 9 }, (): Row => ({ input: choice('screen.no') })),
      {
        input: choice('screen.no'),
        has: ['You have used in the past 12 months', 'no sign of nicotine dependence yet', 'flavour-only'],
        effects: [row(0, 'none', '16-17'), nicotineRow(0, 'none', '16-17')],
      },
    ], 'en');
  });

  it('a typed "1" at a days question is one day (1-5), on every channel', () => {
    const [r] = walk(young('vi', '16-17'), [{ input: say('1'), has: ['cần sa'] }], 'vi');
    expect(r!.state!.data).toMatchObject({ answers: { 'a.alcohol': '1-5' } });
  });
});
