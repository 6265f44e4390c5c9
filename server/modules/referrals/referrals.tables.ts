import { sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import {
  check,
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
import { cases } from '../cases/cases.tables.ts';
import { dischargeChoiceLists } from '../discharge/discharge.tables.ts';
import { needs } from '../needs/needs.tables.ts';
import { patients } from '../patients/patients.tables.ts';
import {
  directoryLocations,
  directoryOrganizations,
  directoryServices,
} from '../resources/resources.tables.ts';
import { tasks } from '../tasks/tasks.tables.ts';

/**
 * The patient's consent to share with one community organisation (a FHIR Consent): what may be shared
 * (domain/referrals.ts SHARE_ITEMS), for what, until when. Nothing is sent without one in force.
 */
export const referralConsents = pgTable(
  'referral_consents',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    directoryOrganizationId: uuid('directory_organization_id')
      .notNull()
      .references(() => directoryOrganizations.id),
    shares: text('shares').array().notNull(),
    /** verbal | written | electronic */
    method: text('method').notNull(),
    /** Who agreed: the patient, or their representative (named). */
    givenBy: text('given_by').notNull(),
    givenAt: timestamp('given_at', { withTimezone: true }).notNull(),
    expiresOn: date('expires_on', { mode: 'string' }).notNull(),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => users.id),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: uuid('revoked_by').references(() => users.id),
    revokedReason: text('revoked_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('referral_consents_patient_idx').on(t.patientId, t.directoryOrganizationId)],
);

/**
 * A closed-loop referral: the ServiceRequest (the need, the service, the note) and its Task (the status,
 * domain/workflows/referral.ts) in one row.
 */
export const referrals = pgTable(
  'referrals',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    /** The need the referral answers; null for a post-acute placement referral, which has a choice list. */
    needId: uuid('need_id').references(() => needs.id),
    /** The discharge choice list a placement referral was sent from (server/modules/discharge). */
    choiceListId: uuid('choice_list_id').references((): AnyPgColumn => dischargeChoiceLists.id),
    /** A placement provider's answer: the day it can take the patient. */
    bedOfferedOn: date('bed_offered_on', { mode: 'string' }),
    caseId: uuid('case_id').references(() => cases.id),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => directoryServices.id),
    locationId: uuid('location_id').references(() => directoryLocations.id),
    directoryOrganizationId: uuid('directory_organization_id')
      .notNull()
      .references(() => directoryOrganizations.id),
    consentId: uuid('consent_id').references(() => referralConsents.id),
    /** FHIR Task status (domain/workflows/referral.ts). */
    status: text('status').notNull(),
    statusReason: text('status_reason'),
    /** routine | urgent */
    priority: text('priority').notNull().default('routine'),
    note: text('note'),
    /** How and when the patient wants to be contacted (domain/schemas/referrals.ts ContactPreferences). */
    contactPreferences: jsonb('contact_preferences').notNull().default(sql`'{}'::jsonb`),
    /** What the organisation reported: delivered?, when, what (Task.output). */
    outcome: jsonb('outcome'),
    requestedBy: uuid('requested_by')
      .notNull()
      .references(() => users.id),
    requestedAt: timestamp('requested_at', { withTimezone: true }),
    statusChangedAt: timestamp('status_changed_at', { withTimezone: true }).notNull(),
    /** The open follow-up task raised when the referral stalled; cleared when it moves again. */
    stalledTaskId: uuid('stalled_task_id').references(() => tasks.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('referrals_patient_idx').on(t.patientId, t.createdAt),
    index('referrals_need_idx').on(t.needId),
    index('referrals_choice_list_idx').on(t.choiceListId).where(sql`${t.choiceListId} is not null`),
    check('referrals_need_or_placement', sql`${t.needId} is not null or ${t.choiceListId} is not null`),
    index('referrals_partner_idx').on(t.directoryOrganizationId, t.status),
    index('referrals_active_idx')
      .on(t.organizationId, t.statusChangedAt)
      .where(sql`${t.status} in ('requested', 'received', 'accepted', 'in-progress', 'on-hold')`),
  ],
);

/** Every change of a referral's status, by whom (a user, the organisation through its link, or the system). */
export const referralEvents = pgTable(
  'referral_events',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    referralId: uuid('referral_id')
      .notNull()
      .references(() => referrals.id),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    reason: text('reason'),
    note: text('note'),
    /** user | partner-link | system */
    actorKind: text('actor_kind').notNull(),
    actorId: uuid('actor_id').references(() => users.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('referral_events_referral_idx').on(t.referralId, t.at)],
);

/**
 * Signed links that let an organisation without a Kith account answer one referral. Only a hash of the token
 * is kept; a link stops working when it expires, when it is revoked (a new one was sent, consent withdrawn),
 * or when the referral reaches an end state.
 */
export const referralLinks = pgTable(
  'referral_links',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    referralId: uuid('referral_id')
      .notNull()
      .references(() => referrals.id),
    tokenHash: text('token_hash').notNull(),
    sentTo: text('sent_to').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('referral_links_token_idx').on(t.tokenHash),
    index('referral_links_referral_idx').on(t.referralId),
  ],
);
