// The screening flow as tables: input → expected messages, choices and effects, with the real
// content and no database. Intro and age, WHO ASSIST walked to a result in vi and en, the skip
// rules, kind re-asks, resume, and the answers wiped at the end.
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../content/load.ts';
import { screeningFlow } from '../../flows/screening/index.ts';
import type { Input, Locale, StepResult } from '../../flows/types.ts';
import { choice, ids, say, text } from '../support/flow-table.ts';
import { base, content, ctx, type Row, STIGMA, startAt, walk } from '../support/screening-walk.ts';

const AGES = ['screen.age.under-12', 'screen.age.12-15', 'screen.age.16-17', 'screen.age.18-plus'];
const YN = ['screen.yes', 'screen.no'];
const FREQ = ['screen.freq.never', 'screen.freq.once-twice', 'screen.freq.monthly', 'screen.freq.weekly', 'screen.freq.daily'];
const EVER = ['screen.ever.no', 'screen.ever.recent', 'screen.ever.earlier'];
const MENU = ['menu.reduce-risk', 'menu.treatment', 'menu.services', 'menu.urgent', 'menu.main'];

/** Start the flow at the ASSIST's first question (18+). */
function adult(locale: Locale): StepResult {
  return startAt(locale, 'screen.age.18-plus');
}

const allNo = (except: Record<number, Row> = {}): Row[] => Array.from({ length: 10 }, (_, i) => except[i] ?? { input: choice('screen.no') });

describe('start', () => {
  it.each([
    ['vi', ['2 phần', '10 câu Có/Không', 'còn bao nhiêu câu', 'không hoàn toàn ẩn danh', 'Zalo hay Telegram biết', '"dừng"', '24 giờ', 'không phải chẩn đoán', 'bao nhiêu tuổi'], ['Dưới 12 tuổi', '12-15 tuổi', '16-17 tuổi', '18 tuổi trở lên']],
    ['en', ['2 parts', '10 Yes/No questions', 'how many are left', 'not fully anonymous', 'Zalo or Telegram knows', '"stop"', '24 hours', 'not a diagnosis', 'how old'], ['Under 12', '12-15 years', '16-17 years', '18 or older']],
  ] as const)('%s: intro, then the age question', (locale, has, labels) => {
    const r = screeningFlow.enter(base(locale), ctx(locale));
    for (const h of has) expect(text(r)).toContain(h);
    // No promise of a time the questionnaire cannot keep, and never "completely anonymous".
    expect(text(r)).not.toMatch(/3-5 (phút|minutes)|(?<!không )hoàn toàn ẩn danh|(?<!not )completely anonymous/);
    expect(ids(r)).toEqual(AGES);
    expect(r.messages.at(-1)!.choices!.flat().map((c) => c.label)).toEqual(labels);
    expect(r.state).toMatchObject({ flow: 'screening', step: 'age', data: { age: null, answers: {} } });
    expect(r.state!.offered.map((c) => c.id)).toEqual(AGES);
    expect(r.effects).toEqual([]);
  });

  it('restarting wipes any earlier answers', () => {
    const mid = screeningFlow.step(adult('vi').state!, choice('screen.yes'), ctx('vi'));
    const again = screeningFlow.enter(mid.state!, ctx('vi'));
    expect(again.state!.data).toEqual({ age: null, answers: {} });
  });

  it.each([
    [choice('screen.age.18-plus'), 'ASSIST'],
    [say('18 tuổi trở lên'), 'ASSIST'],
    [say('25'), 'ASSIST'],
    [say('18+'), 'ASSIST'],
    [say('17'), 'CRAFFT'],
    [say('16-17'), 'CRAFFT'],
    [say('14 tuổi'), 'CRAFFT'],
  ] as const)('age %j → %s', (input, instrument) => {
    const intro = screeningFlow.enter(base('vi'), ctx('vi'));
    const r = screeningFlow.step(intro.state!, input, ctx('vi'));
    expect(text(r)).toContain(instrument);
    expect(r.state!.step).toBe(instrument === 'ASSIST' ? 'assist' : 'crafft');
  });

  it('18+ opens the ASSIST with its WHO notice and the first class', () => {
    const r = adult('vi');
    expect(text(r)).toContain('© Tổ chức Y tế Thế giới (WHO), 2010');
    expect(text(r)).toContain('không theo chỉ định của bác sĩ');
    expect(r.messages.at(-1)!.text).toContain('Phần 1/2 · câu 1/10');
    expect(r.messages.at(-1)!.text).toContain('thuốc lào');
    expect(ids(r)).toEqual(YN);
    expect(r.state!.noStorage).toBe(false);
  });
});

