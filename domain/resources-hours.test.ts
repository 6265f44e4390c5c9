import { describe, expect, it } from 'vitest';
import {
  compileWeeklyHours,
  hoursOn,
  hoursToday,
  isOpenAt,
  minuteOfWeek,
  openUntil,
  type ScheduleRule,
  toMultirangeLiteral,
} from './resources-hours.ts';

const BOSTON = 'America/New_York';
const weekly = (byday: string, opensAt: string, closesAt: string, more: Partial<ScheduleRule> = {}) => ({
  freq: 'WEEKLY',
  byday,
  opensAt,
  closesAt,
  ...more,
});
// 2026-03-06 is a Friday; daylight saving time starts on Sunday 2026-03-08 and ends on Sunday 2026-11-01.
const at = (iso: string) => new Date(iso);

describe('weekly hours as minutes of the week', () => {
  it('compile weekday hours Monday to Friday', () => {
    expect(compileWeeklyHours([weekly('MO,TU,WE,TH,FR', '09:00', '17:00')])).toEqual([
      [540, 1020],
      [1980, 2460],
      [3420, 3900],
      [4860, 5340],
      [6300, 6780],
    ]);
  });

  it('run hours that close before they open into the next day', () => {
    // Friday 22:00 to Saturday 02:00.
    expect(compileWeeklyHours([weekly('FR', '22:00', '02:00')])).toEqual([[4 * 1440 + 1320, 5 * 1440 + 120]]);
  });

  it('split Sunday night into the end and the start of the week', () => {
    expect(compileWeeklyHours([weekly('SU', '22:00', '02:00')])).toEqual([
      [0, 120],
      [6 * 1440 + 1320, 10080],
    ]);
  });

  it('read DAILY, 23:59 as midnight, and equal times as around the clock', () => {
    expect(compileWeeklyHours([{ freq: 'DAILY', opensAt: '00:00', closesAt: '23:59' }])).toEqual([
      [0, 10080],
    ]);
    expect(compileWeeklyHours([weekly('MO', '08:00', '08:00')])).toEqual([[480, 1920]]);
  });

  it('merge overlapping and touching schedules', () => {
    expect(
      compileWeeklyHours([
        weekly('MO', '09:00', '12:00'),
        weekly('MO', '12:00', '17:00'),
        weekly('MO', '10:00', '11:00'),
      ]),
    ).toEqual([[540, 1020]]);
  });

  it('leave monthly and every-other-week rules out of weekly hours', () => {
    expect(
      compileWeeklyHours([{ freq: 'MONTHLY', byday: '1MO', opensAt: '09:00', closesAt: '12:00' }]),
    ).toBeNull();
    expect(compileWeeklyHours([weekly('MO', '09:00', '12:00', { interval: 2 })])).toBeNull();
    expect(compileWeeklyHours([weekly('1MO', '09:00', '12:00')])).toBeNull();
  });

  it('ignore schedules outside their valid dates', () => {
    const expired = weekly('MO,TU,WE,TH,FR', '09:00', '17:00', { validTo: '2026-01-31' });
    const future = weekly('SA', '10:00', '14:00', { validFrom: '2026-06-01' });
    expect(compileWeeklyHours([expired, future], '2026-03-06')).toBeNull();
    expect(compileWeeklyHours([expired, future], '2026-01-15')).toHaveLength(5);
    expect(compileWeeklyHours([expired, future], '2026-06-06')).toEqual([[5 * 1440 + 600, 5 * 1440 + 840]]);
  });

  it('render as an int4multirange literal', () => {
    expect(
      toMultirangeLiteral([
        [0, 120],
        [9960, 10080],
      ]),
    ).toBe('{[0,120),[9960,10080)}');
    expect(toMultirangeLiteral([])).toBe('{}');
  });
});

describe('open at an instant, on the location’s wall clock', () => {
  it('is open on Saturday at 01:00 for Friday 22:00–02:00, and closed at 03:00', () => {
    const ranges = compileWeeklyHours([weekly('FR', '22:00', '02:00')])!;
    expect(isOpenAt(ranges, at('2026-03-06T23:30:00-05:00'), BOSTON)).toBe(true);
    expect(isOpenAt(ranges, at('2026-03-07T01:00:00-05:00'), BOSTON)).toBe(true);
    expect(isOpenAt(ranges, at('2026-03-07T02:00:00-05:00'), BOSTON)).toBe(false);
    expect(isOpenAt(ranges, at('2026-03-07T03:00:00-05:00'), BOSTON)).toBe(false);
    expect(isOpenAt(ranges, at('2026-03-06T21:59:00-05:00'), BOSTON)).toBe(false);
  });

  it('wraps the week: Sunday 22:00–Monday 02:00 is open on Monday at 01:00', () => {
    const ranges = compileWeeklyHours([weekly('SU', '22:00', '02:00')])!;
    expect(isOpenAt(ranges, at('2026-03-01T23:00:00-05:00'), BOSTON)).toBe(true);
    expect(isOpenAt(ranges, at('2026-03-02T01:00:00-05:00'), BOSTON)).toBe(true);
    expect(isOpenAt(ranges, at('2026-03-02T03:00:00-05:00'), BOSTON)).toBe(false);
  });

  it('follows the clock across daylight saving time, not a fixed offset', () => {
    const dayHours = compileWeeklyHours([weekly('SU,MO', '09:00', '17:00')])!;
    // Sunday 8 March 2026, 13:00 UTC is 09:00 EDT (it would be 08:00 at the winter offset).
    expect(isOpenAt(dayHours, at('2026-03-08T13:00:00Z'), BOSTON)).toBe(true);
    expect(isOpenAt(dayHours, at('2026-03-08T12:59:00Z'), BOSTON)).toBe(false);
    // The night the clocks go forward: 01:00–04:00 holds 01:59 EST and 03:30 EDT, but not 04:00 EDT.
    const night = compileWeeklyHours([weekly('SU', '01:00', '04:00')])!;
    expect(isOpenAt(night, at('2026-03-08T06:59:00Z'), BOSTON)).toBe(true);
    expect(isOpenAt(night, at('2026-03-08T07:30:00Z'), BOSTON)).toBe(true);
    expect(isOpenAt(night, at('2026-03-08T08:00:00Z'), BOSTON)).toBe(false);
    // The night they go back, 01:30 happens twice and is open both times.
    const late = compileWeeklyHours([weekly('SU', '01:00', '02:00')])!;
    expect(isOpenAt(late, at('2026-11-01T05:30:00Z'), BOSTON)).toBe(true);
    expect(isOpenAt(late, at('2026-11-01T06:30:00Z'), BOSTON)).toBe(true);
    expect(isOpenAt(late, at('2026-11-01T07:00:00Z'), BOSTON)).toBe(false);
  });

  it('reads the same instant in each zone', () => {
    const instant = at('2026-03-06T17:30:00Z'); // Friday 12:30 in Boston, 09:30 in Los Angeles
    expect(minuteOfWeek(instant, BOSTON)).toBe(4 * 1440 + 750);
    expect(minuteOfWeek(instant, 'America/Los_Angeles')).toBe(4 * 1440 + 570);
  });
});

