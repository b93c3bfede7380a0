// `admin services import FILE.csv` and `admin services export`: the services directory as a
// spreadsheet the people who check it can fill. Import validates every row first (places against
// the official list, type, phone, the verified-on date) and then replaces the directory in one
// transaction, or changes nothing and lists every problem. The shipped samples stay (marked as
// samples) unless --drop-samples.
import { readFileSync } from 'node:fs';
import { loadContent } from '../../content/load.ts';
import type { PlacesContent } from '../../content/schema/places.ts';
import { SERVICE_TYPES, type ServiceType } from '../../content/schema/services.ts';
import { normalisePhone } from '../../flows/phone.ts';
import { communeByCode, communeNamed, findProvinces, provinceByCode, provinceNamed } from '../../flows/places.ts';
import type { Prisma } from '../../prisma/generated/client.ts';
import { insertServices, type ServiceRecord } from '../db/service.ts';
import { prismaSql } from '../db/sql.ts';
import { AdminError } from './args.ts';
import { CsvError, formatCsv, parseCsv } from './csv.ts';

type Tx = Prisma.TransactionClient;

let placesMemo: PlacesContent | null = null;
/** The official places, read once per process. */
function places(): PlacesContent {
  placesMemo ??= loadContent().places;
  return placesMemo;
}

export const COLUMNS = [
  'id',
  'province',
  'commune',
  'type',
  'name_vi',
  'name_en',
  'address_vi',
  'address_en',
  'phone',
  'hours_vi',
  'hours_en',
  'notes_vi',
  'notes_en',
  'verified_on',
] as const;
type Column = (typeof COLUMNS)[number];

/** Problems are listed up to this many; the rest are counted. */
const MAX_PROBLEMS = 25;
const ID = /^[a-z0-9][a-z0-9-]{1,59}$/;

