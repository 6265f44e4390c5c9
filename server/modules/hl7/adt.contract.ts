import type { Hl7Message } from '../../../domain/hl7/message.ts';
import type { Hl7Error } from '../../../domain/schemas/hl7.ts';
import type { Tx } from '../../db/client.ts';

/**
 * The contract between the transport (ingest.service.ts) and the ADT applier (adt.apply.ts). The applier
 * runs inside the message's transaction (in a savepoint); it throws only on unexpected failure, and appends
 * its own audit records as the last thing it does.
 */
export interface AdtContext {
  organizationId: string;
  assigningAuthority: string | null;
  timeZone: string;
  /** hl7_messages.id */
  messageId: string;
}

export type AdtOutcome =
  | { ack: 'AA'; patientId: string | null; encounterId: string | null }
  | { ack: 'AE' | 'AR'; errors: Hl7Error[] };

export type AdtApplier = (tx: Tx, ctx: AdtContext, message: Hl7Message) => Promise<AdtOutcome>;
