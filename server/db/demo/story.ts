import type { CaseStatus } from '../../../domain/workflows/case.ts';
import { closeReasonFor, type DemoCase, generateCase } from './cases.ts';
import { DAY, type DemoContext, HOUR, MINUTE, type PatientScope, type Person, past } from './context.ts';
import { type DemoPatient, generateContacts, generatePatient } from './people.ts';
import { beginScreening, screenStay } from './screens.ts';
import {
  type DemoEncounter,
  type EncounterClass,
  pastVisit,
  pickDisposition,
  randomBed,
  writeEncounter,
} from './visits.ts';
import type { Unit } from './vocab.ts';
import { generateTasks, generateThread, raiseFlag } from './work.ts';

/**
 * Where a patient stands today: on a worker's caseload, waiting in the triage queue (on a ward or in the
 * Emergency Department), on a ward without social work, in the ED, seen in clinic lately, discharged in the
 * last two months, or known only from older visits.
 */
export type Profile =
  | 'caseload'
  | 'queue-ward'
  | 'queue-ed'
  | 'ward'
  | 'ed'
  | 'clinic'
  | 'discharged'
  | 'history';

export interface Bed {
  unit: Unit;
  room: string;
  bed: string | null;
}

const INPATIENT: readonly Profile[] = ['caseload', 'queue-ward', 'ward', 'discharged'];

/** When the current (or last) visit began, and when it ended if it has. */
function currentVisitTimes(ctx: DemoContext, profile: Profile): { start: number; end: number | null } {
  const { r, now } = ctx;
  switch (profile) {
    case 'caseload':
      return {
        start: now - (r.chance(0.1) ? r.int(13 * 24, 45 * 24) : r.int(10, 12 * 24)) * HOUR,
        end: null,
      };
    case 'queue-ward':
      return { start: now - r.int(3, 96) * HOUR, end: null };
    case 'ward':
      return { start: now - r.int(6, 240) * HOUR, end: null };
    case 'queue-ed':
    case 'ed':
      return { start: now - r.int(40, 18 * 60) * MINUTE, end: null };
    case 'clinic': {
      const start = now - r.int(1, 14) * DAY - r.int(0, 8) * HOUR;
      return { start, end: start + r.int(1, 3) * HOUR };
    }
    case 'discharged': {
      const end = now - r.int(6, 60 * 24) * HOUR;
      return { start: end - r.int(1, 14) * DAY - r.int(0, 12) * HOUR, end };
    }
    case 'history':
      return { start: now - r.int(61, 1500) * DAY, end: null };
  }
}

function workerFor(ctx: DemoContext, unit: string | null): Person {
  const onUnit = unit ? ctx.workersByUnit.get(unit) : undefined;
  return ctx.r.pick(onUnit?.length ? onUnit : ctx.workers);
}

/** The unit's worker with the fewest open cases: supervisors balance caseloads as they assign. */
function leastLoaded(ctx: DemoContext, unit: string | null): Person {
  const onUnit = unit ? ctx.workersByUnit.get(unit) : undefined;
  const pool = onUnit?.length ? onUnit : ctx.workers;
  const fewest = Math.min(...pool.map((w) => ctx.openCases.get(w.id) ?? 0));
  return ctx.r.pick(pool.filter((w) => (ctx.openCases.get(w.id) ?? 0) === fewest));
}

/** The expected discharge date the team set: mostly in the next days, some already passed, some unset. */
function expectedDischarge(ctx: DemoContext): number | null {
  const { r, now } = ctx;
  return r.weighted([
    [12, null],
    [10, now - r.int(1, 3) * DAY],
    [25, now],
    [53, now + r.int(1, 6) * DAY],
  ] as const);
}

/**
 * One patient's story: registration, family, older visits (some with a closed case), and today's situation
 * with its case, tasks, messages and flags. Returns the patient and the end of the span where older visits
 * may be added (to reach a timeline size), or null when there is none.
 */
