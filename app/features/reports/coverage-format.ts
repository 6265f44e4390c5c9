import type { SDOH_MEASURE_DOMAINS } from '../../../domain/needs.ts';

export type MeasureDomain = (typeof SDOH_MEASURE_DOMAINS)[number];

/** The five SDOH-2 domains as the report's column heads name them (domain.md "Measures"). */
export const MEASURE_DOMAIN_LABELS: Record<MeasureDomain, string> = {
  'food-insecurity': 'Food',
  'housing-instability': 'Housing',
  'transportation-insecurity': 'Transportation',
  'utility-insecurity': 'Utilities',
  'intimate-partner-violence': 'Interpersonal safety',
};

/** Today as YYYY-MM-DD in a time zone. */
function today(timeZone: string, now: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The last `months` full calendar months before this one, in the organisation's zone: {from, to} as YYYY-MM-DD. */
export function lastFullMonths(timeZone: string, months = 3, now = new Date()): { from: string; to: string } {
  const [year = 1970, month = 1] = today(timeZone, now).split('-').map(Number);
  // Date.UTC rolls month 0 and below back into earlier years; day 0 is the last day of the month before.
  const start = new Date(Date.UTC(year, month - 1 - months, 1));
  const end = new Date(Date.UTC(year, month - 1, 0));
  const iso = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return { from: iso(start), to: iso(end) };
}

/** A rate (0–1) as a percentage with one decimal, "12.5%"; null when there is no denominator. */
export function formatRate(rate: number | null): string | null {
  return rate === null ? null : `${(rate * 100).toFixed(1)}%`;
}

/** "2026-01" as "January 2026". */
export function monthLabel(month: string): string {
  const [y, m] = month.split('-').map(Number);
  if (!y || !m) return month;
  return new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, 1)),
  );
}
