// The six-monthly report of a club or of a province, month by month (seed plans: reports every
// six months and every year). Counts only: no alias, no person.
import { Prisma, type PrismaClient } from '../../../prisma/generated/client.ts';

export interface MonthFigures {
  month: string;
  held: number;
  cancelled: number;
  recorded: number;
  present: number;
  sent: number;
  failedBlocked: number;
  failedOutsideWindow: number;
  failedInvalid: number;
  failedOther: number;
  checkInsDone: number;
  checkInsNeedsSupport: number;
}

export interface ReportFigures {
  months: MonthFigures[];
  total: MonthFigures;
  membersActive: number;
  volunteersActive: number;
}

/** "YYYY-MM" of every month from `from` to `to` (inclusive). */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  const [ty, tm] = to.split('-').map(Number) as [number, number];
  while (y < ty || (y === ty && m <= tm)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out.slice(0, 36);
}

const n = (v: unknown) => Number(v ?? 0);

/** Figures for the clubs `clubIds` over the months [fromMonth, toMonth], in time zone `tz`. */
export async function reportFigures(db: PrismaClient, clubIds: string[], fromMonth: string, toMonth: string, tz: string, now: Date): Promise<ReportFigures> {
  const months = monthsBetween(fromMonth, toMonth);
  const blank = (month: string): MonthFigures => ({
    month, held: 0, cancelled: 0, recorded: 0, present: 0, sent: 0, failedBlocked: 0, failedOutsideWindow: 0, failedInvalid: 0, failedOther: 0, checkInsDone: 0, checkInsNeedsSupport: 0,
  });
  const byMonth = new Map(months.map((m) => [m, blank(m)]));
  if (!months.length || !clubIds.length) return { months: [], total: blank('total'), membersActive: 0, volunteersActive: 0 };
  const start = Prisma.sql`(${`${months[0]}-01`}::date::timestamp AT TIME ZONE ${tz})`;
  const end = Prisma.sql`((${`${months.at(-1)}-01`}::date + interval '1 month')::timestamp AT TIME ZONE ${tz})`;
  const month = (col: Prisma.Sql) => Prisma.sql`to_char(${col} AT TIME ZONE ${tz}, 'YYYY-MM')`;

  const meetings = await db.$queryRaw<{ m: string; held: bigint; cancelled: bigint }[]>`
    SELECT ${month(Prisma.sql`starts_at`)} AS m,
           count(*) FILTER (WHERE status <> 'cancelled' AND starts_at <= ${now}) AS held,
           count(*) FILTER (WHERE status = 'cancelled') AS cancelled
      FROM meeting_occurrence WHERE club_id = ANY(${clubIds}) AND starts_at >= ${start} AND starts_at < ${end} GROUP BY 1`;
  for (const r of meetings) Object.assign(byMonth.get(r.m) ?? {}, { held: n(r.held), cancelled: n(r.cancelled) });

  const attendance = await db.$queryRaw<{ m: string; recorded: bigint; present: bigint }[]>`
    SELECT ${month(Prisma.sql`o.starts_at`)} AS m, count(*) AS recorded, count(*) FILTER (WHERE a.present) AS present
      FROM club_attendance a JOIN meeting_occurrence o ON o.id = a.occurrence_id
     WHERE o.club_id = ANY(${clubIds}) AND o.status <> 'cancelled' AND o.starts_at >= ${start} AND o.starts_at < ${end} GROUP BY 1`;
  for (const r of attendance) Object.assign(byMonth.get(r.m) ?? {}, { recorded: n(r.recorded), present: n(r.present) });

  const reminders = await db.$queryRaw<{ m: string; sent: bigint; blocked: bigint; outside: bigint; invalid: bigint; other: bigint }[]>`
    SELECT ${month(Prisma.sql`due_at`)} AS m,
           count(*) FILTER (WHERE status = 'sent') AS sent,
           count(*) FILTER (WHERE status = 'failed' AND reason = 'blocked') AS blocked,
           count(*) FILTER (WHERE status = 'failed' AND reason = 'outside_window') AS outside,
           count(*) FILTER (WHERE status = 'failed' AND reason = 'invalid') AS invalid,
           count(*) FILTER (WHERE status = 'failed' AND (reason IS NULL OR reason NOT IN ('blocked', 'outside_window', 'invalid'))) AS other
      FROM reminder_delivery WHERE club_id = ANY(${clubIds}) AND due_at >= ${start} AND due_at < ${end} GROUP BY 1`;
  for (const r of reminders) {
    Object.assign(byMonth.get(r.m) ?? {}, { sent: n(r.sent), failedBlocked: n(r.blocked), failedOutsideWindow: n(r.outside), failedInvalid: n(r.invalid), failedOther: n(r.other) });
  }

  const checkIns = await db.$queryRaw<{ m: string; done: bigint; help: bigint }[]>`
    SELECT ${month(Prisma.sql`c.at`)} AS m, count(*) FILTER (WHERE c.outcome = 'done') AS done, count(*) FILTER (WHERE c.outcome = 'needs_support') AS help
      FROM volunteer_check_in c JOIN volunteer_assignment a ON a.id = c.assignment_id
     WHERE a.club_id = ANY(${clubIds}) AND c.at >= ${start} AND c.at < ${end} GROUP BY 1`;
  for (const r of checkIns) Object.assign(byMonth.get(r.m) ?? {}, { checkInsDone: n(r.done), checkInsNeedsSupport: n(r.help) });

  const list = months.map((m) => byMonth.get(m)!);
  const total = blank('total');
  for (const f of list) {
    for (const k of Object.keys(total) as (keyof MonthFigures)[]) if (k !== 'month') (total[k] as number) += f[k] as number;
  }
  const membersActive = await db.membership.count({ where: { clubId: { in: clubIds }, role: 'member', status: 'active' } });
  const volunteersActive = await db.membership.count({ where: { clubId: { in: clubIds }, role: 'volunteer', status: 'active', supporting: { some: { active: true } } } });
  return { months: list, total, membersActive, volunteersActive };
}

/** The six months ending with the current one, "YYYY-MM". */
export function lastSixMonths(now: Date, tz: string): { from: string; to: string } {
  const local = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit' }).format(now);
  const [y, m] = local.split('-').map(Number) as [number, number];
  const back = new Date(Date.UTC(y, m - 1 - 5, 1));
  return { from: `${back.getUTCFullYear()}-${String(back.getUTCMonth() + 1).padStart(2, '0')}`, to: `${y}-${String(m).padStart(2, '0')}` };
}
