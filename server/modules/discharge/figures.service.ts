import { TZDate } from '@date-fns/tz';
import { differenceInCalendarDays } from 'date-fns';
import { and, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import {
  BARRIERS,
  type BarrierCode,
  countAvoidableDays,
  dayIn,
  lengthOfStayDays,
} from '../../../domain/discharge.ts';
import type { DischargeFigures } from '../../../domain/schemas/discharge.ts';
import type { DbOrTx } from '../../db/client.ts';
import { zoneOf } from '../../platform/organizations.ts';
import { encounters } from '../encounters/encounters.tables.ts';
import { dischargeBarriers, dischargePlans } from './discharge.tables.ts';

/*
 * Department figures for the stays discharged on a day of [from, to] in the organisation's zone (inpatient,
 * not cancelled), optionally on one unit (the unit at discharge). No patient appears in the answer.
 * - Length of stay: calendar days admission day → discharge day (domain/discharge.ts lengthOfStayDays);
 *   expected: admission day → expected discharge date, for the stays that had one; "by the expected date":
 *   discharged on or before it.
 * - Avoidable days: the midnight census of each stay's barriers (decision 011), summed over stays; by barrier,
 *   a code's days in a stay counted once.
 * - Placement: placement referrals (referrals.choice_list_id) requested in the period, of stays on the unit;
 *   hours from requested_at to the first `accepted` event.
 * - Readmissions: stays followed by another inpatient admission of the patient within 30 days of discharge.
 */

const periodStart = (date: string, zone: string, plusDays = 0) => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(new TZDate(y, m - 1, d + plusDays, zone).getTime());
};

export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
const mean = (values: readonly number[]) =>
  values.length ? values.reduce((s, v) => s + v, 0) / values.length : null;
const round = (v: number | null, places = 2) =>
  v === null ? null : Math.round(v * 10 ** places) / 10 ** places;

export async function dischargeFigures(
  db: DbOrTx,
  organizationId: string,
  q: { from: string; to: string; unit?: string | undefined },
): Promise<DischargeFigures> {
  const zone = await zoneOf(db, organizationId);
  const start = periodStart(q.from, zone);
  const end = periodStart(q.to, zone, 1);
  const stays = await db
    .select({
      id: encounters.id,
      admittedAt: encounters.admittedAt,
      dischargedAt: encounters.dischargedAt,
      expectedDischargeOn: encounters.expectedDischargeOn,
      planId: dischargePlans.id,
      readmitted: sql<boolean>`exists(select 1 from encounters r
        where r.patient_id = ${encounters.patientId} and r.encounter_class = 'inpatient'
          and r.status <> 'cancelled' and r.id <> ${encounters.id}
          and r.admitted_at > ${encounters.dischargedAt}
          and r.admitted_at <= ${encounters.dischargedAt} + interval '30 days')`,
    })
    .from(encounters)
    .leftJoin(dischargePlans, eq(dischargePlans.encounterId, encounters.id))
    .where(
      and(
        eq(encounters.organizationId, organizationId),
        eq(encounters.encounterClass, 'inpatient'),
        sql`${encounters.status} <> 'cancelled'`,
        gte(encounters.dischargedAt, start),
        lt(encounters.dischargedAt, end),
        q.unit ? eq(encounters.unit, q.unit) : undefined,
      ),
    );

  const los: number[] = [];
  const expected: number[] = [];
  let byExpected = 0;
  for (const s of stays) {
    const discharged = s.dischargedAt!;
    los.push(lengthOfStayDays(s.admittedAt, discharged, zone));
    if (s.expectedDischargeOn) {
      expected.push(
        Math.max(
          0,
          differenceInCalendarDays(
            periodStart(s.expectedDischargeOn, zone),
            periodStart(dayIn(s.admittedAt, zone), zone),
          ),
        ),
      );
      if (dayIn(discharged, zone) <= s.expectedDischargeOn) byExpected++;
    }
  }

  const planIds = stays.map((s) => s.planId).filter((id): id is string => Boolean(id));
  const barriers = planIds.length
    ? await db
        .select({
          planId: dischargeBarriers.planId,
          code: dischargeBarriers.code,
          startedAt: dischargeBarriers.startedAt,
          endedAt: dischargeBarriers.endedAt,
        })
        .from(dischargeBarriers)
        .where(and(inArray(dischargeBarriers.planId, planIds), isNull(dischargeBarriers.retiredAt)))
    : [];
  let avoidableTotal = 0;
  const byCode = new Map<string, number>();
  for (const s of stays) {
    if (!s.planId) continue;
    const own = barriers.filter((b) => b.planId === s.planId);
    if (!own.length) continue;
    const days = countAvoidableDays(own, { zone, until: s.dischargedAt!, admittedAt: s.admittedAt });
    avoidableTotal += days.total;
    for (const [code, n] of Object.entries(days.byCode)) byCode.set(code, (byCode.get(code) ?? 0) + n);
  }

  const placementRows = (await db.execute(sql`
    select r.id, r.requested_at,
           (select min(ev.at) from referral_events ev where ev.referral_id = r.id and ev.to_status = 'accepted') as accepted_at
      from referrals r
      join discharge_choice_lists c on c.id = r.choice_list_id
      join discharge_plans p on p.id = c.plan_id
      join encounters e on e.id = p.encounter_id
     where r.organization_id = ${organizationId}
       and r.requested_at >= ${start.toISOString()}::timestamptz
       and r.requested_at < ${end.toISOString()}::timestamptz
       ${q.unit ? sql`and e.unit = ${q.unit}` : sql``}
  `)) as unknown as {
    rows: { id: string; requested_at: string | Date; accepted_at: string | Date | null }[];
  };
  const hours = placementRows.rows
    .filter((r) => r.accepted_at)
    .map((r) => (new Date(r.accepted_at!).getTime() - new Date(r.requested_at).getTime()) / 3_600_000);

  const readmitted = stays.filter((s) => s.readmitted).length;
  return {
    from: q.from,
    to: q.to,
    unit: q.unit ?? null,
    discharges: stays.length,
    lengthOfStay: {
      mean: round(mean(los)),
      median: median(los),
      expectedMean: round(mean(expected)),
      expectedMedian: median(expected),
      withExpected: expected.length,
      dischargedByExpected: byExpected,
      shareByExpected: expected.length ? round(byExpected / expected.length, 4) : null,
    },
    avoidableDays: {
      total: avoidableTotal,
      byBarrier: [...byCode]
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .map(([code, days]) => ({ code, label: BARRIERS[code as BarrierCode] ?? code, days })),
    },
    placement: {
      referrals: placementRows.rows.length,
      accepted: hours.length,
      medianHoursToAcceptance: round(median(hours), 1),
    },
    readmissions: { count: readmitted, rate: stays.length ? round(readmitted / stays.length, 4) : null },
  };
}
