// The programme's view for officers: anonymous screening results over time, and the path people
// take through the bot, from the anonymous result rows and the interaction log. Raw counts leave
// this file only through suppress.ts (the pages, charts and CSV all take Cells).
import { Prisma, type PrismaClient } from '../../../prisma/generated/client.ts';
import { monthsBetween } from './report.ts';

export const DIMENSIONS = ['instrument', 'band', 'substance', 'age_group', 'province', 'channel'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface Crosstab {
  months: string[];
  values: string[];
  /** count[month][value] */
  count: Map<string, Map<string, number>>;
}

export async function screeningByMonth(db: PrismaClient, by: Dimension, fromMonth: string, toMonth: string, province: string | null): Promise<Crosstab> {
  const months = monthsBetween(fromMonth, toMonth);
  // The column comes from the fixed list above, never from the request as typed.
  const col = Prisma.raw(`"${DIMENSIONS.find((d) => d === by) ?? 'instrument'}"`);
  const rows = await db.$queryRaw<{ m: string; v: string | null; c: bigint }[]>`
    SELECT to_char(day, 'YYYY-MM') AS m, ${col} AS v, count(*) AS c FROM screening_result
     WHERE day >= ${`${months[0]}-01`}::date AND day < (${`${months.at(-1)}-01`}::date + interval '1 month')
       ${province ? Prisma.sql`AND province = ${province}` : Prisma.empty}
     GROUP BY 1, 2`;
  const count = new Map(months.map((m) => [m, new Map<string, number>()]));
  const values = new Set<string>();
  for (const r of rows) {
    const v = r.v ?? '—';
    values.add(v);
    count.get(r.m)?.set(v, Number(r.c));
  }
  return { months, values: [...values].sort(), count };
}

export const STAGES = ['started', 'consented', 'screened', 'treatment', 'services', 'joined'] as const;
export type Stage = (typeof STAGES)[number];

/** Person-days at each stage per month: the log's per-day pseudonym counts a person once a day
 * and cannot link days, so this is the most the log can honestly say. */
export async function pathByMonth(db: PrismaClient, fromMonth: string, toMonth: string): Promise<{ months: string[]; count: Map<string, Record<Stage, number>> }> {
  const months = monthsBetween(fromMonth, toMonth);
  const rows = await db.$queryRaw<({ m: string } & Record<Stage, bigint>)[]>`
    SELECT to_char(day, 'YYYY-MM') AS m,
           count(DISTINCT day_key) FILTER (WHERE event_kind IN ('start', 'follow') OR flow = 'start') AS started,
           count(DISTINCT day_key) FILTER (WHERE choice_id = 'consent.yes') AS consented,
           count(DISTINCT day_key) FILTER (WHERE choice_id = 'screen.answer' AND flow <> 'screening') AS screened,
           count(DISTINCT day_key) FILTER (WHERE flow = 'treatment') AS treatment,
           count(DISTINCT day_key) FILTER (WHERE flow = 'services') AS services,
           count(DISTINCT day_key) FILTER (WHERE choice_id = 'clubs.consent.yes') AS joined
      FROM interaction_log
     WHERE day >= ${`${months[0]}-01`}::date AND day < (${`${months.at(-1)}-01`}::date + interval '1 month')
     GROUP BY 1`;
  const zero = (): Record<Stage, number> => ({ started: 0, consented: 0, screened: 0, treatment: 0, services: 0, joined: 0 });
  const count = new Map(months.map((m) => [m, zero()]));
  for (const r of rows) {
    const c = count.get(r.m);
    if (c) for (const s of STAGES) c[s] = Number(r[s]);
  }
  return { months, count };
}

export async function provinces(db: PrismaClient): Promise<string[]> {
  const rows = await db.club.findMany({ where: { sample: false }, select: { province: true }, distinct: ['province'], orderBy: { province: 'asc' } });
  return rows.map((r) => r.province);
}
