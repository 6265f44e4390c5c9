import { and, asc, desc, eq, gt, gte, lt, notInArray, or, type SQL, sql } from 'drizzle-orm';
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
 * Appends audit records in one statement: the database function `kith_audit_append` locks a free lane of the
 * chain (docs/decisions/013-audit-chain-lanes.md), numbers the records, seals each with the SHA-256 of its
 * content and the previous hash in that lane, and moves the lane's head. Pass the transaction of the write being
 * audited so that both commit together (the lane stays locked until then, other writers take other lanes); pass
 * the database for reads and sign-in events, where the lane is locked only for the statement itself.
 */
export async function appendAudit(dbOrTx: DbOrTx, ...entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await dbOrTx.execute(sql`select ${auditAppendCall(entries)}`);
}

/** The call that appends `entries`, for a caller that puts it in a statement of its own (as its last part). */
export function auditAppendCall(entries: AuditEntry[]): SQL {
  return sql`kith_audit_append(${JSON.stringify(entries.map(toRecord))}::jsonb)`;
}

/**
 * Where the chain does not hold: `seq` and `id` name the offending record, or are null when the record is
 * missing; `chain` is its lane and `chainSeq` its place in the lane.
 */
export interface ChainBreak {
  seq: number | null;
  id: string | null;
  chain: number;
  chainSeq: number;
  reason: string;
}

export type ChainVerdict = { ok: true; checked: number } | { ok: false; checked: number; broken: ChainBreak };

type VerifyRow = {
  seq: string | number;
  id: string;
  chain_seq: string | number;
  prev_hash: string;
  hash: string;
  expected: string;
};

/**
 * Walks each lane of the chain in order, recomputing each digest, and names the first record that does not hold:
 * a lane's records are numbered 1, 2, 3... without gaps, each links to the one before it, and the lane's head
 * names its last record. Everything is read from one snapshot, so appends made meanwhile do not disturb it.
 * `checked` counts the records found intact (in every lane when the chain holds).
 */
export async function verifyAuditChain(db: Db, batchSize = 5000): Promise<ChainVerdict> {
  return db.transaction(
    async (tx) => {
      let checked = 0;
      const broken = (b: ChainBreak): ChainVerdict => ({ ok: false, checked, broken: b });
      const heads = await tx.select().from(auditChainHead).orderBy(asc(auditChainHead.id));
      for (const head of heads) {
        const lane = head.id;
        let prevHash = GENESIS;
        let last: { seq: number; id: string } | null = null;
        let expected = 1;
        for (;;) {
          const result = await tx.execute(
            sql`select seq, id, chain_seq, prev_hash, hash, kith_audit_digest(a) as expected from audit_events a where chain = ${lane} and chain_seq >= ${expected} order by chain_seq limit ${batchSize}`,
          );
          const rows = (result as unknown as { rows: VerifyRow[] }).rows;
          for (const row of rows) {
            if (Number(row.chain_seq) !== expected) {
              return broken({
                seq: null,
                id: null,
                chain: lane,
                chainSeq: expected,
                reason: `record ${expected} of lane ${lane} is missing (deleted?)`,
              });
            }
            const here = { seq: Number(row.seq), id: row.id, chain: lane, chainSeq: expected };
            if (row.prev_hash !== prevHash) {
              return broken({ ...here, reason: 'its link to the previous record does not match' });
            }
            if (row.expected !== row.hash) {
              return broken({ ...here, reason: 'its content does not match its hash (edited)' });
            }
            prevHash = row.hash;
            last = { seq: here.seq, id: here.id };
            expected += 1;
            checked += 1;
          }
          if (rows.length < batchSize) break;
        }
        const count = expected - 1;
        if (head.seq > count) {
          return broken({
            seq: null,
            id: null,
            chain: lane,
            chainSeq: count + 1,
            reason: `records at the end of lane ${lane} are missing (its head names record ${head.seq}, the last one found is ${count})`,
          });
        }
        if (head.seq !== count || head.hash !== prevHash) {
          return broken({
            seq: last?.seq ?? null,
            id: last?.id ?? null,
            chain: lane,
            chainSeq: count,
            reason: `the head of lane ${lane} does not name its last record (head or record replaced?)`,
          });
        }
      }
      // Every record belongs to a lane that has a head: one outside them would otherwise go unchecked.
      const [total] = await tx.select({ n: sql<string>`count(*)` }).from(auditEvents);
      if (Number(total?.n ?? 0) !== checked) {
        const lanes = heads.map((h) => h.id);
        const [stray] = await tx
          .select({
            seq: auditEvents.seq,
            id: auditEvents.id,
            chain: auditEvents.chain,
            chainSeq: auditEvents.chainSeq,
          })
          .from(auditEvents)
          .where(lanes.length ? notInArray(auditEvents.chain, lanes) : undefined)
          .orderBy(asc(auditEvents.seq))
          .limit(1);
        if (stray) {
          return broken({ ...stray, reason: `it is in lane ${stray.chain}, which has no head` });
        }
      }
      return { ok: true, checked } as ChainVerdict;
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
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
