// The treatment-options flow: the list, each option's page, and the honesty rules every page
// must keep (not anonymous, sources, review date, the July 2026 change, police management).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_DIR, parseArea } from '../../content/load.ts';
import { schema as emergencySchema } from '../../content/schema/emergency.ts';
import { HISTORY, lawMentions, schema as treatmentSchema } from '../../content/schema/treatment.ts';
import { schema as uiSchema } from '../../content/schema/ui.ts';
import type { Content } from '../../content/types.ts';
import { detectCrisis } from '../../flows/crisis.ts';
import { newState } from '../../flows/state.ts';
import { pageMessages, treatmentFlow } from '../../flows/treatment.ts';
import type { FlowState, Locale, OutboundMessage, StepContext, StepResult } from '../../flows/types.ts';

const read = (f: string) => readFileSync(path.join(CONTENT_DIR, f), 'utf8');
// Other areas' YAML may not exist yet: load only what this flow uses.
const content = {
  ui: parseArea('ui.yaml', uiSchema, read('ui.yaml')),
  treatment: parseArea('treatment.yaml', treatmentSchema, read('treatment.yaml')),
  emergency: parseArea('emergency.yaml', emergencySchema, read('emergency.yaml')),
} as unknown as Content;
const T = content.treatment;
const NOW = new Date('2026-11-21T03:00:00Z');
const OPTION_IDS = ['home-rehab', 'facility-rehab', 'methadone', 'after-care', 'harm-reduction'];

function ctxFor(locale: Locale): StepContext {
  return { now: NOW, locale, content, platform: 'zalo', retentionDays: 180 };
}
function stateFor(locale: Locale, extra: Partial<FlowState> = {}): FlowState {
  return { ...newState(NOW), locale, flow: 'menu', step: 'main', ...extra };
}
const ids = (m: OutboundMessage | undefined) => (m?.choices ?? []).flat().map((c) => c.id);
const last = (r: StepResult) => r.messages[r.messages.length - 1];

const EXPECT = {
  vi: { date: '30/11/2026', lawDate: '1/7/2026', police: 'Bộ Công an', since: '1/3/2025', recheck: 'văn bản hướng dẫn', ask: 'trạm y tế xã, phường' },
  en: { date: '30 November 2026', lawDate: '1 July 2026', police: 'Ministry of Public Security', since: '1 March 2025', recheck: 'guiding documents', ask: 'commune health station' },
} as const;

describe('treatment list', () => {
  for (const locale of ['vi', 'en'] as const) {
    it(`enter (${locale}) shows every option, then services and main menu`, () => {
      const r = treatmentFlow.enter(stateFor(locale), ctxFor(locale));
      expect(r.state).toMatchObject({ flow: 'treatment', step: 'list', data: {} });
      expect(r.messages).toHaveLength(1);
      expect(ids(r.messages[0])).toEqual([...OPTION_IDS.map((id) => `treat.${id}`), 'menu.services', 'menu.main']);
      expect(r.state?.offered).toEqual(r.messages[0]?.choices?.flat());
      expect(r.messages[0]?.text).toContain(EXPECT[locale].date);
      expect(r.effects).toEqual([]);
    });
  }

  it('no button label, typed back as text (Zalo), looks like a crisis', () => {
    for (const locale of ['vi', 'en'] as const) {
      const r = treatmentFlow.enter(stateFor(locale), ctxFor(locale), 'methadone');
      const labels = [...treatmentFlow.enter(stateFor(locale), ctxFor(locale)).state!.offered, ...r.state!.offered].map((c) => c.label);
      for (const label of labels) expect(detectCrisis(label, content), label).toBeNull();
    }
  });

  it('the list already says registering is not anonymous', () => {
    expect(treatmentFlow.enter(stateFor('vi'), ctxFor('vi')).messages[0]?.text).toContain('không ẩn danh');
    expect(treatmentFlow.enter(stateFor('en'), ctxFor('en')).messages[0]?.text).toContain('not anonymous');
  });
});

