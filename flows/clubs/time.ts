// Wall-clock time in a club's IANA time zone, with no dependence on the server's TZ: local
// parts of an instant, the instant of a local time (DST-aware), and quiet hours.

const fmtCache = new Map<string, Intl.DateTimeFormat>();
function fmt(tz: string): Intl.DateTimeFormat {
  let f = fmtCache.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    fmtCache.set(tz, f);
  }
  return f;
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday. */
  weekday: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function isTimeZone(tz: string): boolean {
  try {
    fmt(tz);
    return true;
  } catch {
    return false;
  }
}

export function localParts(at: Date, tz: string): LocalParts {
  const p: Record<string, string> = {};
  for (const part of fmt(tz).formatToParts(at)) p[part.type] = part.value;
  return {
    year: Number(p['year']),
    month: Number(p['month']),
    day: Number(p['day']),
    hour: Number(p['hour']),
    minute: Number(p['minute']),
    second: Number(p['second']),
    weekday: WEEKDAYS.indexOf(p['weekday'] ?? ''),
  };
}

function offsetMs(at: Date, tz: string): number {
  const p = localParts(at, tz);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant a local wall time happens in `tz`. In a DST gap the later side wins (02:30 →
 * 03:30), like Temporal's "compatible" disambiguation. */
export function localToInstant(y: number, mo: number, d: number, h: number, mi: number, tz: string): Date {
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  const first = wall - offsetMs(new Date(wall), tz);
  const second = wall - offsetMs(new Date(first), tz);
  if (first === second) return new Date(first);
  // Ambiguous or a gap: take the candidate whose local time matches, else the later one.
  for (const c of [Math.min(first, second), Math.max(first, second)]) {
    const p = localParts(new Date(c), tz);
    if (p.hour === h && p.minute === mi) return new Date(c);
  }
  return new Date(Math.max(first, second));
}

const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$/;

/** "2026-03-14T08:00" → its parts, or null when malformed or not a real date/time. */
export function parseLocal(s: string): { y: number; mo: number; d: number; h: number; mi: number } | null {
  const m = LOCAL_RE.exec(s.trim());
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59) return null;
  return { y, mo, d, h, mi };
}

export function parseLocalInstant(s: string, tz: string): Date | null {
  const p = parseLocal(s);
  return p ? localToInstant(p.y, p.mo, p.d, p.h, p.mi, tz) : null;
}

export function parseHhmm(s: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(s);
  if (!m) return null;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  return h <= 23 && mi <= 59 ? h * 60 + mi : null;
}

export interface QuietHours {
  /** Minutes after local midnight. start > end means the window spans midnight. */
  start: number;
  end: number;
}

export const DEFAULT_QUIET: QuietHours = { start: 21 * 60, end: 7 * 60 };

function inQuiet(minute: number, q: QuietHours): boolean {
  if (q.start === q.end) return false;
  return q.start < q.end ? minute >= q.start && minute < q.end : minute >= q.start || minute < q.end;
}

/** Move a send that falls in quiet hours to the next allowed local time; never drop it. */
export function afterQuietHours(at: Date, tz: string, q: QuietHours = DEFAULT_QUIET): Date {
  const p = localParts(at, tz);
  const minute = p.hour * 60 + p.minute;
  if (!inQuiet(minute, q)) return at;
  // Quiet after midnight → today's end; quiet before midnight (spanning) → tomorrow's end.
  const tomorrow = q.start > q.end && minute >= q.start;
  const base = new Date(Date.UTC(p.year, p.month - 1, p.day + (tomorrow ? 1 : 0)));
  return localToInstant(base.getUTCFullYear(), base.getUTCMonth() + 1, base.getUTCDate(), Math.floor(q.end / 60), q.end % 60, tz);
}

export function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** "14/03/2026", "08:00", and the weekday, in the club's time zone: for messages and the CLI. */
export function formatLocal(at: Date, tz: string): { date: string; time: string; weekday: number; iso: string } {
  const p = localParts(at, tz);
  return {
    date: `${pad2(p.day)}/${pad2(p.month)}/${p.year}`,
    time: `${pad2(p.hour)}:${pad2(p.minute)}`,
    weekday: p.weekday,
    iso: `${p.year}-${pad2(p.month)}-${pad2(p.day)}T${pad2(p.hour)}:${pad2(p.minute)}`,
  };
}
