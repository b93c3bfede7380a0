import { describe, expect, it } from 'vitest';
import { expandSeries, validateSeries } from '../../bot/clubs/recurrence.ts';
import { afterQuietHours, formatLocal, localToInstant, parseLocalInstant } from '../../flows/clubs/time.ts';

const HCM = 'Asia/Ho_Chi_Minh';
const local = (d: Date, tz = HCM) => formatLocal(d, tz).iso;

describe('recurrence', () => {
  it('"2nd Saturday 08:00" in Ho Chi Minh City', () => {
    const s = { rrule: 'FREQ=MONTHLY;BYDAY=2SA', dtstart: '2026-01-10T08:00', timeZone: HCM, durationMin: 120 };
    expect(validateSeries(s)).toBeNull();
    const occ = expandSeries(s, new Date('2026-01-01T00:00Z'), new Date('2026-06-30T00:00Z'));
    expect(occ.map((o) => local(o.startsAt))).toEqual([
      '2026-01-10T08:00',
      '2026-02-14T08:00',
      '2026-03-14T08:00',
      '2026-04-11T08:00',
      '2026-05-09T08:00',
      '2026-06-13T08:00',
    ]);
    expect(occ[0]!.startsAt.toISOString()).toBe('2026-01-10T01:00:00.000Z');
    expect(occ[0]!.endsAt.getTime() - occ[0]!.startsAt.getTime()).toBe(120 * 60_000);
  });

  it('"every other Saturday"', () => {
    const s = { rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=SA', dtstart: '2026-01-03T08:00', timeZone: HCM, durationMin: 90 };
    const occ = expandSeries(s, new Date('2026-01-01T00:00Z'), new Date('2026-02-15T00:00Z'));
    expect(occ.map((o) => local(o.startsAt))).toEqual(['2026-01-03T08:00', '2026-01-17T08:00', '2026-01-31T08:00', '2026-02-14T08:00']);
  });

  it('keeps local wall time across daylight saving (Europe/Berlin)', () => {
    const tz = 'Europe/Berlin';
    const s = { rrule: 'FREQ=WEEKLY;BYDAY=SA', dtstart: '2026-03-21T08:00', timeZone: tz, durationMin: 60 };
    const occ = expandSeries(s, new Date('2026-03-20T00:00Z'), new Date('2026-04-05T00:00Z'));
    expect(occ.map((o) => local(o.startsAt, tz))).toEqual(['2026-03-21T08:00', '2026-03-28T08:00', '2026-04-04T08:00']);
    // DST starts 29 March 2026: the UTC hour shifts, the local hour does not.
    expect(occ.map((o) => o.startsAt.getUTCHours())).toEqual([7, 7, 6]);
  });

  it('rejects bad rules with a clear message', () => {
    const ok = { rrule: 'FREQ=MONTHLY;BYDAY=2SA', dtstart: '2026-01-10T08:00', timeZone: HCM, durationMin: 120 };
    expect(validateSeries({ ...ok, rrule: 'FREQ=BOGUS' })).toMatch(/frequency BOGUS is not allowed/);
    expect(validateSeries({ ...ok, rrule: 'FREQ=MINUTELY' })).toMatch(/not allowed/);
    expect(validateSeries({ ...ok, rrule: 'BYDAY=SA' })).toMatch(/no FREQ/);
    expect(validateSeries({ ...ok, rrule: 'FREQ=MONTHLY;BYDAY=XX' })).toMatch(/not a valid RRULE/);
    expect(validateSeries({ ...ok, dtstart: '2026-02-30T08:00' })).toMatch(/not a date/);
    expect(validateSeries({ ...ok, timeZone: 'Mars/Olympus' })).toMatch(/IANA/);
    expect(validateSeries({ ...ok, durationMin: 0 })).toMatch(/duration/);
  });
});

describe('local time and quiet hours', () => {
  it('converts local wall time in a DST gap forward', () => {
    // 02:30 does not exist in Berlin on 29 March 2026.
    expect(localToInstant(2026, 3, 29, 2, 30, 'Europe/Berlin').toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(parseLocalInstant('2026-03-14T08:00', HCM)!.toISOString()).toBe('2026-03-14T01:00:00.000Z');
    expect(parseLocalInstant('2026-13-14T08:00', HCM)).toBeNull();
  });

  it('moves a send in quiet hours to 07:00 local, never drops it', () => {
    const at = (s: string) => parseLocalInstant(s, HCM)!;
    expect(local(afterQuietHours(at('2026-03-13T22:30'), HCM))).toBe('2026-03-14T07:00');
    expect(local(afterQuietHours(at('2026-03-14T05:59'), HCM))).toBe('2026-03-14T07:00');
    expect(local(afterQuietHours(at('2026-03-14T21:00'), HCM))).toBe('2026-03-15T07:00');
    expect(local(afterQuietHours(at('2026-03-14T07:00'), HCM))).toBe('2026-03-14T07:00');
    expect(local(afterQuietHours(at('2026-03-14T20:59'), HCM))).toBe('2026-03-14T20:59');
    // A window that does not span midnight.
    expect(local(afterQuietHours(at('2026-03-14T12:30'), HCM, { start: 12 * 60, end: 13 * 60 }))).toBe('2026-03-14T13:00');
  });
});
