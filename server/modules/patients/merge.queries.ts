import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { PatientMerge } from '../../../domain/schemas/patients.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { notFound } from '../../platform/errors.ts';
import { users } from '../../platform/platform.tables.ts';
import { countsOf, linkedTables } from './merge.service.ts';
import { patientMerges, patients } from './patients.tables.ts';

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

/** How many records of each linked table belong to a patient: what a merge of it would move. */
export async function linkedCounts(db: Db, patientId: string): Promise<Record<string, number>> {
  return db.transaction(async (tx) => {
    const result: Record<string, number> = {};
    for (const table of await linkedTables(tx)) {
      const [row] = rowsOf<{ n: number }>(
        await tx.execute(
          sql`select count(*)::int as n from ${sql.identifier(table)} where patient_id = ${patientId}`,
        ),
      );
      if (row && Number(row.n) > 0) result[table] = Number(row.n);
    }
    return result;
  });
}

const survivorP = alias(patients, 'survivor');
const mergedP = alias(patients, 'merged');
const merger = alias(users, 'merger');
const undoer = alias(users, 'undoer');

/** Merges of the organisation, newest first, or one of them. */
export async function listMerges(
  db: Db,
  organizationId: string,
  q: { page: number; pageSize: number; mergeId?: string },
): Promise<{ items: PatientMerge[]; total: number }> {
  const where = and(
    eq(patientMerges.organizationId, organizationId),
    q.mergeId ? eq(patientMerges.id, q.mergeId) : undefined,
  );
  const side = (p: typeof survivorP | typeof mergedP) => ({
    id: p.id,
    mrn: p.mrn,
    familyName: p.familyName,
    givenName: p.givenName,
    birthDate: p.birthDate,
  });
  const [rows, [count]] = await Promise.all([
    db
      .select({
        merge: patientMerges,
        survivor: side(survivorP),
        merged: side(mergedP),
        mergedByName: merger.displayName,
        undoneByName: undoer.displayName,
      })
      .from(patientMerges)
      .innerJoin(survivorP, eq(survivorP.id, patientMerges.survivorId))
      .innerJoin(mergedP, eq(mergedP.id, patientMerges.mergedId))
      .innerJoin(merger, eq(merger.id, patientMerges.mergedBy))
      .leftJoin(undoer, eq(undoer.id, patientMerges.undoneBy))
      .where(where)
      .orderBy(desc(patientMerges.mergedAt), desc(patientMerges.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: sql<number>`count(*)::int` }).from(patientMerges).where(where),
  ]);
  const now = new Date();
  return {
    items: rows.map(({ merge, survivor, merged, mergedByName, undoneByName }) => ({
      id: merge.id,
      survivor,
      merged,
      moved: countsOf(merge.moved as Record<string, string[]>),
      reason: merge.reason,
      mergedByName,
      mergedAt: merge.mergedAt.toISOString(),
      undoableUntil: merge.undoableUntil.toISOString(),
      undoneAt: merge.undoneAt?.toISOString() ?? null,
      undoneByName,
      undoReason: merge.undoReason,
      undoable: !merge.undoneAt && merge.undoableUntil > now,
    })),
    total: count?.n ?? 0,
  };
}

/** The live record with this MRN in the organisation, for picking the two records of a merge. */
export async function patientIdByMrn(db: DbOrTx, organizationId: string, mrn: string): Promise<string> {
  const [row] = await db
    .select({ id: patients.id })
    .from(patients)
    .where(
      and(eq(patients.organizationId, organizationId), eq(patients.mrn, mrn), isNull(patients.retiredAt)),
    );
  if (!row) throw notFound('patient with this MRN');
  return row.id;
}
