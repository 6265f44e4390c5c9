import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { newId } from '../../platform/ids.ts';
import { organizations, users } from '../../platform/platform.tables.ts';
import { patients } from '../patients/patients.tables.ts';

/** Secure staff messages about a patient. A message without a parent starts a thread. */
export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    /** The first message of the thread; null on that first message itself. */
    threadId: uuid('thread_id').references((): AnyPgColumn => messages.id),
    subject: text('subject'),
    body: text('body').notNull(),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * Messages are part of the clinical record: never edited or deleted. The author marks a mistaken one
     * "entered in error" with a reason; its text stays, shown struck through.
     */
    enteredInErrorAt: timestamp('entered_in_error_at', { withTimezone: true }),
    enteredInErrorReason: text('entered_in_error_reason'),
  },
  (t) => [
    index('messages_patient_idx').on(t.patientId, t.createdAt),
    index('messages_thread_idx').on(t.threadId),
  ],
);

export const messageMentions = pgTable(
  'message_mentions',
  {
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.userId] })],
);
