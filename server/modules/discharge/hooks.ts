import { eq } from 'drizzle-orm';
import { isReadmission, READMISSION_WINDOW_DAYS } from '../../../domain/admissions.ts';
import type { Tx } from '../../db/client.ts';
import type { AuditEntry } from '../../platform/audit/audit.service.ts';
import { recordOnTimeline } from '../../platform/timeline/timeline.service.ts';
import type { EncounterRecorder } from '../encounters/encounters.service.ts';
import { zoneFor } from '../encounters/encounters.service.ts';
import { encounters } from '../encounters/encounters.tables.ts';
import { raiseFlag } from '../patients/flags.service.ts';
import { evaluateAdmissionTriggers, previousStay } from './admissions.service.ts';
import { cancelPlan, closePlanOnDischarge, ensurePlan, reopenPlan } from './plans.lifecycle.ts';

/**
 * What discharge planning does when a stay starts, ends or is cancelled. The encounters service calls these in
 * the transaction of the change, for the ADT feed and for the manual routes alike.
 */

type EncounterRow = typeof encounters.$inferSelect;

const actorIdOf = (by: EncounterRecorder) => ('actor' in by ? by.actor.userId : null);

/** Links an inpatient admission to a stay discharged within 30 days before it, and flags the chart. */
async function linkReadmission(
  tx: Tx,
  encounter: EncounterRow,
  by: EncounterRecorder,
): Promise<EncounterRow> {
  if (encounter.readmissionOfId) return encounter;
  const prior = await previousStay(tx, encounter);
  if (!prior?.dischargedAt) return encounter;
  const zone = await zoneFor(tx, by, encounter.organizationId);
  if (!isReadmission(zone, prior.dischargedAt, encounter.admittedAt)) return encounter;
  const [linked] = await tx
    .update(encounters)
    .set({ readmissionOfId: prior.id })
    .where(eq(encounters.id, encounter.id))
    .returning();
  const dischargedOn = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: zone }).format(
    prior.dischargedAt,
  );
  await recordOnTimeline(tx, {
    organizationId: encounter.organizationId,
    patientId: encounter.patientId,
    kind: 'encounter',
    summary: `Readmission: within ${READMISSION_WINDOW_DAYS} days of the discharge on ${dischargedOn}`,
    actorId: actorIdOf(by),
    occurredAt: encounter.admittedAt,
    recordKind: 'encounter',
    recordId: encounter.id,
    detail: { readmissionOf: prior.id },
  });
  await raiseFlag(
    tx,
    {
      organizationId: encounter.organizationId,
      patientId: encounter.patientId,
      kind: 'readmission',
      sourceKind: 'encounter',
      sourceId: encounter.id,
      raisedBy: actorIdOf(by),
    },
    'actor' in by
      ? (action: string, extra: Partial<AuditEntry>) => by.access.entry(action, extra)
      : (action: string, extra: Partial<AuditEntry>) => ({
          organizationId: encounter.organizationId,
          actorUserId: null,
          actorRole: null,
          actorLabel: 'ADT feed',
          action,
          outcome: 'success',
          patientId: encounter.patientId,
          ...extra,
        }),
  );
  return linked!;
}

/**
 * An inpatient stay began (admitted, or a visit became one): the readmission is linked and flagged, the
 * organisation's admission triggers are evaluated (once), and the discharge plan opens. The triggers' audit
 * records go into `audit` when the caller appends its own last (else they are appended here).
 */
export async function onAdmitted(
  tx: Tx,
  encounter: EncounterRow,
  by: EncounterRecorder,
  audit?: AuditEntry[],
  /** The patient's first stay (registered in this transaction): there is no earlier stay to link. */
  known: { firstStay?: boolean } = {},
): Promise<EncounterRow> {
  if (encounter.encounterClass !== 'inpatient' || encounter.status !== 'in-progress') return encounter;
  const linked = known.firstStay ? encounter : await linkReadmission(tx, encounter, by);
  const { encounter: evaluated } = await evaluateAdmissionTriggers(tx, linked, by, audit);
  await ensurePlan(tx, evaluated, by);
  return evaluated;
}

/** The stay ended: the plan closes with the actual disposition and the follow-up call task is made. */
export async function onDischarged(tx: Tx, encounter: EncounterRow, by: EncounterRecorder): Promise<void> {
  await closePlanOnDischarge(tx, encounter, by);
}

/** The admission was cancelled (A11): so is its plan. */
export async function onAdmissionCancelled(
  tx: Tx,
  encounter: EncounterRow,
  by: EncounterRecorder,
): Promise<void> {
  await cancelPlan(tx, encounter, by);
}

/** The discharge was cancelled (A13): the plan opens again and its follow-up call is cancelled. */
export async function onDischargeCancelled(
  tx: Tx,
  encounter: EncounterRow,
  by: EncounterRecorder,
): Promise<void> {
  await reopenPlan(tx, encounter, by);
}
