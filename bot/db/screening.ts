// screening_result: anonymous results, with no link to the person.
import type { Sql } from './sql.ts';

export interface ScreeningRow {
  instrument: string;
  substance: string | null;
  score: number;
  band: string;
  ageGroup: string;
  province: string | null;
  day: string;
  channel: string;
}

export async function insertScreeningResult(sql: Sql, r: ScreeningRow): Promise<void> {
  await sql.rows(
    'screening_insert',
    `INSERT INTO screening_result (instrument, substance, score, band, age_group, province, day, channel)
     VALUES ($1, $2, $3::int, $4, $5, $6, $7::date, $8) RETURNING 1`,
    [r.instrument, r.substance, r.score, r.band, r.ageGroup, r.province, r.day, r.channel],
  );
}
