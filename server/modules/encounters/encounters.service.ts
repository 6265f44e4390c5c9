import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { and, eq, isNull, ne } from 'drizzle-orm';
import {
  DISPOSITIONS,
  ENCOUNTER_CLASSES,
  type EncounterAdmitRequest,
  type EncounterDischargeRequest,
  type EncounterUpdateRequest,
} from '../../../domain/schemas/encounters.ts';
import type { Db, DbOrTx, Tx } from '../../db/client.ts';
import type { PatientAccess } from '../../platform/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { type AuditEntry, appendAudit } from '../../platform/audit/audit.service.ts';
import { conflict, invalid, notFound, staleVersion } from '../../platform/errors.ts';
import { organizations } from '../../platform/platform.tables.ts';
import { recordOnTimeline } from '../../platform/timeline/timeline.service.ts';
import { patients } from '../patients/patients.tables.ts';
import { encounters } from './encounters.tables.ts';

type EncounterRow = typeof encounters.$inferSelect;

/**
 * Who records a visit: a signed-in user whose access to the patient the route checked, or a system feed
 * (the ADT interface) of an organisation. The service functions are the same for both.
 */
export type EncounterRecorder =
  | { actor: Actor; access: PatientAccess }
  | { system: 'adt'; organizationId: string };

const organizationOf = (by: EncounterRecorder) =>
  'actor' in by ? by.actor.organizationId : by.organizationId;
const actorIdOf = (by: EncounterRecorder) => ('actor' in by ? by.actor.userId : null);
const sourceOf = (by: EncounterRecorder) => ('actor' in by ? 'manual' : by.system);

function auditEntry(by: EncounterRecorder, patientId: string, action: string, extra: Partial<AuditEntry>) {
  if ('actor' in by) return by.access.entry(action, extra);
  return {
    organizationId: by.organizationId,
    actorUserId: null,
    actorRole: null,
    actorLabel: 'ADT feed',
    action,
    outcome: 'success' as const,
    patientId,
    ...extra,
  };
}

/** A clock a few minutes fast on the recording machine is not a visit in the future. */
const CLOCK_SKEW_MS = 5 * 60_000;

async function zoneOf(db: DbOrTx, organizationId: string): Promise<string> {
  const [org] = await db
    .select({ timeZone: organizations.timeZone })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  return org?.timeZone ?? 'UTC';
}

const dayIn = (zone: string, at: Date) => format(new TZDate(at.getTime(), zone), 'yyyy-MM-dd');

function checkTimes(
  zone: string,
  e: { admittedAt: Date; expectedDischargeOn: string | null; dischargedAt: Date | null },
) {
  const errors = [];
  const latest = Date.now() + CLOCK_SKEW_MS;
  if (e.admittedAt.getTime() > latest)
    errors.push({ field: 'admittedAt', message: 'must not be in the future' });
  if (e.expectedDischargeOn && e.expectedDischargeOn < dayIn(zone, e.admittedAt)) {
    errors.push({ field: 'expectedDischargeOn', message: 'must not be before the admission day' });
  }
  if (e.dischargedAt && e.dischargedAt < e.admittedAt) {
    errors.push({ field: 'dischargedAt', message: 'must not be before the admission' });
  }
  if (e.dischargedAt && e.dischargedAt.getTime() > latest) {
    errors.push({ field: 'dischargedAt', message: 'must not be in the future' });
  }
  if (errors.length) throw invalid(errors);
}

/** One patient has at most one open inpatient stay; the patient row is locked first, so two admits queue. */
async function refuseSecondInpatientStay(tx: Tx, patientId: string, except?: string) {
  await tx.select({ id: patients.id }).from(patients).where(eq(patients.id, patientId)).for('update');
  const [open] = await tx
    .select({ id: encounters.id })
    .from(encounters)
    .where(
      and(
        eq(encounters.patientId, patientId),
        eq(encounters.encounterClass, 'inpatient'),
        isNull(encounters.dischargedAt),
        ne(encounters.status, 'cancelled'),
        except ? ne(encounters.id, except) : undefined,
      ),
    );
  if (open) {
    throw conflict('open-inpatient-encounter', 'This patient already has an open inpatient stay', {
      encounterId: open.id,
    });
  }
}

const where = (e: { unit?: string | null; room?: string | null; bed?: string | null }) =>
  [e.unit, e.room && `room ${e.room}`, e.bed && `bed ${e.bed}`].filter(Boolean).join(', ');

