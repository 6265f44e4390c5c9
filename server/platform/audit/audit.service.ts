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

/** An entry as the database function takes it: the columns of audit_events, by their SQL names. */
function toRecord(entry: AuditEntry) {
  return {
    id: newId(),
    organization_id: entry.organizationId,
    actor_user_id: entry.actorUserId,
    actor_role: entry.actorRole,
    actor_label: entry.actorLabel,
    action: entry.action,
    outcome: entry.outcome,
    patient_id: entry.patientId ?? null,
    record_kind: entry.recordKind ?? null,
    record_id: entry.recordId ?? null,
    ip: entry.ip ?? null,
    user_agent: entry.userAgent ? entry.userAgent.slice(0, 500) : null,
    reason: entry.reason ?? null,
    emergency: entry.emergency ?? false,
    detail: entry.detail ?? null,
  };
}

/**
 * Appends audit records to the chain in one statement: the database function `kith_audit_append` locks the
 * chain head, numbers the records, seals each with the SHA-256 of its content and the previous hash, and moves
 * the head. Pass the transaction of the write being audited so that both commit together; pass the database
 * for reads and sign-in events, where the head is then locked only for the statement itself.
 */
export async function appendAudit(dbOrTx: DbOrTx, ...entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await dbOrTx.execute(sql`select kith_audit_append(${JSON.stringify(entries.map(toRecord))}::jsonb)`);
}

export type ChainVerdict =
  | { ok: true; checked: number }
  | { ok: false; checked: number; broken: { seq: number; id: string | null; reason: string } };

type VerifyRow = { seq: string | number; id: string; prev_hash: string; hash: string; expected: string };

/** Walks the whole chain in order, recomputing each digest, and names the first record that does not hold. */
export async function verifyAuditChain(db: Db, batchSize = 5000): Promise<ChainVerdict> {
  let prevHash = GENESIS;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const result = await db.execute(
      sql`select seq, id, prev_hash, hash, kith_audit_digest(a) as expected from audit_events a where seq >= ${expectedSeq} order by seq limit ${batchSize}`,
    );
    const rows = (result as unknown as { rows: VerifyRow[] }).rows;
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== expectedSeq) {
        return {
          ok: false,
          checked,
          broken: { seq: expectedSeq, id: null, reason: `record ${expectedSeq} is missing (deleted?)` },
        };
      }
      const fail = (reason: string): ChainVerdict => ({
        ok: false,
        checked,
        broken: { seq, id: row.id, reason },
      });
      if (row.prev_hash !== prevHash) return fail('its link to the previous record does not match');
      if (row.expected !== row.hash) return fail('its content does not match its hash (edited)');
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
