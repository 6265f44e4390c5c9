import { POVERTY_GUIDELINES } from '../../../domain/eligibility/poverty.ts';
import { SDOH_DOMAIN_LABELS, SDOH_DOMAINS, type SdohDomain } from '../../../domain/needs.ts';
import {
  ASSISTANCE_KINDS,
  type AssistanceKind,
  type CostKind,
  type EligibilityRules,
} from '../../../domain/resources.ts';
import { describeRule } from '../../../domain/resources-hours.ts';
import { PAYER_TYPES, type PayerType } from '../../../domain/schemas/patients.ts';
import { formatCalendarDate } from '../../components/dates.ts';
import type { EligibilityVerdict, ScheduleRow } from './types.ts';

/** Needs (SDOH domains) in alphabetical order of their labels, for pickers. */
export const DOMAIN_CHOICES = [...SDOH_DOMAINS]
  .sort((a, b) => SDOH_DOMAIN_LABELS[a].localeCompare(SDOH_DOMAIN_LABELS[b]))
  .map((value) => ({ value, label: SDOH_DOMAIN_LABELS[value] }));

export const ASSISTANCE_CHOICES = Object.entries(ASSISTANCE_KINDS).map(([value, label]) => ({
  value,
  label,
}));

export const domainLabel = (domain: SdohDomain): string => SDOH_DOMAIN_LABELS[domain] ?? domain;
export const assistanceLabel = (kind: AssistanceKind): string => ASSISTANCE_KINDS[kind] ?? kind;

export const COST_LABELS: Record<CostKind, string> = {
  free: 'Free',
  fee: 'Fees apply',
  unknown: 'Cost not listed',
};

export const VERDICT_LABELS: Record<EligibilityVerdict['verdict'], string> = {
  eligible: 'Eligible',
  possibly: 'Possibly eligible',
  'not-eligible': 'Not eligible',
  'no-rules': 'No eligibility rules',
};

// Colours chosen for text contrast (WCAG AA); the words carry the meaning.
export const VERDICT_STYLE: Record<
  EligibilityVerdict['verdict'],
  { color: string; variant: 'filled' | 'outline' }
> = {
  eligible: { color: 'teal.9', variant: 'filled' },
  possibly: { color: 'yellow.3', variant: 'filled' },
  'not-eligible': { color: 'red.9', variant: 'filled' },
  'no-rules': { color: 'gray.8', variant: 'outline' },
};

const money = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 0,
});

