// The services directory: province → area → entries, paging, typed place names, and the
// sample-data markings that keep invented entries from passing for real ones.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_DIR, ContentError, parseArea } from '../../content/load.ts';
import { schema as emergencySchema } from '../../content/schema/emergency.ts';
import { type ServicesContent, schema as servicesSchema } from '../../content/schema/services.ts';
import { schema as uiSchema } from '../../content/schema/ui.ts';
import type { Content } from '../../content/types.ts';
import { detectCrisis } from '../../flows/crisis.ts';
import { PAGE_SIZE, servicesFlow } from '../../flows/services.ts';
import { newState } from '../../flows/state.ts';
import type { FlowState, Input, Locale, OutboundMessage, StepContext, StepResult } from '../../flows/types.ts';

const read = (f: string) => readFileSync(path.join(CONTENT_DIR, f), 'utf8');
const servicesRaw = read('services.yaml');
// Other areas' YAML may not exist yet: load only what this flow uses.
const ui = parseArea('ui.yaml', uiSchema, read('ui.yaml'));
const services = parseArea('services.yaml', servicesSchema, servicesRaw);
const emergency = parseArea('emergency.yaml', emergencySchema, read('emergency.yaml'));
const content = { ui, services, emergency } as unknown as Content;
const NOW = new Date('2026-11-21T03:00:00Z');

function ctxFor(locale: Locale, c: Content = content): StepContext {
  return { now: NOW, locale, content: c, platform: 'web', retentionDays: 180 };
}
function stateFor(locale: Locale, extra: Partial<FlowState> = {}): FlowState {
  return { ...newState(NOW), locale, flow: 'menu', step: 'main', ...extra };
}
const ids = (m: OutboundMessage | undefined) => (m?.choices ?? []).flat().map((c) => c.id);
const last = (r: StepResult) => r.messages[r.messages.length - 1];
const text = (r: StepResult) => r.messages.map((m) => m.text).join('\n');
const choose = (choice: string): Input => ({ kind: 'choice', choice });

/** Walk a flow from enter through a list of inputs; returns every result. */
function walk(locale: Locale, inputs: Input[], c: Content = content): StepResult[] {
  const ctx = ctxFor(locale, c);
  const out = [servicesFlow.enter(stateFor(locale), ctx)];
  for (const input of inputs) out.push(servicesFlow.step(out[out.length - 1]!.state!, input, ctx));
  return out;
}

