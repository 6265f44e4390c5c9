import { and, desc, eq, isNotNull, ne } from 'drizzle-orm';
import type { Hl7Message, Hl7Segment } from '../../../domain/hl7/message.ts';
import type { EncounterClass } from '../../../domain/schemas/encounters.ts';
import type { Tx } from '../../db/client.ts';
import { type AuditEntry, appendAudit } from '../../platform/audit/audit.service.ts';
import { AppError } from '../../platform/errors.ts';
import { batchTimeline, holdTimeline } from '../../platform/timeline/timeline.service.ts';
import {
  admitEncounterIn,
  cancelDischargeIn,
  cancelEncounterIn,
  currentEncounter,
  dischargeEncounterIn,
  type EncounterChanges,
  type EncounterRecorder,
  lockEncounter,
  updateEncounterIn,
} from '../encounters/encounters.service.ts';
import { encounters } from '../encounters/encounters.tables.ts';
import { patients } from '../patients/patients.tables.ts';
import type { AdtContext, AdtOutcome } from './adt.contract.ts';
import { AdtRefusal, refuse } from './adt.errors.ts';
import { applyMerge } from './adt.merge.ts';
import {
  checkMrn,
  mrnIn,
  patientByMrn,
  readInsurance,
  readPid,
  registerFromPid,
  updateFromPid,
} from './adt.patient.ts';
import { dispositionOf, eventTime, type Pv1Fields, readPv1 } from './adt.visit.ts';

export type { AdtContext, AdtOutcome } from './adt.contract.ts';

type EncounterRow = typeof encounters.$inferSelect;
type PatientRow = NonNullable<Awaited<ReturnType<typeof patientByMrn>>>;

/** The trigger events applied; any other is refused (AR 201). */
export const ADT_EVENTS = [
  'A01',
  'A02',
  'A03',
  'A04',
  'A05',
  'A06',
  'A07',
  'A08',
  'A11',
  'A12',
  'A13',
  'A40',
] as const;
type AdtEvent = (typeof ADT_EVENTS)[number];
/** Events that may register a patient the feed names for the first time. */
const REGISTERING: readonly string[] = ['A01', 'A04', 'A05', 'A08'];

interface Applying {
  tx: Tx;
  ctx: AdtContext;
  message: Hl7Message;
  event: AdtEvent;
  by: EncounterRecorder;
  audit: AuditEntry[];
}

/**
 * Applies one ADT message inside the caller's transaction (a savepoint the caller rolls back on AE/AR or a
 * throw). Answers AA with the patient and visit, AE for a message understood but not applicable (no MRN, an
 * unknown patient or visit), AR for an unsupported event; throws only on an unexpected failure. Its audit
 * records are appended as the last thing it does.
 */
export async function applyAdt(tx: Tx, ctx: AdtContext, message: Hl7Message): Promise<AdtOutcome> {
  const event = message.triggerEvent.trim().toUpperCase();
  if (message.messageType.trim().toUpperCase() !== 'ADT') {
    return {
      ack: 'AR',
      errors: [
        { segment: 'MSH', sequence: 1, field: 9, component: 1, code: 200, text: 'Unsupported message type' },
      ],
    };
  }
  if (!(ADT_EVENTS as readonly string[]).includes(event)) {
    return {
      ack: 'AR',
      errors: [
        { segment: 'MSH', sequence: 1, field: 9, component: 2, code: 201, text: 'Unsupported event code' },
      ],
    };
  }
  const run: Applying = {
    tx,
    ctx,
    message,
    event: event as AdtEvent,
    by: {
      system: 'adt',
      organizationId: ctx.organizationId,
      timeZone: ctx.timeZone,
      admissionTriggers: ctx.admissionTriggers,
    },
    audit: [],
  };
  try {
    // The message's timeline lines (registered, visit began, plan opened...) go in one insert: the
    // transport's last statement when it takes them, else one of their own.
    const apply = () => (event === 'A40' ? applyMerge(run) : applyVisitEvent(run));
    let result: Awaited<ReturnType<typeof apply>>;
    if (ctx.timeline) {
      const held = await holdTimeline(tx, apply);
      ctx.timeline.push(...held.held);
      result = held.result;
    } else {
      result = await batchTimeline(tx, apply);
    }
    // Last: the transport appends them itself just before its commit when it gives a sink.
    if (ctx.audit) ctx.audit.push(...run.audit);
    else await appendAudit(tx, ...run.audit);
    return { ack: 'AA', ...result };
  } catch (error) {
    if (error instanceof AdtRefusal) return { ack: 'AE', errors: [error.error] };
    if (error instanceof AppError && error.status < 500) return { ack: 'AE', errors: [fromAppError(error)] };
    throw error;
  }
}

