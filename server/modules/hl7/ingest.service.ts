import { randomBytes } from 'node:crypto';
import { eq, type SQL, sql } from 'drizzle-orm';
import { type AckSource, ackSourceOf, ackSourceOfText, buildAck } from '../../../domain/hl7/ack.ts';
import { Hl7Message, Hl7ParseError } from '../../../domain/hl7/message.ts';
import type { AckCode, Hl7Error, Hl7Outcome, Hl7Transport } from '../../../domain/schemas/hl7.ts';
import type { Db, Tx } from '../../db/client.ts';
import { type AuditEntry, appendAudit, auditAppendCall } from '../../platform/audit/audit.service.ts';
import { newId } from '../../platform/ids.ts';
import { timelineInsert } from '../../platform/timeline/timeline.service.ts';
import { applyAdt } from './adt.apply.ts';
import type { AdtApplier, AdtContext } from './adt.contract.ts';
import { hl7Messages } from './hl7.tables.ts';
import { invalidateHl7Routing } from './routing.cache.ts';
import { route } from './routing.ts';

/**
 * Receiving an HL7 v2 message, whatever the transport (MLLP, HTTP, replay): route it to an organisation by
 * MSH-4 (routing.ts), apply it, store it raw with its outcome in the same transaction (a copy already applied
 * is a duplicate and rolls back), commit, and only then answer the ACK. The raw message survives every failure of the apply: an AE,
 * an AR or an exception rolls the whole transaction back and the message is stored in a second one, as
 * `error` or `rejected` (decision 010). Replay (replay.service.ts) applies in a savepoint of the transaction
 * that locked the row.
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

export { invalidateHl7Routing };

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

/* ---------------------------------------------------------------- duplicates */

const DUPLICATE: Applied = { outcome: 'duplicate', ackCode: 'AA', errors: [] };

/**
 * The sender + control id of the messages this process applied last. The unique index on applied messages is
 * what decides (a copy applied elsewhere or before a restart is applied, found a duplicate at the insert of its
 * row, and rolled back); this only spares that work for the usual case, a message sent again at once because
 * its ACK was lost.
 */
const RECENT_KEYS = 10_000;
const recent = new WeakMap<object, Set<string>>();

const dedupeKey = (h: {
  sendingApplication: string | null;
  sendingFacility: string | null;
  controlId: string | null;
}) => `${h.sendingApplication ?? ''}\u0000${h.sendingFacility ?? ''}\u0000${h.controlId ?? ''}`;

function recentlyApplied(db: Db): Set<string> {
  let keys = recent.get(db);
  if (!keys) {
    keys = new Set();
    recent.set(db, keys);
  }
  return keys;
}

/** Forgets the keys this process remembers, as another process or a restart would not know them (tests). */
export function forgetAppliedKeys(db: Db): void {
  recent.delete(db);
}

function remember(db: Db, key: string): void {
  const keys = recentlyApplied(db);
  keys.add(key);
  if (keys.size > RECENT_KEYS) keys.delete(keys.values().next().value!);
}

/* ---------------------------------------------------------------- ingest */

/** Checks a parsed message can be applied at all: refusals answered AR before any apply. */
export function refusal(message: Hl7Message): Hl7Error[] {
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
  // One transaction in the common case: applied, then the message row (marked applied, with its patient and
  // visit), its timeline lines and its audit records written in one statement, committed. Anything else (AE,
  // AR, a failure, a copy already applied) rolls all of it back and is stored in a second transaction below:
  // the raw message is never lost, and its ACK waits for that commit.
  const id = newId();
  const organizationId = target!.organizationId;
  const ctx: AdtContext = { ...target!, messageId: id, audit: [], timeline: [] };
  const applier = options.applier ?? applyAdt;
  const key = dedupeKey(header);
  if (recentlyApplied(db).has(key)) {
    // Sent again at once (the sender lost our ACK): known a duplicate without applying it first.
    const dup = await storeNotApplied(db, id, header, organizationId, DUPLICATE);
    return { messageId: id, ...dup, ack: ackFor(source, dup.ackCode, dup.errors) };
  }
  let result: Applied;
  try {
    result = await db.transaction(async (tx) => {
      const r = await applier(tx, ctx, message);
      if (r.ack !== 'AA')
        throw new NotApplied({
          outcome: r.ack === 'AR' ? 'rejected' : 'error',
          ackCode: r.ack,
          errors: r.errors,
        });
      const stored = await finishApplied(tx, ctx, {
        ...header,
        id,
        organizationId,
        outcome: 'applied',
        ackCode: 'AA',
        errors: [],
        patientId: r.patientId,
        encounterId: r.encounterId,
        appliedAt: new Date(),
      });
      // The unique index on applied sender + control id: a copy applied before (or on another connection,
      // whose commit this insert waited for) makes this one a duplicate, and what it applied is rolled back.
      if (!stored) throw new NotApplied(DUPLICATE);
      return { outcome: 'applied', ackCode: 'AA', errors: [] };
    });
    if (result.outcome === 'applied') remember(db, key);
  } catch (error) {
    const failed: Applied =
      error instanceof NotApplied
        ? error.result
        : { outcome: 'error', ackCode: 'AE', errors: [err(207, failureText(error))] };
    result = await storeNotApplied(db, id, header, organizationId, failed);
  }
  return {
    messageId: id,
    outcome: result.outcome,
    ackCode: result.ackCode,
    errors: result.errors,
    ack: ackFor(source, result.ackCode, result.errors),
  };
}

