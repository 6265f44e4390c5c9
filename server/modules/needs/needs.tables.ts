import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { newId } from '../../platform/ids.ts';
import { organizations, users } from '../../platform/platform.tables.ts';
import { assessments } from '../assessments/assessments.tables.ts';
import { patients } from '../patients/patients.tables.ts';

/**
 * An identified need: one SDOH domain for one patient (domain/needs.ts), with its lifecycle
 * (domain/workflows/need.ts). At most one open need per patient and domain: the partial unique index is what
 * keeps a need found again while open from being duplicated, even by two saves at once.
 */
export const needs = pgTable(
  'needs',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    domain: text('domain').notNull(),
    /** identified | being-addressed | resolved | declined */
    status: text('status').notNull(),
    /** The assessment that first found it; null when a worker recorded it by hand. */
    sourceAssessmentId: uuid('source_assessment_id').references(() => assessments.id),
    identifiedAt: timestamp('identified_at', { withTimezone: true }).notNull(),
    identifiedBy: uuid('identified_by').references(() => users.id),
    /** When an assessment last found it (again). */
    lastFoundAt: timestamp('last_found_at', { withTimezone: true }).notNull(),
    note: text('note'),
    statusChangedAt: timestamp('status_changed_at', { withTimezone: true }).notNull(),
    statusChangedBy: uuid('status_changed_by').references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('needs_open_once_idx')
      .on(t.patientId, t.domain)
      .where(sql`${t.status} in ('identified', 'being-addressed')`),
    index('needs_patient_open_idx')
      .on(t.patientId)
      .where(sql`${t.status} in ('identified', 'being-addressed')`),
    index('needs_patient_idx').on(t.patientId, t.identifiedAt),
  ],
);

/** Every assessment that found a need: the first, and each that found it again while it was open. */
export const needFindings = pgTable(
  'need_findings',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    needId: uuid('need_id')
      .notNull()
      .references(() => needs.id),
    assessmentId: uuid('assessment_id')
      .notNull()
      .references(() => assessments.id),
    foundAt: timestamp('found_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('need_findings_once_idx').on(t.needId, t.assessmentId),
    index('need_findings_assessment_idx').on(t.assessmentId),
  ],
);

/** Every change of a need's status: who, when, and the note (the patient's reason on a decline). */
export const needTransitions = pgTable(
  'need_transitions',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    needId: uuid('need_id')
      .notNull()
      .references(() => needs.id),
    /** identify | address | resolve | decline | reopen, and merge | merge-undone when records are merged */
    action: text('action').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    /** Null when the system moved it (a referral or goal was linked). */
    byUser: uuid('by_user').references(() => users.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
    note: text('note'),
  },
  (t) => [index('need_transitions_need_idx').on(t.needId, t.at)],
);

/**
 * What addresses a need: a referral (resources) or a counseling goal, by id in its owning module. Linking the
 * first one moves an identified need to being-addressed.
 */
export const needLinks = pgTable(
  'need_links',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    needId: uuid('need_id')
      .notNull()
      .references(() => needs.id),
    /** referral | goal */
    kind: text('kind').notNull(),
    targetId: uuid('target_id').notNull(),
    linkedBy: uuid('linked_by').references(() => users.id),
    linkedAt: timestamp('linked_at', { withTimezone: true }).notNull(),
    unlinkedAt: timestamp('unlinked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('need_links_once_idx').on(t.needId, t.kind, t.targetId),
    index('need_links_target_idx').on(t.kind, t.targetId),
  ],
);