describe('hours as the worker reads them', () => {
  const weekdays = [weekly('MO,TU,WE,TH,FR', '09:00', '17:00')];

  it('say the day’s hours, closed, or not listed', () => {
    expect(hoursOn(weekdays, '2026-03-06')).toBe('9:00 AM – 5:00 PM');
    expect(hoursOn(weekdays, '2026-03-07')).toBe('Closed today');
    expect(hoursOn([], '2026-03-07')).toBe('Hours not listed');
    expect(hoursOn([weekly('MO', '09:00', '17:00', { validTo: '2026-01-31' })], '2026-03-02')).toBe(
      'Hours not listed',
    );
  });

  it('show a night opening on the day it starts, and its end the morning after', () => {
    const night = [weekly('FR', '22:00', '02:00')];
    expect(hoursOn(night, '2026-03-06')).toBe('10:00 PM – 2:00 AM');
    expect(hoursOn(night, '2026-03-07')).toBe('Until 2:00 AM');
    const sunday = [weekly('SU', '22:00', '02:00')];
    expect(hoursOn(sunday, '2026-03-08')).toBe('10:00 PM – 2:00 AM');
    expect(hoursOn(sunday, '2026-03-09')).toBe('Until 2:00 AM');
  });

  it('say "Open 24 hours" for a day open around the clock', () => {
    expect(hoursOn([{ freq: 'DAILY', opensAt: '00:00', closesAt: '00:00' }], '2026-03-08')).toBe(
      'Open 24 hours',
    );
  });

  it('describe monthly rules in words, never as open now', () => {
    const pantry = [{ freq: 'MONTHLY', byday: '1MO', opensAt: '09:00', closesAt: '12:00' }];
    expect(hoursOn(pantry, '2026-03-02')).toBe('First Monday of the month, 9 AM – 12 PM');
    expect(hoursToday(pantry, at('2026-03-02T15:00:00Z'), BOSTON)).toEqual({
      text: 'First Monday of the month, 9 AM – 12 PM',
      openNow: null,
    });
  });

  it('say until when a service stays open', () => {
    const evenings = compileWeeklyHours([weekly('MO,TU,WE,TH,FR', '12:00', '21:00')])!;
    expect(openUntil(evenings, at('2026-03-06T14:00:00-05:00'), BOSTON)).toBe('open until 9 PM');
    expect(openUntil(evenings, at('2026-03-06T22:00:00-05:00'), BOSTON)).toBeNull();
    const night = compileWeeklyHours([weekly('FR', '22:00', '02:00')])!;
    expect(openUntil(night, at('2026-03-06T23:00:00-05:00'), BOSTON)).toBe('open until 2 AM');
    const sunday = compileWeeklyHours([weekly('SU', '22:00', '02:30')])!;
    expect(openUntil(sunday, at('2026-03-01T23:00:00-05:00'), BOSTON)).toBe('open until 2:30 AM');
    expect(openUntil(sunday, at('2026-03-02T01:00:00-05:00'), BOSTON)).toBe('open until 2:30 AM');
    const always = compileWeeklyHours([{ freq: 'DAILY', opensAt: '00:00', closesAt: '23:59' }])!;
    expect(openUntil(always, at('2026-03-06T03:00:00-05:00'), BOSTON)).toBe('open 24 hours');
  });

  it('give today’s hours with whether the service is open', () => {
    expect(hoursToday(weekdays, at('2026-03-06T10:00:00-05:00'), BOSTON)).toEqual({
      text: '9:00 AM – 5:00 PM',
      openNow: true,
    });
    expect(hoursToday(weekdays, at('2026-03-07T10:00:00-05:00'), BOSTON)).toEqual({
      text: 'Closed today',
      openNow: false,
    });
    expect(hoursToday([], at('2026-03-07T10:00:00-05:00'), BOSTON)).toEqual({
      text: 'Hours not listed',
      openNow: null,
    });
  });
});
