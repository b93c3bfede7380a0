// Crisis detection (tiers, diacritics, false-positive guards) and the crisis flow's guidance:
// every number it shows must come from content/emergency.yaml with a source.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_DIR, ContentError, parseArea } from '../../content/load.ts';
import { schema as emergencySchema } from '../../content/schema/emergency.ts';
import { schema as uiSchema } from '../../content/schema/ui.ts';
import type { Content } from '../../content/types.ts';
import { type CrisisTier, crisisFlow, detectCrisis } from '../../flows/crisis.ts';
import { newState } from '../../flows/state.ts';
import type { FlowState, Locale, OutboundMessage, StepContext, StepResult } from '../../flows/types.ts';

const read = (f: string) => readFileSync(path.join(CONTENT_DIR, f), 'utf8');
const emergencyRaw = read('emergency.yaml');
// Other areas' YAML may not exist yet: load only what these flows use.
const content = {
  ui: parseArea('ui.yaml', uiSchema, read('ui.yaml')),
  emergency: parseArea('emergency.yaml', emergencySchema, emergencyRaw),
} as unknown as Content;
const E = content.emergency;
const NOW = new Date('2026-11-21T03:00:00Z');

function ctxFor(locale: Locale): StepContext {
  return { now: NOW, locale, content, platform: 'telegram', retentionDays: 180 };
}
function stateFor(locale: Locale, extra: Partial<FlowState> = {}): FlowState {
  return { ...newState(NOW), locale, ...extra };
}
const paused = { flow: 'screening' as const, step: 'q2', data: {}, at: NOW.toISOString() };
const ids = (m: OutboundMessage | undefined) => (m?.choices ?? []).flat().map((c) => c.id);
const last = (r: StepResult) => r.messages[r.messages.length - 1];
const allText = (r: StepResult) => r.messages.map((m) => m.text).join('\n');

describe('detectCrisis', () => {
  const table: [string, CrisisTier | null][] = [
    // danger: overdose, psychosis, breathing, consciousness
    ['Bạn tôi bị quá liều', 'danger'],
    ['ban toi bi qua lieu', 'danger'],
    ['QUÁ LIỀU rồi!!!', 'danger'],
    ['nó bị sốc thuốc', 'danger'],
    ['soc thuoc', 'danger'],
    ['anh ấy đang ngáo đá', 'danger'],
    ['ngao da roi', 'danger'],
    ['co giật liên tục', 'danger'],
    ['Nó không thở', 'danger'],
    ['khong tho duoc', 'danger'],
    ['bất tỉnh', 'danger'],
    ['bat tinh lau roi', 'danger'],
    ['môi tím tái', 'danger'],
    ['moi tim tai', 'danger'],
    ['gọi không tỉnh', 'danger'],
    ['goi khong tinh', 'danger'],
    ['My friend OVERDOSED', 'danger'],
    ['overdose', 'danger'],
    ['she is not breathing', 'danger'],
    ["I can't breathe", 'danger'],
    ['i cant breathe', 'danger'],
    ['he won’t wake up', 'danger'],
    // suicide
    ['tôi muốn tự tử', 'suicide'],
    ['toi muon tu tu', 'suicide'],
    ['Tự tử', 'suicide'],
    ['tự tử là gì', 'suicide'],
    ['tu tu', 'suicide'],
    ['em đang nghĩ đến tự tử', 'suicide'],
    ['tôi muốn tự tu', 'suicide'],
    ['tư tử', 'suicide'],
    ['muốn chết', 'suicide'],
    ['muon chet qua', 'suicide'],
    ['tôi không muốn sống nữa', 'suicide'],
    ['khong muon song nua', 'suicide'],
    ['ko muốn sống', 'suicide'],
    ['tự sát', 'suicide'],
    ['muon tu sat', 'suicide'],
    ['tôi muốn tự vẫn', 'suicide'],
    ['I want to KILL MYSELF', 'suicide'],
    ['Suicide', 'suicide'],
    ['i just want to die', 'suicide'],
    ["I don't want to live anymore", 'suicide'],
    // worry
    ['tôi sợ quá', 'worry'],
    ['toi so qua', 'worry'],
    ['so qua', 'worry'],
    ['mình lo lắng lắm', 'worry'],
    ['lo lang', 'worry'],
    ['cô đơn quá', 'worry'],
    ['co don qua', 'worry'],
    ['I am scared', 'worry'],
    ['so anxious right now', 'worry'],
    // the most urgent tier wins
    ['sợ quá, bạn tôi quá liều', 'danger'],
    ['muốn chết, không thở được', 'danger'],
    // false-positive guards: "tu tu" is also "từ từ" (slowly), and other homographs
    ['từ từ', null],
    ['từ từ thôi', null],
    ['tu tu thoi', null],
    ['đi từ từ nhé', null],
    ['tôi muốn từ từ', null],
    ['mình muốn từ từ giảm', null],
    ['minh muon tu tu giam', null],
    ['muon tu tu bo', null],
    ['tư tưởng', null],
    ['tu tuong', null],
    ['cái tủ sắt', null],
    ['tôi muốn tư vấn', null],
    ['toi muon tu van', null],
    ['tu van', null],
    ['tìm tài liệu', null],
    ['tim tai lieu', null],
    ['xem sơ qua', null],
    ['xem so qua', null],
    ['có đơn đăng ký', null],
    ['không tính tiền', null],
    ['khong tinh tien', null],
    ['không thờ cúng', null],
    ['ở sở làm', null],
    ['methadone', null],
    ['tôi muốn đăng ký cai nghiện', null],
    ['odd things overdue', null],
    ['Hà Nội', null],
    ['', null],
    ['   ', null],
  ];
  it.each(table)('%j → %s', (text, tier) => {
    expect(detectCrisis(text, content)).toBe(tier);
  });

  it('a crisis button label typed back as text (Zalo) means its own tier', () => {
    const t = E.texts;
    for (const l of ['vi', 'en'] as const) {
      expect(detectCrisis(t.chooseDanger[l], content)).toBe('danger');
      expect(detectCrisis(t.chooseSuicide[l], content)).toBe('suicide');
      expect(detectCrisis(t.chooseWorry[l], content)).toBe('worry');
      for (const other of [t.chooseNumbers, t.findService, t.back]) expect(detectCrisis(other[l], content)).toBeNull();
    }
  });

  it('matches whole words only', () => {
    // "od" is a keyword; "body" and "odd" contain it but are other words.
    expect(detectCrisis('my body hurts', content)).toBeNull();
    expect(detectCrisis('he od’d', content)).toBe('danger');
  });
});