describe('ASSIST Q1 asks each of the ten classes with local names', () => {
  it('walks Q1 one class per message', () => {
    const rows = walk(adult('vi'), allNo().slice(0, 9), 'vi');
    const asked = [adult('vi'), ...rows].map((r) => r.messages.at(-1)!.text).join('\n');
    for (const name of ['thuốc lá', 'rượu bia', 'cần sa', 'cỏ', 'cocaine', 'ma túy đá', 'thuốc lắc', 'hồng phiến', 'bóng cười', 'thuốc ngủ', 'ke (ketamine)', 'heroin', 'nước vui']) {
      expect(asked).toContain(name);
    }
    expect(asked).toContain('Phần 1/2 · câu 10/10');
  });

  it('all "no" ends with an affirming result and one anonymous row (substance null, band "none")', () => {
    const rows = allNo();
    rows[9] = {
      input: say('không'),
      has: ['chưa từng dùng chất nào', 'không phải chẩn đoán', 'Cần giúp ngay', '115'],
      choices: MENU,
      effects: [{ type: 'screeningResult', instrument: 'ASSIST', substance: null, score: 0, band: 'none', ageGroup: '18+', province: null }],
    };
    const out = walk(adult('vi'), rows, 'vi');
    expect(out.at(-1)!.state).toMatchObject({ flow: 'menu', step: 'main', data: {} });
  });
});

