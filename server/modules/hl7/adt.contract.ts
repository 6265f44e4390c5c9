import type { Hl7Message } from '../../../domain/hl7/message.ts';
import type { Hl7Error } from '../../../domain/schemas/hl7.ts';
import type { Tx } from '../../db/client.ts';
import type { AuditEntry } from '../../platform/audit/audit.service.ts';
import type { TimelineEntry } from '../../platform/timeline/timeline.service.ts';

/**
 * The contract between the transport (ingest.service.ts) and the ADT applier (adt.apply.ts). The applier
 * runs inside the message's transaction (rolled back whole, or its savepoint on replay, unless it answers AA);
 * it throws only on unexpected failure. Its audit records go last: into `ctx.audit` when the transport gives
 * one (the transport appends them just before its commit), else it appends them itself as its last step.
 */
export interface AdtContext {
  organizationId: string;
  assigningAuthority: string | null;
  timeZone: string;
  /** hl7_messages.id */
  messageId: string;
  /**
   * organizations.admission_triggers from the feed's routing cache; undefined: the applier reads them.
   */
  admissionTriggers?: unknown;
  /**
   * When given, the applier pushes its audit records here instead of appending them, and the transport
   * appends them as the last statement before its commit (only if the message was applied).
   */
  audit?: AuditEntry[];
  /**
   * When given, the applier pushes the timeline lines of the message here instead of writing them, and the
   * transport writes them in its last statement (only if the message was applied).
   */
  timeline?: TimelineEntry[];
}

export type AdtOutcome =
  | { ack: 'AA'; patientId: string | null; encounterId: string | null }
  | { ack: 'AE' | 'AR'; errors: Hl7Error[] };

export type AdtApplier = (tx: Tx, ctx: AdtContext, message: Hl7Message) => Promise<AdtOutcome>;
