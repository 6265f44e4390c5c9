import { z } from 'zod';
import { IsoDate, IsoDateTime, Uuid } from './common.ts';

/** Kinds of visit, as FHIR Encounter.class (v3 ActCode) names them. */
export const ENCOUNTER_CLASSES = {
  inpatient: 'Inpatient',
  emergency: 'Emergency',
  outpatient: 'Outpatient',
  observation: 'Observation',
} as const;
export type EncounterClass = keyof typeof ENCOUNTER_CLASSES;
export const EncounterClass = z.enum(
  Object.keys(ENCOUNTER_CLASSES) as [EncounterClass, ...EncounterClass[]],
  {
    error: 'must be inpatient, emergency, outpatient or observation',
  },
);

/** Where the patient went at discharge (after the UB-04 patient discharge status codes). */
export const DISPOSITIONS = {
  home: 'Home or self-care',
  'home-with-services': 'Home with outpatient services',
  'home-health': 'Home with home health',
  snf: 'Skilled nursing facility',
  'inpatient-rehab': 'Inpatient rehabilitation',
  ltach: 'Long-term acute care hospital',
  hospice: 'Hospice',
  shelter: 'Shelter',
  'left-against-medical-advice': 'Left against medical advice',
  expired: 'Died',
  transferred: 'Transferred to another hospital',
  other: 'Other',
} as const;
export type Disposition = keyof typeof DISPOSITIONS;
export const Disposition = z.enum(Object.keys(DISPOSITIONS) as [Disposition, ...Disposition[]], {
  error: 'must be one of the discharge dispositions',
});

const Place = z.string().trim().min(1, 'must not be empty').max(50, 'must be at most 50 characters');

export const EncounterAdmitRequest = z.object({
  encounterClass: EncounterClass,
  /** The hospital's visit number, which the ADT feed matches on. */
  visitNumber: z.string().trim().min(1).max(50).optional(),
  unit: Place.optional(),
  room: Place.optional(),
  bed: Place.optional(),
  attendingName: z.string().trim().min(1).max(200).optional(),
  admittedAt: IsoDateTime,
  expectedDischargeOn: IsoDate.optional(),
});
export type EncounterAdmitRequest = z.infer<typeof EncounterAdmitRequest>;

/** A missing field is unchanged; `null` clears it. A new unit is recorded as a transfer. */
export const EncounterUpdateRequest = z.object({
  version: z.number().int().min(1),
  encounterClass: EncounterClass.optional(),
  unit: Place.nullable().optional(),
  room: Place.nullable().optional(),
  bed: Place.nullable().optional(),
  attendingName: z.string().trim().min(1).max(200).nullable().optional(),
  admittedAt: IsoDateTime.optional(),
  expectedDischargeOn: IsoDate.nullable().optional(),
});
export type EncounterUpdateRequest = z.infer<typeof EncounterUpdateRequest>;

export const EncounterDischargeRequest = z.object({
  version: z.number().int().min(1),
  dischargedAt: IsoDateTime,
  disposition: Disposition,
});
export type EncounterDischargeRequest = z.infer<typeof EncounterDischargeRequest>;

export const Encounter = z.object({
  id: Uuid,
  patientId: Uuid,
  encounterClass: EncounterClass,
  /** in-progress | finished, as FHIR Encounter.status. */
  status: z.string(),
  visitNumber: z.string().nullable(),
  unit: z.string().nullable(),
  room: z.string().nullable(),
  bed: z.string().nullable(),
  attendingName: z.string().nullable(),
  admittedAt: IsoDateTime,
  expectedDischargeOn: IsoDate.nullable(),
  dischargedAt: IsoDateTime.nullable(),
  disposition: Disposition.nullable(),
  source: z.enum(['manual', 'adt']),
  version: z.number().int(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Encounter = z.infer<typeof Encounter>;

export const EncounterList = z.object({
  items: z.array(Encounter),
  /** Whether the signed-in user may record admissions and discharges for this patient. */
  abilities: z.object({ update: z.boolean() }),
});