/** A service's refusal (a second open stay, a visit number taken, times out of order) as an ERR. */
function fromAppError(error: AppError) {
  const fields = (error.extra as { errors?: { field: string; message: string }[] } | undefined)?.errors;
  const detail = fields?.map((f) => `${f.field} ${f.message}`).join('; ');
  const code = error.status === 404 ? 204 : error.status === 409 ? 205 : 102;
  return { segment: 'PV1', code, text: detail ? `${error.title}: ${detail}` : error.title };
}

function pidOf(message: Hl7Message): Hl7Segment {
  const pid = message.segment('PID');
  if (!pid) throw refuse('PID', undefined, 100, 'Required segment PID is missing');
  return pid;
}

async function patientFor(
  run: Applying,
  pid: Hl7Segment,
  mrn: string,
  found?: PatientRow,
): Promise<{ patient: PatientRow; registered: boolean }> {
  const insurance = readInsurance(run.message.all('IN1'));
  const fields = { ...readPid(pid), ...(insurance ? { insurance } : {}) };
  const known = found ?? (await patientByMrn(run.tx, run.ctx.organizationId, mrn));
  if (known) return { patient: await updateFromPid(run.tx, known, fields, run.audit), registered: false };
  if (!REGISTERING.includes(run.event))
    throw refuse(
      'PID',
      3,
      204,
      `PID-3: no patient with this MRN (${run.event} does not register one)`,
      pid.sequence,
    );
  return {
    patient: await registerFromPid(run.tx, run.ctx.organizationId, mrn, pid, fields, run.audit),
    registered: true,
  };
}

/**
 * The visit with this number and its patient, both found and locked in one statement (a message about a known
 * stay needs nothing else to find them); null when no visit has this number.
 */
async function visitByNumber(run: Applying, visitNumber: string) {
  const [row] = await run.tx
    .select({ visit: encounters, patient: patients })
    .from(encounters)
    .innerJoin(patients, eq(patients.id, encounters.patientId))
    .where(
      and(eq(encounters.organizationId, run.ctx.organizationId), eq(encounters.visitNumber, visitNumber)),
    )
    .for('update');
  return row ?? null;
}

const otherPatientsVisit = (seq?: number) =>
  refuse('PV1', 19, 205, 'PV1-19: this visit number belongs to another patient', seq);

/** The visit the message is about: by PV1-19, else the patient's open visit (the last discharged one for A13). */
async function visitFor(run: Applying, patient: PatientRow, pv1: Pv1Fields, pv1Seq?: number) {
  if (pv1.visitNumber) {
    const found = await visitByNumber(run, pv1.visitNumber);
    if (found && found.visit.patientId !== patient.id) throw otherPatientsVisit(pv1Seq);
    return found?.visit ?? null;
  }
  if (run.event === 'A13') {
    const [last] = await run.tx
      .select()
      .from(encounters)
      .where(
        and(
          eq(encounters.patientId, patient.id),
          isNotNull(encounters.dischargedAt),
          ne(encounters.status, 'cancelled'),
        ),
      )
      .orderBy(desc(encounters.dischargedAt))
      .limit(1);
    return last ? lockEncounter(run.tx, run.ctx.organizationId, last.id) : null;
  }
  const open = await currentEncounter(run.tx, patient.id);
  return open ? lockEncounter(run.tx, run.ctx.organizationId, open.id) : null;
}

/**
 * A06/A07 may carry a new visit number: the visit changed is the prior one (MRG-5), else the patient's open
 * visit, and it takes the new number.
 */