describe('browsing', () => {
  it.each([
    ['vi', 'dữ liệu mẫu — hãy gọi trước để kiểm tra'],
    ['en', 'sample data — call ahead to check'],
  ] as const)('provinces (%s): marked as sample data, one choice per province', (locale, note) => {
    const [r] = walk(locale, []);
    expect(r!.state).toMatchObject({ flow: 'services', step: 'provinces' });
    expect(r!.messages[0]?.text).toContain(note);
    expect(ids(r!.messages[0])).toEqual([...services.provinces.map((p) => `svc.p.${p.id}`), 'menu.main']);
    expect(r!.state?.offered).toEqual(r!.messages[0]?.choices?.flat());
    expect(r!.effects).toEqual([]);
  });

  it('uses real province names', () => {
    const names = services.provinces.map((p) => p.name.vi).join('|');
    for (const n of ['Hà Nội', 'TP. Hồ Chí Minh', 'Thừa Thiên Huế', 'Thanh Hóa', 'Đồng Nai']) expect(names).toContain(n);
    expect(services.provinces.find((p) => p.id === 'dong-nai')?.districts.map((d) => d.id)).toContain('long-khanh');
  });

  it('province → areas (vi)', () => {
    const [, r] = walk('vi', [choose('svc.p.ha-noi')]);
    expect(r!.state).toMatchObject({ step: 'districts', data: { province: 'ha-noi' } });
    expect(r!.messages[0]?.text).toContain('Hà Nội: chọn khu vực');
    expect(r!.messages[0]?.text).toContain('quận, huyện cũ');
    expect(ids(r!.messages[0])).toEqual(['svc.d.ha-noi.dong-da', 'svc.d.ha-noi.long-bien', 'svc.d.ha-noi.soc-son', 'svc.back', 'menu.main']);
  });

  for (const locale of ['vi', 'en'] as const) {
    it(`area → entries (${locale}) with type, address, hours, date and the sample note`, () => {
      const [, , r] = walk(locale, [choose('svc.p.ha-noi'), choose('svc.d.ha-noi.dong-da')]);
      const t = text(r!);
      const L = services.texts;
      expect(r!.state).toMatchObject({ step: 'entries', data: { province: 'ha-noi', district: 'dong-da' } });
      expect(t).toContain(services.sampleNote[locale]);
      expect(t).toContain(services.types.methadone[locale]);
      expect(t).toContain(services.types.hiv[locale]);
      for (const label of [L.type, L.address, L.hours]) expect(t).toContain(`${label[locale]}:`);
      expect(t).toContain(locale === 'vi' ? 'Chưa kiểm chứng (dữ liệu mẫu, ghi ngày 20/11/2026)' : 'Not verified (sample data, written 20 November 2026)');
      expect(t).toContain(locale === 'vi' ? '(mẫu)' : '(sample)');
      expect(ids(last(r!))).toEqual(['svc.back', 'menu.main']);
      expect(r!.state?.offered).toEqual(last(r!)?.choices?.flat());
      for (const m of r!.messages) expect(m.text.length).toBeLessThanOrEqual(1500);
    });
  }

  it('shows a phone field only as published, and marked as sample', () => {
    const [, , r] = walk('vi', [choose('svc.p.ha-noi'), choose('svc.d.ha-noi.long-bien')]);
    expect(text(r!)).toContain('Điện thoại: (mẫu)');
  });

  it('no place name or button label, typed back as text (Zalo), looks like a crisis', () => {
    for (const locale of ['vi', 'en'] as const) {
      const labels = [...Object.values(services.texts), ...Object.values(services.types)].map((t) => t[locale]);
      for (const p of services.provinces) {
        labels.push(p.name[locale], ...p.districts.map((d) => d.name[locale]));
      }
      for (const label of labels) expect(detectCrisis(label, content), label).toBeNull();
    }
  });

  it('back: entries → areas → provinces', () => {
    const rs = walk('vi', [choose('svc.p.dong-nai'), choose('svc.d.dong-nai.long-khanh'), choose('svc.back'), choose('svc.back')]);
    expect(rs[3]!.state).toMatchObject({ step: 'districts', data: { province: 'dong-nai' } });
    expect(rs[4]!.state?.step).toBe('provinces');
  });

  it('every area of every province renders within the phone limit, in both languages', () => {
    for (const locale of ['vi', 'en'] as const) {
      for (const p of services.provinces) {
        for (const d of p.districts) {
          const [, , r] = walk(locale, [choose(`svc.p.${p.id}`), choose(`svc.d.${p.id}.${d.id}`)]);
          expect(r!.state?.step).toBe('entries');
          for (const m of r!.messages) expect(m.text.length).toBeLessThanOrEqual(1500);
        }
      }
    }
  });
});

describe('typed place names', () => {
  it.each([
    ['ha noi', 'districts', { province: 'ha-noi' }],
    ['Hà Nội', 'districts', { province: 'ha-noi' }],
    ['hcm', 'districts', { province: 'ho-chi-minh' }],
    ['Sài Gòn', 'districts', { province: 'ho-chi-minh' }],
    ['Long Khánh', 'entries', { province: 'dong-nai', district: 'long-khanh' }],
    ['dong da', 'entries', { province: 'ha-noi', district: 'dong-da' }],
  ] as const)('%j → %s', (typed, step, data) => {
    const [, r] = walk('vi', [{ kind: 'text', text: typed }]);
    expect(r!.state).toMatchObject({ step, data });
  });

  it('a name inside the chosen province wins', () => {
    const [, , r] = walk('vi', [choose('svc.p.thanh-hoa'), { kind: 'text', text: 'sam son' }]);
    expect(r!.state).toMatchObject({ step: 'entries', data: { province: 'thanh-hoa', district: 'sam-son' } });
  });

  it.each([
    ['vi', { kind: 'text', text: 'Cà Mau' }, 'Mình chưa tìm thấy nơi đó'],
    ['en', { kind: 'text', text: 'nowhere' }, "I couldn't find that place"],
    ['vi', { kind: 'choice', choice: 'svc.p.atlantis' }, 'Xin lỗi, mình chưa hiểu'],
    ['vi', { kind: 'unsupported' }, 'Xin lỗi, mình chưa hiểu'],
  ] as const)('unknown (%s, %j): a short kind answer and the same choices', (locale, input, fragment) => {
    const [before, r] = walk(locale, [input]);
    expect(r!.messages).toHaveLength(1);
    expect(r!.messages[0]?.text).toContain(fragment);
    expect(ids(r!.messages[0])).toEqual(ids(before!.messages[0]));
    expect(r!.state).toEqual(before!.state);
  });
});

