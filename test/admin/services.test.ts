// `admin services import FILE.csv` and `services export` against a real PostgreSQL schema:
// every row validated (places against the official 2025 list, type, phone, verified-on date),
// all or nothing, samples kept and marked, export → import round trip; then the web chat finds
// the imported entry by a former province name, with its phone as a tappable link.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminError, parseArgs } from '../../bot/admin/args.ts';
import { runAdmin } from '../../bot/admin/commands.ts';
import { COLUMNS } from '../../bot/admin/services.ts';
import { loadServiceSamplesIfEmpty } from '../../bot/services/directory.ts';
import { loadContent } from '../../content/load.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testDatabase } from '../support/db.ts';
import { poolOf } from '../../bot/db/client.ts';

let db: Awaited<ReturnType<typeof testDatabase>>;
const now = new Date('2026-11-30T03:00:00Z');
const dir = mkdtempSync(path.join(tmpdir(), 'services-'));
const admin = (words: string[]) => runAdmin(parseArgs(words), { prisma: db.prisma, now, addressKey: randomBytes(32) });
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};
async function failure(words: string[]): Promise<string> {
  const err = await admin(words).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AdminError);
  return (err as Error).message;
}

const HEADER = COLUMNS.join(',');
const GOOD = [
  '\uFEFF' + HEADER,
  'methadone-thu-dau-mot,Thành phố Hồ Chí Minh,Phường Thủ Dầu Một,methadone,Cơ sở Methadone Thủ Dầu Một,Thủ Dầu Một methadone clinic,"12 Đường Mẫu, phường Thủ Dầu Một","12 Sample Road, Thủ Dầu Một",0274 382 0000,"Hằng ngày 6:30–10:30","Daily 6:30–10:30",,,2026-11-28',
  'hiv-hue,46,Thuận Hóa,hiv,"Phòng khám ""Bạn bè"" Huế",Friends clinic Huế,1 Phố Mẫu,1 Sample St,,Thứ Hai–Thứ Sáu,Mon–Fri,Miễn phí,Free,2026-11-20',
  'counselling-tuyen-quang,Tỉnh Tuyên Quang,,counselling,Tư vấn Tuyên Quang,Tuyên Quang counselling,Toàn tỉnh,Province-wide,1800 1234,Theo lịch hẹn,By appointment,,,2026-11-01',
].join('\r\n');

beforeAll(async () => {
  db = await testDatabase();
  await loadServiceSamplesIfEmpty(poolOf(db.prisma), loadContent());
});
afterAll(async () => {
  await db?.drop();
});