describe('treatment pages', () => {
  it('has the five required options', () => {
    expect(T.options.map((o) => o.id)).toEqual(OPTION_IDS);
  });

  for (const locale of ['vi', 'en'] as const) {
    for (const id of OPTION_IDS) {
      it(`${id} (${locale}): two phone-sized messages with every required part`, () => {
        const r = treatmentFlow.step(stateFor(locale, { flow: 'treatment', step: 'list' }), { kind: 'choice', choice: `treat.${id}` }, ctxFor(locale));
        const o = T.options.find((x) => x.id === id)!;
        expect(r.state).toMatchObject({ flow: 'treatment', step: 'option', data: { option: id } });
        expect(r.messages).toHaveLength(2);
        for (const m of r.messages) expect(m.text.length).toBeLessThanOrEqual(1500);
        const text = r.messages.map((m) => m.text).join('\n');
        // What it is, who decides, how long, cost, how to register, privacy.
        for (const part of [o.whatItIs, o.whoDecides, o.howLong, o.cost, o.register, o.privacy]) expect(text).toContain(part[locale]);
        // Plainly not anonymous, sourced, dated, and honest about the July 2026 change.
        expect(text).toContain(T.notAnonymous[locale]);
        expect(text).toContain(EXPECT[locale].date);
        for (const s of o.sources) expect(text).toContain(s.title);
        expect(text).toContain('120/2025/QH15');
        expect(text).toContain(EXPECT[locale].lawDate);
        expect(text).toContain(EXPECT[locale].recheck);
        // Where the guiding decrees are not known: a counsellor or the commune health station.
        expect(text).toContain(EXPECT[locale].ask);
        expect(text).toContain(EXPECT[locale].police);
        expect(text).toContain(EXPECT[locale].since);
        expect(ids(last(r))).toEqual(['treat.list', 'menu.services', 'menu.main']);
        expect(r.state?.offered).toEqual(last(r)?.choices?.flat());
        expect(r.effects).toEqual([]);
      });
    }
  }

  it('never says or implies that registering is anonymous', () => {
    for (const o of T.options) {
      const [a, b] = pageMessages(o, ctxFor('vi'));
      // Every "ẩn danh" is negated ("không ẩn danh", "KHÔNG ẩn danh") or the question itself.
      const vi = `${a}\n${b}`.replace(T.labels.privacy.vi, '');
      for (const m of vi.matchAll(/ẩn danh/gi)) expect(vi.slice(Math.max(0, m.index - 6), m.index).toLowerCase()).toMatch(/không $/);
      const [c, d] = pageMessages(o, ctxFor('en'));
      const en = `${c}\n${d}`.replace(T.labels.privacy.en, '');
      for (const m of en.matchAll(/anonymous/gi)) expect(en.slice(Math.max(0, m.index - 4), m.index).toLowerCase()).toBe('not ');
    }
  });

  it('cites the laws the spec names across the pages', () => {
    const titles = T.options.flatMap((o) => o.sources.map((s) => s.title)).join('\n');
    for (const law of ['73/2021/QH14', '116/2021/NĐ-CP', '141/2024/NĐ-CP', '4066/QĐ-BYT', '15/2023/QH15, Điều 10', '120/2025/QH15']) {
      expect(titles).toContain(law);
    }
    expect(T.reviewedOn).toBe('2026-11-30');
  });

  it('no page presents Law 73/2021 as current: it appears only as history, and its durations are gone', () => {
    const mentions = lawMentions(T);
    expect(mentions.length).toBeGreaterThan(50);
    for (const [where, t] of mentions) {
      if (/73\/2021/.test(t)) expect(t, where.join('.')).toMatch(HISTORY);
      // The 2021 law's articles and durations are not quoted as today's rules.
      expect(t, where.join('.')).not.toMatch(/Điều (28|29|30|31|32|33)\b[^.]*73\/2021|73\/2021[^.]*Điều (28|29|30|31|32|33)\b/);
      if (/6[-–]12 tháng|6 đến 12 tháng|6 to 12 months/.test(t)) expect(t, where.join('.')).toMatch(/không còn áp dụng|no longer apply/);
      expect(t, where.join('.')).not.toMatch(/sửa đổi Luật Phòng|amending the Law on Drug/);
    }
    // Every page cites the law in force.
    for (const o of T.options) expect(o.sources.map((s) => s.title).join('\n'), o.id).toContain('120/2025/QH15');
    // The schema refuses a page that cites Law 73 as current.
    const bad = { ...T, options: [{ ...T.options[0]!, sources: [{ title: 'Luật Phòng, chống ma túy 73/2021/QH14, Điều 28' }] }] };
    expect(treatmentSchema.safeParse(bad).success).toBe(false);
    expect(treatmentSchema.safeParse(T).success).toBe(true);
  });

  it('states the 2025 law\'s duties plainly: declaring only during management, the 95% support at facilities only', () => {
    const all = (l: Locale) => T.options.map((o) => pageMessages(o, ctxFor(l)).join('\n')).join('\n');
    expect(all('vi')).toContain('người đang trong thời gian bị quản lý phải khai báo');
    expect(all('vi')).not.toMatch(/người sử dụng ma túy phải khai báo/);
    const home = pageMessages(T.options.find((o) => o.id === 'home-rehab')!, ctxFor('vi')).join('\n');
    expect(home).toContain('không phải tại gia đình');
    const facility = pageMessages(T.options.find((o) => o.id === 'facility-rehab')!, ctxFor('en')).join('\n');
    expect(facility).toContain('95% of the cost of voluntary rehab at a facility');
  });

  it('methadone names medical confidentiality inside the clinic, and the under-18 consent', () => {
    const [a, b] = pageMessages(T.options.find((o) => o.id === 'methadone')!, ctxFor('vi'));
    expect(`${a}\n${b}`).toMatch(/giữ bí mật/);
    expect(`${a}\n${b}`).toMatch(/đồng ý bằng văn bản/);
  });

  it('uses person-first words', () => {
    const all = JSON.stringify(T);
    for (const bad of ['con nghiện', 'đối tượng', 'nghiện ngập', 'addict"', 'addicts']) expect(all).not.toContain(bad);
  });
});

