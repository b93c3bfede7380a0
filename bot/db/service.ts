// service: the services directory (bot/services/directory.ts), read by turns through the cache.
import type { Sql } from './sql.ts';

export interface ServiceRecord {
  id: string;
  provinceCode: string;
  communeCode: string | null;
  type: string;
  nameVi: string;
  nameEn: string;
  addressVi: string;
  addressEn: string;
  phone: string | null;
  hoursVi: string;
  hoursEn: string;
  notesVi: string | null;
  notesEn: string | null;
  /** Midnight UTC of the day (as Prisma reads a date column). */
  verifiedOn: Date;
  sample: boolean;
}

export async function readServices(sql: Sql): Promise<ServiceRecord[]> {
  return sql.rows<ServiceRecord>(
    'service_all',
    `SELECT id, province_code AS "provinceCode", commune_code AS "communeCode", type, name_vi AS "nameVi", name_en AS "nameEn",
       address_vi AS "addressVi", address_en AS "addressEn", phone, hours_vi AS "hoursVi", hours_en AS "hoursEn",
       notes_vi AS "notesVi", notes_en AS "notesEn", verified_on::timestamp AT TIME ZONE 'UTC' AS "verifiedOn", sample
     FROM service ORDER BY id`,
    [],
  );
}

/** Is the directory empty? (Start-up: the samples are loaded only then.) */
export async function noServices(sql: Sql): Promise<boolean> {
  const rows = await sql.rows('service_any', 'SELECT 1 FROM service LIMIT 1', []);
  return rows.length === 0;
}

/** Adds directory rows (the shipped samples at start-up, an import by the admin tool). */
export async function insertServices(sql: Sql, rows: ServiceRecord[]): Promise<number> {
  if (!rows.length) return 0;
  const out = await sql.rows<{ n: number }>(
    'service_insert',
    `WITH added AS (
       INSERT INTO service (id, province_code, commune_code, type, name_vi, name_en, address_vi, address_en, phone,
         hours_vi, hours_en, notes_vi, notes_en, verified_on, sample)
       SELECT x.id, x."provinceCode", x."communeCode", x.type, x."nameVi", x."nameEn", x."addressVi", x."addressEn", x.phone,
         x."hoursVi", x."hoursEn", x."notesVi", x."notesEn", (x."verifiedOn" AT TIME ZONE 'UTC')::date, x.sample
       FROM jsonb_to_recordset($1::jsonb) AS x(id text, "provinceCode" text, "communeCode" text, type text, "nameVi" text, "nameEn" text,
         "addressVi" text, "addressEn" text, phone text, "hoursVi" text, "hoursEn" text, "notesVi" text, "notesEn" text,
         "verifiedOn" timestamptz, sample boolean)
       RETURNING 1)
     SELECT count(*)::int AS n FROM added`,
    [JSON.stringify(rows)],
  );
  return out[0]?.n ?? 0;
}