describe('crisisFlow.enter', () => {
  const steps = ['danger', 'suicide', 'worry', 'menu'] as const;
  for (const locale of ['vi', 'en'] as const) {
    for (const step of steps) {
      it(`${step} (${locale}): guidance, choices, and offered`, () => {
        const r = crisisFlow.enter(stateFor(locale, { flow: 'crisis', step }), ctxFor(locale), step);
        expect(r.state?.flow).toBe('crisis');
        expect(r.state?.step).toBe(step);
        expect(r.effects).toEqual([]);
        expect(allText(r)).toContain('115');
        const choiceIds = ids(last(r));
        expect(choiceIds).toContain('crisis.numbers');
        expect(choiceIds.at(-1)).toBe('menu.main');
        expect(choiceIds).not.toContain('crisis.back');
        expect(r.state?.offered).toEqual(last(r)?.choices?.flat());
        for (const m of r.messages) expect(m.text.length).toBeLessThanOrEqual(1500);
      });
    }
  }

  it('offers the way back only when something is paused', () => {
    const r = crisisFlow.enter(stateFor('vi', { paused }), ctxFor('vi'), 'suicide');
    expect(ids(last(r))).toEqual(['menu.services', 'crisis.numbers', 'crisis.back', 'menu.main']);
    expect(last(r)?.choices?.flat().find((c) => c.id === 'crisis.back')?.label).toContain('Quay lại chỗ tôi đang dừng');
    expect(r.state?.paused).toEqual(paused);
  });

  it('the urgent-help menu leads with 115 and offers the three tiers', () => {
    const r = crisisFlow.enter(stateFor('vi'), ctxFor('vi'), 'menu');
    expect(r.messages[0]?.text.split('\n')[0]).toContain('115');
    expect(ids(last(r)).slice(0, 3)).toEqual(['crisis.danger', 'crisis.suicide', 'crisis.worry']);
  });

  it.each([
    ['vi', ['Ở lại bên cạnh', 'một mình', 'nằm nghiêng', 'tư thế hồi phục', 'Dấu hiệu quá liều', 'ngáo đá']],
    ['en', ['Stay with them', 'alone', 'recovery position', 'Signs of an overdose', 'psychosis']],
  ] as const)('danger (%s) says what to do now', (locale, fragments) => {
    const text = allText(crisisFlow.enter(stateFor(locale), ctxFor(locale), 'danger'));
    for (const f of fragments) expect(text).toContain(f);
    expect(text.indexOf('115')).toBeLessThan(text.indexOf('113'));
  });

  it.each([
    ['vi', ['Ngày Mai', '096 306 1414', '111']],
    ['en', ['Ngày Mai', '096 306 1414', '111']],
  ] as const)('suicide (%s) gives crisis resources gently', (locale, fragments) => {
    const text = allText(crisisFlow.enter(stateFor(locale), ctxFor(locale), 'suicide'));
    for (const f of fragments) expect(text).toContain(f);
  });
});

