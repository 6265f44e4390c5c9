import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { type AckSource, ackSourceOf, ackSourceOfText, buildAck } from '../../../domain/hl7/ack.ts';
import { Hl7Message, Hl7ParseError } from '../../../domain/hl7/message.ts';
import type { AckCode, Hl7Error, Hl7Outcome, Hl7Transport } from '../../../domain/schemas/hl7.ts';
import type { Db, DbOrTx, Tx } from '../../db/client.ts';
import type { Actor } from '../../platform/actor.ts';
import { type AuditEntry, appendAudit } from '../../platform/audit/audit.service.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { organizations } from '../../platform/platform.tables.ts';
import { applyAdt } from './adt.apply.ts';
import type { AdtApplier, AdtContext } from './adt.contract.ts';
import { hl7Feeds, hl7Messages } from './hl7.tables.ts';

/**
 * Receiving an HL7 v2 message, whatever the transport (MLLP, HTTP, replay): route it to an organisation by
 * MSH-4, store it raw, skip it when its sender + control id was already applied, apply it in a savepoint,
 * record the outcome, commit, and only then answer the ACK. The raw message survives every failure of the
 * apply: an exception rolls back to the savepoint and the message is kept as `error`.
 */

export interface IngestResult {
  /** hl7_messages.id; null only when even storing failed (never in normal operation). */
  messageId: string | null;
  outcome: Hl7Outcome;
  ackCode: AckCode;
  errors: Hl7Error[];
  /** The ACK text, segments ending with CR, without MLLP framing. */
  ack: string;
}

export interface IngestOptions {
  transport: Exclude<Hl7Transport, 'replay'>;
  /** The ADT applier; defaults to the real one (adt.apply.ts). Tests pass a fake. */
  applier?: AdtApplier;
}

/** Largest message accepted (characters); the MLLP server refuses bigger frames before this is reached. */
export const MAX_MESSAGE_CHARS = 1_048_576;

const ADT_FEED = 'ADT feed';

/* ---------------------------------------------------------------- routing */

interface Route {
  organizationId: string;
  assigningAuthority: string | null;
  timeZone: string;
}

interface RoutingTable {
  loadedAt: number;
  byFacility: Map<string, Route>;
  /** The only organisation, when there is exactly one: it takes every message. */
  only: Route | null;
  zones: Map<string, string>;
}

const ROUTING_TTL_MS = 30_000;
const routing = new WeakMap<object, RoutingTable>();

/** Forget the cached feeds (after feeds or organisations change). */
export function invalidateHl7Routing(db: DbOrTx): void {
  routing.delete(db);
}

async function routingTable(db: Db): Promise<RoutingTable> {
  const cached = routing.get(db);
  if (cached && Date.now() - cached.loadedAt < ROUTING_TTL_MS) return cached;
  const orgs = await db
    .select({ id: organizations.id, timeZone: organizations.timeZone })
    .from(organizations);
  const feeds = await db.select().from(hl7Feeds);
  const zones = new Map(orgs.map((o) => [o.id, o.timeZone]));
  const byFacility = new Map<string, Route>();
  for (const f of feeds) {
    byFacility.set(f.sendingFacility.toLowerCase(), {
      organizationId: f.organizationId,
      assigningAuthority: f.assigningAuthority,
      timeZone: zones.get(f.organizationId) ?? 'UTC',
    });
  }
  const only =
    orgs.length === 1
      ? { organizationId: orgs[0]!.id, assigningAuthority: null, timeZone: orgs[0]!.timeZone }
      : null;
  const table = { loadedAt: Date.now(), byFacility, only, zones };
  routing.set(db, table);
  return table;
}

async function route(db: Db, facility: string): Promise<Route | null> {
  const table = await routingTable(db);
  return table.byFacility.get(facility.toLowerCase()) ?? table.only;
}

/* ---------------------------------------------------------------- ACK */

/** An ACK control id: 20 characters at most (the 2.3 limit of MSH-10). */
export function newAckControlId(): string {
  return `K${Date.now().toString(36).toUpperCase()}${randomBytes(5).toString('hex').toUpperCase()}`.slice(
    0,
    20,
  );
}

function ackFor(source: AckSource, code: AckCode, errors: Hl7Error[], text?: string): string {
  return buildAck(source, { code, errors, controlId: newAckControlId(), text });
}

const err = (code: number, text: string, where: Partial<Hl7Error> = {}): Hl7Error => ({
  segment: where.segment ?? 'MSH',
  ...(where.sequence !== undefined ? { sequence: where.sequence } : {}),
  ...(where.field !== undefined ? { field: where.field } : {}),
  ...(where.component !== undefined ? { component: where.component } : {}),
  code,
  text,
});

