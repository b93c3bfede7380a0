// The console's pure parts: schedules in plain words, small-cell suppression, the SVG charts and
// CSV quoting.
import { describe, expect, it } from 'vitest';
import { barChart, lineChart } from '../../bot/console/chart.ts';
import { csv } from '../../bot/console/csv.ts';
import { scheduleInWords } from '../../bot/console/schedule-words.ts';
import { cell, rateCell } from '../../bot/console/suppress.ts';

describe('scheduleInWords', () => {
  it.each([
    ['FREQ=MONTHLY;BYDAY=2SA', '2026-01-10T08:00', 120, 'Thứ Bảy tuần thứ hai hằng tháng, 8:00-10:00', 'Second Saturday of each month, 8:00-10:00'],
    ['FREQ=MONTHLY;BYDAY=-1FR', '2026-01-30T19:30', 90, 'Thứ Sáu tuần cuối cùng hằng tháng, 19:30-21:00', 'Last Friday of each month, 19:30-21:00'],
    ['FREQ=WEEKLY;BYDAY=SA', '2026-01-03T15:00', 60, 'Thứ Bảy hằng tuần, 15:00-16:00', 'Every Saturday, 15:00-16:00'],
    ['FREQ=WEEKLY;INTERVAL=2;BYDAY=SU', '2026-01-04T07:00', 120, 'Chủ Nhật, hai tuần một lần, 7:00-9:00', 'Every 2 weeks on Sunday, 7:00-9:00'],
    ['FREQ=MONTHLY;BYMONTHDAY=15', '2026-01-15T08:00', 120, 'Ngày 15 hằng tháng, 8:00-10:00', 'Day 15 of each month, 8:00-10:00'],
    ['FREQ=YEARLY;COUNT=1', '2026-12-20T15:30', 120, 'Một buổi, ngày 20/12/2026, 15:30-17:30', 'Once, 20/12/2026, 15:30-17:30'],
    ['FREQ=MONTHLY;BYDAY=MO,WE', '2026-01-05T08:00', 60, 'Theo quy tắc lặp, 8:00-9:00', 'By the repeat rule, 8:00-9:00'],
  ])('%s', (rrule, start, minutes, vi, en) => {
    expect(scheduleInWords(rrule, start, minutes, 'vi')).toBe(vi);
    expect(scheduleInWords(rrule, start, minutes, 'en')).toBe(en);
  });
});

describe('suppression', () => {
  it('every count under 5, zero included, is "<5"; 5 and above are shown', () => {
    expect([0, 1, 2, 3, 4].map((n) => cell(n))).toEqual(Array(5).fill({ n: null, text: '<5' }));
    expect(cell(5)).toEqual({ n: 5, text: '5' });
    expect(cell(120).text).toBe('120');
  });
  it('a rate over fewer than 5 is not shown', () => {
    expect(rateCell(1, 4).text).toBe('—');
    expect(rateCell(3, 6).text).toBe('50%');
  });
});

describe('charts', () => {
  const labels = ['01/26', '02/26', '03/26'];
  it('draws a suppressed cell as a hatched stub labelled "<5", never with its value', () => {
    const svg = barChart('Kết quả', labels, [{ name: 'ASSIST', cells: [cell(3), cell(12), cell(0)] }]);
    expect(svg).toMatch(/^<svg [^>]*role="img"/);
    expect(svg).toContain('<title>Kết quả</title>');
    expect(svg.match(/url\(#hatch\)/g)).toHaveLength(2);
    const labelsShown = [...svg.matchAll(/class="(?:val|tick)"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(labelsShown).toContain('<5'.replace('<', '&lt;'));
    expect(labelsShown.filter((t) => /^\d+$/.test(t!) && Number(t) < 5)).toEqual([]);
  });
  it('a line breaks where a rate cannot be shown', () => {
    const svg = lineChart('Tỷ lệ', labels, [{ name: 'x', cells: [{ n: 50, text: '50%' }, { n: null, text: '—' }, { n: 80, text: '80%' }] }]);
    expect(svg.match(/<path d="([^"]*)"/)![1]!.match(/M/g)).toHaveLength(2);
  });
  it('escapes names', () => {
    expect(barChart('<b>', labels, [{ name: '"x"<', cells: [cell(9), cell(9), cell(9)] }])).not.toMatch(/<b>|"x"</);
  });
});

describe('csv', () => {
  it('has a BOM, CRLF, quotes and no formulas', () => {
    expect(csv([['a', 'b,c'], ['=1+1', '"q"'], ['-3', '<5']])).toBe('\uFEFFa,"b,c"\r\n\'=1+1,"""q"""\r\n-3,<5\r\n');
  });
});
