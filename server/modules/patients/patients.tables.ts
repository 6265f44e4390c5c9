import { sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import {
  boolean,
  date,
  index,
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
