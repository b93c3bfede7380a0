// A meeting series' RRULE in plain words, as a board would say it: "Thứ Bảy tuần thứ hai hằng
// tháng, 8:00-10:00" / "Second Saturday of each month, 8:00-10:00". Rules it cannot say plainly
// fall back to the RRULE itself (always shown beneath anyway).
import type { Locale } from './words.ts';

const DAYS: Record<string, [string, string]> = {
  MO: ['Thứ Hai', 'Monday'],
  TU: ['Thứ Ba', 'Tuesday'],
  WE: ['Thứ Tư', 'Wednesday'],
  TH: ['Thứ Năm', 'Thursday'],
  FR: ['Thứ Sáu', 'Friday'],
  SA: ['Thứ Bảy', 'Saturday'],
  SU: ['Chủ Nhật', 'Sunday'],
};
const ORD_VI: Record<string, string> = { '1': 'thứ nhất', '2': 'thứ hai', '3': 'thứ ba', '4': 'thứ tư', '5': 'thứ năm', '-1': 'cuối cùng' };
const ORD_EN: Record<string, string> = { '1': 'First', '2': 'Second', '3': 'Third', '4': 'Fourth', '5': 'Fifth', '-1': 'Last' };
const NUM_VI = ['', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu'];

function clock(hhmm: string): string {
  const [h, m] = hhmm.split(':');
  return `${Number(h)}:${m}`;
}

function addMinutes(hhmm: string, minutes: number): string {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const t = (h * 60 + m + minutes) % 1440;
  return `${Math.floor(t / 60)}:${String(t % 60).padStart(2, '0')}`;
}

function parts(rrule: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const p of rrule.replace(/^RRULE:/i, '').split(';')) {
    const [k, v] = p.split('=');
    if (k && v) m.set(k.toUpperCase(), v.toUpperCase());
  }
  return m;
}

/** "YYYY-MM-DD" of a one-off series (COUNT=1), else null. */
export function oneOffDay(rrule: string, dtstart: string): string | null {
  return parts(rrule).get('COUNT') === '1' ? dtstart.slice(0, 10) : null;
}

export function scheduleInWords(rrule: string, dtstart: string, durationMin: number, l: Locale): string {
  const p = parts(rrule);
  const vi = l === 'vi';
  const time = `${clock(dtstart.slice(11, 16))}-${addMinutes(dtstart.slice(11, 16), durationMin)}`;
  const once = oneOffDay(rrule, dtstart);
  if (once) {
    const [y, mo, d] = once.split('-');
    return vi ? `Một buổi, ngày ${d}/${mo}/${y}, ${time}` : `Once, ${Number(d)}/${Number(mo)}/${y}, ${time}`;
  }
  const freq = p.get('FREQ');
  const interval = Number(p.get('INTERVAL') ?? '1');
  const byday = p.get('BYDAY');
  const dayMatch = byday && !byday.includes(',') ? /^([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)$/.exec(byday) : null;
  const dayName = dayMatch ? DAYS[dayMatch[2]!]! : null;
  let words: string | null = null;
  if (freq === 'WEEKLY' && dayName && !dayMatch![1]) {
    if (interval === 1) words = vi ? `${dayName[0]} hằng tuần` : `Every ${dayName[1]}`;
    else if (interval <= 6) words = vi ? `${dayName[0]}, ${NUM_VI[interval]} tuần một lần` : `Every ${interval} weeks on ${dayName[1]}`;
  } else if (freq === 'MONTHLY' && dayName && dayMatch![1] && interval === 1) {
    const n = String(Number(dayMatch![1]));
    if (ORD_VI[n]) words = vi ? `${dayName[0]} tuần ${ORD_VI[n]} hằng tháng` : `${ORD_EN[n]} ${dayName[1]} of each month`;
  } else if (freq === 'MONTHLY' && p.get('BYMONTHDAY') && !byday && interval === 1 && /^\d{1,2}$/.test(p.get('BYMONTHDAY')!)) {
    words = vi ? `Ngày ${p.get('BYMONTHDAY')} hằng tháng` : `Day ${p.get('BYMONTHDAY')} of each month`;
  }
  return words ? `${words}, ${time}` : vi ? `Theo quy tắc lặp, ${time}` : `By the repeat rule, ${time}`;
}
