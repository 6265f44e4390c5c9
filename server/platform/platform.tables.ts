import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { newId } from './ids.ts';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const organizations = pgTable('organizations', {
  id: uuid('id').primaryKey().$defaultFn(newId),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  timeZone: text('time_zone').notNull().default('America/New_York'),
  requireMfa: boolean('require_mfa').notNull().default(false),
  /** Consult-to-first-contact targets per urgency (domain/casework.ts); null means the defaults. */
  consultTargets: jsonb('consult_targets'),
  /** Days a referral may sit without moving before its worker gets a follow-up task. */
  referralStallDays: integer('referral_stall_days').notNull().default(7),
  /** What a new admission from the ADT feed sets off (domain/schemas/discharge.ts AdmissionTrigger[]). */
  admissionTriggers: jsonb('admission_triggers').notNull().default(sql`'[]'::jsonb`),
  createdAt: createdAt(),
});

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    role: text('role').notNull(),
    /** `person` signs in; `service` is an integration that only uses API tokens. */
    kind: text('kind').notNull().default('person'),
    passwordHash: text('password_hash'),
    mfaSecret: text('mfa_secret'),
    mfaEnabledAt: timestamp('mfa_enabled_at', { withTimezone: true }),
    mfaLastStep: bigint('mfa_last_step', { mode: 'number' }),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }),
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_email_key').on(sql`lower(${t.email})`)],
);

export const mfaRecoveryCodes = pgTable(
  'mfa_recovery_codes',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    codeHash: text('code_hash').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('mfa_recovery_codes_user_idx').on(t.userId)],
);

/** Failed sign-in attempts by email, whether or not the account exists, so that lock-out reveals nothing. */
export const signInThrottle = pgTable('sign_in_throttle', {
  emailKey: text('email_key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    tokenHash: text('token_hash').notNull().unique(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    csrfToken: text('csrf_token').notNull(),
    /** Signed in with a second factor, or not asked for one. */
    mfaSatisfied: boolean('mfa_satisfied').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    endReason: text('end_reason'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    prefix: text('prefix').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: uuid('revoked_by').references(() => users.id),
  },
  (t) => [index('api_tokens_org_idx').on(t.organizationId)],
);

/** How many lanes the audit chain is kept in (docs/decisions/013-audit-chain-lanes.md). */
export const AUDIT_CHAIN_LANES = 8;

/** The global order of audit records. It may have gaps (a rolled-back append): deletion is found per lane. */
export const auditEventsSeq = pgSequence('audit_events_seq');

/**
 * Append-only, hash-chained audit trail, kept in lanes so that concurrent writers do not wait on one another.
 * Each row's hash covers its content and the hash of the row before it in its lane (`chain`, numbered by
 * `chain_seq` from 1), so an edit or a deletion breaks the lane at that row. A trigger refuses UPDATE and DELETE.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().default(sql`nextval('audit_events_seq')`),
    id: uuid('id').notNull().unique(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    organizationId: uuid('organization_id'),
    actorUserId: uuid('actor_user_id'),
    actorRole: text('actor_role'),
    actorLabel: text('actor_label'),
    action: text('action').notNull(),
    outcome: text('outcome').notNull(),
    patientId: uuid('patient_id'),
    recordKind: text('record_kind'),
    recordId: text('record_id'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    reason: text('reason'),
    emergency: boolean('emergency').notNull().default(false),
    detail: jsonb('detail'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    /** The lane (1..AUDIT_CHAIN_LANES). */
    chain: smallint('chain').notNull().default(1),
    /** The record's place in its lane: 1, 2, 3... without gaps. */
    chainSeq: bigint('chain_seq', { mode: 'number' }).notNull(),
  },
  (t) => [
    uniqueIndex('audit_events_chain_idx').on(t.chain, t.chainSeq),
    index('audit_events_org_time_idx').on(t.organizationId, t.occurredAt),
    index('audit_events_patient_idx').on(t.patientId, t.occurredAt),
    index('audit_events_actor_idx').on(t.actorUserId, t.occurredAt),
    // Lists record the patients they showed in detail.patientIds: the accounting of disclosures searches it.
    index('audit_events_detail_idx').using('gin', sql`${t.detail} jsonb_path_ops`),
  ],
);

/** One row per lane (id 1..AUDIT_CHAIN_LANES): its tip, locked while a record is appended to it. */
export const auditChainHead = pgTable('audit_chain_head', {
  id: integer('id').primaryKey(),
  /** The chain_seq of the lane's last record (0 while the lane is empty). */
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
});

export const emergencyAccess = pgTable(
  'emergency_access',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    patientId: uuid('patient_id').notNull(),
    reason: text('reason').notNull(),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    reviewedBy: uuid('reviewed_by').references(() => users.id),
    reviewNote: text('review_note'),
  },
  (t) => [index('emergency_access_lookup_idx').on(t.userId, t.patientId, t.expiresAt)],
);

/** Mail that could not be handed to SMTP yet (or no SMTP_URL is set): nothing is lost. */
export const mailOutbox = pgTable('mail_outbox', {
  id: uuid('id').primaryKey().$defaultFn(newId),
  organizationId: uuid('organization_id'),
  toAddress: text('to_address').notNull(),
  subject: text('subject').notNull(),
  textBody: text('text_body').notNull(),
  htmlBody: text('html_body'),
  headers: jsonb('headers'),
  status: text('status').notNull().default('queued'),
  attempts: integer('attempts').notNull().default(0),
  lastError: text('last_error'),
  createdAt: createdAt(),
  sentAt: timestamp('sent_at', { withTimezone: true }),
});
