import { createHash } from 'node:crypto';
import { and, asc, desc, eq, gt, gte, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.ts';
import { newId } from '../ids.ts';
import { auditChainHead, auditEvents } from '../platform.tables.ts';

export type AuditOutcome = 'success' | 'failure' | 'denied' | 'locked';

/** One thing that happened: who did what to which record, and how it ended. */
export interface AuditEntry {
  organizationId: string | null;
  actorUserId: string | null;
  actorRole: string | null;
  actorLabel: string | null;
  action: string;
  outcome: AuditOutcome;
  patientId?: string | null;
  recordKind?: string | null;
  recordId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  reason?: string | null;
  emergency?: boolean;
  /** Identifiers only (ids, counts, codes): never names, notes or other patient data. */
  detail?: Record<string, unknown> | null;
}

type AuditRow = typeof auditEvents.$inferSelect;

const GENESIS = '0'.repeat(64);

/** JSON with object keys sorted, so that jsonb's reordering does not change a hash. */
function canonical(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The SHA-256 that seals one audit record to the one before it. */
export function auditHash(row: Omit<AuditRow, 'hash'>): string {
  const body = canonical([
    row.seq,
    row.id,
    row.occurredAt.toISOString(),
    row.organizationId,
    row.actorUserId,
    row.actorRole,
    row.actorLabel,
    row.action,
    row.outcome,
    row.patientId,
    row.recordKind,
    row.recordId,
    row.ip,
    row.userAgent,
    row.reason,
    row.emergency,
    row.detail ?? null,
  ]);
  return createHash('sha256').update(row.prevHash).update('\n').update(body).digest('hex');
}

async function appendInTx(tx: DbOrTx, entries: AuditEntry[]): Promise<void> {
  // The head row lock serialises appends, so the chain has no forks.
  const [head] = await tx.select().from(auditChainHead).where(eq(auditChainHead.id, 1)).for('update');
  if (!head) throw new Error('audit chain head is missing: migrations not applied');
  let { seq, hash } = head;
  const rows: AuditRow[] = [];
  for (const entry of entries) {
    seq += 1;
    const row: Omit<AuditRow, 'hash'> = {
      seq,
      id: newId(),
      occurredAt: new Date(),
      organizationId: entry.organizationId,
      actorUserId: entry.actorUserId,
      actorRole: entry.actorRole,
      actorLabel: entry.actorLabel,
      action: entry.action,
      outcome: entry.outcome,
      patientId: entry.patientId ?? null,
      recordKind: entry.recordKind ?? null,
      recordId: entry.recordId ?? null,
      ip: entry.ip ?? null,
      userAgent: entry.userAgent ? entry.userAgent.slice(0, 500) : null,
      reason: entry.reason ?? null,
      emergency: entry.emergency ?? false,
      detail: entry.detail ?? null,
      prevHash: hash,
    };
    hash = auditHash(row);
    rows.push({ ...row, hash });
  }
  await tx.insert(auditEvents).values(rows);
  await tx.update(auditChainHead).set({ seq, hash }).where(eq(auditChainHead.id, 1));
}

/**
 * Appends audit records to the chain. Pass the transaction of the write being audited so that
 * the record and the write commit together; pass the database for reads and sign-in events.
 */
export async function appendAudit(dbOrTx: DbOrTx, ...entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  if ('rollback' in dbOrTx) return appendInTx(dbOrTx, entries);
  await (dbOrTx as Db).transaction((tx) => appendInTx(tx, entries));
}

export type ChainVerdict =
  | { ok: true; checked: number }
  | { ok: false; checked: number; broken: { seq: number; id: string | null; reason: string } };

/** Walks the whole chain in order and names the first record whose content or link does not hold. */
export async function verifyAuditChain(db: Db, batchSize = 5000): Promise<ChainVerdict> {
  let prevHash = GENESIS;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(auditEvents)
      .where(gte(auditEvents.seq, expectedSeq))
      .orderBy(asc(auditEvents.seq))
      .limit(batchSize);
    for (const row of rows) {
      const fail = (reason: string): ChainVerdict => ({
        ok: false,
        checked,
        broken: { seq: row.seq, id: row.id, reason },
      });
      if (row.seq !== expectedSeq) {
        return {
          ok: false,
          checked,
          broken: { seq: expectedSeq, id: null, reason: `record ${expectedSeq} is missing (deleted?)` },
        };
      }
      if (row.prevHash !== prevHash) return fail('its link to the previous record does not match');
      if (auditHash(row) !== row.hash) return fail('its content does not match its hash (edited)');
      prevHash = row.hash;
      expectedSeq += 1;
      checked += 1;
    }
    if (rows.length < batchSize) break;
  }
  const [head] = await db.select().from(auditChainHead).where(eq(auditChainHead.id, 1));
  if (!head || head.seq !== checked || head.hash !== prevHash) {
    return {
      ok: false,
      checked,
      broken: { seq: checked + 1, id: null, reason: 'records at the end of the chain are missing' },
    };
  }
  return { ok: true, checked };
}

export interface AuditSearch {
  organizationId: string;
  userId?: string | undefined;
  patientId?: string | undefined;
  action?: string | undefined;
  emergency?: boolean | undefined;
  from?: string | undefined;
  to?: string | undefined;
  page: number;
  pageSize: number;
}

function searchWhere(q: AuditSearch): SQL {
  const conds: (SQL | undefined)[] = [eq(auditEvents.organizationId, q.organizationId)];
  if (q.userId) conds.push(eq(auditEvents.actorUserId, q.userId));
  if (q.patientId) {
    // A patient appears either as the record's subject or among the patients a list showed.
    conds.push(
      or(
        eq(auditEvents.patientId, q.patientId),
        sql`${auditEvents.detail} @> ${JSON.stringify({ patientIds: [q.patientId] })}::jsonb`,
      ),
    );
  }
  if (q.action) conds.push(eq(auditEvents.action, q.action));
  if (q.emergency !== undefined) conds.push(eq(auditEvents.emergency, q.emergency));
  if (q.from) conds.push(gte(auditEvents.occurredAt, new Date(`${q.from}T00:00:00Z`)));
  if (q.to)
    conds.push(lt(auditEvents.occurredAt, new Date(new Date(`${q.to}T00:00:00Z`).getTime() + 86_400_000)));
  return and(...conds)!;
}

/** One page of the organisation's audit trail, newest first. */
export async function searchAudit(db: DbOrTx, q: AuditSearch): Promise<{ items: AuditRow[]; total: number }> {
  const where = searchWhere(q);
  const [items, [count]] = await Promise.all([
    db
      .select()
      .from(auditEvents)
      .where(where)
      .orderBy(desc(auditEvents.seq))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: sql<number>`count(*)::int` }).from(auditEvents).where(where),
  ]);
  return { items, total: count?.n ?? 0 };
}

/** Every matching record, oldest first, in batches: for CSV export without loading all at once. */
export async function* streamAudit(
  db: DbOrTx,
  q: Omit<AuditSearch, 'page' | 'pageSize'>,
): AsyncGenerator<AuditRow> {
  let after = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(auditEvents)
      .where(and(searchWhere({ ...q, page: 1, pageSize: 1 }), gt(auditEvents.seq, after)))
      .orderBy(asc(auditEvents.seq))
      .limit(2000);
    yield* rows;
    if (rows.length < 2000) return;
    after = rows[rows.length - 1]!.seq;
  }
}
