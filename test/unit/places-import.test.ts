// scripts/import-places.ts: the official list is checked before it reaches content/ (34
// provinces; 2,621 xã, 687 phường, 13 đặc khu; unique codes; NFC names; its date), and
// content/places.json is what the shared source gives today.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../content/load.ts';
import { DEFAULT_SOURCE, importPlaces } from '../../scripts/import-places.ts';

const places = loadContent().places;
/** The list in the shared data's own shape. */
const raw = (mutate: (p: typeof places.provinces) => void = () => {}) => {
  const provinces = structuredClone(places.provinces);
  mutate(provinces);
  return JSON.stringify({ _source: 'test', effective: places.effective, provinces });
};

describe('import-places', () => {
  it('accepts the official list and keeps its date and source', () => {
    const out = importPlaces(raw(), 'vn-admin-2025.json');
    expect(out.effective).toBe('2025-07-01');
    expect(out.source).toMatch(/^vn-admin-2025\.json \(sha256 [0-9a-f]{16}\): test$/);
    expect(out.provinces).toEqual(places.provinces);
  });

  it.each([
    ['a province missing', (p: typeof places.provinces) => p.pop(), /expected 34 provinces, found 33/],
    ['a ward missing', (p: typeof places.provinces) => p[0]!.communes.splice(p[0]!.communes.findIndex((c) => c.name.startsWith('Phường ')), 1), /expected 687 "Phường", found 686/],
    ['a district sneaking back', (p: typeof places.provinces) => p[0]!.communes.push({ code: '99999', name: 'Quận Ba Đình' }), /neither xã, phường nor đặc khu/],
    ['a duplicate code', (p: typeof places.provinces) => (p[1]!.communes[0]!.code = p[0]!.communes[0]!.code), /duplicate commune code/],
  ])('refuses %s', (_name, mutate, message) => {
    expect(() => importPlaces(raw(mutate), 'x.json')).toThrow(message);
  });

  it('normalises names to NFC (a decomposed "Phường" is still a ward)', () => {
    const out = importPlaces(raw((p) => (p[0]!.communes[0]!.name = p[0]!.communes[0]!.name.normalize('NFD'))), 'x.json');
    expect(out.provinces[0]!.communes[0]!.name).toBe(places.provinces[0]!.communes[0]!.name);
  });

  it('refuses a file without a date, and one that is not JSON', () => {
    expect(() => importPlaces(JSON.stringify({ provinces: places.provinces }), 'x.json')).toThrow(/no effective date/);
    expect(() => importPlaces('{', 'x.json')).toThrow(/not valid JSON/);
  });

  // The shared data sits beside the repository in a clone and in CI (../shared/data).
  it.skipIf(!existsSync(DEFAULT_SOURCE))('content/places.json is up to date with ../shared/data/vn-admin-2025.json', () => {
    const fresh = importPlaces(readFileSync(DEFAULT_SOURCE, 'utf8'), 'vn-admin-2025.json');
    expect(fresh.provinces).toEqual(places.provinces);
    expect(fresh.source).toBe(places.source);
  });
});