/** What an unexpected failure may say: its message only, bounded (errors of our own code carry no PHI). */
function failureText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `Application internal error: ${message}`.slice(0, 300);
}

const isUniqueViolation = (error: unknown): boolean => {
  const e = error as { code?: string; cause?: { code?: string } };
  return e?.code === '23505' || e?.cause?.code === '23505';
};

/* ---------------------------------------------------------------- ingest */

/** Checks a parsed message can be applied at all: refusals answered AR before any apply. */
function refusal(message: Hl7Message): Hl7Error[] {
  if (message.messageType !== 'ADT') {
    return [
      err(200, `Unsupported message type ${message.messageType.slice(0, 10)}`, { sequence: 1, field: 9 }),
    ];
  }
  if (!message.controlId)
    return [err(101, 'MSH-10 (message control id) is missing', { sequence: 1, field: 10 })];
  if (!message.triggerEvent)
    return [err(101, 'MSH-9.2 (trigger event) is missing', { sequence: 1, field: 9, component: 2 })];
  return [];
}

const receiptAudit = (
  organizationId: string | null,
  messageId: string,
  outcome: Hl7Outcome,
  detail: Record<string, unknown>,
): AuditEntry => ({
  organizationId,
  actorUserId: null,
  actorRole: null,
  actorLabel: ADT_FEED,
  action: 'hl7.message.receive',
  outcome: outcome === 'rejected' ? 'failure' : 'success',
  recordKind: 'hl7_message',
  recordId: messageId,
  detail: { outcome, ...detail },
});

/** Receives one message: stores it, applies it (unless it is a duplicate or refused), commits, answers the ACK. */
export async function ingestHl7(db: Db, raw: string, options: IngestOptions): Promise<IngestResult> {
  let message: Hl7Message;
  try {
    message = Hl7Message.parse(raw);
  } catch (error) {
    return storeUnparseable(db, raw, options.transport, error);
  }
  const source = ackSourceOf(message);
  const header = {
    transport: options.transport,
    raw: message.raw,
    sendingApplication: message.sendingApplication || null,
    sendingFacility: message.sendingFacility || null,
    controlId: message.controlId || null,
    messageType: [message.messageType, message.triggerEvent].filter(Boolean).join('^') || null,
    triggerEvent: message.triggerEvent || null,
    version: message.version || null,
  };
  const target = await route(db, message.sendingFacility);
  const refused = target
    ? refusal(message)
    : [err(204, 'Unknown sending facility (MSH-4): no feed is configured for it', { sequence: 1, field: 4 })];
  if (refused.length > 0) {
    const id = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(hl7Messages)
        .values({
          ...header,
          organizationId: target?.organizationId ?? null,
          outcome: 'rejected',
          ackCode: 'AR',
          errors: refused,
        })
        .returning({ id: hl7Messages.id });
      await appendAudit(
        tx,
        receiptAudit(target?.organizationId ?? null, row!.id, 'rejected', { code: refused[0]!.code }),
      );
      return row!.id;
    });
    return {
      messageId: id,
      outcome: 'rejected',
      ackCode: 'AR',
      errors: refused,
      ack: ackFor(source, 'AR', refused),
    };
  }
  const result = await db.transaction(async (tx) => {
    // Store first, and learn in the same statement whether this sender + control id was applied before.
    const [row] = await tx
      .insert(hl7Messages)
      .values({ ...header, organizationId: target!.organizationId })
      .returning({
        id: hl7Messages.id,
        duplicate: sql<boolean>`exists (select 1 from ${hl7Messages} h where h.outcome = 'applied'
          and coalesce(h.sending_application, '') = ${header.sendingApplication ?? ''}
          and coalesce(h.sending_facility, '') = ${header.sendingFacility ?? ''}
          and h.control_id = ${header.controlId})`,
      });
    const id = row!.id;
    if (row!.duplicate) {
      await tx.update(hl7Messages).set({ outcome: 'duplicate', ackCode: 'AA' }).where(eq(hl7Messages.id, id));
      await appendAudit(tx, receiptAudit(target!.organizationId, id, 'duplicate', {}));
      return { id, outcome: 'duplicate' as const, ackCode: 'AA' as const, errors: [] };
    }
    const ctx: AdtContext = { ...target!, messageId: id };
    const applier = options.applier ?? applyAdt;
    return { id, ...(await applyInSavepoint(tx, ctx, message, applier)) };
  });
  return {
    messageId: result.id,
    outcome: result.outcome,
    ackCode: result.ackCode,
    errors: result.errors,
    ack: ackFor(source, result.ackCode, result.errors),
  };
}