async function changedVisit(run: Applying, patient: PatientRow, pv1: Pv1Fields) {
  const prior = run.message.segment('MRG')?.get(5).trim();
  const byPrior = prior ? await visitFor(run, patient, { visitNumber: prior }) : null;
  const visit = byPrior ?? (await visitFor(run, patient, {}));
  if (visit && pv1.visitNumber) return { ...visit, renumberTo: pv1.visitNumber };
  return visit;
}

const noVisit = (pv1: Pv1Fields, seq?: number) =>
  pv1.visitNumber
    ? refuse('PV1', 19, 204, 'PV1-19: no visit with this visit number', seq)
    : refuse('PV1', 19, 204, 'No open visit of this patient to apply the event to', seq);

/** What PV1 changes on a visit the feed already knows. */
function changesFrom(pv1: Pv1Fields): EncounterChanges {
  const changes: EncounterChanges = {};
  for (const k of [
    'unit',
    'room',
    'bed',
    'attendingName',
    'admissionType',
    'hospitalService',
    'admitSource',
  ] as const) {
    if (pv1[k] !== undefined) changes[k] = pv1[k];
  }
  if (pv1.admittedAt) changes.admittedAt = pv1.admittedAt.toISOString();
  return changes;
}

/** The class an admitting event gives the visit: the event decides for A06/A07, else PV1-2, else the event. */
function classFor(event: AdtEvent, pv1: Pv1Fields): EncounterClass {
  if (event === 'A06') return 'inpatient';
  if (event === 'A07') return 'outpatient';
  return pv1.encounterClass ?? (event === 'A04' ? 'outpatient' : 'inpatient');
}

