import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { and, eq, isNull, ne } from 'drizzle-orm';
import {
  DISPOSITIONS,
  type Disposition,
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
import { zoneOf } from '../../platform/organizations.ts';
import { recordOnTimeline } from '../../platform/timeline/timeline.service.ts';
import { rulesOf } from '../discharge/admissions.service.ts';
import { onAdmissionCancelled, onAdmitted, onDischargeCancelled, onDischarged } from '../discharge/hooks.ts';
import { patients } from '../patients/patients.tables.ts';
import { encounters } from './encounters.tables.ts';

type EncounterRow = typeof encounters.$inferSelect;

/**
 * Who records a visit: a signed-in user whose access to the patient the route checked, or a system feed
 * (the ADT interface) of an organisation. The service functions are the same for both.
 */
export type EncounterRecorder =
  | { actor: Actor; access: PatientAccess }
  | {
      system: 'adt';
      organizationId: string;
      /** The organisation's zone and admission triggers as the feed's routing cache holds them (no re-read). */
      timeZone?: string;
      admissionTriggers?: unknown;
    };

const organizationOf = (by: EncounterRecorder) =>
  'actor' in by ? by.actor.organizationId : by.organizationId;
const actorIdOf = (by: EncounterRecorder) => ('actor' in by ? by.actor.userId : null);
const sourceOf = (by: EncounterRecorder) => ('actor' in by ? 'manual' : by.system);

function auditEntry(
  by: EncounterRecorder,
  patientId: string,
  action: string,
  extra: Partial<AuditEntry>,
): AuditEntry {
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

/** The feed carries its organisation's admission triggers (cached with its routing): are there none? */
const noAdmissionTriggers = (by: EncounterRecorder) =>
  'system' in by && by.admissionTriggers !== undefined && rulesOf(by.admissionTriggers).length === 0;

/** A clock a few minutes fast on the recording machine is not a visit in the future. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** The organisation's zone: the feed carries it (cached with its routing); a person's change reads it. */
export const zoneFor = (tx: DbOrTx, by: EncounterRecorder, organizationId: string) =>
  'system' in by && by.timeZone ? Promise.resolve(by.timeZone) : zoneOf(tx, organizationId);

const dayIn = (zone: string, at: Date) => format(new TZDate(at.getTime(), zone), 'yyyy-MM-dd');

/**
 * A person may not record a visit in the future; the hospital's feed may (a pre-admission, or a clock of the
 * sending system), so only the order of the times is checked for it.
 */
function checkTimes(
  by: EncounterRecorder,
  zone: string,
  e: { admittedAt: Date; expectedDischargeOn: string | null; dischargedAt: Date | null },
) {
  const errors = [];
  const byPerson = 'actor' in by;
  const latest = Date.now() + CLOCK_SKEW_MS;
  if (byPerson && e.admittedAt.getTime() > latest)
    errors.push({ field: 'admittedAt', message: 'must not be in the future' });
  if (e.expectedDischargeOn && e.expectedDischargeOn < dayIn(zone, e.admittedAt)) {
    errors.push({ field: 'expectedDischargeOn', message: 'must not be before the admission day' });
  }
  if (e.dischargedAt && e.dischargedAt < e.admittedAt) {
    errors.push({ field: 'dischargedAt', message: 'must not be before the admission' });
  }
  if (byPerson && e.dischargedAt && e.dischargedAt.getTime() > latest) {
    errors.push({ field: 'dischargedAt', message: 'must not be in the future' });
  }
  if (errors.length) throw invalid(errors);
}

/** One patient has at most one open inpatient stay; the patient row is locked first, so two admits queue. */
async function refuseSecondInpatientStay(tx: Tx, patientId: string, except?: string, locked = false) {
  if (!locked)
    await tx.select({ id: patients.id }).from(patients).where(eq(patients.id, patientId)).for('update');
  const [open] = await tx
    .select({ id: encounters.id })
    .from(encounters)
    .where(
      and(
        eq(encounters.patientId, patientId),
        eq(encounters.encounterClass, 'inpatient'),
        isNull(encounters.dischargedAt),
        eq(encounters.status, 'in-progress'),
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

/** What the feed knows of a visit beyond what a person enters (PV1-4, PV1-10, PV1-14). */
export interface EncounterFeedFields {
  admissionType?: string | null | undefined;
  hospitalService?: string | null | undefined;
  admitSource?: string | null | undefined;
}

/** An admission as the service takes it: a person's request, or the feed's with a pre-admission status. */
export type EncounterAdmitInput = EncounterAdmitRequest &
  EncounterFeedFields & {
    /** `planned` for a pre-admission (A05): it opens no stay until the patient arrives. */
    status?: 'planned' | 'in-progress' | undefined;
  };

/** The fields an update may change; a missing one is unchanged and `null` clears it. */
export type EncounterChanges = Omit<EncounterUpdateRequest, 'version'> &
  EncounterFeedFields & {
    status?: 'planned' | 'in-progress' | undefined;
    visitNumber?: string | null | undefined;
    priorUnit?: string | null | undefined;
    priorRoom?: string | null | undefined;
    priorBed?: string | null | undefined;
  };

const opensStay = (e: EncounterRow) =>
  e.encounterClass === 'inpatient' && e.status === 'in-progress' && !e.dischargedAt;

/**
 * Records the start of a visit in the caller's transaction: an admission, an emergency or observation stay,
 * an outpatient visit, or a pre-admission. Its audit entry goes into `audit` for the caller to append last.
 * The ADT feed, which has just locked the patient (by MRN, in this organisation, not retired) and looked the
 * visit number up in this transaction, says so in `known` and is spared those two reads.
 */
export async function admitEncounterIn(
  tx: Tx,
  by: EncounterRecorder,
  patientId: string,
  input: EncounterAdmitInput,
  audit: AuditEntry[],
  known: { patientLocked?: boolean; visitNumberFree?: boolean; patientNew?: boolean } = {},
): Promise<EncounterRow> {
  const organizationId = organizationOf(by);
  const admittedAt = new Date(input.admittedAt);
  checkTimes(by, await zoneFor(tx, by, organizationId), {
    admittedAt,
    expectedDischargeOn: input.expectedDischargeOn ?? null,
    dischargedAt: null,
  });
  const status = input.status ?? 'in-progress';
  const opening = input.encounterClass === 'inpatient' && status === 'in-progress';
  if (!known.patientLocked) {
    // The check and, for a stay, the lock that makes two admissions of one patient queue: one statement.
    const query = tx
      .select({ id: patients.id })
      .from(patients)
      .where(
        and(
          eq(patients.id, patientId),
          eq(patients.organizationId, organizationId),
          isNull(patients.retiredAt),
        ),
      );
    const [patient] = opening ? await query.for('update') : await query;
    if (!patient) throw notFound('patient');
  }
  // A patient registered in this very transaction has no other stay.
  if (opening && !known.patientNew) await refuseSecondInpatientStay(tx, patientId, undefined, true);
  if (input.visitNumber && !known.visitNumberFree) {
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
      status,
      visitNumber: input.visitNumber ?? null,
      unit: input.unit ?? null,
      room: input.room ?? null,
      bed: input.bed ?? null,
      attendingName: input.attendingName ?? null,
      admittedAt,
      expectedDischargeOn: input.expectedDischargeOn ?? null,
      admissionType: input.admissionType ?? null,
      hospitalService: input.hospitalService ?? null,
      admitSource: input.admitSource ?? null,
      source: sourceOf(by),
      // The feed knows (cached) that its organisation has no admission triggers: evaluating them is only
      // marking the stay evaluated, done here instead of in an update of its own (hooks → admissions).
      triggersEvaluatedAt: opening && noAdmissionTriggers(by) ? new Date() : null,
    })
    .returning();
  const place = where(encounter!);
  const label = ENCOUNTER_CLASSES[input.encounterClass];
  await recordOnTimeline(tx, {
    organizationId,
    patientId,
    kind: 'encounter',
    summary:
      status === 'planned'
        ? `${label} visit planned${place ? `: ${place}` : ''}`
        : `${label} visit began${place ? `: ${place}` : ''}`,
    actorId: actorIdOf(by),
    occurredAt: admittedAt,
    recordId: encounter!.id,
  });
  audit.push(
    auditEntry(by, patientId, 'encounter.admit', { recordKind: 'encounter', recordId: encounter!.id }),
  );
  if (opensStay(encounter!))
    return onAdmitted(tx, encounter!, by, audit, { firstStay: Boolean(known.patientNew) });
  return encounter!;
}

/** Records the start of a visit in its own transaction (the manual route). */
export async function admitEncounter(
  db: Db,
  by: EncounterRecorder,
  patientId: string,
  input: EncounterAdmitRequest,
): Promise<EncounterRow> {
  return db.transaction(async (tx) => {
    const audit: AuditEntry[] = [];
    const encounter = await admitEncounterIn(tx, by, patientId, input, audit);
    await appendAudit(tx, ...audit);
    return encounter;
  });
}

/** The encounter of the organisation, locked for the change. */
export async function lockEncounter(tx: Tx, organizationId: string, encounterId: string) {
  const [current] = await tx
    .select()
    .from(encounters)
    .where(and(eq(encounters.id, encounterId), eq(encounters.organizationId, organizationId)))
    .for('update');
  if (!current) throw notFound('encounter');
  return current;
}

async function lockCurrent(tx: Tx, organizationId: string, encounterId: string, version: number) {
  const current = await lockEncounter(tx, organizationId, encounterId);
  if (current.version !== version) throw staleVersion(current.version);
  return current;
}

/**
 * Corrects or moves a locked visit in the caller's transaction; a new unit of an open visit is recorded on the
 * timeline as a transfer (or as `summary` says). A visit that becomes an open inpatient stay (an outpatient
 * turned inpatient, a pre-admission arriving) is admitted: the discharge hooks run.
 */
export async function updateEncounterIn(
  tx: Tx,
  by: EncounterRecorder,
  current: EncounterRow,
  fields: EncounterChanges,
  audit: AuditEntry[],
  opts: { summary?: string; action?: string } = {},
): Promise<EncounterRow> {
  const organizationId = organizationOf(by);
  const zone = await zoneFor(tx, by, organizationId);
  const next = {
    admittedAt: fields.admittedAt ? new Date(fields.admittedAt) : current.admittedAt,
    expectedDischargeOn:
      fields.expectedDischargeOn !== undefined ? fields.expectedDischargeOn : current.expectedDischargeOn,
    dischargedAt: current.dischargedAt,
  };
  checkTimes(by, zone, next);
  const nextClass = fields.encounterClass ?? current.encounterClass;
  const nextStatus = fields.status ?? current.status;
  const becomesOpenInpatient =
    nextClass === 'inpatient' && nextStatus === 'in-progress' && !current.dischargedAt && !opensStay(current);
  if (becomesOpenInpatient) await refuseSecondInpatientStay(tx, current.patientId, current.id);
  if (fields.visitNumber && fields.visitNumber !== current.visitNumber) {
    const [taken] = await tx
      .select({ id: encounters.id })
      .from(encounters)
      .where(
        and(eq(encounters.organizationId, organizationId), eq(encounters.visitNumber, fields.visitNumber)),
      );
    if (taken) throw conflict('visit-number-taken', 'Another visit has this visit number');
  }
  const changes = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  const [encounter] = await tx
    .update(encounters)
    .set({ ...changes, admittedAt: next.admittedAt, version: current.version + 1, updatedAt: new Date() })
    .where(eq(encounters.id, current.id))
    .returning();
  const moved = !current.dischargedAt && fields.unit && fields.unit !== current.unit;
  await recordOnTimeline(tx, {
    organizationId,
    patientId: current.patientId,
    kind: 'encounter',
    summary:
      opts.summary ??
      (becomesOpenInpatient
        ? `Inpatient stay began${where(encounter!) ? `: ${where(encounter!)}` : ''}`
        : moved
          ? `Transferred to ${where(encounter!)}`
          : 'Visit details updated'),
    actorId: actorIdOf(by),
    recordId: current.id,
  });
  audit.push(
    auditEntry(by, current.patientId, opts.action ?? 'encounter.update', {
      recordKind: 'encounter',
      recordId: current.id,
      detail: { fields: Object.keys(changes) },
    }),
  );
  if (becomesOpenInpatient) return onAdmitted(tx, encounter!, by, audit);
  return encounter!;
}

/** Corrects or moves a visit at the version the user read, in its own transaction (the manual route). */
export async function updateEncounter(
  db: Db,
  by: EncounterRecorder,
  encounterId: string,
  input: EncounterUpdateRequest,
): Promise<EncounterRow> {
  const { version, ...fields } = input;
  return db.transaction(async (tx) => {
    const current = await lockCurrent(tx, organizationOf(by), encounterId, version);
    const audit: AuditEntry[] = [];
    const encounter = await updateEncounterIn(tx, by, current, fields, audit);
    await appendAudit(tx, ...audit);
    return encounter;
  });
}

/** The end of a visit as the service takes it; the feed may not know the disposition. */
export interface EncounterDischargeInput {
  dischargedAt: Date;
  disposition: Disposition | null;
  /** PV1-36 as the feed sent it. */
  dispositionCode?: string | null | undefined;
}

/** Ends a locked visit in the caller's transaction; the discharge plan closes (hooks). */
export async function dischargeEncounterIn(
  tx: Tx,
  by: EncounterRecorder,
  current: EncounterRow,
  input: EncounterDischargeInput,
  audit: AuditEntry[],
): Promise<EncounterRow> {
  if (current.dischargedAt) throw conflict('already-discharged', 'This visit has already ended');
  if (current.status === 'cancelled') throw conflict('visit-cancelled', 'This visit was cancelled');
  checkTimes(by, await zoneFor(tx, by, current.organizationId), {
    ...current,
    dischargedAt: input.dischargedAt,
  });
  const [encounter] = await tx
    .update(encounters)
    .set({
      dischargedAt: input.dischargedAt,
      dischargeDisposition: input.disposition,
      dischargeDispositionCode: input.dispositionCode ?? null,
      status: 'finished',
      version: current.version + 1,
      updatedAt: new Date(),
    })
    .where(eq(encounters.id, current.id))
    .returning();
  await recordOnTimeline(tx, {
    organizationId: current.organizationId,
    patientId: current.patientId,
    kind: 'encounter',
    summary: input.disposition ? `Discharged: ${DISPOSITIONS[input.disposition]}` : 'Discharged',
    actorId: actorIdOf(by),
    occurredAt: input.dischargedAt,
    recordId: current.id,
  });
  audit.push(
    auditEntry(by, current.patientId, 'encounter.discharge', {
      recordKind: 'encounter',
      recordId: current.id,
      detail: { disposition: input.disposition, code: input.dispositionCode ?? null },
    }),
  );
  await onDischarged(tx, encounter!, by);
  return encounter!;
}

/** Ends a visit with its time and where the patient went, in its own transaction (the manual route). */
export async function dischargeEncounter(
  db: Db,
  by: EncounterRecorder,
  encounterId: string,
  input: EncounterDischargeRequest,
): Promise<EncounterRow> {
  return db.transaction(async (tx) => {
    const current = await lockCurrent(tx, organizationOf(by), encounterId, input.version);
    const audit: AuditEntry[] = [];
    const encounter = await dischargeEncounterIn(
      tx,
      by,
      current,
      { dischargedAt: new Date(input.dischargedAt), disposition: input.disposition },
      audit,
    );
    await appendAudit(tx, ...audit);
    return encounter;
  });
}

/** The hospital cancelled the admission or registration (A11): the visit is cancelled, its plan too. */
export async function cancelEncounterIn(
  tx: Tx,
  by: EncounterRecorder,
  current: EncounterRow,
  audit: AuditEntry[],
): Promise<EncounterRow> {
  if (current.status === 'cancelled') return current;
  const [encounter] = await tx
    .update(encounters)
    .set({ status: 'cancelled', version: current.version + 1, updatedAt: new Date() })
    .where(eq(encounters.id, current.id))
    .returning();
  await recordOnTimeline(tx, {
    organizationId: current.organizationId,
    patientId: current.patientId,
    kind: 'encounter',
    summary: `${ENCOUNTER_CLASSES[current.encounterClass as keyof typeof ENCOUNTER_CLASSES] ?? 'Hospital'} visit cancelled`,
    actorId: actorIdOf(by),
    recordId: current.id,
  });
  audit.push(
    auditEntry(by, current.patientId, 'encounter.cancel', { recordKind: 'encounter', recordId: current.id }),
  );
  await onAdmissionCancelled(tx, encounter!, by);
  return encounter!;
}

/** The hospital cancelled the discharge (A13): the visit is open again, its plan too. */
export async function cancelDischargeIn(
  tx: Tx,
  by: EncounterRecorder,
  current: EncounterRow,
  audit: AuditEntry[],
): Promise<EncounterRow> {
  if (!current.dischargedAt) return current;
  if (current.encounterClass === 'inpatient')
    await refuseSecondInpatientStay(tx, current.patientId, current.id);
  const [encounter] = await tx
    .update(encounters)
    .set({
      status: 'in-progress',
      dischargedAt: null,
      dischargeDisposition: null,
      dischargeDispositionCode: null,
      version: current.version + 1,
      updatedAt: new Date(),
    })
    .where(eq(encounters.id, current.id))
    .returning();
  await recordOnTimeline(tx, {
    organizationId: current.organizationId,
    patientId: current.patientId,
    kind: 'encounter',
    summary: 'Discharge cancelled: the visit is open again',
    actorId: actorIdOf(by),
    recordId: current.id,
  });
  audit.push(
    auditEntry(by, current.patientId, 'encounter.discharge-cancel', {
      recordKind: 'encounter',
      recordId: current.id,
    }),
  );
  await onDischargeCancelled(tx, encounter!, by);
  return encounter!;
}

// Reads, here too for the modules and the ADT feed that use them with the service functions above.
export {
  currentEncounter,
  encounterByVisitNumber,
  encounterInOrganization,
  listEncounters,
  presentEncounter,
} from './encounters.queries.ts';
