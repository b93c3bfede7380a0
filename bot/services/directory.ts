// The services directory in the database (table `service`): rows ↔ the flow's entries, the
// shipped samples (content/services.yaml) loaded while the table is empty, and a short cache so
// a turn does not query the directory every time.
import type { Content } from '../../content/types.ts';
import { communeNamed, provinceNamed } from '../../flows/places.ts';
import type { DirectoryEntry, ServicesView } from '../../flows/services.ts';
import type pg from 'pg';
import { insertServices, noServices, readServices, type ServiceRecord } from '../db/service.ts';
import { inTransaction, type Sql } from '../db/sql.ts';
import { lockForTransaction } from '../db/lock.ts';

const day = (d: Date) => d.toISOString().slice(0, 10);

export function rowToEntry(r: ServiceRecord): DirectoryEntry {
  return {
    id: r.id,
    provinceCode: r.provinceCode,
    communeCode: r.communeCode,
    type: r.type as DirectoryEntry['type'],
    name: { vi: r.nameVi, en: r.nameEn },
    address: { vi: r.addressVi, en: r.addressEn },
    phone: r.phone,
    hours: { vi: r.hoursVi, en: r.hoursEn },
    notes: r.notesVi && r.notesEn ? { vi: r.notesVi, en: r.notesEn } : null,
    verifiedOn: day(r.verifiedOn),
    sample: r.sample,
  };
}

/** The shipped samples as rows, their places checked against the official list. */
export function sampleRows(content: Content): ServiceRecord[] {
  return content.services.samples.map((s) => {
    const p = provinceNamed(content.places, s.province);
    if (!p) throw new Error(`content/services.yaml: ${s.id}: no province "${s.province}" in content/places.json`);
    const c = s.commune ? communeNamed(p, s.commune) : undefined;
    if (s.commune && !c) throw new Error(`content/services.yaml: ${s.id}: no commune "${s.commune}" in ${p.name}`);
    return {
      id: s.id,
      provinceCode: p.code,
      communeCode: c?.code ?? null,
      type: s.type,
      nameVi: s.name.vi,
      nameEn: s.name.en,
      addressVi: s.address.vi,
      addressEn: s.address.en,
      phone: null,
      hoursVi: s.hours.vi,
      hoursEn: s.hours.en,
      notesVi: s.notes?.vi ?? null,
      notesEn: s.notes?.en ?? null,
      verifiedOn: new Date(`${s.verifiedOn}T00:00:00Z`),
      sample: true,
    };
  });
}

/** At start-up: the samples, only while the directory is empty (once across instances). */
export async function loadServiceSamplesIfEmpty(pool: pg.Pool, content: Content): Promise<number> {
  const rows = sampleRows(content);
  return inTransaction(pool, 60_000, async (sql) => {
    await lockForTransaction(sql, 'service-samples');
    if (!(await noServices(sql))) return 0;
    return insertServices(sql, rows);
  });
}

/** The directory as the flow sees it, read at most every `ttlMs` per process. */
export class DirectoryCache {
  private cached: { view: ServicesView; at: number } | null = null;
  private readonly ttlMs: number;
  constructor(ttlMs = 30_000) {
    this.ttlMs = ttlMs;
  }

  /** On node-postgres: a turn never waits for the Prisma client to open. */
  async view(sql: Sql, now: Date): Promise<ServicesView> {
    if (this.cached && now.getTime() - this.cached.at < this.ttlMs && now.getTime() >= this.cached.at) return this.cached.view;
    const rows = await readServices(sql);
    const view = { entries: rows.map(rowToEntry) };
    this.cached = { view, at: now.getTime() };
    return view;
  }
}