describe('admin services', () => {
  it('export before any import: the header only; --with-samples shows the samples', async () => {
    expect(await admin(['services', 'export'])).toBe(HEADER);
    const all = (await admin(['services', 'export', '--with-samples'])).split('\r\n');
    expect(all[0]).toBe(HEADER);
    expect(all.length - 1).toBe(loadContent().services.samples.length);
    expect(all.slice(1).every((l) => l.startsWith('sample-'))).toBe(true);
  });

  it('imports valid rows (names or codes, quoted fields, BOM, CRLF) and keeps the samples', async () => {
    const out = await admin(['services', 'import', file('good.csv', GOOD)]);
    expect(out).toMatch(/^imported 3 services \(replacing 0\); samples kept: \d+/);
    const rows = await db.prisma.service.findMany({ where: { sample: false }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.id, r.provinceCode, r.communeCode, r.phone, r.verifiedOn.toISOString().slice(0, 10)])).toEqual([
      ['counselling-tuyen-quang', '08', null, '1800 1234', '2026-11-01'],
      ['hiv-hue', '46', expect.stringMatching(/^\d{5}$/), null, '2026-11-20'],
      ['methadone-thu-dau-mot', '79', expect.stringMatching(/^\d{5}$/), '0274 382 0000', '2026-11-28'],
    ]);
    expect(rows.find((r) => r.id === 'hiv-hue')!.nameVi).toBe('Phòng khám "Bạn bè" Huế');
  });

  it('export → import → export is the same file', async () => {
    const first = await admin(['services', 'export']);
    await admin(['services', 'import', file('round.csv', first)]);
    expect(await admin(['services', 'export'])).toBe(first);
  });

  it('refuses the whole file when any row is wrong, listing every problem; nothing changes', async () => {
    const before = await admin(['services', 'export', '--with-samples']);
    const bad = [
      HEADER,
      'ok-row,79,,hiv,A,A,B,B,,C,C,,,2026-11-01',
      'bad-place,Bình Dương,,hiv,A,A,B,B,,C,C,,,2026-11-01',
      'bad-commune,79,Phường Không Có,hiv,A,A,B,B,,C,C,,,2026-11-01',
      'bad-type,79,,hospital,A,A,B,B,,C,C,,,2026-11-01',
      'bad-phone,79,,hiv,A,A,B,B,12345,C,C,,,2026-11-01',
      'no-date,79,,hiv,A,A,B,B,,C,C,,,',
      'future,79,,hiv,A,A,B,B,,C,C,,,2027-01-01',
      'ok-row,79,,hiv,A,A,B,B,,C,C,,,2026-11-01',
      'sample-mine,79,,hiv,A,A,B,B,,C,C,,,2026-11-01',
      'no-name,79,,hiv,,A,B,B,,C,C,,,2026-11-01',
      'half-notes,79,,hiv,A,A,B,B,,C,C,chỉ tiếng Việt,,2026-11-01',
    ].join('\n');
    const message = await failure(['services', 'import', file('bad.csv', bad)]);
    expect(message).toContain('nothing imported, 10 problem(s)');
    for (const m of [
      'row 3 (bad-place): province "Bình Dương": since 1 July 2025 Bình Dương is part of Thành phố Hồ Chí Minh',
      'row 4 (bad-commune): commune "Phường Không Có" is not a commune, ward or special zone of Thành phố Hồ Chí Minh',
      'row 5 (bad-type): type "hospital" must be one of',
      'row 6 (bad-phone): phone "12345" is not a Vietnamese number',
      'row 7 (no-date): verified_on must be a date YYYY-MM-DD',
      'row 8 (future): verified_on 2027-01-01 is in the future',
      'row 9 (ok-row): id also used on row 2',
      'row 10 (sample-mine): ids starting with "sample-" are kept for the shipped samples',
      'row 11 (no-name): name_vi is empty',
      'row 12 (half-notes): notes_vi and notes_en go together',
    ]) {
      expect(message).toContain(m);
    }
    expect(await admin(['services', 'export', '--with-samples'])).toBe(before);
  });

  it.each([
    ['a wrong header', 'id,province,name\nx,79,y', /header: missing column\(s\) commune, type/],
    ['an unclosed quote', `${HEADER}\nx,79,"open`, /a quoted field is not closed/],
    ['only a header', HEADER, /no rows after the header/],
  ])('refuses %s', async (_name, text, message) => {
    expect(await failure(['services', 'import', file('x.csv', text)])).toMatch(message);
  });

  it('refuses a missing file and a missing argument in one line', async () => {
    expect(await failure(['services', 'import', path.join(dir, 'nope.csv')])).toMatch(/cannot read/);
    expect(await failure(['services', 'import'])).toMatch(/give one CSV file/);
  });

  it('--drop-samples removes the shipped samples with the import', async () => {
    const out = await admin(['services', 'import', file('good2.csv', GOOD), '--drop-samples']);
    expect(out).toMatch(/samples removed: \d+/);
    expect(await db.prisma.service.count({ where: { sample: true } })).toBe(0);
    expect(await db.prisma.service.count()).toBe(3);
  });
});

describe('the imported directory in the chat', () => {
  let t: TestApp;
  afterAll(async () => {
    await t?.stop();
  });

  it('"binh duong" finds the Thủ Dầu Một entry in Thành phố Hồ Chí Minh, with the date checked and a tel: link', async () => {
    t = await startTestApp({ databaseUrl: db.url });
    let cookie = '';
    const chat = async (payload: Record<string, string>) => {
      const res = await fetch(`${t.url}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-language': 'vi', ...(cookie ? { cookie } : {}) },
        body: JSON.stringify({ id: randomUUID(), ...payload }),
      });
      cookie ||= (res.headers.get('set-cookie') ?? '').split(';')[0]!;
      return ((await res.json()) as { messages: { text: string; links?: { label: string; url: string }[] }[] }).messages;
    };
    await chat({ kind: 'start' });
    await chat({ kind: 'choice', choice: 'lang.vi' });
    await chat({ kind: 'choice', choice: 'consent.yes' });
    const list = await chat({ kind: 'choice', choice: 'menu.services' });
    expect(list.map((m) => m.text).join('\n')).not.toContain('dữ liệu mẫu');
    const found = await chat({ kind: 'text', text: 'binh duong' });
    expect(found.map((m) => m.text).join('\n')).toContain('Từ 1/7/2025, Bình Dương thuộc Thành phố Hồ Chí Minh.');
    const entries = await chat({ kind: 'text', text: 'Thủ Dầu Một' });
    const text = entries.map((m) => m.text).join('\n');
    expect(text).toContain('Cơ sở Methadone Thủ Dầu Một');
    expect(text).toContain('Kiểm tra lần cuối: 28/11/2026');
    expect(entries.at(-1)!.links).toEqual([{ label: '📞 Gọi Cơ sở Methadone Thủ Dầu Một: 0274 382 0000', url: 'tel:+842743820000' }]);
  });
});