describe('treatment step and enter', () => {
  const onList = () => treatmentFlow.enter(stateFor('vi'), ctxFor('vi')).state!;

  it('treat.list goes back to the list', () => {
    const page = treatmentFlow.step(onList(), { kind: 'choice', choice: 'treat.methadone' }, ctxFor('vi'));
    const r = treatmentFlow.step(page.state!, { kind: 'choice', choice: 'treat.list' }, ctxFor('vi'));
    expect(r.state?.step).toBe('list');
    expect(ids(r.messages[0])).toContain('treat.after-care');
  });

  it.each([['methadone'], ['treat.methadone']])('enter with entry %s opens the page directly', (entry) => {
    const r = treatmentFlow.enter(stateFor('en'), ctxFor('en'), entry);
    expect(r.state).toMatchObject({ flow: 'treatment', step: 'option', data: { option: 'methadone' } });
    expect(r.messages[0]?.text).toContain('Methadone and buprenorphine');
  });

  it('enter with an unknown entry shows the list', () => {
    expect(treatmentFlow.enter(stateFor('vi'), ctxFor('vi'), 'treat.nope').state?.step).toBe('list');
  });

  it('resume re-shows the page the person was reading', () => {
    const r = treatmentFlow.enter(stateFor('vi', { flow: 'treatment', step: 'option', data: { option: 'after-care' } }), ctxFor('vi'), 'resume');
    expect(r.state?.data).toEqual({ option: 'after-care' });
    expect(r.messages[0]?.text).toContain('Câu lạc bộ');
    const list = treatmentFlow.enter(stateFor('vi', { flow: 'treatment', step: 'list' }), ctxFor('vi'), 'resume');
    expect(list.state?.step).toBe('list');
  });

  it.each([
    ['vi', { kind: 'text', text: 'gì vậy' }, 'Xin lỗi, mình chưa hiểu'],
    ['en', { kind: 'text', text: 'what?' }, "Sorry, I didn't understand"],
    ['vi', { kind: 'choice', choice: 'treat.unknown' }, 'Xin lỗi, mình chưa hiểu'],
    ['vi', { kind: 'unsupported' }, 'Xin lỗi, mình chưa hiểu'],
  ] as const)('unknown input (%s, %j): a short kind answer and the same choices', (locale, input, fragment) => {
    const before = treatmentFlow.enter(stateFor(locale), ctxFor(locale));
    const r = treatmentFlow.step(before.state!, input, ctxFor(locale));
    expect(r.messages).toHaveLength(1);
    expect(r.messages[0]?.text).toContain(fragment);
    expect(ids(r.messages[0])).toEqual(ids(before.messages[0]));
    expect(r.state).toEqual(before.state);
  });
});
