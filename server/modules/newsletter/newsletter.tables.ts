import { sql } from 'drizzle-orm';
import {
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { newId } from '../../platform/ids.ts';
import { organizations, users } from '../../platform/platform.tables.ts';

/**
 * The department's newsletter (issue 7): lists people subscribe to with double opt-in, the addresses that
 * must never be written to again, and the issues sent to them through the job queue. Subscribers are members
 * of the public (patients, caregivers, partners): their address is personal data, kept only while it is
 * needed (pending addresses are forgotten after 7 days; erasure leaves only a suppression hash).
 */

/** A list people choose at sign-up (caregivers, community partners, events...). */
export const newsletterLists = pgTable(
  'newsletter_lists',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    position: integer('position').notNull().default(0),
    /** A retired list is no longer offered; its subscriptions stay until people change them. */
    retiredAt: timestamp('retired_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('newsletter_lists_slug_key').on(t.organizationId, t.slug)],
);

/** One address per organisation, with where its consent came from. */
export const newsletterSubscribers = pgTable(
  'newsletter_subscribers',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    /** As typed (trimmed); compared lower-cased. */
    email: text('email').notNull(),
    /** pending (not confirmed yet) | active | unsubscribed */
    status: text('status').notNull().default('pending'),
    /** The consent the person saw and agreed to, word for word, and when, from where, on which page. */
    consentText: text('consent_text').notNull(),
    consentAt: timestamp('consent_at', { withTimezone: true }).notNull(),
    consentIp: text('consent_ip'),
    consentPage: text('consent_page'),
    /** Lists chosen at sign-up, applied when the address is confirmed (slugs). */
    pendingLists: text('pending_lists').array().notNull().default(sql`'{}'::text[]`),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    confirmIp: text('confirm_ip'),
    /** Confirmation mails sent (rate limit per address) and the last one. */
    confirmationsSent: integer('confirmations_sent').notNull().default(0),
    confirmationSentAt: timestamp('confirmation_sent_at', { withTimezone: true }),
    /** Bumped on every confirmation mail and on unsubscribe: older links stop working. */
    tokenVersion: integer('token_version').notNull().default(1),
    unsubscribedAt: timestamp('unsubscribed_at', { withTimezone: true }),
    /** link | one-click | preferences | admin */
    unsubscribeSource: text('unsubscribe_source'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('newsletter_subscribers_email_key').on(t.organizationId, sql`lower(${t.email})`),
    index('newsletter_subscribers_pending_idx').on(t.createdAt).where(sql`${t.status} = 'pending'`),
  ],
);

/** Which lists an active subscriber receives. */
export const newsletterSubscriptions = pgTable(
  'newsletter_subscriptions',
  {
    subscriberId: uuid('subscriber_id')
      .notNull()
      .references(() => newsletterSubscribers.id, { onDelete: 'cascade' }),
    listId: uuid('list_id')
      .notNull()
      .references(() => newsletterLists.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.subscriberId, t.listId] }),
    index('newsletter_subscriptions_list_idx').on(t.listId),
  ],
);

/**
 * Addresses nothing is ever sent to again (unsubscribed, erased, hard bounce): only the SHA-256 of the
 * lower-cased address, so that an erased subscriber leaves no address behind. A suppressed address that signs
 * up again gets a confirmation mail only; confirming lifts the suppression.
 */
export const newsletterSuppressions = pgTable(
  'newsletter_suppressions',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    emailHash: text('email_hash').notNull(),
    /** unsubscribed | erased | bounced | complaint */
    reason: text('reason').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('newsletter_suppressions_key').on(t.organizationId, t.emailHash)],
);

/** An issue of the newsletter: composed, tested, sent now or scheduled, then in the public archive. */
export const newsletterIssues = pgTable(
  'newsletter_issues',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    subject: text('subject').notNull(),
    /** Markdown with images (absolute https URLs or uploaded files); rendered and sanitised. */
    bodyMarkdown: text('body_markdown').notNull().default(''),
    /** The lists it goes to (ids). */
    listIds: uuid('list_ids').array().notNull().default(sql`'{}'::uuid[]`),
    /** draft | scheduled | sending | sent | cancelled */
    status: text('status').notNull().default('draft'),
    scheduledAt: timestamp('scheduled_at', { withTimezone: true }),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    /** Messages per minute while sending. */
    ratePerMinute: integer('rate_per_minute').notNull().default(600),
    /** Counts kept while sending: { recipients, sent, failed, skipped }. */
    progress: jsonb('progress').notNull().default(sql`'{}'::jsonb`),
    /**
     * The one worker sending it right now (a random id per run) and until when that claim holds: renewed
     * while it works, so that a worker that died is replaced once the lease runs out, and never before.
     */
    senderId: uuid('sender_id'),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => users.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('newsletter_issues_org_idx').on(t.organizationId, t.status, t.createdAt)],
);

/**
 * One recipient of one issue: made when sending starts (the audience is fixed then), sent at most once.
 * A worker claims a row (`for update skip locked`), marks it `sending`, hands it to SMTP, then `sent` with the
 * SMTP message id, or `failed` with the SMTP reply (temporary failures are retried with backoff). After a
 * crash a `sending` row is resolved before anything is sent again, so nobody gets the same issue twice.
 */
export const newsletterDeliveries = pgTable(
  'newsletter_deliveries',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    issueId: uuid('issue_id')
      .notNull()
      .references(() => newsletterIssues.id),
    subscriberId: uuid('subscriber_id').references(() => newsletterSubscribers.id, { onDelete: 'set null' }),
    email: text('email').notNull(),
    /** See DELIVERY_STATUSES in domain/newsletter.ts. */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    /** The SMTP reply of the last failure (code and text). */
    lastError: text('last_error'),
    messageId: text('message_id'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('newsletter_deliveries_recipient_key').on(t.issueId, t.subscriberId),
    index('newsletter_deliveries_todo_idx')
      .on(t.issueId, t.nextAttemptAt)
      .where(sql`${t.status} in ('pending', 'sending')`),
  ],
);

/** Raw bytes: node-postgres gives a Buffer, PGlite a Uint8Array; both leave here as a Buffer. */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/**
 * Images for issues, uploaded by admins and served on the public site (mail clients load them from there).
 * Only the raster types of ISSUE_IMAGE_TYPES, checked by their first bytes; never SVG (it can carry script).
 */
export const newsletterImages = pgTable(
  'newsletter_images',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    contentType: text('content_type').notNull(),
    data: bytea('data').notNull(),
    byteSize: integer('byte_size').notNull(),
    /** SHA-256 of the bytes (hex): the same image uploaded twice is kept once. */
    sha256: text('sha256').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('newsletter_images_content_key').on(t.organizationId, t.sha256)],
);
