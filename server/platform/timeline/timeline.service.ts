import { and, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { TimelineKind } from '../../../domain/timeline.ts';
import type { DbOrTx } from '../../db/client.ts';
import { users } from '../platform.tables.ts';
import { timelineEvents } from './timeline.tables.ts';

/** What a service says happened, in the transaction of the change itself. */
export interface TimelineEntry {
  organizationId: string;
  patientId: string;
  kind: TimelineKind;
  summary: string;
  actorId?: string | null;
  occurredAt?: Date;
  recordKind?: string;
  recordId?: string | null;
  sensitivity?: string | null;
  detail?: Record<string, unknown> | null;
}

/** Entries held back per transaction by `batchTimeline`, written in one insert at its end. */
const batches = new WeakMap<object, TimelineEntry[]>();

/**
 * Runs `fn` with the timeline entries recorded on `tx` held back and written in one statement when it
 * returns (dropped when it throws, as its transaction or savepoint is rolled back). For a hot path that
 * records several entries (the ADT feed's admission: registered, visit began, plan opened).
 */
export async function batchTimeline<T>(tx: DbOrTx, fn: () => Promise<T>): Promise<T> {
  const { result, held } = await holdTimeline(tx, fn);
  await recordOnTimeline(tx, ...held);
  return result;
}

/**
 * Runs `fn` with the timeline entries recorded on `tx` held back, and hands them to the caller, who writes
 * them in the same transaction with `timelineInsert` inside a statement of its own (the ADT feed writes them
 * with the message row and the audit records, in one round trip).
 */
export async function holdTimeline<T>(
  tx: DbOrTx,
  fn: () => Promise<T>,
): Promise<{ result: T; held: TimelineEntry[] }> {
  if (batches.has(tx)) return { result: await fn(), held: [] };
  const held: TimelineEntry[] = [];
  batches.set(tx, held);
  try {
    return { result: await fn(), held };
  } finally {
    batches.delete(tx);
  }
}

const rowOf = (e: TimelineEntry) => ({
  organizationId: e.organizationId,
  patientId: e.patientId,
  kind: e.kind,
  summary: e.summary,
  actorId: e.actorId ?? null,
  occurredAt: e.occurredAt ?? new Date(),
  recordKind: e.recordKind ?? e.kind,
  recordId: e.recordId ?? null,
  sensitivity: e.sensitivity ?? null,
  detail: e.detail ?? null,
});

/** The insert of some entries, for a caller that composes it into a statement of its own (a CTE). */
export function timelineInsert(db: DbOrTx, entries: TimelineEntry[]) {
  return db.insert(timelineEvents).values(entries.map(rowOf));
}

/** The one way a record reaches the patient's timeline. */
export async function recordOnTimeline(db: DbOrTx, ...entries: TimelineEntry[]): Promise<void> {
  if (!entries.length) return;
  const held = batches.get(db);
  if (held) {
    // The time is taken now, as an immediate insert would.
    held.push(...entries.map((e) => ({ ...e, occurredAt: e.occurredAt ?? new Date() })));
    return;
  }
  await timelineInsert(db, entries);
}

/** One page of a patient's timeline, newest first, optionally of some kinds only. */
export async function readTimeline(
  db: DbOrTx,
  patientId: string,
  q: { kinds?: readonly TimelineKind[] | undefined; page: number; pageSize: number },
) {
  const where: SQL = and(
    eq(timelineEvents.patientId, patientId),
    q.kinds?.length ? inArray(timelineEvents.kind, [...q.kinds]) : undefined,
    // Sensitive entries wait for the sensitivity rules of the services that write them (counseling notes).
    sql`${timelineEvents.sensitivity} is null`,
  )!;
  const [items, [count]] = await Promise.all([
    db
      .select({
        id: timelineEvents.id,
        kind: timelineEvents.kind,
        occurredAt: timelineEvents.occurredAt,
        summary: timelineEvents.summary,
        recordKind: timelineEvents.recordKind,
        recordId: timelineEvents.recordId,
        actorName: users.displayName,
      })
      .from(timelineEvents)
      .leftJoin(users, eq(users.id, timelineEvents.actorId))
      .where(where)
      .orderBy(desc(timelineEvents.occurredAt), desc(timelineEvents.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: sql<number>`count(*)::int` }).from(timelineEvents).where(where),
  ]);
  return { items, total: count?.n ?? 0 };
}
