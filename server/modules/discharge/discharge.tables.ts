import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { newId } from '../../platform/ids.ts';
import { organizations, users } from '../../platform/platform.tables.ts';
import { encounters } from '../encounters/encounters.tables.ts';
import { patients } from '../patients/patients.tables.ts';
import { referrals } from '../referrals/referrals.tables.ts';
import { directoryServices } from '../resources/resources.tables.ts';
import { tasks } from '../tasks/tasks.tables.ts';

/**
 * The discharge plan of one inpatient stay: what the worker expects (disposition, needs at discharge), the
 * readmission risk (LACE, from the stay where the record knows and as entered where it does not), and, once
 * the patient leaves, the actual disposition. The expected discharge date lives on the encounter.
 */
export const dischargePlans = pgTable(
  'discharge_plans',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    encounterId: uuid('encounter_id')
      .notNull()
      .references(() => encounters.id),
    /** open | closed (the patient was discharged) | cancelled (the admission was cancelled). */
    status: text('status').notNull().default('open'),
    /** A disposition code (domain/schemas/encounters.ts DISPOSITIONS). */
    targetDisposition: text('target_disposition'),
    /** Codes from domain/discharge.ts DISCHARGE_NEEDS (equipment, home oxygen, caregiver support...). */
    anticipatedNeeds: text('anticipated_needs').array().notNull().default(sql`'{}'::text[]`),
    /**
     * What LACE needs that the record does not hold, as entered: Charlson conditions, and overrides of the
     * acuity and ED-visit counts when the feed does not know them (domain/schemas/discharge.ts LaceInputs).
     */
    laceInputs: jsonb('lace_inputs').notNull().default(sql`'{}'::jsonb`),
    note: text('note'),
    actualDisposition: text('actual_disposition'),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** The 48-to-72-hour follow-up call task created at discharge. */
    followUpTaskId: uuid('follow_up_task_id').references(() => tasks.id),
    createdBy: uuid('created_by').references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('discharge_plans_encounter_key').on(t.encounterId),
    index('discharge_plans_patient_idx').on(t.patientId),
    index('discharge_plans_open_idx').on(t.organizationId).where(sql`${t.status} = 'open'`),
  ],
);

/**
 * A barrier to discharge, coded (domain/discharge.ts BARRIERS), from when it started holding the patient to
 * when it ended: the days it held a medically ready patient are the avoidable days.
 */
export const dischargeBarriers = pgTable(
  'discharge_barriers',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    planId: uuid('plan_id')
      .notNull()
      .references(() => dischargePlans.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    code: text('code').notNull(),
    note: text('note'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    recordedBy: uuid('recorded_by').references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
  },
  (t) => [
    index('discharge_barriers_plan_idx').on(t.planId),
    index('discharge_barriers_org_idx').on(t.organizationId, t.startedAt),
  ],
);

/**
 * The post-acute providers offered to the patient (the CMS choice list): what was offered, as shown then
 * (a snapshot, since ratings and distances change), and what the patient or family chose, in order.
 * Placement referrals (referrals.choice_list_id) go to several of them at once; one is confirmed.
 */
export const dischargeChoiceLists = pgTable(
  'discharge_choice_lists',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    planId: uuid('plan_id')
      .notNull()
      .references(() => dischargePlans.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    /** A post-acute kind (domain/discharge.ts POST_ACUTE_KINDS): snf, home-health, inpatient-rehab... */
    kind: text('kind').notNull(),
    /** The filters the list was drawn with: ZIP, radius, coverage, needs (domain/schemas/discharge.ts). */
    criteria: jsonb('criteria').notNull(),
    /** The providers as offered: service id, name, address, phone, distance, ratings (ChoiceListEntry[]). */
    providers: jsonb('providers').notNull(),
    givenAt: timestamp('given_at', { withTimezone: true }),
    givenBy: uuid('given_by').references(() => users.id),
    /** The service ids chosen, in the order of preference. */
    choices: uuid('choices').array().notNull().default(sql`'{}'::uuid[]`),
    /** patient | family | representative */
    chosenBy: text('chosen_by'),
    chosenByName: text('chosen_by_name'),
    choicesRecordedAt: timestamp('choices_recorded_at', { withTimezone: true }),
    declinedToChoose: boolean('declined_to_choose').notNull().default(false),
    note: text('note'),
    /** The placement referral the provider accepted and the worker confirmed. */
    confirmedReferralId: uuid('confirmed_referral_id').references(() => referrals.id),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('discharge_choice_lists_plan_idx').on(t.planId)],
);

/** The call 48 to 72 hours after discharge: reached?, services started?, new needs? */
export const dischargeFollowUpCalls = pgTable(
  'discharge_follow_up_calls',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    planId: uuid('plan_id')
      .notNull()
      .references(() => dischargePlans.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    taskId: uuid('task_id').references(() => tasks.id),
    calledAt: timestamp('called_at', { withTimezone: true }).notNull(),
    reached: boolean('reached').notNull(),
    /** yes | partly | no | not-applicable */
    servicesStarted: text('services_started'),
    /** SDOH domain codes of needs found on the call; each opens a need. */
    newNeeds: text('new_needs').array().notNull().default(sql`'{}'::text[]`),
    note: text('note'),
    calledBy: uuid('called_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('discharge_follow_up_calls_plan_idx').on(t.planId)],
);

/** Quality ratings held as data on a post-acute provider (e.g. CMS Care Compare stars), by measure. */
export const postAcuteRatings = pgTable(
  'post_acute_ratings',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => directoryServices.id),
    /** overall | health-inspections | staffing | quality-measures | patient-survey ... */
    measure: text('measure').notNull(),
    /** 1 to 5 stars, or another scale named by `scale`. */
    value: text('value').notNull(),
    scale: text('scale').notNull().default('stars-1-5'),
    source: text('source').notNull(),
    asOf: date('as_of', { mode: 'string' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('post_acute_ratings_key').on(t.serviceId, t.measure)],
);
