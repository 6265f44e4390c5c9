// Rows the needs tests build on, inserted directly: needs must not depend on the assessments routes.
import { newId } from '../../platform/ids.ts';
import type { TestContext } from '../../test/harness.ts';
import { assessments } from '../assessments/assessments.tables.ts';

type Patient = { id: string; organizationId: string };

/** A completed assessment of the patient (an AHC HRSN screen unless told otherwise), its own amendment root. */
export async function insertAssessment(
  t: TestContext,
  patient: Patient,
  worker: { id: string },
  over: Partial<typeof assessments.$inferInsert> = {},
) {
  const id = over.id ?? newId();
  const [row] = await t.database.db
    .insert(assessments)
    .values({
      id,
      organizationId: patient.organizationId,
      patientId: patient.id,
      instrumentId: 'ahc-hrsn',
      instrumentVersion: '1.0.0',
      status: 'completed',
      startedBy: worker.id,
      completedBy: worker.id,
      completedAt: new Date(),
      rootId: id,
      ...over,
    })
    .returning();
  return row!;
}
