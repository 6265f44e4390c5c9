import { and, eq, sql } from 'drizzle-orm';
import { Hl7Message } from '../../../domain/hl7/message.ts';
import type { AckCode, Hl7Error, Hl7Outcome } from '../../../domain/schemas/hl7.ts';
import type { Db } from '../../db/client.ts';
import type { Actor } from '../../platform/actor.ts';
import { type AuditEntry, appendAudit } from '../../platform/audit/audit.service.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { applyAdt } from './adt.apply.ts';
import type { AdtApplier } from './adt.contract.ts';
import { hl7Messages } from './hl7.tables.ts';
import { applyInSavepoint, refusal } from './ingest.service.ts';
import { type Route, route, routingTable } from './routing.ts';

export interface ReplayResult {
  id: string;
  outcome: Hl7Outcome;
  ackCode: AckCode | null;
  errors: Hl7Error[];
}

/**
 * Applies a stored message again (after a fix of data or configuration), in a new transaction: the row's
 * outcome, errors and ids follow the new attempt and its replay count goes up. An applied message (or a
 * duplicate of one) is refused: applying it twice would repeat its changes.
 */
export async function replayHl7Message(
  db: Db,
  actor: Actor,
  messageId: string,
  options: { applier?: AdtApplier } = {},
): Promise<ReplayResult> {
  const [found] = await db
    .select({ id: hl7Messages.id, outcome: hl7Messages.outcome, organizationId: hl7Messages.organizationId })
    .from(hl7Messages)
    .where(eq(hl7Messages.id, messageId));
  if (!found || (found.organizationId !== null && found.organizationId !== actor.organizationId)) {
    throw notFound('HL7 message');
  }
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(hl7Messages).where(eq(hl7Messages.id, messageId)).for('update');
    if (!row) throw notFound('HL7 message');
    if (row.outcome === 'applied' || row.outcome === 'duplicate') {
      throw conflict(
        'already-applied',
        'This message was already applied; replaying it would repeat its changes',
      );
    }
    const replayed = {
      replays: row.replays + 1,
      lastReplayedAt: new Date(),
      lastReplayedBy: actor.userId,
    };
    const actorEntry = (outcome: Hl7Outcome): AuditEntry => ({
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      actorRole: actor.role,
      actorLabel: actor.email,
      action: 'hl7.message.replay',
      outcome: outcome === 'applied' ? 'success' : 'failure',
      recordKind: 'hl7_message',
      recordId: row.id,
      patientId: row.patientId,
      detail: { outcome },
    });
    let message: Hl7Message;
    try {
      message = Hl7Message.parse(row.raw);
    } catch {
      await tx.update(hl7Messages).set(replayed).where(eq(hl7Messages.id, row.id));
      await appendAudit(tx, actorEntry('rejected'));
      return { id: row.id, outcome: 'rejected', ackCode: 'AR', errors: row.errors as Hl7Error[] };
    }
    // Routing may have been fixed since (a feed added): an unrouted message of this organisation is taken.
    const target = (await route(db, message.sendingFacility)) ?? null;
    const organizationId = row.organizationId ?? actor.organizationId;
    const routed: Route =
      target && target.organizationId === organizationId
        ? target
        : {
            organizationId,
            assigningAuthority: null,
            timeZone: (await routingTable(db)).zones.get(organizationId) ?? 'UTC',
            admissionTriggers: undefined, // the applier reads them
          };
    const refused = refusal(message);
    if (refused.length > 0) {
      await tx
        .update(hl7Messages)
        .set({ ...replayed, organizationId, outcome: 'rejected', ackCode: 'AR', errors: refused })
        .where(eq(hl7Messages.id, row.id));
      await appendAudit(tx, actorEntry('rejected'));
      return { id: row.id, outcome: 'rejected', ackCode: 'AR', errors: refused };
    }
    const [dup] = await tx
      .select({ id: hl7Messages.id })
      .from(hl7Messages)
      .where(
        and(
          eq(hl7Messages.outcome, 'applied'),
          sql`coalesce(${hl7Messages.sendingApplication}, '') = ${row.sendingApplication ?? ''}`,
          sql`coalesce(${hl7Messages.sendingFacility}, '') = ${row.sendingFacility ?? ''}`,
          eq(hl7Messages.controlId, row.controlId ?? ''),
        ),
      )
      .limit(1);
    if (dup) {
      await tx
        .update(hl7Messages)
        .set({ ...replayed, outcome: 'duplicate', ackCode: 'AA', errors: [] })
        .where(eq(hl7Messages.id, row.id));
      await appendAudit(tx, actorEntry('duplicate'));
      return { id: row.id, outcome: 'duplicate', ackCode: 'AA', errors: [] };
    }
    const applier = options.applier ?? applyAdt;
    const audit: AuditEntry[] = [];
    const outcome = await applyInSavepoint(
      tx,
      { ...routed, messageId: row.id, audit },
      message,
      applier,
      {
        ...replayed,
        organizationId,
      },
      false,
    );
    await appendAudit(tx, ...audit, actorEntry(outcome.outcome));
    return { id: row.id, ...outcome };
  });
}