export function patientStory(
  ctx: DemoContext,
  index: number,
  profile: Profile,
  bed: Bed | null,
): { patient: DemoPatient; historyWindow: [number, number] | null } {
  const { r, now } = ctx;
  const { start, end } = currentVisitTimes(ctx, profile);
  const inpatient = INPATIENT.includes(profile);
  const firstVisit = profile !== 'history' && r.chance(0.12);
  const registeredAt = firstVisit
    ? start - r.int(5, 40) * MINUTE
    : Math.max(now - 3650 * DAY, start - r.int(60, 2900) * DAY);
  const codeStatusAt = inpatient ? past(ctx, start + r.int(60, 600) * MINUTE) : null;
  const patient = generatePatient(ctx, index, { inpatient, registeredAt, codeStatusAt });
  const scope: PatientScope = { id: patient.id, team: new Map() };
  beginScreening(ctx, patient, scope);
  generateContacts(ctx, patient, {
    at: registeredAt + r.int(2, 30) * MINUTE,
    by: null,
    needsGuardian: patient.age >= 75 ? r.chance(0.06) : r.chance(0.01),
  });
  if (patient.age >= 65 ? r.chance(0.3) : r.chance(0.06))
    raiseFlag(
      ctx,
      patient.id,
      'advance-directive',
      registeredAt + r.int(1, 48) * HOUR,
      r.pick(ctx.clinicians),
    );

  // Older visits, in order, between registration and shortly before today's visit.
  const historyEnd = profile === 'history' ? now - 60 * DAY : start - 2 * DAY;
  const historyStart = registeredAt + DAY;
  let lastStayEnded: number | null = null;
  if (historyEnd - historyStart > 3 * DAY) {
    const count =
      profile === 'history'
        ? r.weighted([
            [15, 0],
            [40, 1],
            [25, 2],
            [20, 3],
          ] as const)
        : r.weighted([
            [35, 0],
            [30, 1],
            [18, 2],
            [10, 3],
            [7, 4],
          ] as const);
    const slot = (historyEnd - historyStart) / Math.max(count, 1);
    for (let v = 0; v < count; v++) {
      const from = historyStart + v * slot;
      const kind = r.weighted<EncounterClass>([
        [40, 'inpatient'],
        [30, 'emergency'],
        [30, 'outpatient'],
      ]);
      const visit = pastVisit(ctx, patient, from, from + slot * 0.6, kind, from + slot);
      if (kind !== 'inpatient' || visit.dischargedAt === null) continue;
      lastStayEnded = visit.dischargedAt;
      let c: DemoCase | null = null;
      if (r.chance(0.3)) {
        const worker = workerFor(ctx, visit.unit);
        const leaves = visit.dischargedAt + 30 * DAY;
        c = generateCase(ctx, {
          patient: scope,
          encounterId: visit.id,
          requestedAt:
            visit.admittedAt + Math.min(r.int(2, 20) * HOUR, (visit.dischargedAt - visit.admittedAt) * 0.4),
          status: 'closed',
          clinician: r.pick(ctx.clinicians),
          worker,
          closeReason: closeReasonFor(ctx, visit.disposition),
          endBy: visit.dischargedAt,
          teamLeavesAt: leaves < now ? leaves : null,
        });
        generateTasks(ctx, patient.id, c, visit.dischargedAt);
      }
      screenStay(ctx, { ...stayOf(visit), case: c });
    }
  }

  if (profile !== 'history') today(ctx, patient, scope, profile, bed, { start, end, lastStayEnded });
  return {
    patient,
    historyWindow: historyEnd - historyStart > DAY ? [historyStart, historyEnd] : null,
  };
}

