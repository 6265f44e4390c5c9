import { TZDate } from '@date-fns/tz';

/**
 * Opening hours of directory services, from HSDS schedules (RFC 5545 recurrence fields plus opens_at and
 * closes_at, in the local time of the location). Weekly hours compile to ranges of minutes of the week
 * (Monday 00:00 = 0 … Sunday 23:59 = 10079), which is what "open now" tests, in SQL as an int4multirange
 * and here. Hours that close earlier than they open run past midnight into the next day; Sunday night runs
 * into Monday morning and is split at the end of the week. Monthly and other rules cannot be tested that
 * way: they are shown as text and never make a service "open now".
 */

export const MINUTES_PER_DAY = 1440;
export const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

/** A schedule row as HSDS gives it (the fields hours need). */
export interface ScheduleRule {
  freq?: string | null;
  byday?: string | null;
  bymonthday?: string | null;
  interval?: number | null;
  dtstart?: string | null;
  opensAt?: string | null;
  closesAt?: string | null;
  validFrom?: string | null;
  validTo?: string | null;
  description?: string | null;
}

/** Minutes of the week, start included and end excluded. */
export type WeekRange = readonly [start: number, end: number];

const DAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const ORDINALS: Record<string, string> = {
  '1': 'First',
  '2': 'Second',
  '3': 'Third',
  '4': 'Fourth',
  '5': 'Fifth',
  '-1': 'Last',
};

/** "09:00", "9:00:00" → minutes after midnight; null when not a time. */
function minutesOf(time: string | null | undefined): number | null {
  const m = /^(\d{1,2}):(\d{2})(?::\d{2})?$/.exec(time?.trim() ?? '');
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 24 || min > 59 || (h === 24 && min > 0)) return null;
  return h * 60 + min;
}

/** Whether a schedule applies on a local date (YYYY-MM-DD), by its valid_from and valid_to. */
export function isValidOn(schedule: ScheduleRule, date: string | undefined): boolean {
  if (!date) return true;
  if (schedule.validFrom && schedule.validFrom > date) return false;
  if (schedule.validTo && schedule.validTo < date) return false;
  return true;
}

/** The open minutes of one day's opening, relative to that day's midnight: [opens, closes). */
function dailySpan(schedule: ScheduleRule): WeekRange | null {
  const opens = minutesOf(schedule.opensAt);
  let closes = minutesOf(schedule.closesAt);
  if (opens === null || closes === null) return null;
  // 23:59 is how directories write "until midnight".
  if (closes === MINUTES_PER_DAY - 1) closes = MINUTES_PER_DAY;
  if (closes <= opens) closes += MINUTES_PER_DAY; // past midnight; equal times mean around the clock
  return [opens, closes];
}

/** The weekdays (0 = Monday) a schedule opens on every week; null when it is not a plain weekly rule. */
function weeklyDays(schedule: ScheduleRule): number[] | null {
  const freq = (schedule.freq ?? '').trim().toUpperCase();
  if ((schedule.interval ?? 1) !== 1) return null;
  if (freq === 'DAILY') {
    if (!schedule.byday?.trim()) return [0, 1, 2, 3, 4, 5, 6];
  } else if (freq !== 'WEEKLY') return null;
  const codes = (schedule.byday ?? '')
    .toUpperCase()
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  if (!codes.length) {
    // RFC 5545: a weekly rule without BYDAY repeats on the weekday of its start.
    if (!schedule.dtstart) return null;
    const [y, m, d] = schedule.dtstart.split('-').map(Number);
    const weekday = new Date(Date.UTC(y!, m! - 1, d!)).getUTCDay();
    return [(weekday + 6) % 7];
  }
  const days: number[] = [];
  for (const code of codes) {
    const day = DAY_CODES.indexOf(code as (typeof DAY_CODES)[number]);
    if (day < 0) return null; // an ordinal ("1MO") is a monthly idea
    days.push(day);
  }
  return days;
}

