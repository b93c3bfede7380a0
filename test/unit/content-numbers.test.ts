// Emergency numbers come only from content/emergency.yaml, with sources: no other content file
// may spell one out (texts use {ambulance}-style placeholders instead).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_DIR, loadContent } from '../../content/load.ts';

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) return yamlFiles(p);
    return f.endsWith('.yaml') ? [p] : [];
  });
}

describe('emergency numbers', () => {
  const numbers = loadContent().emergency.numbers.map((n) => n.number);
  const files = yamlFiles(CONTENT_DIR).filter((f) => !f.endsWith('emergency.yaml'));

  it('every number has a source', () => {
    for (const n of loadContent().emergency.numbers) expect(n.sources.length, n.id).toBeGreaterThan(0);
  });

  for (const file of files) {
    it(`${path.relative(CONTENT_DIR, file)} spells out none`, () => {
      const text = readFileSync(file, 'utf8');
      for (const number of numbers) {
        const digits = number.replace(/\D/g, '');
        const pattern = new RegExp(`(^|[^\\d])${digits.split('').join('[ .]?')}([^\\d]|$)`);
        expect(pattern.test(text), `${number} in ${file}`).toBe(false);
      }
    });
  }
});
