import { sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { newId } from '../../platform/ids.ts';
import { organizations } from '../../platform/platform.tables.ts';
import { patients } from '../patients/patients.tables.ts';

/** A hospital visit: entered by hand, or by the ADT feed through the same service functions. */
export const encounters = pgTable(
  'encounters',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    /** inpatient | emergency | outpatient | observation (domain/schemas/encounters.ts). */
    encounterClass: text('encounter_class').notNull(),
    /** planned | in-progress | finished | cancelled, as FHIR Encounter.status. */
    status: text('status').notNull(),
    /** The hospital's visit number (PV1-19), which the ADT feed matches on. */
    visitNumber: text('visit_number'),
    unit: text('unit'),
    room: text('room'),
    bed: text('bed'),
    attendingName: text('attending_name'),
    admittedAt: timestamp('admitted_at', { withTimezone: true }).notNull(),
    expectedDischargeOn: date('expected_discharge_on', { mode: 'string' }),
    dischargedAt: timestamp('discharged_at', { withTimezone: true }),
    dischargeDisposition: text('discharge_disposition'),
    /** PV1-36 as the feed sent it, kept beside the disposition it was mapped to. */
    dischargeDispositionCode: text('discharge_disposition_code'),
    /** PV1-4 admission type (E emergency, U urgent, R routine, EL elective, N newborn, T trauma...): LACE "A". */
    admissionType: text('admission_type'),
    /** PV1-10 hospital service (MED, SUR, CAR...). */
    hospitalService: text('hospital_service'),
    /** PV1-14 admit source (7 emergency room, 1 physician referral...). */
    admitSource: text('admit_source'),
    /** The inpatient stay this one is a readmission of (discharged within 30 days before this admission). */
    readmissionOfId: uuid('readmission_of_id').references((): AnyPgColumn => encounters.id),
    /** The location before the last transfer, so that a cancelled transfer (A12) can put the patient back. */
    priorUnit: text('prior_unit'),
    priorRoom: text('prior_room'),
    priorBed: text('prior_bed'),
    /** When the admission triggers (domain/discharge.ts) were evaluated, and what they did. */
    triggersEvaluatedAt: timestamp('triggers_evaluated_at', { withTimezone: true }),
    /** manual | adt */
    source: text('source').notNull().default('manual'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('encounters_patient_idx').on(t.patientId, t.admittedAt),
    // Admissions in a period (the screening coverage report; discharge figures later).
    index('encounters_inpatient_admitted_idx')
      .on(t.organizationId, t.admittedAt)
      .where(sql`${t.encounterClass} = 'inpatient'`),
    index('encounters_unit_idx').on(t.organizationId, t.unit).where(sql`${t.dischargedAt} is null`),
    uniqueIndex('encounters_visit_number_key')
      .on(t.organizationId, t.visitNumber)
      .where(sql`${t.visitNumber} is not null`),
  ],
);