describe('ASSIST walked to a result (vi): four classes, every skip rule', () => {
  // tobacco 6+6+0+3 = 15 (no Q5); alcohol 4+4+4+0+6+0 = 18; meth 4+5+6+6+6+6 = 33; opioids not in
  // the past 3 months: Q6 earlier 3 = 3.
  const rows: Row[] = [
    { input: choice('screen.yes'), has: ['câu 2/10', 'rượu bia'] }, // tobacco
    { input: say('có'), has: ['câu 3/10', 'cần sa'] }, // alcohol
    { input: say('Không'), has: ['cocaine'] },
    { input: choice('screen.no'), has: ['ma túy đá'] },
    { input: choice('screen.yes'), has: ['bóng cười'] }, // amphetamines
    { input: say('k'), has: ['thuốc ngủ'] },
    { input: choice('screen.no'), has: ['ke (ketamine)'] },
    { input: choice('screen.no'), has: ['heroin'] },
    { input: say('rồi'), has: ['câu 10/10', 'chất khác'] }, // opioids
    // Part 2 at its largest: Q2 ×4, Q3-Q4 ×4, Q5 ×3, Q6-Q7 ×4, Q8 and its follow-up = 25.
    { input: choice('screen.no'), has: ['3 tháng vừa qua', 'Phần 2/2 · câu 1, còn nhiều nhất 24 câu nữa', 'Trong 3 tháng qua, bạn dùng thuốc lá'], choices: FREQ },
    // Q2 for each class used
    { input: choice('screen.freq.daily'), has: ['dùng rượu bia thường xuyên'], choices: FREQ },
    { input: say('Hằng tuần'), has: ['dùng ma túy đá, thuốc lắc'], choices: FREQ },
    { input: choice('screen.freq.weekly'), has: ['dùng heroin'], choices: FREQ },
    // opioids never in 3 months: Q3-Q5 skip it, and the count says so (25 - 3 = 22)
    { input: say('0'), has: ['Phần 2/2 · câu 5, còn nhiều nhất 17 câu nữa', 'rất thèm', 'thuốc lá'], lacks: ['3 tháng vừa qua'], choices: FREQ },
    { input: choice('screen.freq.daily'), has: ['rất thèm', 'rượu bia'] },
    { input: choice('screen.freq.monthly'), has: ['rất thèm', 'ma túy đá'] },
    { input: choice('screen.freq.weekly'), has: ['gặp vấn đề', 'thuốc lá'] },
    { input: choice('screen.freq.never'), has: ['gặp vấn đề', 'rượu bia'] },
    { input: say('một hoặc hai lần'), has: ['gặp vấn đề', 'ma túy đá'] },
    // Q5: no tobacco
    { input: choice('screen.freq.weekly'), has: ['không làm được', 'rượu bia'], lacks: ['thuốc lá'] },
    { input: choice('screen.freq.never'), has: ['không làm được', 'ma túy đá'] },
    { input: choice('screen.freq.monthly'), has: ['lo lắng', 'thuốc lá'], choices: EVER },
    // Q6 and Q7 for every class used, including opioids
    { input: choice('screen.ever.no'), has: ['lo lắng', 'rượu bia'] },
    { input: choice('screen.ever.recent'), has: ['lo lắng', 'ma túy đá'] },
    { input: choice('screen.ever.recent'), has: ['lo lắng', 'heroin'] },
    { input: say('Có, nhưng trước 3 tháng qua'), has: ['nhưng không được', 'thuốc lá'], choices: EVER },
    { input: choice('screen.ever.earlier'), has: ['nhưng không được', 'rượu bia'] },
    { input: choice('screen.ever.no'), has: ['nhưng không được', 'ma túy đá'] },
    { input: choice('screen.ever.recent'), has: ['nhưng không được', 'heroin'] },
    { input: say('chưa bao giờ'), has: ['Phần 2/2 · câu 21, còn nhiều nhất 1 câu nữa', 'tiêm chích'], choices: EVER },
    {
      input: choice('screen.ever.earlier'),
      has: [
        'ASSIST 3.1',
        '• Thuốc lá: 15 điểm – nguy cơ trung bình',
        '• Rượu bia: 18 điểm – nguy cơ trung bình',
        '• Ma túy đá, thuốc lắc hoặc chất kích thích tương tự: 33 điểm – nguy cơ cao',
        '• Heroin hoặc các chất dạng thuốc phiện: 3 điểm – nguy cơ thấp',
        'Gặp nhân viên y tế để được đánh giá đầy đủ',
        // Meth is high: the legal risk said plainly; tobacco and alcohol are not named there.
        '⚖️ Với ma túy đá/thuốc lắc: ở Việt Nam, sử dụng trái phép chất ma túy bị pháp luật cấm',
        // A high result says what a formal finding entails before pointing to one.
        'xác định tình trạng nghiện',
        '5 ngày làm việc',
        'cai nghiện bắt buộc',
        'không ẩn danh',
        'không phải chẩn đoán',
        'quyết định của bạn',
        'bạn cũng có thể làm được',
        'HIV',
        'bơm kim tiêm mới',
        'Quá liều',
        'mất ngủ nhiều ngày',
        'Cần giúp ngay',
      ],
      // Injected earlier, not lately: no follow-up question, no "weekly" pattern advice.
      lacks: ['buprenorphine', 'mỗi tuần 1 lần trở xuống'],
      choices: MENU,
      effects: [
        { type: 'screeningResult', instrument: 'ASSIST', substance: 'tobacco', score: 15, band: 'moderate', ageGroup: '18+', province: null },
        { type: 'screeningResult', instrument: 'ASSIST', substance: 'alcohol', score: 18, band: 'moderate', ageGroup: '18+', province: null },
        { type: 'screeningResult', instrument: 'ASSIST', substance: 'amphetamines', score: 33, band: 'high', ageGroup: '18+', province: null },
        { type: 'screeningResult', instrument: 'ASSIST', substance: 'opioids', score: 3, band: 'low', ageGroup: '18+', province: null },
      ],
    },
  ];

  it('asks exactly the questions the skip rules leave, and scores them', () => {
    walk(adult('vi'), rows, 'vi');
  });

  it('wipes every answer at the end and hands over to the menu', () => {
    const end = walk(adult('vi'), rows, 'vi').at(-1)!;
    expect(end.state).toMatchObject({ flow: 'menu', step: 'main', data: {} });
    const saved = JSON.stringify(end.state);
    for (const trace of ['q1.', 'answers', 'daily', 'tobacco', 'opioids', '18+']) expect(saved).not.toContain(trace);
    expect(end.state!.offered.map((c) => c.id)).toEqual(MENU);
  });

  it('the steps never name a substance (the interaction log keeps step and choice ids)', () => {
    const results = walk(adult('vi'), rows, 'vi');
    const traces = results.flatMap((r) => [r.state!.step, ...ids(r)]).join(' ');
    for (const c of content.assist.classes) expect(traces).not.toContain(c.id);
  });

  it('"ways to reduce risk" shows the page, then the menu without itself', () => {
    const end = walk(adult('vi'), rows, 'vi').at(-1)!;
    const r = screeningFlow.enter(end.state!, ctx('vi'), 'reduce');
    expect(text(r)).toContain('Đừng dùng một mình');
    expect(text(r)).toContain('bơm kim tiêm mới');
    expect(text(r)).toContain('Cần giúp ngay');
    expect(ids(r)).toEqual(MENU.slice(1));
    expect(r.state).toMatchObject({ flow: 'menu', step: 'main', data: {} });
    expect(r.effects).toEqual([]);
  });
});