function today(
  ctx: DemoContext,
  patient: DemoPatient,
  scope: PatientScope,
  profile: Profile,
  bed: Bed | null,
  times: { start: number; end: number | null; lastStayEnded: number | null },
): void {
  const { r, now } = ctx;
  const { start, end } = times;
  const clinician = r.pick(ctx.clinicians);
  // The last stay of a discharged patient was on one of the units too.
  bed ??= profile === 'discharged' ? randomBed(ctx, r.pick(ctx.units)) : null;
  const attendingName = r.chance(0.5) ? clinician.displayName : r.pick(ctx.attendings);
  const inpatient = INPATIENT.includes(profile);
  const ed = profile === 'queue-ed' || profile === 'ed';
  const disposition = profile === 'discharged' ? pickDisposition(ctx) : null;
  const encounter = writeEncounter(ctx, patient, {
    encounterClass: inpatient ? 'inpatient' : ed ? 'emergency' : 'outpatient',
    unit:
      bed?.unit.name ??
      (ed ? 'Emergency Department' : r.pick(['Primary Care', 'Cardiology clinic', 'Oncology infusion'])),
    room: bed?.room ?? (ed ? `ED-${String(r.int(1, 40)).padStart(2, '0')}` : null),
    bed: bed?.bed ?? null,
    attendingName,
    admittedAt: start,
    expectedDischargeAt: profile === 'discharged' ? end : inpatient ? expectedDischarge(ctx) : null,
    dischargedAt: end,
    disposition: disposition ?? (end !== null ? 'home' : null),
  });
  const endBy = end ?? now - MINUTE;
  const unit = bed?.unit.name ?? null;
  const supervisor = r.pick(ctx.supervisors);

  if (inpatient && times.lastStayEnded !== null && start - times.lastStayEnded < 30 * DAY)
    raiseFlag(ctx, patient.id, 'readmission', start + 5 * MINUTE, null, end);
  if (inpatient && r.chance(0.12))
    raiseFlag(ctx, patient.id, 'new-results', start + r.int(4, 200) * HOUR, null, end);

  // A consult some time into the stay, early enough for its work to fit before today (or the discharge).
  const intoStay = (typical: number) => start + Math.min(typical, (endBy - start) * 0.4);
  let c: DemoCase | null = null;
  const plan = (status: CaseStatus, requestedAt: number, worker: Person | null) => ({
    patient: scope,
    encounterId: encounter.id,
    requestedAt,
    status,
    clinician,
    worker,
    endBy,
  });
  switch (profile) {
    case 'caseload': {
      const active = r.chance(0.8);
      // A case still waiting for first contact came in lately; an active one any time in the stay.
      const requestedAt = active
        ? intoStay(r.int(60, 48 * 60) * MINUTE)
        : Math.max(intoStay(30 * MINUTE), now - r.int(60, 30 * 60) * MINUTE);
      const worker = leastLoaded(ctx, unit);
      const colleagues = (ctx.workersByUnit.get(unit ?? '') ?? ctx.workers).filter((w) => w.id !== worker.id);
      c = generateCase(ctx, {
        ...plan(active ? 'active' : 'assigned', requestedAt, worker),
        handOffTo: active && colleagues.length && r.chance(0.08) ? r.pick(colleagues) : null,
        reopened: active && r.chance(0.03),
      });
      ctx.openCases.set(c.worker!.id, (ctx.openCases.get(c.worker!.id) ?? 0) + 1);
      if (r.chance(0.03)) {
        // The same consult entered twice: the supervisor closes the copy.
        generateCase(ctx, {
          ...plan('closed', past(ctx, requestedAt + r.int(5, 120) * MINUTE), null),
          reasonCode: c.reasonCode,
          closeReason: 'duplicate',
        });
      }
      break;
    }
    case 'queue-ward':
    case 'queue-ed': {
      const requestedAt = Math.max(intoStay(15 * MINUTE), now - r.int(10, 30 * 60) * MINUTE);
      c = generateCase(ctx, plan(r.chance(0.55) ? 'new' : 'triaged', requestedAt, null));
      break;
    }
    case 'ward':
      if (r.chance(0.35)) {
        c = generateCase(ctx, {
          ...plan('closed', intoStay(r.int(2, 30) * HOUR), workerFor(ctx, unit)),
          closeReason: r.weighted([
            [50, 'no-needs-identified'],
            [30, 'goals-met'],
            [20, 'declined-services'],
          ] as const),
        });
      }
      break;
    case 'discharged':
      if (r.chance(0.65)) {
        const leaves = end! + 30 * DAY;
        c = generateCase(ctx, {
          ...plan('closed', intoStay(r.int(2, 36) * HOUR), workerFor(ctx, unit)),
          closeReason: closeReasonFor(ctx, disposition),
          teamLeavesAt: leaves < now ? leaves : null,
        });
      }
      break;
    default:
      break;
  }
  if (inpatient) screenStay(ctx, { ...stayOf(encounter), case: c });
  if (!c) return;
  generateTasks(ctx, patient.id, c, endBy);
  if (c.worker && c.assignedAt !== null && r.chance(c.closedAt === null ? 0.4 : 0.15))
    generateThread(ctx, patient.id, { worker: c.worker, clinician, supervisor }, c.assignedAt, endBy);
  const worker = c.worker;
  if (c.reasonCode === 'suicide-risk' || (c.closedAt === null && r.chance(0.015)))
    raiseFlag(ctx, patient.id, 'crisis-risk', c.requestedAt + 10 * MINUTE, clinician, end, worker);
  if ((c.reasonCode === 'abuse-neglect' || c.reasonCode === 'intimate-partner-violence') && r.chance(0.7))
    raiseFlag(
      ctx,
      patient.id,
      'safety-concern',
      c.requestedAt + 30 * MINUTE,
      worker ?? clinician,
      end,
      worker,
    );
  if (c.reasonCode === 'abuse-neglect' && worker && r.chance(0.5))
    raiseFlag(
      ctx,
      patient.id,
      'mandated-report',
      (c.firstContactAt ?? c.requestedAt) + 20 * MINUTE,
      worker,
      c.closedAt,
      worker,
    );
}

/**
 * A visit added to reach the timeline size asked for: 2 entries for a stay, 1 for the others, and those of
 * the stay's screens when `entries` leaves room for them.
 */
export function fillerVisit(
  ctx: DemoContext,
  patient: DemoPatient,
  window: [number, number],
  entries: number,
): void {
  const kind =
    entries >= 2 && ctx.r.chance(0.4) ? 'inpatient' : ctx.r.chance(0.5) ? 'emergency' : 'outpatient';
  const visit = pastVisit(ctx, patient, window[0], window[1] - DAY, kind, window[1]);
  // A stay is screened too, while the timeline still has room for what a screen may add.
  if (kind === 'inpatient') screenStay(ctx, { ...stayOf(visit), case: null }, { budget: entries - 2 });
}

const stayOf = (visit: DemoEncounter) => ({
  encounterId: visit.id,
  unit: visit.unit,
  admittedAt: visit.admittedAt,
  dischargedAt: visit.dischargedAt,
});