/**
 * The last statement of an applied message's transaction: its timeline lines, the message row (unless a copy
 * was applied first: the insert does nothing then, and the caller rolls back) and its audit records, in one
 * round trip. The audit append comes last, so the chain's lane is held for this statement and the commit.
 */
async function finishApplied(
  tx: Tx,
  ctx: AdtContext,
  row: typeof hl7Messages.$inferInsert,
): Promise<boolean> {
  const parts: SQL[] = [];
  if (ctx.timeline?.length) parts.push(sql`timeline as (${timelineInsert(tx, ctx.timeline).getSQL()})`);
  parts.push(
    sql`message as (${tx.insert(hl7Messages).values(row).onConflictDoNothing().returning({ id: hl7Messages.id }).getSQL()})`,
  );
  const audit = ctx.audit?.length ? sql`, ${auditAppendCall(ctx.audit)}` : sql``;
  const result = await tx.execute(
    sql`with ${sql.join(parts, sql`, `)} select (select count(*) from message)::int as stored${audit}`,
  );
  return (result as unknown as { rows: { stored: number }[] }).rows[0]!.stored === 1;
}

/**
 * Stores a message whose apply was rolled back (AE, AR, a failure) with its outcome, in its own transaction;
 * a copy applied meanwhile by another connection makes it a duplicate (AA) instead.
 */
async function storeNotApplied(
  db: Db,
  id: string,
  header: Omit<typeof hl7Messages.$inferInsert, 'organizationId'>,
  organizationId: string,
  failed: Applied,
): Promise<Applied> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(hl7Messages)
      .values({
        ...header,
        id,
        organizationId,
        outcome: failed.outcome,
        ackCode: failed.ackCode,
        errors: failed.errors,
      })
      .returning({
        duplicate: sql<boolean>`exists (select 1 from ${hl7Messages} h where h.outcome = 'applied'
          and coalesce(h.sending_application, '') = ${header.sendingApplication ?? ''}
          and coalesce(h.sending_facility, '') = ${header.sendingFacility ?? ''}
          and h.control_id = ${header.controlId ?? null})`,
      });
    const outcome: Applied = row!.duplicate ? { outcome: 'duplicate', ackCode: 'AA', errors: [] } : failed;
    if (row!.duplicate)
      await tx
        .update(hl7Messages)
        .set({ outcome: 'duplicate', ackCode: 'AA', errors: [] })
        .where(eq(hl7Messages.id, id));
    await appendAudit(
      tx,
      receiptAudit(organizationId, id, outcome.outcome, { codes: outcome.errors.map((e) => e.code) }),
    );
    return outcome;
  });
}

export interface Applied {
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
 *
 * The applier collects its audit records in `ctx.audit` (when given) instead of appending them: they are
 * appended here after the savepoint is released, as the last statement before the caller's commit, so the
 * global audit-chain lock is held for that statement and the commit only. With `auditReceipt` false (replay)
 * the caller appends them with its own record. Records of an apply that is rolled back are dropped with it.
 */
export async function applyInSavepoint(
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
      if (ctx.audit) ctx.audit.length = 0;
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
    if (auditReceipt && ctx.audit?.length) await appendAudit(tx, ...ctx.audit);
    return outcome;
  } catch (error) {
    if (ctx.audit) ctx.audit.length = 0;
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
