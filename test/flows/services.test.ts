// The services directory as tables: province → commune → entries (no district level), typed
// places with or without marks, former provinces ("Bình Dương", "Thừa Thiên Huế", "Hà Giang")
// found in the province they joined, sample markings, verified-on dates, tappable phone numbers.
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../content/load.ts';
import { rowToEntry, sampleRows } from '../../bot/services/directory.ts';
import { detectCrisis } from '../../flows/crisis.ts';
import { findProvinces } from '../../flows/places.ts';
import { type DirectoryEntry, PAGE_SIZE, servicesFlow } from '../../flows/services.ts';
import { newState } from '../../flows/state.ts';
import type { FlowState, Input, Locale, StepContext, StepResult } from '../../flows/types.ts';
import { choice, ids, say, text } from '../support/flow-table.ts';

const content = loadContent();
const NOW = new Date('2026-11-30T03:00:00Z');
// The shipped samples, as the database gives them back.
const SAMPLES: DirectoryEntry[] = sampleRows(content).map((r) => rowToEntry(r as Parameters<typeof rowToEntry>[0]));
const THU_DAU_MOT = SAMPLES.find((e) => e.id === 'sample-thu-dau-mot-methadone')!.communeCode!;

/** A verified entry, as `admin services import` writes it. */
const REAL: DirectoryEntry = {
  id: 'methadone-hai-ba-trung',
  provinceCode: '01',
  communeCode: '00256',
  type: 'methadone',
  name: { vi: 'Cơ sở điều trị Methadone Hai Bà Trưng', en: 'Hai Bà Trưng methadone clinic' },
  address: { vi: '1 Phố Mẫu', en: '1 Sample Street' },
  phone: '024 3821 0000',
  hours: { vi: 'Hằng ngày 6:30–11:00', en: 'Daily 6:30–11:00' },
  notes: null,
  verifiedOn: '2026-11-25',
  sample: false,
};

function ctxFor(locale: Locale, entries: DirectoryEntry[] = SAMPLES): StepContext {
  return { now: NOW, locale, content, platform: 'web', retentionDays: 180, services: { entries } };
}
const stateFor = (locale: Locale): FlowState => ({ ...newState(NOW), locale, flow: 'menu', step: 'main' });

function walk(locale: Locale, inputs: Input[], entries?: DirectoryEntry[]): StepResult[] {
  const ctx = ctxFor(locale, entries);
  const out = [servicesFlow.enter(stateFor(locale), ctx)];
  for (const input of inputs) out.push(servicesFlow.step(out.at(-1)!.state!, input, ctx));
  return out;
}

describe('places: the official list since 1 July 2025', () => {
  it('has 34 provinces and 3,321 communes, wards and special zones, with its date', () => {
    const p = content.places;
    expect(p.effective).toBe('2025-07-01');
    expect(p.provinces).toHaveLength(34);
    const all = p.provinces.flatMap((x) => x.communes);
    expect(all).toHaveLength(3321);
    expect(all.filter((c) => c.name.startsWith('Xã ')).length).toBe(2621);
    expect(all.filter((c) => c.name.startsWith('Phường ')).length).toBe(687);
    expect(all.filter((c) => c.name.startsWith('Đặc khu ')).length).toBe(13);
  });

  it.each([
    ['Bình Dương', '79', 'Bình Dương'],
    ['binh duong', '79', 'Bình Dương'],
    ['BÌNH DƯƠNG', '79', 'Bình Dương'],
    ['Bà Rịa - Vũng Tàu', '79', 'Bà Rịa - Vũng Tàu'],
    ['Thừa Thiên Huế', '46', 'Thừa Thiên Huế'],
    ['thua thien hue', '46', 'Thừa Thiên Huế'],
    ['Hà Giang', '08', 'Hà Giang'],
    ['ha giang', '08', 'Hà Giang'],
    ['Huế', '46', undefined],
    ['hue', '46', undefined],
    ['TP HCM', '79', undefined],
    ['Sài Gòn', '79', undefined],
    ['Tỉnh Đồng Nai', '75', undefined],
    ['dong nai', '75', undefined],
    ['Bình Phước', '75', 'Bình Phước'],
  ])('"%s" → province %s (formerly %s)', (typed, code, formerly) => {
    const hits = findProvinces(content.places, typed);
    expect(hits.map((h) => h.province.code)).toEqual([code]);
    expect(hits[0]!.formerly).toBe(formerly);
  });

  it('"Huế" is a city, not a province of Thừa Thiên', () => {
    expect(findProvinces(content.places, 'Huế')[0]!.province.name).toBe('Thành phố Huế');
  });
});

