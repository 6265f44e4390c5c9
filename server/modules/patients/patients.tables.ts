import { sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
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

/** The text a name search matches against; the same expression is indexed, so keep the two in step. */
export const patientNameKey = (family: AnyPgColumn, given: AnyPgColumn) =>
  sql`(lower(${family} || ' ' || ${given} || ' ' || ${family}))`;

export const patients = pgTable(
  'patients',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    mrn: text('mrn').notNull(),
    familyName: text('family_name').notNull(),
    givenName: text('given_name').notNull(),
    middleName: text('middle_name'),
    preferredName: text('preferred_name'),
    birthDate: date('birth_date', { mode: 'string' }).notNull(),
    sex: text('sex').notNull(),
    genderIdentity: text('gender_identity'),
    pronouns: text('pronouns'),
    preferredLanguage: text('preferred_language').notNull().default('en'),
    interpreterNeeded: boolean('interpreter_needed').notNull().default(false),
    address: jsonb('address'),
    phones: jsonb('phones').notNull().default(sql`'[]'::jsonb`),
    /** Coverages in billing order: kind of payer, payer, plan and member id (domain/schemas/patients.ts). */
    insurance: jsonb('insurance').notNull().default(sql`'[]'::jsonb`),
    primaryCareProvider: jsonb('primary_care_provider'),
    /** People in the household and their yearly income in whole dollars, for eligibility (poverty guideline). */
    householdSize: integer('household_size'),
    householdIncome: integer('household_income'),
    householdRecordedAt: timestamp('household_recorded_at', { withTimezone: true }),
    /** Full code, DNR... as last documented; advance care planning keeps the documents behind it. */
    codeStatus: text('code_status'),
    codeStatusRecordedAt: timestamp('code_status_recorded_at', { withTimezone: true }),
    /** Set on a record merged into another: the record is retired and points at the survivor. */
    mergedIntoId: uuid('merged_into_id').references((): AnyPgColumn => patients.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
    retiredReason: text('retired_reason'),
  },
  (t) => [
    uniqueIndex('patients_org_mrn_key').on(t.organizationId, t.mrn),
    index('patients_org_name_idx').on(
      t.organizationId,
      sql`lower(${t.familyName})`,
      sql`lower(${t.givenName})`,
    ),
    index('patients_org_birth_date_idx').on(t.organizationId, t.birthDate),
    // "family given family" holds both orders people type a name in; trigrams make substring search indexed.
    index('patients_name_trgm_idx').using(
      'gin',
      sql`${patientNameKey(t.familyName, t.givenName)} gin_trgm_ops`,
    ),
  ],
);

export const careTeamMembers = pgTable(
  'care_team_members',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /** The member's part in the patient's care, e.g. primary social worker, attending, case manager. */
    teamRole: text('team_role').notNull(),
    addedBy: uuid('added_by').references(() => users.id),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
    removedAt: timestamp('removed_at', { withTimezone: true }),
    removedBy: uuid('removed_by').references(() => users.id),
  },
  (t) => [
    uniqueIndex('care_team_active_key').on(t.patientId, t.userId).where(sql`${t.removedAt} is null`),
    index('care_team_user_idx').on(t.userId),
  ],
);

/** Family, friends and others around the patient, and what the patient allowed staff to tell each of them. */
export const patientContacts = pgTable(
  'patient_contacts',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    name: text('name').notNull(),
    relationship: text('relationship').notNull(),
    phones: jsonb('phones').notNull().default(sql`'[]'::jsonb`),
    email: text('email'),
    address: jsonb('address'),
    preferredLanguage: text('preferred_language'),
    isEmergencyContact: boolean('is_emergency_contact').notNull().default(false),
    isPrimaryCaregiver: boolean('is_primary_caregiver').notNull().default(false),
    isLegalGuardian: boolean('is_legal_guardian').notNull().default(false),
    /** Health care agent, power of attorney or other personal representative under HIPAA. */
    isPersonalRepresentative: boolean('is_personal_representative').notNull().default(false),
    sharingAuthorized: boolean('sharing_authorized').notNull().default(false),
    sharingAuthorizedOn: date('sharing_authorized_on', { mode: 'string' }),
    sharingScope: text('sharing_scope'),
    sharingExpiresOn: date('sharing_expires_on', { mode: 'string' }),
    sharingNote: text('sharing_note'),
    notes: text('notes'),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
    retiredBy: uuid('retired_by').references(() => users.id),
  },
  (t) => [index('patient_contacts_patient_idx').on(t.patientId)],
);

/** Something a worker must see first on the chart and the worklist: crisis risk, new results... */
export const patientFlags = pgTable(
  'patient_flags',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    /** A kind from domain/flags.ts. */
    kind: text('kind').notNull(),
    note: text('note'),
    /** The record that raised it, e.g. an assessment, so that the same finding raises one flag. */
    sourceKind: text('source_kind'),
    sourceId: uuid('source_id'),
    raisedBy: uuid('raised_by').references(() => users.id),
    raisedAt: timestamp('raised_at', { withTimezone: true }).notNull().defaultNow(),
    clearedAt: timestamp('cleared_at', { withTimezone: true }),
    clearedBy: uuid('cleared_by').references(() => users.id),
    clearedNote: text('cleared_note'),
  },
  (t) => [
    index('patient_flags_active_idx').on(t.patientId).where(sql`${t.clearedAt} is null`),
    uniqueIndex('patient_flags_source_key')
      .on(t.patientId, t.kind, t.sourceKind, t.sourceId)
      .where(sql`${t.sourceId} is not null`),
  ],
);

/** Two records of one person joined: what moved, so that an admin can undo it within 30 days. */
export const patientMerges = pgTable(
  'patient_merges',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    survivorId: uuid('survivor_id')
      .notNull()
      .references(() => patients.id),
    mergedId: uuid('merged_id')
      .notNull()
      .references(() => patients.id),
    /** Ids moved per table, e.g. { "tasks": ["..."] }: un-merging moves exactly these back. */
    moved: jsonb('moved').notNull(),
    reason: text('reason').notNull(),
    mergedBy: uuid('merged_by')
      .notNull()
      .references(() => users.id),
    mergedAt: timestamp('merged_at', { withTimezone: true }).notNull().defaultNow(),
    undoableUntil: timestamp('undoable_until', { withTimezone: true }).notNull(),
    undoneAt: timestamp('undone_at', { withTimezone: true }),
    undoneBy: uuid('undone_by').references(() => users.id),
    undoReason: text('undo_reason'),
  },
  (t) => [index('patient_merges_org_idx').on(t.organizationId, t.mergedAt)],
);