async function applyVisitEvent(run: Applying) {
  const { tx, message, event, by, audit } = run;
  const pid = pidOf(message);
  const mrn = checkMrn(mrnIn(pid, 3, run.ctx.assigningAuthority), 'PID', 3, pid.sequence);
  const pv1Segment = message.segment('PV1');
  const pv1 = readPv1(pv1Segment, run.ctx.timeZone);
  const seq = pv1Segment?.sequence;
  const at = () => eventTime(message, run.ctx.timeZone);
  // A visit number is looked up first, with its patient: a message about a known stay of the patient PID-3
  // names needs no other read to find both.
  const byNumber = pv1Segment && pv1.visitNumber ? await visitByNumber(run, pv1.visitNumber) : undefined;
  const own = byNumber?.patient.mrn === mrn && !byNumber.patient.retiredAt ? byNumber.patient : undefined;
  const { patient, registered } = await patientFor(run, pid, mrn, own);
  if (byNumber && byNumber.visit.patientId !== patient.id) throw otherPatientsVisit(seq);
  let visit =
    byNumber !== undefined
      ? (byNumber?.visit ?? null)
      : pv1Segment
        ? await visitFor(run, patient, pv1, seq)
        : null;
  if (!visit && pv1Segment && (event === 'A06' || event === 'A07'))
    visit = await changedVisit(run, patient, pv1);
  const done = (e: EncounterRow | null) => ({ patientId: patient.id, encounterId: e?.id ?? null });

  switch (event) {
    case 'A01':
    case 'A04':
    case 'A05':
    case 'A06': {
      if (!pv1Segment) throw refuse('PV1', undefined, 100, 'Required segment PV1 is missing');
      const encounterClass = classFor(event, pv1);
      const status = event === 'A05' ? 'planned' : 'in-progress';
      if (!visit) {
        visit = await admitEncounterIn(
          tx,
          by,
          patient.id,
          {
            encounterClass,
            status,
            ...(pv1.visitNumber ? { visitNumber: pv1.visitNumber } : {}),
            ...(pv1.unit ? { unit: pv1.unit } : {}),
            ...(pv1.room ? { room: pv1.room } : {}),
            ...(pv1.bed ? { bed: pv1.bed } : {}),
            ...(pv1.attendingName ? { attendingName: pv1.attendingName } : {}),
            admissionType: pv1.admissionType ?? null,
            hospitalService: pv1.hospitalService ?? null,
            admitSource: pv1.admitSource ?? null,
            admittedAt: (pv1.admittedAt ?? at()).toISOString(),
          },
          audit,
          // patientFor locked (or registered) the patient; no visit has this number, in this transaction.
          { patientLocked: true, visitNumberFree: Boolean(pv1.visitNumber), patientNew: registered },
        );
        return done(visit);
      }
      // A known visit: a pre-admission arriving, an outpatient made inpatient, or the same admission re-sent.
      const changes = changesFrom(pv1);
      if ('renumberTo' in visit) changes.visitNumber = visit.renumberTo as string;
      if (!visit.dischargedAt && visit.status !== 'cancelled') {
        if (event !== 'A05' && visit.status === 'planned') changes.status = 'in-progress';
        if (event === 'A06' || visit.status === 'planned' || event === 'A01')
          changes.encounterClass = encounterClass;
      }
      return done(await updateEncounterIn(tx, by, visit, changes, audit));
    }
    case 'A07': {
      if (!visit) throw noVisit(pv1, seq);
      return done(
        await updateEncounterIn(
          tx,
          by,
          visit,
          {
            ...changesFrom(pv1),
            ...('renumberTo' in visit ? { visitNumber: visit.renumberTo as string } : {}),
            encounterClass: 'outpatient',
          },
          audit,
          {
            summary: 'Inpatient stay changed to an outpatient visit',
          },
        ),
      );
    }
    case 'A08': {
      if (!visit) {
        if (pv1.visitNumber) throw noVisit(pv1, seq);
        return done(null);
      }
      const changes = changesFrom(pv1);
      if (!Object.keys(changes).length) return done(visit);
      return done(await updateEncounterIn(tx, by, visit, changes, audit));
    }
    case 'A02': {
      if (!visit) throw noVisit(pv1, seq);
      if (!pv1.unit) throw refuse('PV1', 3, 101, 'PV1-3: a transfer needs the new location', seq);
      const changes: EncounterChanges = {
        ...changesFrom(pv1),
        unit: pv1.unit,
        room: pv1.room ?? null,
        bed: pv1.bed ?? null,
        priorUnit: visit.unit,
        priorRoom: visit.room,
        priorBed: visit.bed,
      };
      return done(await updateEncounterIn(tx, by, visit, changes, audit, { action: 'encounter.transfer' }));
    }
    case 'A12': {
      if (!visit) throw noVisit(pv1, seq);
      const back = visit.priorUnit
        ? { unit: visit.priorUnit, room: visit.priorRoom, bed: visit.priorBed }
        : { unit: pv1.unit ?? visit.unit, room: pv1.room ?? visit.room, bed: pv1.bed ?? visit.bed };
      const place = [back.unit, back.room && `room ${back.room}`, back.bed && `bed ${back.bed}`]
        .filter(Boolean)
        .join(', ');
      return done(
        await updateEncounterIn(
          tx,
          by,
          visit,
          { ...back, priorUnit: null, priorRoom: null, priorBed: null },
          audit,
          {
            summary: `Transfer cancelled: back to ${place || 'the previous location'}`,
            action: 'encounter.transfer-cancel',
          },
        ),
      );
    }
    case 'A03': {
      if (!visit) throw noVisit(pv1, seq);
      // The same discharge sent again (a new control id) changes nothing.
      if (visit.dischargedAt) return done(visit);
      // PV1-45 is taken as sent (a discharge before the admission is refused); the event time, a fallback,
      // never ends a stay before it began.
      const dischargedAt = pv1.dischargedAt ?? new Date(Math.max(at().getTime(), visit.admittedAt.getTime()));
      return done(
        await dischargeEncounterIn(
          tx,
          by,
          visit,
          {
            dischargedAt,
            disposition: dispositionOf(pv1.dispositionCode ?? ''),
            dispositionCode: pv1.dispositionCode ?? null,
          },
          audit,
        ),
      );
    }
    case 'A11': {
      if (!visit) throw noVisit(pv1, seq);
      return done(await cancelEncounterIn(tx, by, visit, audit));
    }
    case 'A13': {
      if (!visit) throw noVisit(pv1, seq);
      return done(await cancelDischargeIn(tx, by, visit, audit));
    }
    default:
      throw new Error(`unhandled event ${event}`);
  }
}
