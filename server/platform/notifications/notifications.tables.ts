import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { newId } from '../ids.ts';
import { organizations, users } from '../platform.tables.ts';

/**
 * The one notification path: the bell in the app, and email where the user chose it. Titles name no
 * patient (they may travel by email); the patient is a link, shown by name only to users who may see it.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /** A kind from domain/notifications.ts, e.g. mention, task-due, case-assigned. */
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    /** The app path the notification opens, e.g. /patients/{id}. */
    link: text('link'),
    patientId: uuid('patient_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp('read_at', { withTimezone: true }),
    emailed: boolean('emailed').notNull().default(false),
  },
  (t) => [
    index('notifications_user_idx').on(t.userId, t.createdAt),
    index('notifications_unread_idx').on(t.userId).where(sql`${t.readAt} is null`),
  ],
);

/** The kinds of notification a user also wants by email; none unless chosen. */
export const notificationPreferences = pgTable('notification_preferences', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id),
  emailKinds: text('email_kinds').array().notNull().default(sql`'{}'::text[]`),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
