// Charts drawn by the bot as SVG, server-side, with no DOM and no script: grouped bars (counts
// per month) and lines (rates per month). Hand-written because the libraries that render SVG
// without a browser (Vega and the like) are megabytes of runtime for two chart types; this is
// ~100 lines with nothing to keep up to date. Each chart is role="img" with a title; the table
// beside it carries the same figures for screen readers. Suppressed cells ("<5") are drawn as a
// hatched stub labelled "<5", never at their true height.
import { esc } from './html.ts';
import type { Cell } from './suppress.ts';

export interface Series {
  name: string;
  cells: Cell[];
}

const COLOURS = ['#1d5fa8', '#d9822b', '#2e8540', '#8e44ad', '#b03a2e', '#5d6d7e'];
// A phone's width: the text stays legible when the chart is drawn 350 pixels wide.
const W = 420;
const H = 260;
const PAD = { top: 20, right: 8, bottom: 60, left: 40 };

/** `floor`: the smallest top of the axis. 20 for suppressed figures, so that axis labels
 * (5, 10, 15, 20) never read as a small count; a board's own figures may use 4. */
function niceMax(v: number, floor: number): number {
  if (v <= floor) return floor;
  // Four gridlines at whole, round steps: 5, 10, 15, 25, 60, 250…
  const need = v / 4;
  const mag = 10 ** Math.floor(Math.log10(need));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 7.5, 8, 10]) {
    const step = m * mag;
    if (Number.isInteger(step) && step >= need) return step * 4;
  }
  return 40 * mag;
}

function frame(title: string, labels: string[], max: number, unit: string, inner: string, series: Series[]): string {
  const plotH = H - PAD.top - PAD.bottom;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const y = PAD.top + plotH * (1 - f);
    const label = f === 0 ? '' : `<text x="${PAD.left - 6}" y="${y + 4}" class="tick" text-anchor="end">${Math.round(max * f)}${unit}</text>`;
    return `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y}" y2="${y}" class="grid"/>${label}`;
  });
  const step = (W - PAD.left - PAD.right) / Math.max(labels.length, 1);
  const xLabels = labels.map((l, i) => `<text x="${PAD.left + step * (i + 0.5)}" y="${H - PAD.bottom + 16}" class="tick" text-anchor="middle">${esc(l)}</text>`);
  const legend = series.map(
    (s, i) => `<rect x="${8 + (i % 2) * 210}" y="${H - 34 + Math.floor(i / 2) * 18}" width="12" height="12" fill="${COLOURS[i % COLOURS.length]}"/><text x="${24 + (i % 2) * 210}" y="${H - 24 + Math.floor(i / 2) * 18}" class="tick">${esc(s.name)}</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}" class="chart"><title>${esc(title)}</title>
<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#777" stroke-width="3"/></pattern></defs>
${ticks.join('')}${xLabels.join('')}${inner}${legend.join('')}</svg>`;
}

/** Grouped bars: one group per label, one bar per series. */
export function barChart(title: string, labels: string[], series: Series[], floor = 20): string {
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.cells.map((c) => c.n ?? 0))), floor);
  const plotH = H - PAD.top - PAD.bottom;
  const step = (W - PAD.left - PAD.right) / Math.max(labels.length, 1);
  const barW = Math.max(4, (step * 0.8) / Math.max(series.length, 1));
  const stub = Math.max(6, plotH * 0.04);
  const bars: string[] = [];
  series.forEach((s, si) => {
    s.cells.forEach((c, i) => {
      const x = PAD.left + step * i + step * 0.1 + barW * si;
      const h = c.n === null ? stub : (c.n / max) * plotH;
      const y = PAD.top + plotH - h;
      const fill = c.n === null ? 'url(#hatch)' : COLOURS[si % COLOURS.length];
      bars.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${fill}" stroke="${COLOURS[si % COLOURS.length]}"><title>${esc(`${s.name}, ${labels[i]}: ${c.text}`)}</title></rect>`);
      if (c.n === null || series.length * labels.length <= 24) {
        bars.push(`<text x="${(x + (barW - 2) / 2).toFixed(1)}" y="${(y - 3).toFixed(1)}" class="val" text-anchor="middle">${esc(c.text)}</text>`);
      }
    });
  });
  return frame(title, labels, max, '', bars.join(''), series);
}

/** Lines of percentages (0-100); a point that cannot be shown breaks the line. */
export function lineChart(title: string, labels: string[], series: Series[]): string {
  const plotH = H - PAD.top - PAD.bottom;
  const step = (W - PAD.left - PAD.right) / Math.max(labels.length, 1);
  const parts: string[] = [];
  series.forEach((s, si) => {
    const colour = COLOURS[si % COLOURS.length];
    let path = '';
    s.cells.forEach((c, i) => {
      const x = PAD.left + step * (i + 0.5);
      if (c.n === null) {
        path += ' ';
        parts.push(`<text x="${x.toFixed(1)}" y="${PAD.top + plotH - 4}" class="val" text-anchor="middle">${esc(c.text)}</text>`);
        return;
      }
      const y = PAD.top + plotH * (1 - c.n / 100);
      path += `${path.endsWith(' ') || path === '' ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`;
      parts.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="4" fill="${colour}"><title>${esc(`${s.name}, ${labels[i]}: ${c.text}`)}</title></circle>`);
      parts.push(`<text x="${x.toFixed(1)}" y="${(y - 8).toFixed(1)}" class="val" text-anchor="middle">${esc(c.text)}</text>`);
    });
    parts.unshift(`<path d="${path.trim()}" fill="none" stroke="${colour}" stroke-width="2.5"/>`);
  });
  return frame(title, labels, 100, '%', parts.join(''), series);
}
