import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { newId } from '../../platform/ids.ts';
import { organizations, users } from '../../platform/platform.tables.ts';
import { cases } from '../cases/cases.tables.ts';
import { patients } from '../patients/patients.tables.ts';

/** The one task system: every service that needs someone to do something by a time creates a task here. */
export const tasks = pgTable(
  'tasks',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    patientId: uuid('patient_id').references(() => patients.id),
    caseId: uuid('case_id').references(() => cases.id),
    title: text('title').notNull(),
    detail: text('detail'),
    /** What made it, e.g. general, follow-up-call, alarm, stalled-referral; services filter on it. */
    kind: text('kind').notNull().default('general'),
    priority: text('priority').notNull().default('routine'),
    assigneeId: uuid('assignee_id')
      .notNull()
      .references(() => users.id),
    dueAt: timestamp('due_at', { withTimezone: true }),
    /** open | done | cancelled */
    status: text('status').notNull().default('open'),
    createdBy: uuid('created_by').references(() => users.id),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    completedBy: uuid('completed_by').references(() => users.id),
    /** Set when the due and overdue reminders went out, so that each goes out once. */
    dueRemindedAt: timestamp('due_reminded_at', { withTimezone: true }),
    overdueRemindedAt: timestamp('overdue_reminded_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('tasks_assignee_open_idx').on(t.assigneeId, t.dueAt).where(sql`${t.status} = 'open'`),
    index('tasks_patient_idx').on(t.patientId, t.status),
    index('tasks_case_idx').on(t.caseId),
    index('tasks_reminder_idx')
      .on(t.dueAt)
      .where(sql`${t.status} = 'open' and ${t.overdueRemindedAt} is null`),
  ],
);
