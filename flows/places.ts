// Finding Vietnam's places as people type them: the 34 provinces since 1 July 2025 (also by the
// names of the provinces merged into them: "Bình Dương", "binh duong" → Thành phố Hồ Chí Minh),
// and their communes, wards and special zones. No district level: there is none any more.
import type { PlaceCommune, PlaceProvince, PlacesContent } from '../content/schema/places.ts';
import { fold } from './text.ts';

/** "Tỉnh Lào Cai" → "Lào Cai", "Thành phố Huế" → "Huế", "Phường Ba Đình" → "Ba Đình". */
export function bareName(name: string): string {
  return name.replace(/^(Tỉnh|Thành phố|Xã|Phường|Đặc khu) /, '');
}

/** Short names people use for the big cities. */
const NICKNAMES: Record<string, readonly string[]> = {
  '01': ['hn', 'hanoi'],
  '79': ['hcm', 'tphcm', 'tp hcm', 'tp ho chi minh', 'sai gon', 'saigon', 'hochiminh', 'ho chi minh city'],
  '46': ['tp hue'],
  '48': ['dn', 'tp da nang'],
  '31': ['hp', 'tp hai phong'],
  '92': ['tp can tho'],
};

/** Every name a province goes by, folded: its own, its nicknames, the provinces merged into it.
 * For finding a place named inside a longer text (flows/understand/intents.ts). */
export function provinceNames(places: PlacesContent): string[] {
  return places.provinces.flatMap((p) => [fold(bareName(p.name)), ...(NICKNAMES[p.code] ?? []), ...p.formerly.map((f) => fold(bareName(f)))]);
}

export interface ProvinceHit {
  province: PlaceProvince;
  /** The former province the person named, when it is not the province's own name. */
  formerly?: string;
}

function strip(folded: string): string {
  return folded.replace(/^(tinh|thanh pho|tp) /, '');
}

/** The provinces a typed text names: by name, with or without marks or "Tỉnh"/"Thành phố", by a
 * nickname, or by a province merged into it in 2025. Exact matches first; several on a prefix. */
export function findProvinces(places: PlacesContent, text: string): ProvinceHit[] {
  const q = strip(fold(text));
  if (q.length < 2) return [];
  const exact: ProvinceHit[] = [];
  const prefix: ProvinceHit[] = [];
  for (const p of places.provinces) {
    const own = [fold(bareName(p.name)), fold(p.name), ...(NICKNAMES[p.code] ?? [])];
    if (own.includes(q)) {
      exact.push({ province: p });
      continue;
    }
    const former = p.formerly.find((f) => fold(f) === q);
    if (former) {
      exact.push({ province: p, formerly: former });
      continue;
    }
    const starts = (k: string) => k.startsWith(`${q} `) || (q.length >= 3 && k.startsWith(q));
    if (own.some(starts)) prefix.push({ province: p });
    else {
      const f = p.formerly.find((x) => starts(fold(x)));
      if (f) prefix.push({ province: p, formerly: f });
    }
  }
  return exact.length ? exact : prefix;
}

/** The communes of a province a typed text names ("Ba Đình", "phuong ba dinh", "xa tan tien"). */
export function findCommunes(province: PlaceProvince, text: string): PlaceCommune[] {
  const q = fold(text);
  if (q.length < 2) return [];
  const bare = q.replace(/^(xa|phuong|dac khu) /, '');
  const exact = province.communes.filter((c) => fold(c.name) === q || fold(bareName(c.name)) === bare);
  if (exact.length) return exact;
  return province.communes.filter((c) => fold(bareName(c.name)).startsWith(`${bare} `) || fold(c.name).startsWith(`${q} `));
}

export function provinceByCode(places: PlacesContent, code: string | undefined): PlaceProvince | undefined {
  return places.provinces.find((p) => p.code === code);
}

export function communeByCode(province: PlaceProvince | undefined, code: string | undefined): PlaceCommune | undefined {
  return province?.communes.find((c) => c.code === code);
}

/** A province by its code, its official name or its bare name (exact, marks and case ignored). */
export function provinceNamed(places: PlacesContent, name: string): PlaceProvince | undefined {
  const q = fold(name.trim());
  return places.provinces.find((p) => p.code === name.trim() || fold(p.name) === q || fold(bareName(p.name)) === q);
}

/** A commune of a province by its code or its official name ("Phường Xuân Tân"); the bare name
 * ("Xuân Tân") only when it is unambiguous in the province. */
export function communeNamed(province: PlaceProvince, name: string): PlaceCommune | undefined {
  const n = name.trim();
  const q = fold(n);
  const byCode = province.communes.find((c) => c.code === n);
  if (byCode) return byCode;
  const full = province.communes.find((c) => fold(c.name) === q);
  if (full) return full;
  const bare = province.communes.filter((c) => fold(bareName(c.name)) === q);
  return bare.length === 1 ? bare[0] : undefined;
}