/** "A or B", "A, B or C". */
function either(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

/** The newest poverty guideline of the 48 states, to put the percentage in dollars. */
const guideline = [...POVERTY_GUIDELINES]
  .filter((g) => g.area === 'contiguous')
  .sort((a, b) => b.year - a.year)[0];

/** "Ages 18 to 64", "Ages 65 and over", "Ages 17 and under". */
function ages(min: number | undefined, max: number | undefined): string | null {
  if (min !== undefined && max !== undefined) return min === max ? `Age ${min}` : `Ages ${min} to ${max}`;
  if (min !== undefined) return `Ages ${min} and over`;
  if (max !== undefined) return `Ages ${max} and under`;
  return null;
}

/** A service's machine-checkable eligibility as sentences a worker reads to the patient. */
export function describeEligibility(rules: EligibilityRules | null | undefined): string[] {
  if (!rules) return [];
  const lines: string[] = [];
  if (rules.maxPovertyPercent !== undefined) {
    const pct = rules.maxPovertyPercent;
    const dollars = guideline
      ? ` (${guideline.year}: ${money.format((guideline.firstPerson * pct) / 100)} a year for one person, ` +
        `${money.format((guideline.eachAdditional * pct) / 100)} more for each additional person)`
      : '';
    lines.push(`Household income at or below ${pct}% of the federal poverty guideline${dollars}`);
  }
  const ageLine = ages(rules.minAge, rules.maxAge);
  if (ageLine) lines.push(ageLine);
  if (rules.payers?.length) {
    lines.push(`Coverage: ${either(rules.payers.map((p: PayerType) => PAYER_TYPES[p] ?? p))}`);
  }
  if (rules.postalCodes?.length) {
    lines.push(`Lives in ZIP code ${either(rules.postalCodes)}`);
  }
  if (rules.counties?.length) lines.push(`Lives in ${either(rules.counties)}`);
  return lines;
}

const DAY_NAMES: Record<string, string> = {
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
  SU: 'Sunday',
};
export const WEEK_DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type WeekDay = (typeof WEEK_DAYS)[number];
export const dayName = (day: WeekDay): string => DAY_NAMES[day] ?? day;

/** 13:30 → "1:30 PM". */
export function clockTime(hhmm: string | undefined | null): string {
  if (!hhmm) return '';
  const [h = 0, m = 0] = hhmm.split(':').map(Number);
  const suffix = h < 12 ? 'AM' : 'PM';
  const hour = h % 12 === 0 ? 12 : h % 12;
  return `${hour}:${String(m).padStart(2, '0')} ${suffix}`;
}

const minutesOf = (hhmm: string | undefined | null): number | null => {
  const m = /^(\d{1,2}):(\d{2})/.exec(hhmm ?? '');
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
};

/** "9:00 AM – 5:00 PM", "8:00 PM – 7:00 AM (next day)", "Open 24 hours"; null without both times. */
export function describeSpan(
  opensAt: string | undefined | null,
  closesAt: string | undefined | null,
): string | null {
  const opens = minutesOf(opensAt);
  let closes = minutesOf(closesAt);
  if (opens === null || closes === null) return null;
  // 23:59 is how directories write "until midnight".
  if (closes === 23 * 60 + 59) closes = 24 * 60;
  if (closes === opens || (opens === 0 && closes === 24 * 60)) return 'Open 24 hours';
  const until = closes === 24 * 60 ? 'midnight' : clockTime(closesAt);
  return `${clockTime(opensAt)} – ${until}${closes < opens ? ' (next day)' : ''}`;
}

/** The plain weekdays of a weekly (or daily) rule; null for monthly, every-other-week and the like. */
function weekdaysOf(row: ScheduleRow): WeekDay[] | null {
  const freq = (row.freq ?? 'WEEKLY').toUpperCase();
  if (freq !== 'WEEKLY' && freq !== 'DAILY') return null;
  const codes = (row.byday ?? '').split(',').filter(Boolean);
  if (codes.length === 0) return freq === 'DAILY' ? [...WEEK_DAYS] : null;
  if (codes.some((c) => !WEEK_DAYS.includes(c as WeekDay))) return null;
  return codes as WeekDay[];
}

/**
 * A service's hours day by day, Monday first ("Closed" on days without any), from its plain weekly rules;
 * other rules (monthly, every other week) come back as sentences. `days` is null without any weekly rule.
 */
export function hoursByDay(schedules: readonly ScheduleRow[]): {
  days: { day: string; hours: string[] }[] | null;
  other: string[];
} {
  const byDay = new Map<WeekDay, { opens: number; text: string }[]>(WEEK_DAYS.map((d) => [d, []]));
  const other: string[] = [];
  let weekly = false;
  for (const row of schedules) {
    const days = weekdaysOf(row);
    const span = describeSpan(row.opensAt, row.closesAt);
    if (!days || !span) {
      const text = describeRule(row);
      if (text) other.push(text);
      continue;
    }
    weekly = true;
    const text = row.description ? `${span} (${row.description})` : span;
    for (const day of days) byDay.get(day)?.push({ opens: minutesOf(row.opensAt) ?? 0, text });
  }
  const days = weekly
    ? WEEK_DAYS.map((day) => {
        const spans = (byDay.get(day) ?? []).sort((a, b) => a.opens - b.opens).map((s) => s.text);
        return { day: dayName(day), hours: spans.length ? spans : ['Closed'] };
      })
    : null;
  return { days, other };
}

/** How long ago the listing was checked; listings unchecked for a year are called out. */
export function freshness(
  assuredDate: string | null | undefined,
  now = new Date(),
): { text: string; stale: boolean } {
  if (!assuredDate) return { text: 'Not yet verified', stale: true };
  const checked = new Date(`${assuredDate}T00:00:00Z`);
  const stale = now.getTime() - checked.getTime() > 365 * 24 * 3600_000;
  return { text: `Verified ${formatCalendarDate(assuredDate)}`, stale };
}

/** 2.345 → "2.3 mi". */
export const miles = (distance: number | null | undefined): string | null =>
  distance === null || distance === undefined
    ? null
    : `${distance < 10 ? distance.toFixed(1) : Math.round(distance)} mi`;