describe('ASSIST walked to a result (en)', () => {
  // alcohol at every maximum: 6+6+7+8+6+6 = 39; cannabis not in the past 3 months: Q7 earlier 3.
  it('alcohol high, cannabis low, no injection', () => {
    const rows: Row[] = [
      { input: choice('screen.no'), has: ['Part 1 of 2 · question 2 of 10', 'alcohol', 'rice wine'] },
      { input: say('yes'), has: ['cannabis', 'cỏ Mỹ'] },
      ...Array.from({ length: 7 }, (_, i): Row => ({ input: choice(i === 0 ? 'screen.yes' : 'screen.no') })),
      { input: say('no'), has: ['past 3 months', 'how often have you used alcohol'], choices: FREQ },
      { input: say('Daily or almost daily'), has: ['how often have you used cannabis'] },
      { input: choice('screen.freq.never'), has: ['strong desire', 'alcohol'] },
      { input: choice('screen.freq.daily'), has: ['problems', 'alcohol'] },
      { input: choice('screen.freq.daily'), has: ['failed to do what was normally expected', 'alcohol'] },
      { input: choice('screen.freq.daily'), has: ['concern', 'alcohol'], choices: EVER },
      { input: say('Yes, in the past 3 months'), has: ['concern', 'cannabis'] },
      { input: choice('screen.ever.no'), has: ['tried and failed', 'alcohol'] },
      { input: choice('screen.ever.recent'), has: ['tried and failed', 'cannabis'] },
      { input: choice('screen.ever.earlier'), has: ['injection'], choices: EVER },
      {
        input: say('No, never'),
        has: [
          'Your ASSIST 3.1 screening result',
          '• Alcohol: 39 points – high risk',
          '• Cannabis: 3 points – low risk',
          'Seeing a health worker for a full assessment',
          'determination of drug dependence',
          'not a diagnosis',
          'your decision',
          'Urgent help',
          '115',
        ],
        // Alcohol high and cannabis low: no legal-risk line for alcohol; cannabis gets the low-band one.
        lacks: ['HIV', 'methadone', 'For alcohol: in Vietnam'],
        choices: MENU,
        effects: [
          { type: 'screeningResult', instrument: 'ASSIST', substance: 'alcohol', score: 39, band: 'high', ageGroup: '18+', province: null },
          { type: 'screeningResult', instrument: 'ASSIST', substance: 'cannabis', score: 3, band: 'low', ageGroup: '18+', province: null },
        ],
      },
    ];
    const end = walk(adult('en'), rows, 'en').at(-1)!;
    expect(end.messages.at(-1)!.choices!.flat().map((c) => c.label)).toEqual([
      '💡 Ways to reduce risk', '🏥 Treatment options', '📍 Find a service near me', '🆘 Urgent help', 'Later',
    ]);
  });

  it('opioids used lately add methadone and buprenorphine; low results alone affirm', () => {
    const q1 = allNo({ 8: { input: choice('screen.yes') } });
    const opioid = walk(adult('en'), [
      ...q1,
      { input: choice('screen.freq.once-twice') }, // Q2: 2
      { input: choice('screen.freq.never') }, // Q3
      { input: choice('screen.freq.never') }, // Q4
      { input: choice('screen.freq.never') }, // Q5
      { input: choice('screen.ever.no') }, // Q6
      { input: choice('screen.ever.no') }, // Q7
      {
        input: choice('screen.ever.no'),
        // An illegal drug at low risk: never praised; the legal risk said plainly.
        has: ['Heroin or other opioids: 2 points – low risk', 'methadone or buprenorphine', 'prohibited by law', 'legal risk', 'The safest choice with drugs is not to use them'],
        lacks: ['health worker for a full assessment', 'looking after your health', 'unlikely to harm', 'determination of drug dependence'],
        choices: MENU,
        effects: [{ type: 'screeningResult', instrument: 'ASSIST', substance: 'opioids', score: 2, band: 'low', ageGroup: '18+', province: null }],
      },
    ], 'en');
    expect(opioid.at(-1)!.state!.data).toEqual({});
  });
});

