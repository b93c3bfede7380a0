// Brings the official list of Vietnam's administrative units (in force since 1 July 2025: 34
// provinces, 3,321 communes, wards and special zones, no districts) into content/places.json,
// after checking it. Usage: npm run places [-- path/to/vn-admin-2025.json]
// Default source: ../shared/data/vn-admin-2025.json beside the repository (see its README), or $PLACES_SOURCE.
// When the list changes, replace that file and run this again; the bot reads content/ only.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPlaces, type PlacesContent } from '../content/schema/places.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** PLACES_SOURCE overrides it (e.g. a worktree whose ../shared is elsewhere). */
export const DEFAULT_SOURCE = path.resolve(process.env['PLACES_SOURCE'] ?? path.join(ROOT, '../shared/data/vn-admin-2025.json'));
export const TARGET = path.join(ROOT, 'content/places.json');

interface Raw {
  _source?: string;
  effective?: string;
  provinces?: { code: string; name: string; formerly?: string[]; communes: { code: string; name: string }[] }[];
}

/** The checked content, or an Error naming what is wrong. */
export function importPlaces(raw: string, sourceName: string): PlacesContent {
  let data: Raw;
  try {
    data = JSON.parse(raw) as Raw;
  } catch (err) {
    throw new Error(`${sourceName}: not valid JSON: ${(err as Error).message}`);
  }
  const nfc = (s: string) => s.normalize('NFC').trim();
  const places: PlacesContent = {
    effective: String(data.effective ?? ''),
    source: `${sourceName} (sha256 ${createHash('sha256').update(raw).digest('hex').slice(0, 16)}): ${data._source ?? ''}`.trim(),
    provinces: (data.provinces ?? []).map((p) => ({
      code: String(p.code),
      name: nfc(p.name),
      formerly: (p.formerly ?? []).map(nfc),
      communes: p.communes.map((c) => ({ code: String(c.code), name: nfc(c.name) })).sort((a, b) => a.code.localeCompare(b.code)),
    })),
  };
  places.provinces.sort((a, b) => a.code.localeCompare(b.code));
  const problems = checkPlaces(places);
  if (problems.length) throw new Error(`${sourceName}: ${problems.join('; ')}`);
  return places;
}

/** One commune per line: small, readable diffs when the list changes. */
function format(p: PlacesContent): string {
  const provinces = p.provinces.map((x) => {
    const communes = x.communes.map((c) => `    ${JSON.stringify(c)}`).join(',\n');
    return `  {"code": ${JSON.stringify(x.code)}, "name": ${JSON.stringify(x.name)}, "formerly": ${JSON.stringify(x.formerly)}, "communes": [\n${communes}\n  ]}`;
  });
  return `{\n"effective": ${JSON.stringify(p.effective)},\n"source": ${JSON.stringify(p.source)},\n"provinces": [\n${provinces.join(',\n')}\n]}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const source = path.resolve(process.argv[2] ?? DEFAULT_SOURCE);
  try {
    const places = importPlaces(readFileSync(source, 'utf8'), path.basename(source));
    writeFileSync(TARGET, format(places));
    const count = (prefix: string) => places.provinces.reduce((n, p) => n + p.communes.filter((c) => c.name.startsWith(prefix)).length, 0);
    console.log(`content/places.json: ${places.provinces.length} provinces; ${count('Xã ')} xã, ${count('Phường ')} phường, ${count('Đặc khu ')} đặc khu; in force since ${places.effective}`);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}
