import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { Alarm, Answers, ScoreResult } from '../../../domain/instruments/types.ts';
import { newId } from '../../platform/ids.ts';
import { organizations, users } from '../../platform/platform.tables.ts';
import { cases } from '../cases/cases.tables.ts';
import { encounters } from '../encounters/encounters.tables.ts';
import { patients } from '../patients/patients.tables.ts';

/**
 * An assessment of a patient: a screening instrument (scored by domain/instruments, at the version it was
 * given in) or the psychosocial assessment. Lifecycle in domain/assessments.ts: draft → completed (locked), or
 * declined / discarded; a completed one is corrected only by an amendment, a new row with `amendsId`, while
 * the original stays and gets `supersededById`.
 */
export const assessments = pgTable(
  'assessments',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    /** The visit it was given in (the stay SDOH-1 counts it for); null outside a visit. */
    encounterId: uuid('encounter_id').references(() => encounters.id),
    caseId: uuid('case_id').references(() => cases.id),
    /** An instrument id of domain/instruments, or `psychosocial`. */
    instrumentId: text('instrument_id').notNull(),
    instrumentVersion: text('instrument_version').notNull(),
    /** draft | completed | declined | discarded */
    status: text('status').notNull(),
    /** staff | patient (filled in on the hand-over tablet page) */
    mode: text('mode').notNull().default('staff'),
    /** The language the questions were shown in: en | es */
    language: text('language').notNull().default('en'),
    /** Instrument answers: the chosen answer codes by linkId. */
    answers: jsonb('answers').$type<Answers>().notNull().default({}),
    /** Psychosocial sections by key (domain/assessments.ts PSYCHOSOCIAL_SECTIONS). */
    content: jsonb('content').$type<Record<string, unknown>>(),
    /** The score of a completed instrument, in domain.md's one result shape. */
    result: jsonb('result').$type<ScoreResult>(),
    /** Denormalised from the result and the instrument for the coverage report's one query. */
    score: integer('score'),
    band: text('band'),
    screenedDomains: text('screened_domains').array().notNull().default(sql`'{}'::text[]`),
    positiveDomains: text('positive_domains').array().notNull().default(sql`'{}'::text[]`),
    alarms: jsonb('alarms').$type<Alarm[]>().notNull().default([]),
    startedBy: uuid('started_by')
      .notNull()
      .references(() => users.id),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    completedBy: uuid('completed_by').references(() => users.id),
    /** When it was completed, declined or discarded. */
    completedAt: timestamp('completed_at', { withTimezone: true }),
    /** opted-out | unable-no-proxy, on a declined screen. */
    declineReason: text('decline_reason'),
    note: text('note'),
    /** The completed assessment this one corrects, and why. */
    amendsId: uuid('amends_id'),
    amendmentReason: text('amendment_reason'),
    /** The first assessment of an amendment chain (itself when not an amendment): alarms fire once per chain. */
    rootId: uuid('root_id').notNull(),
    supersededById: uuid('superseded_by_id'),
    supersededAt: timestamp('superseded_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('assessments_patient_idx').on(t.patientId, t.startedAt),
    index('assessments_trend_idx')
      .on(t.patientId, t.instrumentId, t.completedAt)
      .where(sql`${t.status} = 'completed' and ${t.supersededById} is null`),
    index('assessments_coverage_idx')
      .on(t.organizationId, t.completedAt)
      .where(sql`${t.status} in ('completed', 'declined') and ${t.supersededById} is null`),
    uniqueIndex('assessments_amends_idx').on(t.amendsId),
  ],
);

/**
 * A single-purpose link that shows one assessment's questions to the patient on a tablet, in their language,
 * without a staff session. Only the hash of the token is kept; submitting spends it.
 */
export const assessmentHandoffs = pgTable(
  'assessment_handoffs',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    assessmentId: uuid('assessment_id')
      .notNull()
      .references(() => assessments.id),
    tokenHash: text('token_hash').notNull(),
    language: text('language').notNull(),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** When the patient submitted (the link is spent) or the worker took it back. */
    usedAt: timestamp('used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('assessment_handoffs_token_idx').on(t.tokenHash),
    index('assessment_handoffs_assessment_idx').on(t.assessmentId),
  ],
);

/**
 * An alarm raised by a completed screen, once per amendment chain and code: the unique index is what makes
 * "exactly once" hold when the same assessment is saved twice or amended. Records the flag and task it made.
 */
export const assessmentAlarms = pgTable(
  'assessment_alarms',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    rootAssessmentId: uuid('root_assessment_id')
      .notNull()
      .references(() => assessments.id),
    /** The assessment whose completion raised it (the root, or an amendment of it). */
    assessmentId: uuid('assessment_id')
      .notNull()
      .references(() => assessments.id),
    code: text('code').notNull(),
    reason: text('reason').notNull(),
    flagId: uuid('flag_id'),
    taskId: uuid('task_id'),
    raisedAt: timestamp('raised_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('assessment_alarms_once_idx').on(t.rootAssessmentId, t.code),
    index('assessment_alarms_patient_idx').on(t.patientId),
  ],
);

/**
 * A completed screen's results as FHIR R4 Observations (LOINC-coded): the total score and each answered item,
 * so that the FHIR interface can export them. `resource` is the Observation as exported; the columns are for
 * queries. An amendment's Observations are `amended` and the original's are marked superseded.
 */
export const observations = pgTable(
  'observations',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    assessmentId: uuid('assessment_id')
      .notNull()
      .references(() => assessments.id),
    encounterId: uuid('encounter_id').references(() => encounters.id),
    /** final | amended */
    status: text('status').notNull(),
    codeSystem: text('code_system').notNull(),
    code: text('code').notNull(),
    display: text('display').notNull(),
    valueInteger: integer('value_integer'),
    valueCode: text('value_code'),
    effectiveAt: timestamp('effective_at', { withTimezone: true }).notNull(),
    resource: jsonb('resource').$type<Record<string, unknown>>().notNull(),
    supersededAt: timestamp('superseded_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('observations_patient_code_idx').on(t.patientId, t.code, t.effectiveAt),
    index('observations_assessment_idx').on(t.assessmentId),
  ],
);
