// Small-cell suppression: every count under 5 that an officer sees (page, chart or CSV) is shown
// as "<5", so that no figure singles out a person. This is the one place that decides it.
export const MIN_CELL = 5;

export interface Cell {
  /** The count when it may be shown; null when suppressed. */
  n: number | null;
  /** What every page, chart and CSV prints. */
  text: string;
}

export function cell(count: number): Cell {
  // Zero too: showing 0 next to "<5" would narrow the others down.
  if (count < MIN_CELL) return { n: null, text: `<${MIN_CELL}` };
  return { n: count, text: String(count) };
}

/** A rate is only shown when its denominator may be shown and is not zero. */
export function rateCell(part: number, whole: number): Cell {
  if (whole < MIN_CELL) return { n: null, text: '—' };
  const pct = Math.round((part / whole) * 100);
  return { n: pct, text: `${pct}%` };
}
