import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { newId } from '../../platform/ids.ts';
import { organizations, users } from '../../platform/platform.tables.ts';
import { encounters } from '../encounters/encounters.tables.ts';
import { patients } from '../patients/patients.tables.ts';

/**
 * A social work case: opened by a consult (or by a worker, or an admission trigger), triaged, assigned,
 * worked and closed. Its states and transitions are domain/workflows/case.ts.
 */
export const cases = pgTable(
  'cases',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    patientId: uuid('patient_id')
      .notNull()
      .references(() => patients.id),
    encounterId: uuid('encounter_id').references(() => encounters.id),
    status: text('status').notNull(),
    /** consult | worker | admission-trigger */
    source: text('source').notNull(),
    /** routine | urgent | emergent */
    urgency: text('urgency').notNull(),
    /** 1 (low) to 4 (very high): the work the case takes, which caseload balancing adds up. */
    acuity: integer('acuity'),
    reasonCode: text('reason_code').notNull(),
    reasonText: text('reason_text'),
    requestedBy: uuid('requested_by').references(() => users.id),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    /** When first contact is due, from the organisation's targets at the time of the request. */
    firstContactDueAt: timestamp('first_contact_due_at', { withTimezone: true }).notNull(),
    firstContactAt: timestamp('first_contact_at', { withTimezone: true }),
    /** Set when supervisors were told that first contact is overdue, so that they are told once. */
    overdueNotifiedAt: timestamp('overdue_notified_at', { withTimezone: true }),
    assignedTo: uuid('assigned_to').references(() => users.id),
    assignedAt: timestamp('assigned_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closeReason: text('close_reason'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('cases_patient_idx').on(t.patientId),
    index('cases_assignee_idx').on(t.assignedTo, t.status).where(sql`${t.closedAt} is null`),
    index('cases_queue_idx').on(t.organizationId, t.status).where(sql`${t.closedAt} is null`),
  ],
);

/** Every change of a case's state or worker: who, when, and the note (a hand-off note on a change of worker). */
export const caseTransitions = pgTable(
  'case_transitions',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    action: text('action').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    byUser: uuid('by_user')
      .notNull()
      .references(() => users.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    fromAssignee: uuid('from_assignee').references(() => users.id),
    toAssignee: uuid('to_assignee').references(() => users.id),
    note: text('note'),
    /** Why the case closed, on a close: the case keeps only its latest reason, the history keeps each one. */
    closeReason: text('close_reason'),
  },
  (t) => [index('case_transitions_case_idx').on(t.caseId, t.at)],
);
