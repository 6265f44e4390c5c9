import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import {
  BARRIERS,
  type BarrierCode,
  countAvoidableDays,
  dayIn,
  type LaceInputs,
  laceForStay,
  lengthOfStayDays,
} from '../../../domain/discharge.ts';
import type { UnitList } from '../../../domain/schemas/discharge.ts';
import type { Db } from '../../db/client.ts';
import { patientScope } from '../../platform/access.ts';
import { type Actor, auditActor, type RequestOrigin } from '../../platform/actor.ts';
import { appendAudit } from '../../platform/audit/audit.service.ts';
import { zoneOf } from '../../platform/organizations.ts';
import { encounters } from '../encounters/encounters.tables.ts';
import { patients } from '../patients/patients.tables.ts';
import { dischargeBarriers, dischargePlans } from './discharge.tables.ts';

/*
 * The unit list: the patients in hospital now (open inpatient stays), on one unit or all, that the actor may
 * see (care team, or the whole organisation for supervisors and admins). Three statements whatever the
 * number of patients: the stays with their plan, ED-visit count and placement status; the open plans'
 * barriers; then the arithmetic in domain/discharge.ts.
 */

const placementStatus = sql<string>`case
  when exists(select 1 from discharge_choice_lists c where c.plan_id = ${dischargePlans.id} and c.confirmed_at is not null) then 'confirmed'
  when exists(select 1 from referrals r join discharge_choice_lists c on c.id = r.choice_list_id
               where c.plan_id = ${dischargePlans.id} and r.status in ('accepted', 'in-progress')) then 'accepted'
  when exists(select 1 from referrals r join discharge_choice_lists c on c.id = r.choice_list_id
               where c.plan_id = ${dischargePlans.id} and r.status in ('requested', 'received', 'on-hold')) then 'referred'
  when exists(select 1 from discharge_choice_lists c where c.plan_id = ${dischargePlans.id}) then 'list-given'
  else 'none' end`;

/** Emergency visits in the 6 months before the admission, not the one (within 24 h) that led to it. */
const edVisits = sql<number>`(select count(*)::int from encounters x
  where x.patient_id = ${encounters.patientId} and x.encounter_class = 'emergency' and x.status <> 'cancelled'
    and x.admitted_at >= ${encounters.admittedAt} - interval '183 days'
    and x.admitted_at < ${encounters.admittedAt} - interval '24 hours')`;

export async function unitList(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  q: { unit?: string | undefined },
  now = new Date(),
): Promise<UnitList> {
  const zone = await zoneOf(db, actor.organizationId);
  const scope = and(
    eq(encounters.organizationId, actor.organizationId),
    eq(encounters.encounterClass, 'inpatient'),
    isNull(encounters.dischargedAt),
    inArray(encounters.status, ['in-progress']),
    patientScope(actor),
  );
  const [rows, unitRows] = await Promise.all([
    db
      .select({
        encounter: encounters,
        patient: {
          id: patients.id,
          familyName: patients.familyName,
          givenName: patients.givenName,
          mrn: patients.mrn,
        },
        plan: {
          id: dischargePlans.id,
          targetDisposition: dischargePlans.targetDisposition,
          laceInputs: dischargePlans.laceInputs,
        },
        edVisits,
        placement: placementStatus,
      })
      .from(encounters)
      .innerJoin(patients, eq(patients.id, encounters.patientId))
      .leftJoin(
        dischargePlans,
        and(eq(dischargePlans.encounterId, encounters.id), sql`${dischargePlans.status} <> 'cancelled'`),
      )
      .where(and(scope, q.unit ? eq(encounters.unit, q.unit) : undefined))
      .orderBy(asc(encounters.unit), asc(encounters.room), asc(encounters.bed), asc(patients.familyName)),
    db
      .selectDistinct({ unit: encounters.unit })
      .from(encounters)
      .innerJoin(patients, eq(patients.id, encounters.patientId))
      .where(and(scope, sql`${encounters.unit} is not null`))
      .orderBy(asc(encounters.unit)),
  ]);
  const planIds = rows.map((r) => r.plan?.id).filter((id): id is string => Boolean(id));
  const barrierRows = planIds.length
    ? await db
        .select({
          planId: dischargeBarriers.planId,
          code: dischargeBarriers.code,
          startedAt: dischargeBarriers.startedAt,
          endedAt: dischargeBarriers.endedAt,
        })
        .from(dischargeBarriers)
        .where(and(inArray(dischargeBarriers.planId, planIds), isNull(dischargeBarriers.retiredAt)))
        .orderBy(asc(dischargeBarriers.startedAt))
    : [];
  const today = dayIn(now, zone);
  const items = rows.map(({ encounter: e, patient, plan, edVisits: ed, placement }) => {
    const barriers = barrierRows.filter((b) => b.planId === plan?.id);
    const avoidable = countAvoidableDays(barriers, { zone, until: now, admittedAt: e.admittedAt });
    const lace = plan?.id
      ? laceForStay(
          {
            admittedAt: e.admittedAt,
            dischargedAt: null,
            now,
            zone,
            admissionType: e.admissionType,
            admitSource: e.admitSource,
            edVisitsInRecord: Number(ed),
          },
          (plan.laceInputs ?? {}) as LaceInputs,
        )
      : null;
    return {
      patient: { id: patient.id, name: `${patient.familyName}, ${patient.givenName}`, mrn: patient.mrn },
      encounterId: e.id,
      planId: plan?.id ?? null,
      unit: e.unit,
      room: e.room,
      bed: e.bed,
      admittedAt: e.admittedAt.toISOString(),
      daysIn: lengthOfStayDays(e.admittedAt, now, zone),
      expectedDischargeOn: e.expectedDischargeOn,
      pastExpected: e.expectedDischargeOn !== null && e.expectedDischargeOn < today,
      targetDisposition: plan?.targetDisposition ?? null,
      barriers: barriers
        .filter((b) => !b.endedAt || b.endedAt > now)
        .map((b) => ({
          code: b.code,
          label: BARRIERS[b.code as BarrierCode] ?? b.code,
          since: b.startedAt.toISOString(),
        })),
      avoidableDays: avoidable.total,
      placementStatus: (plan?.id ? placement : 'none') as UnitList['items'][number]['placementStatus'],
      lace: lace ? { total: lace.total, band: lace.band } : null,
    };
  });
  if (items.length) {
    await appendAudit(db, {
      ...auditActor(actor),
      action: 'discharge.unit-list.read',
      outcome: 'success',
      recordKind: 'patient',
      ip: origin.ip,
      userAgent: origin.userAgent,
      detail: { patientIds: [...new Set(items.map((i) => i.patient.id))], unit: q.unit ?? null },
    });
  }
  return { units: unitRows.map((u) => u.unit!).filter(Boolean), items };
}