/** Records the start of a visit: an admission, an emergency or observation stay, an outpatient visit. */
export async function admitEncounter(
  db: Db,
  by: EncounterRecorder,
  patientId: string,
  input: EncounterAdmitRequest,
): Promise<EncounterRow> {
  const organizationId = organizationOf(by);
  const admittedAt = new Date(input.admittedAt);
  checkTimes(await zoneOf(db, organizationId), {
    admittedAt,
    expectedDischargeOn: input.expectedDischargeOn ?? null,
    dischargedAt: null,
  });
  return db.transaction(async (tx) => {
    const [patient] = await tx
      .select({ id: patients.id })
      .from(patients)
      .where(
        and(
          eq(patients.id, patientId),
          eq(patients.organizationId, organizationId),
          isNull(patients.retiredAt),
        ),
      );
    if (!patient) throw notFound('patient');
    if (input.encounterClass === 'inpatient') await refuseSecondInpatientStay(tx, patientId);
    if (input.visitNumber) {
      const [taken] = await tx
        .select({ id: encounters.id })
        .from(encounters)
        .where(
          and(eq(encounters.organizationId, organizationId), eq(encounters.visitNumber, input.visitNumber)),
        );
      if (taken) throw conflict('visit-number-taken', 'Another visit has this visit number');
    }
    const [encounter] = await tx
      .insert(encounters)
      .values({
        organizationId,
        patientId,
        encounterClass: input.encounterClass,
        status: 'in-progress',
        visitNumber: input.visitNumber ?? null,
        unit: input.unit ?? null,
        room: input.room ?? null,
        bed: input.bed ?? null,
        attendingName: input.attendingName ?? null,
        admittedAt,
        expectedDischargeOn: input.expectedDischargeOn ?? null,
        source: sourceOf(by),
      })
      .returning();
    const place = where(encounter!);
    await recordOnTimeline(tx, {
      organizationId,
      patientId,
      kind: 'encounter',
      summary: `${ENCOUNTER_CLASSES[input.encounterClass]} visit began${place ? `: ${place}` : ''}`,
      actorId: actorIdOf(by),
      occurredAt: admittedAt,
      recordId: encounter!.id,
    });
    await appendAudit(
      tx,
      auditEntry(by, patientId, 'encounter.admit', { recordKind: 'encounter', recordId: encounter!.id }),
    );
    return encounter!;
  });
}

async function lockCurrent(tx: Tx, organizationId: string, encounterId: string, version: number) {
  const [current] = await tx
    .select()
    .from(encounters)
    .where(and(eq(encounters.id, encounterId), eq(encounters.organizationId, organizationId)))
    .for('update');
  if (!current) throw notFound('encounter');
  if (current.version !== version) throw staleVersion(current.version);
  return current;
}

/** Corrects or moves a visit; a new unit of an open visit is recorded on the timeline as a transfer. */
export async function updateEncounter(
  db: Db,
  by: EncounterRecorder,
  encounterId: string,
  input: EncounterUpdateRequest,
): Promise<EncounterRow> {
  const organizationId = organizationOf(by);
  const zone = await zoneOf(db, organizationId);
  const { version, ...fields } = input;
  return db.transaction(async (tx) => {
    const current = await lockCurrent(tx, organizationId, encounterId, version);
    const next = {
      admittedAt: fields.admittedAt ? new Date(fields.admittedAt) : current.admittedAt,
      expectedDischargeOn:
        fields.expectedDischargeOn !== undefined ? fields.expectedDischargeOn : current.expectedDischargeOn,
      dischargedAt: current.dischargedAt,
    };
    checkTimes(zone, next);
    const becomesOpenInpatient =
      fields.encounterClass === 'inpatient' &&
      current.encounterClass !== 'inpatient' &&
      !current.dischargedAt;
    if (becomesOpenInpatient) await refuseSecondInpatientStay(tx, current.patientId, current.id);
    const changes = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    const [encounter] = await tx
      .update(encounters)
      .set({ ...changes, admittedAt: next.admittedAt, version: current.version + 1, updatedAt: new Date() })
      .where(eq(encounters.id, encounterId))
      .returning();
    const moved = !current.dischargedAt && fields.unit && fields.unit !== current.unit;
    await recordOnTimeline(tx, {
      organizationId,
      patientId: current.patientId,
      kind: 'encounter',
      summary: moved ? `Transferred to ${where(encounter!)}` : 'Visit details updated',
      actorId: actorIdOf(by),
      recordId: encounterId,
    });
    await appendAudit(
      tx,
      auditEntry(by, current.patientId, 'encounter.update', {
        recordKind: 'encounter',
        recordId: encounterId,
        detail: { fields: Object.keys(changes) },
      }),
    );
    return encounter!;
  });
}

/** Ends a visit with its time and where the patient went. */
export async function dischargeEncounter(
  db: Db,
  by: EncounterRecorder,
  encounterId: string,
  input: EncounterDischargeRequest,
): Promise<EncounterRow> {
  const organizationId = organizationOf(by);
  const zone = await zoneOf(db, organizationId);
  return db.transaction(async (tx) => {
    const current = await lockCurrent(tx, organizationId, encounterId, input.version);
    if (current.dischargedAt) throw conflict('already-discharged', 'This visit has already ended');
    const dischargedAt = new Date(input.dischargedAt);
    checkTimes(zone, { ...current, dischargedAt });
    const [encounter] = await tx
      .update(encounters)
      .set({
        dischargedAt,
        dischargeDisposition: input.disposition,
        status: 'finished',
        version: current.version + 1,
        updatedAt: new Date(),
      })
      .where(eq(encounters.id, encounterId))
      .returning();
    await recordOnTimeline(tx, {
      organizationId,
      patientId: current.patientId,
      kind: 'encounter',
      summary: `Discharged: ${DISPOSITIONS[input.disposition]}`,
      actorId: actorIdOf(by),
      occurredAt: dischargedAt,
      recordId: encounterId,
    });
    await appendAudit(
      tx,
      auditEntry(by, current.patientId, 'encounter.discharge', {
        recordKind: 'encounter',
        recordId: encounterId,
        detail: { disposition: input.disposition },
      }),
    );
    return encounter!;
  });
}

// Reads, here too for the modules and the ADT feed that use them with the service functions above.
export {
  currentEncounter,
  encounterByVisitNumber,
  encounterInOrganization,
  listEncounters,
  presentEncounter,
} from './encounters.queries.ts';