describe('crisisFlow.step', () => {
  const inCrisis = (step: string, extra: Partial<FlowState> = {}) => stateFor('vi', { flow: 'crisis', step, ...extra });

  it.each([
    ['crisis.danger', 'danger'],
    ['crisis.suicide', 'suicide'],
    ['crisis.worry', 'worry'],
  ])('%s from the menu shows that tier', (choice, step) => {
    const r = crisisFlow.step(inCrisis('menu'), { kind: 'choice', choice }, ctxFor('vi'));
    expect(r.state?.step).toBe(step);
    expect(r.messages[0]?.text).toBe(crisisFlow.enter(inCrisis(step), ctxFor('vi'), step).messages[0]?.text);
  });

  it('crisis.numbers lists every number with its source and keeps the step', () => {
    const r = crisisFlow.step(inCrisis('danger', { paused }), { kind: 'choice', choice: 'crisis.numbers' }, ctxFor('vi'));
    const text = allText(r);
    for (const n of E.numbers) {
      expect(text).toContain(n.number);
      for (const s of n.sources) expect(text).toContain(s.title);
    }
    expect(text).toContain('đường dây nóng quốc gia');
    expect(r.state?.step).toBe('danger');
    expect(ids(last(r))).toEqual(['crisis.back', 'menu.main']);
  });

  it.each([
    [{ kind: 'text', text: 'ừ' }],
    [{ kind: 'unsupported' }],
    [{ kind: 'choice', choice: 'crisis.nonsense' }],
  ] as const)('anything else (%j) gets a kind answer and the same choices', (input) => {
    const before = crisisFlow.enter(inCrisis('suicide', { paused }), ctxFor('vi'), 'suicide');
    const r = crisisFlow.step(before.state!, input, ctxFor('vi'));
    expect(r.messages).toHaveLength(1);
    expect(r.messages[0]?.text).toContain('Mình vẫn ở đây');
    expect(r.messages[0]?.text).toContain('115');
    expect(ids(r.messages[0])).toEqual(ids(last(before)));
    expect(r.state?.step).toBe('suicide');
    expect(r.effects).toEqual([]);
  });

  it('answers in English too', () => {
    const r = crisisFlow.step(stateFor('en', { flow: 'crisis', step: 'worry' }), { kind: 'text', text: 'ok' }, ctxFor('en'));
    expect(r.messages[0]?.text).toContain("I'm still here");
  });
});

describe('numbers come only from emergency.yaml, each with a source', () => {
  /** Phone-like digit runs ("115", "096 306 1414"), skipping years and times. */
  function phoneNumbers(text: string): string[] {
    return [...text.matchAll(/\d+(?:[ .]\d+)*/g)]
      .map((m) => m[0].replace(/\D/g, ''))
      .filter((d) => d.length >= 3 && !/^(19|20)\d\d$/.test(d));
  }
  const known = new Map(E.numbers.map((n) => [n.number.replace(/\D/g, ''), n]));

  for (const locale of ['vi', 'en'] as const) {
    it(`every number shown (${locale}) is listed with a source`, () => {
      const ctx = ctxFor(locale);
      const results: StepResult[] = [];
      for (const step of ['danger', 'suicide', 'worry', 'menu'] as const) {
        const r = crisisFlow.enter(stateFor(locale, { paused }), ctx, step);
        results.push(r, crisisFlow.step(r.state!, { kind: 'choice', choice: 'crisis.numbers' }, ctx));
        results.push(crisisFlow.step(r.state!, { kind: 'text', text: '?' }, ctx));
      }
      const shown = new Set(results.flatMap((r) => r.messages.flatMap((m) => phoneNumbers(m.text))));
      expect(shown.size).toBeGreaterThanOrEqual(6);
      for (const n of shown) {
        expect(known.has(n), `number ${n} is not in emergency.yaml`).toBe(true);
        expect(known.get(n)!.sources.length).toBeGreaterThan(0);
      }
    });
  }

  it('lists the required numbers, and no drug-counselling hotline', () => {
    expect(E.numbers.map((n) => n.number)).toEqual(expect.arrayContaining(['115', '113', '114', '112', '111', '096 306 1414']));
    const child = E.numbers.find((n) => n.number === '111')!;
    expect(child.hours.vi).toMatch(/Miễn phí, 24\/7/);
    const ngayMai = E.numbers.find((n) => n.number === '096 306 1414')!;
    expect(ngayMai.hours.vi).toMatch(/kiểm tra lại/);
    expect(E.noHotline.vi).toMatch(/chưa xác minh/);
  });
});

describe('emergency.yaml schema', () => {
  it('rejects a number typed into a guidance text', () => {
    const raw = emergencyRaw.replace('hãy gọi ngay {ambulance} (cấp cứu y tế)', 'hãy gọi ngay 1800 1234 (cấp cứu y tế)');
    expect(raw).not.toBe(emergencyRaw);
    expect(() => parseArea('emergency.yaml', emergencySchema, raw)).toThrow(ContentError);
  });

  it('rejects an unknown number placeholder', () => {
    const raw = emergencyRaw.replace('hãy gọi ngay {ambulance} (cấp cứu y tế)', 'hãy gọi ngay {hotline} (cấp cứu y tế)');
    expect(() => parseArea('emergency.yaml', emergencySchema, raw)).toThrow(/unknown number \{hotline\}/);
  });

  it('rejects a number without a source', () => {
    const raw = emergencyRaw.replace(/sources:\n\s+- title: Thông tư 22\/2014\/TT-BTTTT \(Quy hoạch kho số viễn thông\), số dịch vụ khẩn cấp 113/, 'sources: []');
    expect(raw).not.toBe(emergencyRaw);
    expect(() => parseArea('emergency.yaml', emergencySchema, raw)).toThrow(/every number needs a source/);
  });
});
