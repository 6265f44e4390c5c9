import type { z } from 'zod';
import { SDOH_MEASURE_DOMAINS } from '../../../domain/needs.ts';
import type { CoverageReport } from '../../../domain/schemas/needs.ts';

type Report = z.infer<typeof CoverageReport>;
type Counts = Report['total'];

/** A CSV cell; text a spreadsheet would run as a formula is quoted with a leading apostrophe. */
function csvCell(value: string | number | null): string {
  let s = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const HEADER = [
  'month',
  'unit',
  'admitted',
  'excluded',
  'eligible',
  'screened',
  'screeningRate',
  ...SDOH_MEASURE_DOMAINS.flatMap((d) => [`${d} positive`, `${d} rate`]),
];

const counts = (c: Counts) => [
  c.admitted,
  c.excluded,
  c.eligible,
  c.screened,
  c.screeningRate,
  ...SDOH_MEASURE_DOMAINS.flatMap((d) => [c.positive[d]?.positive ?? 0, c.positive[d]?.rate ?? null]),
];

/** The report as CSV: one line per month and unit, then the period's total (month "total", no unit). */
export function coverageCsv(report: Report): string {
  const lines = [
    HEADER,
    ...report.rows.map((r) => [r.month, r.unit, ...counts(r)]),
    ['total', null, ...counts(report.total)],
  ];
  return lines.map((line) => `${line.map(csvCell).join(',')}\r\n`).join('');
}
