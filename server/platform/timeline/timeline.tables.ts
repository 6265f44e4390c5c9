import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { newId } from '../ids.ts';
import { organizations, users } from '../platform.tables.ts';

/**
 * One timeline of everything done for a patient, across services. Each service writes its entry in the
 * transaction of the change it records; the chart reads one indexed range, newest first.
 */
export const timelineEvents = pgTable(
  'timeline_events',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    patientId: uuid('patient_id').notNull(),
    /** A kind registered in domain/timeline.ts. */
    kind: text('kind').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    actorId: uuid('actor_id').references(() => users.id),
    summary: text('summary').notNull(),
    recordKind: text('record_kind'),
    recordId: uuid('record_id'),
    /** A sensitivity label (e.g. substance-use) narrows who sees the entry. */
    sensitivity: text('sensitivity'),
    detail: jsonb('detail'),
  },
  (t) => [
    index('timeline_patient_idx').on(t.patientId, t.occurredAt.desc(), t.id.desc()),
    index('timeline_patient_kind_idx').on(t.patientId, t.kind, t.occurredAt.desc()),
  ],
);