describe('skip rules', () => {
  it('Q2 "never" for every class goes straight to Q6', () => {
    const q1 = allNo({ 0: { input: choice('screen.yes') }, 1: { input: choice('screen.yes') } });
    walk(adult('vi'), [
      ...q1,
      { input: choice('screen.freq.never'), has: ['rượu bia'], choices: FREQ },
      { input: choice('screen.freq.never'), has: ['lo lắng', 'thuốc lá'], lacks: ['rất thèm'], choices: EVER },
    ], 'vi');
  });

  it('tobacco alone: Q4 then Q6, never Q5', () => {
    const q1 = allNo({ 0: { input: choice('screen.yes') } });
    walk(adult('vi'), [
      ...q1,
      { input: choice('screen.freq.daily'), has: ['rất thèm'] },
      { input: choice('screen.freq.daily'), has: ['gặp vấn đề'] },
      { input: choice('screen.freq.daily'), has: ['lo lắng'], lacks: ['không làm được'], choices: EVER },
    ], 'vi');
  });
});

describe('input that is not an answer re-asks the same question, kindly, losing nothing', () => {
  /** A state at each kind of question, with answers already given. */
  const atQ1 = () => screeningFlow.step(adult('vi').state!, choice('screen.yes'), ctx('vi')); // alcohol Q1
  const atQ2 = () => walk(adult('vi'), allNo({ 1: { input: choice('screen.yes') } }), 'vi').at(-1)!;
  const atQ6 = () => walk(atQ2(), [{ input: choice('screen.freq.never') }], 'vi').at(-1)!;
  const atAge = () => screeningFlow.enter(base('vi'), ctx('vi'));

  const cases: { name: string; at: () => StepResult; input: Input }[] = [
    { name: 'gibberish at the age question', at: atAge, input: say('abc xyz') },
    { name: 'an impossible age', at: atAge, input: say('250') },
    { name: 'a yes/no choice at the age question', at: atAge, input: choice('screen.yes') },
    { name: 'gibberish at Q1', at: atQ1, input: say('để mình nghĩ đã') },
    { name: 'a frequency choice at a yes/no question (an old button)', at: atQ1, input: choice('screen.freq.daily') },
    { name: 'an unknown choice id', at: atQ1, input: choice('screen.nope') },
    { name: '"có" at a frequency question', at: atQ2, input: say('có') },
    { name: '"có" at Q6 (recent or earlier?)', at: atQ6, input: say('có') },
    { name: 'a sticker', at: atQ6, input: { kind: 'unsupported' } },
    { name: 'an empty text', at: atQ2, input: say('   ') },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const before = c.at();
      const r = screeningFlow.step(before.state!, c.input, ctx('vi'));
      expect(r.messages[0]!.text).toContain('chưa hiểu');
      expect(r.messages.at(-1)!.text).toBe(before.messages.at(-1)!.text);
      expect(ids(r)).toEqual(before.messages.at(-1)!.choices!.flat().map((x) => x.id));
      expect(r.state!.data).toEqual(before.state!.data);
      expect(r.state!.step).toBe(before.state!.step);
      expect(r.state!.offered).toEqual(before.state!.offered);
      expect(r.effects).toEqual([]);
    });
  }

  it('in English too', () => {
    const r = screeningFlow.step(adult('en').state!, say('hmm'), ctx('en'));
    expect(r.messages[0]!.text).toContain("didn't catch that");
    expect(ids(r)).toEqual(YN);
  });

  it('a state with junk data starts from the age question instead of crashing', () => {
    const junk = { ...base('vi'), flow: 'screening' as const, step: 'assist', data: { age: 'old', answers: [1, 2] } };
    const r = screeningFlow.step(junk, say('hả?'), ctx('vi'));
    expect(ids(r)).toEqual(AGES);
  });
});

