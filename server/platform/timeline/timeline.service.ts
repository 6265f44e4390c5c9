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

/** The one way a record reaches the patient's timeline. */
export async function recordOnTimeline(db: DbOrTx, ...entries: TimelineEntry[]): Promise<void> {
  if (!entries.length) return;
  await db.insert(timelineEvents).values(
    entries.map((e) => ({
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
    })),
  );
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