describe('paging', () => {
  // Twenty provinces, one area each: three pages of provinces.
  const many: ServicesContent = {
    ...services,
    provinces: Array.from({ length: 20 }, (_, i) => ({
      id: `p${i}`,
      name: { vi: `Tỉnh ${i}`, en: `Province ${i}` },
      aliases: [],
      districts: services.provinces[0]!.districts.slice(0, 1),
    })),
  };
  const big = { ui, services: many } as unknown as Content;

  it('shows 8 at a time with svc.more, and wraps to the start', () => {
    const rs = walk('vi', [choose('svc.more'), choose('svc.more'), choose('svc.more')], big);
    const page = (r: StepResult) => ids(r.messages[0]).filter((id) => id.startsWith('svc.p.'));
    expect(PAGE_SIZE).toBe(8);
    expect(page(rs[0]!)).toEqual(Array.from({ length: 8 }, (_, i) => `svc.p.p${i}`));
    expect(ids(rs[0]!.messages[0]).slice(-2)).toEqual(['svc.more', 'menu.main']);
    expect(page(rs[1]!)).toEqual(Array.from({ length: 8 }, (_, i) => `svc.p.p${i + 8}`));
    expect(page(rs[2]!)).toEqual(['svc.p.p16', 'svc.p.p17', 'svc.p.p18', 'svc.p.p19']);
    expect(rs[2]!.messages[0]?.choices?.flat().find((c) => c.id === 'svc.more')?.label).toBe(many.texts.firstPage.vi);
    expect(page(rs[3]!)).toEqual(page(rs[0]!));
  });

  it('keeps the page when choosing from a later one', () => {
    const rs = walk('en', [choose('svc.more'), choose('svc.p.p9')], big);
    expect(rs[2]!.state).toMatchObject({ step: 'districts', data: { province: 'p9' } });
  });

  it('no svc.more when everything fits', () => {
    expect(ids(walk('vi', [])[0]!.messages[0])).not.toContain('svc.more');
  });
});

describe('resume', () => {
  it('re-shows the entries the person was reading', () => {
    const [, , r] = walk('vi', [choose('svc.p.ha-noi'), choose('svc.d.ha-noi.dong-da')]);
    const resumed = servicesFlow.enter(r!.state!, ctxFor('vi'), 'resume');
    expect(resumed.messages.map((m) => m.text)).toEqual(r!.messages.map((m) => m.text));
    expect(resumed.state?.data).toEqual(r!.state?.data);
  });

  it('plain enter starts again at the province list', () => {
    const [, , r] = walk('vi', [choose('svc.p.ha-noi'), choose('svc.d.ha-noi.dong-da')]);
    expect(servicesFlow.enter(r!.state!, ctxFor('vi')).state?.step).toBe('provinces');
  });
});

describe('services.yaml is clearly sample data', () => {
  it('says so at the top level', () => {
    expect(services.sample).toBe(true);
    expect(servicesRaw).toMatch(/^# SAMPLE DATA/m);
    expect(services.sampleNote.vi).toContain('dữ liệu mẫu — hãy gọi trước để kiểm tra');
  });

  it('invents no phone number', () => {
    for (const p of services.provinces) {
      for (const d of p.districts) {
        for (const e of d.entries) {
          expect(e.name.vi).toContain('(mẫu)');
          expect(e.verifiedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
          if (e.phone) expect(e.phone).not.toMatch(/\d{3}/);
        }
      }
    }
  });

  it('the schema rejects an unmarked entry while sample is true', () => {
    const raw = servicesRaw.replace('Trạm y tế phường (mẫu)', 'Trạm y tế phường');
    expect(() => parseArea('services.yaml', servicesSchema, raw)).toThrow(ContentError);
    expect(() => parseArea('services.yaml', servicesSchema, raw)).toThrow(/must say "\(mẫu\)"/);
  });

  it('the schema rejects an unmarked phone while sample is true', () => {
    const raw = servicesRaw.replace('(mẫu) số điện thoại sẽ có sau khi xác minh', '024 0000 0000');
    expect(() => parseArea('services.yaml', servicesSchema, raw)).toThrow(/phone must say/);
  });
});