function validDay(s: string, now: Date): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return 'verified_on must be a date YYYY-MM-DD (the day the entry was checked)';
  const d = new Date(`${s}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s) return `verified_on "${s}" is not a real date`;
  if (d.getTime() > now.getTime() + 24 * 3600_000) return `verified_on ${s} is in the future`;
  return null;
}

/** The file's rows as database rows, or every problem found (row numbers as a spreadsheet shows them). */
export function validateServices(text: string, places: PlacesContent, now: Date): { rows: ServiceRecord[]; problems: string[] } {
  let table: string[][];
  try {
    table = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvError) return { rows: [], problems: [err.message] };
    throw err;
  }
  const header = (table[0] ?? []).map((h) => h.trim().toLowerCase());
  const missing = COLUMNS.filter((c) => !header.includes(c));
  const unknown = header.filter((h) => !(COLUMNS as readonly string[]).includes(h));
  if (missing.length || unknown.length) {
    const parts = [missing.length ? `missing column(s) ${missing.join(', ')}` : '', unknown.length ? `unknown column(s) ${unknown.join(', ')}` : ''].filter(Boolean);
    return { rows: [], problems: [`header: ${parts.join('; ')} (expected: ${COLUMNS.join(',')})`] };
  }
  const problems: string[] = [];
  const rows: ServiceRecord[] = [];
  const seen = new Map<string, number>();
  table.slice(1).forEach((fields, i) => {
    const n = i + 2;
    if (fields.every((f) => f.trim() === '')) return;
    const get = (c: Column) => (fields[header.indexOf(c)] ?? '').trim();
    const id = get('id');
    const where = `row ${n}${id ? ` (${id})` : ''}`;
    const bad = (m: string) => problems.push(`${where}: ${m}`);
    if (fields.length !== header.length) bad(`${fields.length} fields, the header has ${header.length}`);
    if (!ID.test(id)) bad('id must be lower-case letters, digits and "-" (e.g. methadone-dong-da)');
    else if (id.startsWith('sample-')) bad('ids starting with "sample-" are kept for the shipped samples');
    else if (seen.has(id)) bad(`id also used on row ${seen.get(id)}`);
    seen.set(id, n);
    const pName = get('province');
    const p = provinceNamed(places, pName);
    if (!p) {
      const now2025 = pName ? findProvinces(places, pName)[0] : undefined;
      bad(
        now2025?.formerly
          ? `province "${pName}": since 1 July 2025 ${now2025.formerly} is part of ${now2025.province.name}`
          : `province "${pName}" is not one of the 34 provinces (name or code, e.g. "Thành phố Hồ Chí Minh" or 79)`,
      );
    }
    const cName = get('commune');
    const c = p && cName ? communeNamed(p, cName) : undefined;
    if (p && cName && !c) bad(`commune "${cName}" is not a commune, ward or special zone of ${p.name} (its full name, e.g. "Phường …", or its code)`);
    const type = get('type');
    if (!(SERVICE_TYPES as readonly string[]).includes(type)) bad(`type "${type}" must be one of ${SERVICE_TYPES.join(', ')}`);
    for (const col of ['name_vi', 'name_en', 'address_vi', 'address_en', 'hours_vi', 'hours_en'] as const) {
      const v = get(col);
      if (!v) bad(`${col} is empty`);
      else if (v.length > 300) bad(`${col} is longer than 300 characters`);
    }
    const notesVi = get('notes_vi');
    const notesEn = get('notes_en');
    if (Boolean(notesVi) !== Boolean(notesEn)) bad('notes_vi and notes_en go together: both or neither');
    const phone = get('phone');
    if (phone && !normalisePhone(phone)) bad(`phone "${phone}" is not a Vietnamese number (e.g. 028 3923 4567, 0912 345 678, 1800 1234)`);
    const dayProblem = validDay(get('verified_on'), now);
    if (dayProblem) bad(dayProblem);
    if (p && (!cName || c)) {
      rows.push({
        id,
        provinceCode: p.code,
        communeCode: c?.code ?? null,
        type: type as ServiceType,
        nameVi: get('name_vi'),
        nameEn: get('name_en'),
        addressVi: get('address_vi'),
        addressEn: get('address_en'),
        phone: phone || null,
        hoursVi: get('hours_vi'),
        hoursEn: get('hours_en'),
        notesVi: notesVi || null,
        notesEn: notesEn || null,
        verifiedOn: new Date(`${get('verified_on')}T00:00:00Z`),
        sample: false,
      });
    }
  });
  if (!problems.length && !rows.length) problems.push('no rows after the header');
  return { rows: problems.length ? [] : rows, problems };
}

export async function importServices(tx: Tx, file: string, opts: { dropSamples: boolean }, now: Date): Promise<string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new AdminError(`cannot read "${file}"`);
  }
  const { rows, problems } = validateServices(text, places(), now);
  if (problems.length) {
    const shown = problems.slice(0, MAX_PROBLEMS);
    const more = problems.length > shown.length ? `\n… and ${problems.length - shown.length} more` : '';
    throw new AdminError(`${file}: nothing imported, ${problems.length} problem(s):\n${shown.join('\n')}${more}`);
  }
  const before = await tx.service.count({ where: { sample: false } });
  await tx.service.deleteMany({ where: { sample: false } });
  const samples = opts.dropSamples ? (await tx.service.deleteMany({ where: { sample: true } })).count : 0;
  await insertServices(prismaSql(tx), rows);
  const kept = await tx.service.count({ where: { sample: true } });
  return `imported ${rows.length} services (replacing ${before}); samples ${opts.dropSamples ? `removed: ${samples}` : `kept: ${kept}`}. The bot shows them within a minute.`;
}

export async function exportServices(tx: Tx, withSamples: boolean): Promise<string> {
  const all = places();
  const rows = await tx.service.findMany({ where: withSamples ? {} : { sample: false }, orderBy: [{ provinceCode: 'asc' }, { communeCode: 'asc' }, { id: 'asc' }] });
  const out = rows.map((r) => {
    const p = provinceByCode(all, r.provinceCode);
    const c = communeByCode(p, r.communeCode ?? undefined);
    const values: Record<Column, string> = {
      id: r.id,
      province: p?.name ?? r.provinceCode,
      commune: c?.name ?? r.communeCode ?? '',
      type: r.type,
      name_vi: r.nameVi,
      name_en: r.nameEn,
      address_vi: r.addressVi,
      address_en: r.addressEn,
      phone: r.phone ?? '',
      hours_vi: r.hoursVi,
      hours_en: r.hoursEn,
      notes_vi: r.notesVi ?? '',
      notes_en: r.notesEn ?? '',
      verified_on: r.verifiedOn.toISOString().slice(0, 10),
    };
    return COLUMNS.map((k) => values[k]);
  });
  return formatCsv([[...COLUMNS], ...out]);
}
