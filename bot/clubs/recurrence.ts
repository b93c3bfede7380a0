// Meeting series → occurrences. An RRULE is expanded from a local wall-clock start in the
// series' IANA time zone with rrule-temporal (server-TZ independent, DST-correct).
import { RRuleTemporal } from 'rrule-temporal';
import { isTimeZone, parseLocal, pad2 } from '../../flows/clubs/time.ts';

export interface SeriesRule {
  rrule: string;
  /** "YYYY-MM-DDTHH:MM", local. */
  dtstart: string;
  timeZone: string;
  durationMin: number;
}

export interface PlannedOccurrence {
  originalStart: Date;
  startsAt: Date;
  endsAt: Date;
}

/** Weekly-or-slower rules only: a club meets at most weekly, and this bounds expansion. */
const ALLOWED_FREQ = new Set(['WEEKLY', 'MONTHLY', 'YEARLY']);

function ruleOf(s: SeriesRule): RRuleTemporal {
  const p = parseLocal(s.dtstart)!;
  const stamp = `${p.y}${pad2(p.mo)}${pad2(p.d)}T${pad2(p.h)}${pad2(p.mi)}00`;
  const body = s.rrule.trim().replace(/^RRULE:/i, '');
  return new RRuleTemporal({ rruleString: `DTSTART;TZID=${s.timeZone}:${stamp}\nRRULE:${body}` });
}

/** A human-readable problem with a series, or null when it can be expanded. */
export function validateSeries(s: SeriesRule): string | null {
  if (!parseLocal(s.dtstart)) return `start "${s.dtstart}" is not a date and time like 2026-01-10T08:00`;
  if (!isTimeZone(s.timeZone)) return `time zone "${s.timeZone}" is not an IANA time zone like Asia/Ho_Chi_Minh`;
  if (!Number.isInteger(s.durationMin) || s.durationMin < 15 || s.durationMin > 600) return 'duration must be 15-600 minutes';
  const body = s.rrule.trim().replace(/^RRULE:/i, '');
  const freq = /(?:^|;)FREQ=([A-Z]+)/i.exec(body)?.[1]?.toUpperCase();
  if (!freq) return `rule "${s.rrule}" has no FREQ (e.g. FREQ=MONTHLY;BYDAY=2SA)`;
  if (!ALLOWED_FREQ.has(freq)) return `rule frequency ${freq} is not allowed: use WEEKLY, MONTHLY or YEARLY`;
  try {
    const start = Date.now();
    ruleOf(s).between(new Date(start), new Date(start + 400 * 86_400_000), true);
  } catch (err) {
    return `rule "${s.rrule}" is not a valid RRULE: ${(err as Error).message}`;
  }
  return null;
}

/** Occurrences whose start lies in [from, to]. */
export function expandSeries(s: SeriesRule, from: Date, to: Date): PlannedOccurrence[] {
  return ruleOf(s)
    .between(from, to, true)
    .map((z) => {
      const start = new Date(z.epochMilliseconds);
      return { originalStart: start, startsAt: start, endsAt: new Date(start.getTime() + s.durationMin * 60_000) };
    });
}
