// Picking a locale's words and filling {placeholders}; pure helpers for every flow.
import type { Choice, Locale, OutboundMessage, Text } from './types.ts';

export function tr(text: Text, locale: Locale, vars?: Record<string, string | number>): string {
  const s = text[locale];
  if (!vars) return s;
  return s.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** One choice per row: the most legible layout on small phones and the Zalo numbered list. */
export function column(choices: Choice[]): Choice[][] {
  return choices.map((c) => [c]);
}

export function msg(text: string, choices?: Choice[][]): OutboundMessage {
  return choices && choices.length > 0 ? { text, choices } : { text };
}

/** Lower-case, strip Vietnamese diacritics (đ → d) and collapse spaces: for keyword matching. */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A calendar day (YYYY-MM-DD) as people write it: 20/11/2026, or 20 November 2026. */
export function formatDay(day: string, l: Locale): string {
  const [y, m, d] = day.split('-');
  return l === 'vi' ? `${d}/${m}/${y}` : `${Number(d)} ${MONTHS[Number(m) - 1]} ${y}`;
}
