import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { newId } from '../../platform/ids.ts';
import { organizations, users } from '../../platform/platform.tables.ts';
import { encounters } from '../encounters/encounters.tables.ts';
import { patients } from '../patients/patients.tables.ts';

/**
 * Which organisation a hospital feed belongs to: its sending facility (MSH-4, namespace id) and the assigning
 * authority (PID-3.4) whose identifier is the organisation's MRN. With a single organisation and no feed
 * configured, every message goes to it and the first PID-3 repetition is the MRN.
 */
export const hl7Feeds = pgTable(
  'hl7_feeds',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    /** MSH-4.1 as the hospital's interface engine sends it; matched exactly, ignoring case. */
    sendingFacility: text('sending_facility').notNull(),
    /** PID-3.4.1 of the identifier that is the MRN here; null takes the first repetition (or the MR type). */
    assigningAuthority: text('assigning_authority'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('hl7_feeds_facility_key').on(sql`lower(${t.sendingFacility})`)],
);

/**
 * Every HL7 v2 message received, raw, with its outcome: stored before it is applied and before the ACK goes
 * out, so that none is ever lost. A message whose control id (MSH-10) was already applied from the same sender
 * is stored as `duplicate` and acknowledged AA without being applied again. Holds PHI: reads are audited.
 */
export const hl7Messages = pgTable(
  'hl7_messages',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    /** Null when the message could not be routed (unparseable, unknown facility with several organisations). */
    organizationId: uuid('organization_id').references(() => organizations.id),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    /** mllp | http | replay */
    transport: text('transport').notNull(),
    /** The message as received, segments separated by CR, after MLLP framing is removed. */
    raw: text('raw').notNull(),
    /** MSH-3 and MSH-4 (first components); the dedupe key is sender + control id. */
    sendingApplication: text('sending_application'),
    sendingFacility: text('sending_facility'),
    /** MSH-10 */
    controlId: text('control_id'),
    /** MSH-9 as type^event, e.g. ADT^A01. */
    messageType: text('message_type'),
    triggerEvent: text('trigger_event'),
    /** MSH-12 */
    version: text('version'),
    /** received | applied | duplicate | error | rejected (domain/hl7.ts). */
    outcome: text('outcome').notNull().default('received'),
    /** The ACK code sent back: AA, AE or AR. */
    ackCode: text('ack_code'),
    /** Why it was not applied: [{ segment, sequence, field, component, code, text }] (domain/schemas/hl7.ts). */
    errors: jsonb('errors').notNull().default(sql`'[]'::jsonb`),
    patientId: uuid('patient_id').references(() => patients.id),
    encounterId: uuid('encounter_id').references(() => encounters.id),
    appliedAt: timestamp('applied_at', { withTimezone: true }),
    /** Times it was applied again from the admin screen, the last by whom. */
    replays: integer('replays').notNull().default(0),
    lastReplayedAt: timestamp('last_replayed_at', { withTimezone: true }),
    lastReplayedBy: uuid('last_replayed_by').references(() => users.id),
  },
  (t) => [
    index('hl7_messages_received_idx').on(t.organizationId, t.receivedAt),
    index('hl7_messages_outcome_idx')
      .on(t.organizationId, t.outcome, t.receivedAt)
      .where(sql`${t.outcome} in ('error', 'rejected', 'received')`),
    // At most one applied message per sender and control id: the duplicate check and its guard.
    uniqueIndex('hl7_messages_applied_key')
      .on(sql`coalesce(${t.sendingApplication}, '')`, sql`coalesce(${t.sendingFacility}, '')`, t.controlId)
      .where(sql`${t.outcome} = 'applied'`),
    index('hl7_messages_patient_idx').on(t.patientId).where(sql`${t.patientId} is not null`),
  ],
);
