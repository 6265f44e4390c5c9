import { DISPOSITIONS, type Disposition, ENCOUNTER_CLASSES } from '../../../domain/schemas/encounters.ts';
import { encounters } from '../../modules/encounters/encounters.tables.ts';
import { DAY, type DemoContext, HOUR, localDate, onTimeline } from './context.ts';
import type { DemoPatient } from './people.ts';
import { CLINICS, DISPOSITION_MIX, type Unit } from './vocab.ts';

export type EncounterClass = 'inpatient' | 'emergency' | 'outpatient';

export interface DemoEncounter {
  id: string;
  encounterClass: EncounterClass;
  unit: string | null;
  admittedAt: number;
  dischargedAt: number | null;
  disposition: Disposition | null;
  attendingName: string | null;
}

const icuPrefix = (unit: Unit) => (unit.name === 'ICU' ? 'ICU' : `${unit.name[0]}ICU`);

/** The beds of a unit: room "412" bed "A" on the wards, "ICU-07" in an intensive care unit. */
export function bedsOf(unit: Unit, count: number): { room: string; bed: string | null }[] {
  if (unit.icu) {
    return Array.from({ length: count }, (_, i) => ({
      room: `${icuPrefix(unit)}-${String(i + 1).padStart(2, '0')}`,
      bed: null,
    }));
  }
  return Array.from({ length: count }, (_, i) => ({
    room: `${unit.floor}${String(Math.floor(i / 2) + 1).padStart(2, '0')}`,
    bed: i % 2 === 0 ? 'A' : 'B',
  }));
}

/** Any bed of the unit. */
export const randomBed = (ctx: DemoContext, unit: Unit) =>
  unit.icu
    ? { unit, room: `${icuPrefix(unit)}-${String(ctx.r.int(1, 16)).padStart(2, '0')}`, bed: null }
    : {
        unit,
        room: `${unit.floor}${String(ctx.r.int(1, 20)).padStart(2, '0')}`,
        bed: ctx.r.pick(['A', 'B']),
      };

/** Writes one encounter and its timeline entries: arrival, and discharge when it has ended. */
export function writeEncounter(
  ctx: DemoContext,
  patient: DemoPatient,
  e: {
    encounterClass: EncounterClass;
    unit: string | null;
    room?: string | null;
    bed?: string | null;
    attendingName: string | null;
    admittedAt: number;
    expectedDischargeAt?: number | null;
    dischargedAt?: number | null;
    disposition?: Disposition | null;
  },
): DemoEncounter {
  const { r } = ctx;
  const id = r.id(e.admittedAt);
  ctx.seq.visit += 1;
  const dischargedAt = e.dischargedAt ?? null;
  const finished = dischargedAt !== null;
  ctx.w.add(encounters, {
    id,
    organizationId: ctx.organizationId,
    patientId: patient.id,
    encounterClass: e.encounterClass,
    status: finished ? 'finished' : 'in-progress',
    visitNumber: `V${String(ctx.seq.visit).padStart(9, '0')}`,
    unit: e.unit,
    room: e.room ?? null,
    bed: e.bed ?? null,
    attendingName: e.attendingName,
    admittedAt: new Date(e.admittedAt),
    expectedDischargeOn:
      e.expectedDischargeAt === undefined || e.expectedDischargeAt === null
        ? null
        : localDate(ctx, e.expectedDischargeAt),
    dischargedAt: finished ? new Date(dischargedAt) : null,
    dischargeDisposition: finished ? (e.disposition ?? null) : null,
    source: 'adt',
    version: 1,
    createdAt: new Date(e.admittedAt),
    updatedAt: new Date(dischargedAt ?? e.admittedAt),
  });
  // As the encounters service words them; a past clinic or emergency visit keeps to its first entry.
  const record = { kind: 'encounter', id };
  const place = [e.unit, e.room && `room ${e.room}`, e.bed && `bed ${e.bed}`].filter(Boolean).join(', ');
  const began = `${ENCOUNTER_CLASSES[e.encounterClass]} visit began${place ? `: ${place}` : ''}`;
  onTimeline(ctx, patient.id, 'encounter', e.admittedAt, began, record);
  if (finished && e.encounterClass === 'inpatient')
    onTimeline(
      ctx,
      patient.id,
      'encounter',
      dischargedAt,
      `Discharged: ${DISPOSITIONS[e.disposition ?? 'home']}`,
      record,
    );
  return {
    id,
    encounterClass: e.encounterClass,
    unit: e.unit,
    admittedAt: e.admittedAt,
    dischargedAt,
    disposition: finished ? (e.disposition ?? null) : null,
    attendingName: e.attendingName,
  };
}

/** A disposition by how often hospitals see it; `alive` leaves out death. */
export function pickDisposition(ctx: DemoContext, alive = false): Disposition {
  return ctx.r.weighted(DISPOSITION_MIX.filter(([, code]) => !alive || code !== 'expired'));
}

/**
 * A finished visit that starts in [from, to) and ends by `endBy`: an inpatient stay of 1 to 21 days, an emergency visit of a few hours or a
 * clinic visit (two timeline entries for a stay, one for the others).
 */
export function pastVisit(
  ctx: DemoContext,
  patient: DemoPatient,
  from: number,
  to: number,
  kind: EncounterClass,
  endBy: number = ctx.now - HOUR,
): DemoEncounter {
  const { r } = ctx;
  const admittedAt = from + Math.floor(r.faker.number.float() * Math.max(HOUR, to - from));
  switch (kind) {
    case 'inpatient': {
      const unit = r.pick(ctx.units);
      const bed = randomBed(ctx, unit);
      const los = r.weighted([
        [40, r.int(1, 3)],
        [45, r.int(4, 8)],
        [15, r.int(9, 21)],
      ] as const);
      const dischargedAt = Math.min(admittedAt + los * DAY + r.int(-6, 6) * HOUR, endBy);
      return writeEncounter(ctx, patient, {
        encounterClass: 'inpatient',
        unit: unit.name,
        room: bed.room,
        bed: bed.bed,
        attendingName: r.pick(ctx.attendings),
        admittedAt,
        expectedDischargeAt: admittedAt + los * DAY,
        dischargedAt: Math.max(dischargedAt, admittedAt + 6 * HOUR),
        disposition: pickDisposition(ctx, true),
      });
    }
    case 'emergency':
      return writeEncounter(ctx, patient, {
        encounterClass: 'emergency',
        unit: 'Emergency Department',
        room: `ED-${String(r.int(1, 40)).padStart(2, '0')}`,
        attendingName: r.pick(ctx.attendings),
        admittedAt,
        dischargedAt: admittedAt + r.int(2, 14) * HOUR,
        disposition: 'home',
      });
    case 'outpatient':
      return writeEncounter(ctx, patient, {
        encounterClass: 'outpatient',
        unit: r.pick(CLINICS),
        attendingName: r.pick(ctx.attendings),
        admittedAt,
        dischargedAt: admittedAt + r.int(1, 3) * HOUR,
        disposition: 'home',
      });
  }
}