describe('resume', () => {
  it('re-asks the current question with the answers kept', () => {
    const mid = walk(adult('vi'), allNo({ 1: { input: choice('screen.yes') } }), 'vi').at(-1)!;
    const r = screeningFlow.enter(mid.state!, ctx('vi'), 'resume');
    expect(r.messages[0]!.text).toContain('quay lại');
    expect(r.messages.at(-1)!.text).toBe(mid.messages.at(-1)!.text);
    expect(ids(r)).toEqual(FREQ);
    expect(r.state).toMatchObject({ flow: 'screening', step: mid.state!.step, data: mid.state!.data });
    // …and carries on from there.
    const next = screeningFlow.step(r.state!, choice('screen.freq.weekly'), ctx('vi'));
    expect(text(next)).toContain('rất thèm');
  });

  it('at the age question, asks the age again', () => {
    const intro = screeningFlow.enter(base('en'), ctx('en'));
    const r = screeningFlow.enter(intro.state!, ctx('en'), 'resume');
    expect(text(r)).toContain('Welcome back');
    expect(r.messages.at(-1)!.text).toBe(intro.messages.at(-1)!.text);
    expect(ids(r)).toEqual(AGES);
    expect(r.state!.step).toBe('age');
  });

  it('in English, mid-ASSIST', () => {
    const mid = screeningFlow.step(adult('en').state!, choice('screen.no'), ctx('en'));
    const r = screeningFlow.enter(mid.state!, ctx('en'), 'resume');
    expect(r.messages.at(-1)!.text).toContain('alcohol');
    expect(ids(r)).toEqual(YN);
  });
});

/** Every {vi, en} text in a content tree: what people read (sources and licences are not). */
function texts(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(texts);
  if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (typeof o['vi'] === 'string' && typeof o['en'] === 'string') return [o['vi'], o['en']];
    return Object.values(o).flatMap(texts);
  }
  return [];
}

describe('content', () => {
  it('loadContent() validates and returns these same areas', () => {
    const all = loadContent();
    expect(all.assist).toEqual(content.assist);
    expect(all.crafft).toEqual(content.crafft);
    expect(all.screening).toEqual(content.screening);
  });

  it('class advice names real ASSIST classes', () => {
    const classIds = content.assist.classes.map((c) => c.id);
    for (const id of Object.keys(content.screening.advice.bySubstance)) expect(classIds).toContain(id);
  });
});

describe('words', () => {
  it('no text people read uses stigmatising words or calls anyone addicted', () => {
    const all = texts([content.assist, content.crafft, content.screening]);
    expect(all.length).toBeGreaterThan(100);
    for (const t of all) {
      expect(t).not.toMatch(STIGMA);
      // Only the names of legal procedures may carry the word; nobody is called "nghiện".
      expect(t.replace(/xác định tình trạng nghiện|cai nghiện/g, '')).not.toMatch(/nghiện/i);
    }
  });
});
