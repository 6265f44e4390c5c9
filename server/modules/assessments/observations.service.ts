import { and, eq, isNull } from 'drizzle-orm';
import type { Instrument } from '../../../domain/instruments/index.ts';
import { buildObservations } from '../../../domain/instruments/observations.ts';
import type { DbOrTx } from '../../db/client.ts';
import { newId } from '../../platform/ids.ts';
import type { AssessmentRow } from './assessments.queries.ts';
import { observations } from './assessments.tables.ts';

/**
 * Stores a completed screen's FHIR Observations in the caller's transaction: `final`, or `amended` for an
 * amendment. The columns repeat the code and value of each resource for queries; `resource` is the export.
 */
export async function storeObservations(
  tx: DbOrTx,
  row: AssessmentRow,
  instrument: Instrument,
): Promise<void> {
  if (!row.result || !row.completedAt) return;
  const resources = buildObservations({
    instrument,
    answers: row.answers,
    result: row.result,
    patientId: row.patientId,
    encounterId: row.encounterId,
    assessmentId: row.id,
    effectiveAt: row.completedAt,
    status: row.amendsId ? 'amended' : 'final',
  });
  if (!resources.length) return;
  await tx.insert(observations).values(
    resources.map((resource) => {
      const id = newId();
      const code = resource.code.coding[0]!;
      return {
        id,
        organizationId: row.organizationId,
        patientId: row.patientId,
        assessmentId: row.id,
        encounterId: row.encounterId,
        status: resource.status,
        codeSystem: code.system,
        code: code.code,
        display: code.display,
        valueInteger: resource.valueInteger ?? null,
        valueCode: resource.valueCodeableConcept?.coding[0]?.code ?? null,
        effectiveAt: row.completedAt!,
        resource: { id, ...resource },
      };
    }),
  );
}

/** Marks an amended assessment's Observations superseded; they stay for the record. */
export async function supersedeObservations(tx: DbOrTx, assessmentId: string, at: Date): Promise<void> {
  await tx
    .update(observations)
    .set({ supersededAt: at })
    .where(and(eq(observations.assessmentId, assessmentId), isNull(observations.supersededAt)));
}