/** Sorts and joins overlapping or touching ranges. */
export function mergeRanges(ranges: readonly WeekRange[]): WeekRange[] {
  const sorted = [...ranges].filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/**
 * The weekly open hours of a set of schedules as minutes of the week, merged; hours that run past Sunday
 * midnight are split at the end of the week. Only schedules valid on `on` (a local date) count when it is
 * given. Null when none of them gives weekly hours ("hours not listed"); [] is "never open".
 */
export function compileWeeklyHours(schedules: readonly ScheduleRule[], on?: string): WeekRange[] | null {
  const ranges: WeekRange[] = [];
  let understood = false;
  for (const schedule of schedules) {
    if (!isValidOn(schedule, on)) continue;
    const days = weeklyDays(schedule);
    const span = dailySpan(schedule);
    if (!days || !span) continue;
    understood = true;
    for (const day of days) {
      const start = day * MINUTES_PER_DAY + span[0];
      const end = day * MINUTES_PER_DAY + span[1];
      if (end <= MINUTES_PER_WEEK) ranges.push([start, end]);
      else ranges.push([start, MINUTES_PER_WEEK], [0, end - MINUTES_PER_WEEK]);
    }
  }
  return understood ? mergeRanges(ranges) : null;
}

/** Ranges as a PostgreSQL int4multirange literal, e.g. `{[540,1020),[1980,2460)}`; `{}` when empty. */
export function toMultirangeLiteral(ranges: readonly WeekRange[]): string {
  return `{${ranges.map(([s, e]) => `[${s},${e})`).join(',')}}`;
}

/** The minute of the week (Monday 00:00 = 0) of an instant on the wall clock of a time zone. */
export function minuteOfWeek(instant: Date, timeZone: string): number {
  const local = new TZDate(instant.getTime(), timeZone);
  return ((local.getDay() + 6) % 7) * MINUTES_PER_DAY + local.getHours() * 60 + local.getMinutes();
}

/** The local date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(instant: Date, timeZone: string): string {
  const local = new TZDate(instant.getTime(), timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${local.getFullYear()}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`;
}

/** Whether weekly hours are open at an instant, read on the location's wall clock. */
export function isOpenAt(ranges: readonly WeekRange[], instant: Date, timeZone: string): boolean {
  const minute = minuteOfWeek(instant, timeZone);
  return ranges.some(([s, e]) => s <= minute && minute < e);
}

/** "9:00 AM", or "9 AM" when `short` and on the hour; 24:00 is midnight. */
export function formatTime(minutes: number, short = false): string {
  const m = ((minutes % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  const h = Math.floor(m / 60);
  const min = m % 60;
  const suffix = h < 12 ? 'AM' : 'PM';
  const h12 = h % 12 === 0 ? 12 : h % 12;
  if (short && min === 0) return `${h12} ${suffix}`;
  return `${h12}:${String(min).padStart(2, '0')} ${suffix}`;
}

/**
 * Until when weekly hours stay open from an instant, as "open until 9 PM" (or "open 24 hours" when they never
 * close); null when closed then.
 */
export function openUntil(ranges: readonly WeekRange[], instant: Date, timeZone: string): string | null {
  return openUntilMinute(ranges, minuteOfWeek(instant, timeZone));
}

/** `openUntil` at a minute of the week already read on the location's clock. */
export function openUntilMinute(ranges: readonly WeekRange[], minute: number): string | null {
  const openings = weekOpenings(ranges);
  if (openings.length === 1 && openings[0]![0] === 0 && openings[0]![1] === MINUTES_PER_WEEK) {
    return 'open 24 hours';
  }
  const current = openings
    .flatMap(([s, e]) => [[s, e] as WeekRange, [s - MINUTES_PER_WEEK, e - MINUTES_PER_WEEK] as WeekRange])
    .find(([s, e]) => s <= minute && minute < e);
  if (!current) return null;
  const end = current[1];
  const day = Math.floor(minute / MINUTES_PER_DAY);
  const endDay = Math.floor(end / MINUTES_PER_DAY);
  if (end % MINUTES_PER_DAY === 0 && endDay === day + 1) return 'open until midnight';
  // Today, or tonight past midnight (before noon the next day): the time says enough.
  if (endDay === day || (endDay === day + 1 && end % MINUTES_PER_DAY < 12 * 60)) {
    return `open until ${formatTime(end, true)}`;
  }
  return `open until ${DAY_NAMES[((endDay % 7) + 7) % 7]} ${formatTime(end, true)}`;
}

/** "First Monday of the month, 9 AM – 12 PM": a rule open-now cannot test, as text. */
export function describeRule(schedule: ScheduleRule): string | null {
  const span = dailySpan(schedule);
  const time = span ? `${formatTime(span[0], true)} – ${formatTime(span[1], true)}` : null;
  const freq = (schedule.freq ?? '').toUpperCase();
  let when: string | null = null;
  if (freq === 'MONTHLY') {
    const byday = (schedule.byday ?? '').toUpperCase().split(',').filter(Boolean);
    const parts = byday
      .map((code) => /^([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)$/.exec(code.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => {
        const day = DAY_NAMES[DAY_CODES.indexOf(m[2] as (typeof DAY_CODES)[number])];
        const ordinal = m[1] ? ORDINALS[m[1].replace('+', '')] : 'Every';
        return `${ordinal ?? `Week ${m[1]}`} ${day}`;
      });
    if (parts.length) when = `${parts.join(' and ')} of the month`;
    else if (schedule.bymonthday) when = `Day ${schedule.bymonthday} of the month`;
    else when = 'Monthly';
  } else if (freq === 'WEEKLY' && (schedule.interval ?? 1) > 1) {
    when = `Every ${schedule.interval} weeks`;
  }
  const text = [when, time].filter(Boolean).join(', ');
  return text || schedule.description?.trim() || null;
}

/**
 * The hours of one local date (YYYY-MM-DD) as text: "9:00 AM – 5:00 PM", "10:00 PM – 2:00 AM" for a night
 * opening that starts that day, "Open 24 hours", "Closed today", or "Hours not listed"; rules that are not
 * weekly (monthly, every other week) are added as text.
 */
export function hoursOn(schedules: readonly ScheduleRule[], date: string, _timeZone?: string): string {
  const valid = schedules.filter((s) => isValidOn(s, date));
  const ranges = compileWeeklyHours(valid);
  const [y, m, d] = date.split('-').map(Number);
  const day = (new Date(Date.UTC(y!, m! - 1, d!)).getUTCDay() + 6) % 7;
  const others = valid
    .filter((s) => weeklyDays(s) === null || dailySpan(s) === null)
    .map(describeRule)
    .filter((t): t is string => Boolean(t));
  const parts: string[] = [];
  if (ranges) {
    const from = day * MINUTES_PER_DAY;
    const to = from + MINUTES_PER_DAY;
    // Each opening once, Sunday-night hours joined to their Monday-morning end; and seen a week earlier,
    // so that Monday sees the night that began on Sunday.
    const openings = weekOpenings(ranges).flatMap(([s, e]) => [
      [s, e] as WeekRange,
      [s - MINUTES_PER_WEEK, e - MINUTES_PER_WEEK] as WeekRange,
    ]);
    if (openings.some(([s, e]) => s <= from && e >= to)) parts.push('Open 24 hours');
    else {
      for (const [s, e] of openings.filter(([s]) => s >= from && s < to).sort((a, b) => a[0] - b[0])) {
        parts.push(`${formatTime(s)} – ${formatTime(e)}`);
      }
      const continuing = openings.find(([s, e]) => s < from && e > from);
      if (!parts.length) parts.push(continuing ? `Until ${formatTime(continuing[1])}` : 'Closed today');
    }
  }
  parts.push(...others);
  return parts.length ? [...new Set(parts)].join(', ') : 'Hours not listed';
}

/** Merged ranges with the hours that run past Sunday midnight joined to their Monday end (which passes 10080). */
function weekOpenings(ranges: readonly WeekRange[]): WeekRange[] {
  const merged = mergeRanges(ranges);
  const first = merged[0];
  const last = merged[merged.length - 1];
  if (merged.length > 1 && first && last && first[0] === 0 && last[1] === MINUTES_PER_WEEK) {
    return [...merged.slice(1, -1), [last[0], MINUTES_PER_WEEK + first[1]]];
  }
  return merged;
}

/** Today's hours of a service at an instant, on its own wall clock, with whether it is open then. */
export function hoursToday(
  schedules: readonly ScheduleRule[],
  now: Date,
  timeZone: string,
): { text: string; openNow: boolean | null } {
  return hoursTodayOn(schedules, localDate(now, timeZone), minuteOfWeek(now, timeZone));
}

/** `hoursToday` from the local date and minute of the week already read on the location's clock. */
export function hoursTodayOn(
  schedules: readonly ScheduleRule[],
  date: string,
  minute: number,
): { text: string; openNow: boolean | null } {
  const ranges = compileWeeklyHours(schedules, date);
  return {
    text: hoursOn(schedules, date),
    openNow: ranges ? ranges.some(([s, e]) => s <= minute && minute < e) : null,
  };
}