interface Applied {
  outcome: Hl7Outcome;
  ackCode: AckCode;
  errors: Hl7Error[];
}

class NotApplied extends Error {
  readonly result: Applied;
  constructor(result: Applied) {
    super('not applied');
    this.result = result;
  }
}

/**
 * Applies the message in a savepoint and records its outcome on the row. An AE or AR answer rolls the
 * savepoint back (nothing half-applied stays); so does an exception, which rolls back the savepoint only: the row stays, marked `error` (AE, 207). A concurrent copy applied first (the unique index
 * on applied sender + control id) makes this one a duplicate.
 */
async function applyInSavepoint(
  tx: Tx,
  ctx: AdtContext,
  message: Hl7Message,
  applier: AdtApplier,
  extra: Partial<typeof hl7Messages.$inferInsert> = {},
  auditReceipt = true,
): Promise<Applied> {
  let outcome: Applied;
  try {
    outcome = await tx.transaction(async (sp) => {
      const r = await applier(sp, ctx, message);
      if (r.ack === 'AA') {
        await sp
          .update(hl7Messages)
          .set({
            ...extra,
            outcome: 'applied',
            ackCode: 'AA',
            errors: [],
            patientId: r.patientId,
            encounterId: r.encounterId,
            appliedAt: new Date(),
          })
          .where(eq(hl7Messages.id, ctx.messageId));
        return { outcome: 'applied', ackCode: 'AA', errors: [] };
      }
      // Not applied: whatever the applier wrote before answering goes with the savepoint.
      throw new NotApplied({
        outcome: r.ack === 'AR' ? 'rejected' : 'error',
        ackCode: r.ack,
        errors: r.errors,
      });
    });
    return outcome;
  } catch (error) {
    if (error instanceof NotApplied) {
      outcome = error.result;
    } else if (isUniqueViolation(error)) {
      outcome = { outcome: 'duplicate', ackCode: 'AA', errors: [] };
    } else {
      outcome = { outcome: 'error', ackCode: 'AE', errors: [err(207, failureText(error))] };
    }
  }
  await tx
    .update(hl7Messages)
    .set({ ...extra, outcome: outcome.outcome, ackCode: outcome.ackCode, errors: outcome.errors })
    .where(eq(hl7Messages.id, ctx.messageId));
  if (auditReceipt) {
    await appendAudit(
      tx,
      receiptAudit(ctx.organizationId, ctx.messageId, outcome.outcome, {
        codes: outcome.errors.map((e) => e.code),
      }),
    );
  }
  return outcome;
}

async function storeUnparseable(
  db: Db,
  raw: string,
  transport: string,
  error: unknown,
): Promise<IngestResult> {
  const reason = error instanceof Hl7ParseError ? error : null;
  const errors = [
    err(reason ? 100 : 102, `Unparseable message: ${reason?.reason ?? 'not HL7 v2'}`.slice(0, 300), {
      segment: reason?.segment && /^[A-Z0-9]{3}$/.test(reason.segment) ? reason.segment : 'MSH',
      ...(reason?.sequence !== undefined ? { sequence: reason.sequence } : {}),
      ...(reason?.field !== undefined ? { field: reason.field } : {}),
    }),
  ];
  const source = ackSourceOfText(raw);
  const facility = source.sendingFacility.split(source.delimiters.component)[0] ?? '';
  const target = await route(db, facility);
  const id = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(hl7Messages)
      .values({
        organizationId: target?.organizationId ?? null,
        transport,
        raw: raw.slice(0, MAX_MESSAGE_CHARS),
        sendingApplication: source.sendingApplication.split(source.delimiters.component)[0] || null,
        sendingFacility: facility || null,
        controlId: source.controlId || null,
        messageType: source.messageType || null,
        triggerEvent: source.triggerEvent || null,
        outcome: 'rejected',
        ackCode: 'AR',
        errors,
      })
      .returning({ id: hl7Messages.id });
    await appendAudit(
      tx,
      receiptAudit(target?.organizationId ?? null, row!.id, 'rejected', { code: errors[0]!.code }),
    );
    return row!.id;
  });
  return { messageId: id, outcome: 'rejected', ackCode: 'AR', errors, ack: ackFor(source, 'AR', errors) };
}

/* ---------------------------------------------------------------- replay */

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
    const outcome = await applyInSavepoint(
      tx,
      { ...routed, messageId: row.id },
      message,
      applier,
      {
        ...replayed,
        organizationId,
      },
      false,
    );
    await appendAudit(tx, actorEntry(outcome.outcome));
    return { id: row.id, ...outcome };
  });
}
