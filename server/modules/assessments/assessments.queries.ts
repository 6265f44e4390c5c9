import { and, asc, desc, eq, gte, inArray, isNull, ne, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { AssessmentListQuery } from '../../../domain/schemas/assessments.ts';
import type { DbOrTx } from '../../db/client.ts';
import { notFound } from '../../platform/errors.ts';
import { users } from '../../platform/platform.tables.ts';
import { assessments } from './assessments.tables.ts';

export type AssessmentRow = typeof assessments.$inferSelect;
export type PersonRef = { id: string; displayName: string };

/** An assessment of the organisation, or 404 (another organisation's is not found either). */
export async function loadAssessment(
  db: DbOrTx,
  organizationId: string,
  assessmentId: string,
): Promise<AssessmentRow> {
  const [row] = await db
    .select()
    .from(assessments)
    .where(and(eq(assessments.id, assessmentId), eq(assessments.organizationId, organizationId)));
  if (!row) throw notFound('assessment');
  return row;
}

/** Display names of users, by id, in one query. */
export async function namesOf(
  db: DbOrTx,
  ids: (string | null | undefined)[],
): Promise<Map<string, PersonRef>> {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  if (!wanted.length) return new Map();
  const rows = await db
    .select({ id: users.id, displayName: users.displayName })
    .from(users)
    .where(inArray(users.id, wanted));
  return new Map(rows.map((r) => [r.id, r]));
}

/** The person for an id, from names looked up with `namesOf`. */
export const personOf = (names: Map<string, PersonRef>, id: string): PersonRef =>
  names.get(id) ?? { id, displayName: 'Unknown user' };

type ListQuery = z.infer<typeof AssessmentListQuery>;

function listFilter(patientId: string, q: ListQuery): SQL {
  return and(
    eq(assessments.patientId, patientId),
    q.instrument ? eq(assessments.instrumentId, q.instrument) : undefined,
    // Discarded drafts are clutter: listed only when asked for by status.
    q.status === 'all' ? ne(assessments.status, 'discarded') : eq(assessments.status, q.status),
    q.includeSuperseded ? undefined : isNull(assessments.supersededById),
  )!;
}

/** One page of a patient's assessments, the latest started first. */
export async function listPatientAssessments(db: DbOrTx, patientId: string, q: ListQuery) {
  const where = listFilter(patientId, q);
  const [rows, [count]] = await Promise.all([
    db
      .select()
      .from(assessments)
      .where(where)
      .orderBy(desc(assessments.startedAt), desc(assessments.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: sql<number>`count(*)::int` }).from(assessments).where(where),
  ]);
  return { rows, total: count?.n ?? 0 };
}

/** A patient's completed, current (not superseded) scores of one instrument, oldest first. */
export async function trendRows(db: DbOrTx, patientId: string, instrumentId: string, from?: string) {
  return db
    .select({
      id: assessments.id,
      completedAt: assessments.completedAt,
      score: assessments.score,
      band: assessments.band,
      version: assessments.instrumentVersion,
    })
    .from(assessments)
    .where(
      and(
        eq(assessments.patientId, patientId),
        eq(assessments.instrumentId, instrumentId),
        eq(assessments.status, 'completed'),
        isNull(assessments.supersededById),
        sql`${assessments.score} is not null`,
        from ? gte(assessments.completedAt, new Date(`${from}T00:00:00Z`)) : undefined,
      ),
    )
    .orderBy(asc(assessments.completedAt), asc(assessments.id));
}