describe('services search by typed place', () => {
  it.each([
    ['vi', 'Bình Dương', 'Từ 1/7/2025, Bình Dương thuộc Thành phố Hồ Chí Minh.'],
    ['vi', 'binh duong', 'Từ 1/7/2025, Bình Dương thuộc Thành phố Hồ Chí Minh.'],
    ['en', 'Binh Duong', 'Since 1 July 2025, Bình Dương is part of Thành phố Hồ Chí Minh.'],
  ] as const)('%s: "%s" finds Thành phố Hồ Chí Minh and says why', (locale, typed, note) => {
    const [, r] = walk(locale, [say(typed)]);
    expect(text(r!)).toContain(note);
    expect(r!.state).toMatchObject({ flow: 'services', step: 'communes', data: { province: '79' } });
    // Its communes with entries (Bình Dương's former Thủ Dầu Một among them), no district level.
    expect(ids(r!)).toContain(`svc.c.${THU_DAU_MOT}`);
    const labels = r!.messages.at(-1)!.choices!.flat().map((c) => c.label);
    expect(labels).toContain('Phường Thủ Dầu Một');
    expect(text(r!)).not.toMatch(/quận|huyện|district/i);
  });

  it('"Thừa Thiên Huế" and "Hà Giang" are found by typing, and Huế is a city', () => {
    const [, hue] = walk('vi', [say('Thừa Thiên Huế')]);
    expect(text(hue!)).toContain('Thừa Thiên Huế thuộc Thành phố Huế');
    expect(hue!.state!.data).toMatchObject({ province: '46' });
    const [, hg] = walk('vi', [say('ha giang')]);
    // Tuyên Quang has no entry yet: said plainly, with where to ask.
    expect(text(hg!)).toContain('Hà Giang thuộc Tỉnh Tuyên Quang');
    expect(text(hg!)).toContain('Danh bạ chưa có cơ sở nào ở Tỉnh Tuyên Quang');
    expect(text(hg!)).toContain('Trạm y tế xã, phường');
  });

  it('province → commune → entries, by choices; no district step anywhere', () => {
    const rs = walk('vi', [choice('svc.p.79'), choice(`svc.c.${THU_DAU_MOT}`)]);
    expect(rs.map((r) => r.state!.step)).toEqual(['provinces', 'communes', 'entries']);
    const entries = rs[2]!;
    expect(text(entries)).toContain('📍 Phường Thủ Dầu Một, Thành phố Hồ Chí Minh');
    expect(text(entries)).toContain('Cơ sở điều trị Methadone (mẫu)');
    expect(text(entries)).toContain('dữ liệu mẫu');
    expect(text(entries)).toContain('Chưa kiểm chứng (dữ liệu mẫu, ghi ngày 30/11/2026)');
    expect(ids(entries)).toEqual(['svc.back', 'svc.province', 'menu.main']);
  });

  it('a commune typed inside a province, with or without marks', () => {
    const [, , r] = walk('vi', [say('Hà Nội'), say('phuong long bien')]);
    expect(r!.state).toMatchObject({ step: 'entries', data: { province: '01' } });
    expect(text(r!)).toContain('Phường Long Biên, Thành phố Hà Nội');
    expect(text(r!)).toContain('Nhóm tự lực tư vấn đồng đẳng (mẫu)');
  });

  it('a commune with no entry says so and shows the rest of the province', () => {
    const [, , r] = walk('vi', [say('Hà Nội'), say('Phường Hoàn Kiếm')]);
    expect(text(r!)).toContain('Danh bạ chưa có cơ sở nào ở Phường Hoàn Kiếm. Đây là các nơi khác ở Thành phố Hà Nội');
    expect(text(r!)).toContain('Phường Đống Đa');
  });

  it('"everything in the province" lists every entry', () => {
    const [, , r] = walk('en', [choice('svc.p.01'), choice('svc.c.all')]);
    expect(text(r!)).toContain('📍 Thành phố Hà Nội');
    for (const name of ['Methadone clinic (sample)', 'Peer counselling group (sample)', 'Voluntary drug rehab facility (sample)']) expect(text(r!)).toContain(name);
  });

  it('an unknown place: a kind answer and the same choices', () => {
    const [first, r] = walk('vi', [say('Atlantis')]);
    expect(text(r!)).toContain('Mình chưa tìm thấy nơi đó');
    expect(ids(r!)).toEqual(ids(first!));
  });
});

describe('verified entries: the date checked, the phone as a tappable link', () => {
  it('shows "last checked" and a tel: link, and no sample note when nothing is a sample', () => {
    const [, , r] = walk('vi', [say('Hà Nội'), say('Hai Bà Trưng')], [REAL]);
    expect(text(r!)).toContain('Kiểm tra lần cuối: 25/11/2026');
    expect(text(r!)).toContain('Điện thoại: 024 3821 0000');
    expect(text(r!)).not.toContain('dữ liệu mẫu');
    expect(r!.messages.at(-1)!.links).toEqual([{ label: '📞 Gọi Cơ sở điều trị Methadone Hai Bà Trưng: 024 3821 0000', url: 'tel:+842438210000' }]);
  });

  it('many provinces page at PAGE_SIZE with "More"', () => {
    const many = content.places.provinces.slice(0, 12).map((p, i): DirectoryEntry => ({ ...REAL, id: `e${i}`, provinceCode: p.code, communeCode: null }));
    const [first, second] = walk('vi', [choice('svc.more')], many);
    expect(ids(first!).filter((id) => id.startsWith('svc.p.'))).toHaveLength(PAGE_SIZE);
    expect(ids(second!).filter((id) => id.startsWith('svc.p.'))).toHaveLength(12 - PAGE_SIZE);
  });

  it('an empty directory still finds places and says where to ask', () => {
    const [, r] = walk('en', [say('binh duong')], []);
    expect(text(r!)).toContain('Since 1 July 2025, Bình Dương is part of Thành phố Hồ Chí Minh.');
    expect(text(r!)).toContain('The directory has no service in Thành phố Hồ Chí Minh yet');
  });
});

describe('samples', () => {
  it('every shipped sample names an official province and commune, says "(mẫu)", has no phone', () => {
    const rows = sampleRows(content);
    expect(rows.length).toBe(content.services.samples.length);
    for (const r of rows) {
      expect(r.sample).toBe(true);
      expect(r.phone).toBeNull();
      expect(r.nameVi).toContain('(mẫu)');
      expect(r.communeCode).toMatch(/^\d{5}$/);
    }
  });

  it('no province or commune label, typed back (Zalo), looks like a crisis', () => {
    for (const p of content.places.provinces) expect(detectCrisis(p.name, content), p.name).toBeNull();
  });
});
