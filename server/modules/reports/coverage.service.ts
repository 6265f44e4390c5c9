import { TZDate } from '@date-fns/tz';
import { type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { DECLINE_REASON_CODES } from '../../../domain/assessments.ts';
import { listInstruments } from '../../../domain/instruments/index.ts';
import { SDOH_MEASURE_DOMAINS } from '../../../domain/needs.ts';
import type { CoverageReport, CoverageRow } from '../../../domain/schemas/needs.ts';
import type { DbOrTx } from '../../db/client.ts';
import { getOrganization } from '../../platform/users.service.ts';

/*
 * The screening coverage report (SDOH-1 and SDOH-2, ../shared/docs/domain.md "Measures") is a read model in the
 * sense of docs/decisions/004: one statement over encounters, patients and assessments, grouped in the
 * database, because a per-stay loop through the modules' services would be one query per admission.
 *
 * - Denominator: inpatient encounters (in progress or finished, not planned or cancelled) admitted on a day
 *   of [from, to] in the organisation's time zone, of a patient 18 or older on the local day of admission.
 * - The stay runs from admission to discharge, or to now while the patient is still in.
 * - Screened: the completed, not superseded assessments of the patient during the stay together screen all
 *   five measure domains (`screened_domains`, from each instrument's `screens`), so that the AHC tool alone
 *   or, say, Hunger Vital Sign + HITS + others count alike. An amendment counts at the time of the screen it
 *   corrects (its chain's first completion), not at the time of the correction.
 * - Excluded: not screened, and an SDOH screen (an instrument that screens a measure domain) declined during
 *   the stay as opted out or unable with no proxy. A declined PHQ-9 does not exclude anyone from SDOH-1.
 * - SDOH-2: a screened stay is positive for a domain when any of those assessments found it positive.
 * - Unit: the encounter's `unit` column, i.e. where the patient is now, or was when discharged (a transfer
 *   updates the encounter), not the unit of admission. Month: the local month of admission.
 *
 * Cost: the stays of the period are read from encounters (no index on the admission time yet, so a scan of
 * the organisation's encounters), then one probe of assessments_patient_idx per stay; the period is at most a
 * year, so the work is bounded by a year of admissions (npm run bench, `coverage-report`).
 */

/** The period's bounds: midnight starting `from` and midnight ending `to`, in the time zone. */
function periodBounds(from: string, to: string, timeZone: string): { start: Date; end: Date } {
  const midnight = (date: string, addDays: number) => {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    return new Date(new TZDate(y, m - 1, d + addDays, timeZone).getTime());
  };
  return { start: midnight(from, 0), end: midnight(to, 1) };
}

const textArray = (values: readonly string[]) => sql`${`{${values.join(',')}}`}::text[]`;

/** Instruments whose screen counts towards a measure domain: declining one of them is an exclusion. */
const SDOH_INSTRUMENTS = [
  ...new Set(
    listInstruments()
      .filter((i) => i.screens.some((d) => (SDOH_MEASURE_DOMAINS as readonly string[]).includes(d)))
      .map((i) => i.id),
  ),
];

/** The report's one statement: counts per (month, unit) and, by grouping set, for the whole period. */
export function coverageStatement(q: {
  organizationId: string;
  timeZone: string;
  start: Date;
  end: Date;
  now: Date;
  unit?: string | undefined;
}): SQL {
  const measure = textArray(SDOH_MEASURE_DOMAINS);
  const declineReasons = textArray(DECLINE_REASON_CODES);
  const positive = SDOH_MEASURE_DOMAINS.map(
    (domain, i) =>
      sql`count(*) filter (where screened and ${domain} = any(positive))::int as ${sql.identifier(`p${i}`)}`,
  );
  return sql`
    with stays as (
      select e.patient_id, e.unit, e.admitted_at,
             coalesce(e.discharged_at, ${q.now.toISOString()}::timestamptz) as ended_at,
             to_char(e.admitted_at at time zone ${q.timeZone}, 'YYYY-MM') as month
        from encounters e
        join patients p on p.id = e.patient_id
       where e.organization_id = ${q.organizationId}
         and e.encounter_class = 'inpatient'
         and e.status in ('in-progress', 'finished')
         and e.admitted_at >= ${q.start.toISOString()}::timestamptz
         and e.admitted_at < ${q.end.toISOString()}::timestamptz
         and p.birth_date <= ((e.admitted_at at time zone ${q.timeZone})::date - interval '18 years')
         ${q.unit === undefined ? sql`` : sql`and e.unit = ${q.unit}`}
    ),
    judged as (
      select s.month, s.unit,
             coalesce(x.domains_screened, 0) = ${SDOH_MEASURE_DOMAINS.length} as screened,
             coalesce(x.positive, '{}') as positive,
             coalesce(x.declined, false) as declined
        from stays s
        left join lateral (
          select count(distinct d.screened) filter (where d.screened = any(${measure})) as domains_screened,
                 array_agg(distinct d.positive) filter (where d.positive = any(${measure})) as positive,
                 bool_or(a.status = 'declined') as declined
            from assessments a
            cross join lateral (
              select case when a.amends_id is null then a.completed_at
                          else (select root.completed_at from assessments root where root.id = a.root_id) end
                     as screened_at
            ) t
            left join lateral rows from (unnest(a.screened_domains), unnest(a.positive_domains))
                   as d(screened, positive) on a.status = 'completed'
           where a.patient_id = s.patient_id
             and a.organization_id = ${q.organizationId}
             and ((a.status = 'completed' and a.superseded_by_id is null)
                  or (a.status = 'declined' and a.decline_reason = any(${declineReasons})
                      and a.instrument_id = any(${textArray(SDOH_INSTRUMENTS)})))
             and t.screened_at >= s.admitted_at
             and t.screened_at <= s.ended_at
        ) x on true
    )
    select month, unit, grouping(month, unit) = 3 as is_total,
           count(*)::int as admitted,
           count(*) filter (where declined and not screened)::int as excluded,
           count(*) filter (where screened)::int as screened,
           ${sql.join(positive, sql`, `)}
      from judged
     group by grouping sets ((month, unit), ())
     order by is_total, month, unit nulls last`;
}

interface CoverageSqlRow {
  month: string | null;
  unit: string | null;
  is_total: boolean;
  admitted: number;
  excluded: number;
  screened: number;
  [positive: `p${number}`]: number;
}

const rate = (part: number, whole: number) => (whole ? Math.round((part / whole) * 10_000) / 10_000 : null);

function presentRow(r: CoverageSqlRow): z.infer<typeof CoverageReport>['total'] {
  const eligible = r.admitted - r.excluded;
  return {
    admitted: r.admitted,
    excluded: r.excluded,
    eligible,
    screened: r.screened,
    screeningRate: rate(r.screened, eligible),
    positive: Object.fromEntries(
      SDOH_MEASURE_DOMAINS.map((domain, i) => {
        const n = r[`p${i}`] ?? 0;
        return [domain, { positive: n, rate: rate(n, r.screened) }];
      }),
    ),
  };
}

/** SDOH-1 and SDOH-2 for admissions between two local dates (both included), by month of admission and unit. */
export async function screeningCoverage(
  db: DbOrTx,
  organizationId: string,
  q: { from: string; to: string; unit?: string | undefined },
  now: Date = new Date(),
): Promise<z.infer<typeof CoverageReport>> {
  const org = await getOrganization(db, organizationId);
  const { start, end } = periodBounds(q.from, q.to, org.timeZone);
  const result = await db.execute(
    coverageStatement({ organizationId, timeZone: org.timeZone, start, end, now, unit: q.unit }),
  );
  const rows = (result as unknown as { rows: CoverageSqlRow[] }).rows;
  const total = rows.find((r) => r.is_total);
  const empty: CoverageSqlRow = {
    month: null,
    unit: null,
    is_total: true,
    admitted: 0,
    excluded: 0,
    screened: 0,
  };
  return {
    from: q.from,
    to: q.to,
    timeZone: org.timeZone,
    rows: rows
      .filter((r) => !r.is_total)
      .map((r): z.infer<typeof CoverageRow> => ({ month: r.month!, unit: r.unit, ...presentRow(r) })),
    total: presentRow(total ?? empty),
  };
}
