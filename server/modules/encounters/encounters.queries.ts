import { and, desc, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Disposition, Encounter, EncounterClass } from '../../../domain/schemas/encounters.ts';
import type { DbOrTx } from '../../db/client.ts';
import { notFound } from '../../platform/errors.ts';
import { encounters } from './encounters.tables.ts';

type EncounterRow = typeof encounters.$inferSelect;

/** An encounter of the organisation, or 404. */
export async function encounterInOrganization(db: DbOrTx, organizationId: string, encounterId: string) {
  const [row] = await db
    .select()
    .from(encounters)
    .where(and(eq(encounters.id, encounterId), eq(encounters.organizationId, organizationId)));
  if (!row) throw notFound('encounter');
  return row;
}

/** The encounter with this visit number, for the ADT feed to update or discharge. */
export async function encounterByVisitNumber(db: DbOrTx, organizationId: string, visitNumber: string) {
  const [row] = await db
    .select()
    .from(encounters)
    .where(and(eq(encounters.organizationId, organizationId), eq(encounters.visitNumber, visitNumber)));
  return row ?? null;
}

/** A patient's visits, the latest first. */
export async function listEncounters(db: DbOrTx, patientId: string): Promise<EncounterRow[]> {
  return db
    .select()
    .from(encounters)
    .where(eq(encounters.patientId, patientId))
    .orderBy(desc(encounters.admittedAt), desc(encounters.id));
}

/** The patient's open visit, if any: an inpatient stay first, else the latest open one. */
export async function currentEncounter(db: DbOrTx, patientId: string): Promise<EncounterRow | null> {
  const [row] = await db
    .select()
    .from(encounters)
    .where(
      and(
        eq(encounters.patientId, patientId),
        isNull(encounters.dischargedAt),
        ne(encounters.status, 'cancelled'),
      ),
    )
    .orderBy(sql`(${encounters.encounterClass} = 'inpatient') desc`, desc(encounters.admittedAt))
    .limit(1);
  return row ?? null;
}

export function presentEncounter(row: EncounterRow): Encounter {
  return {
    id: row.id,
    patientId: row.patientId,
    encounterClass: row.encounterClass as EncounterClass,
    status: row.status,
    visitNumber: row.visitNumber,
    unit: row.unit,
    room: row.room,
    bed: row.bed,
    attendingName: row.attendingName,
    admittedAt: row.admittedAt.toISOString(),
    expectedDischargeOn: row.expectedDischargeOn,
    dischargedAt: row.dischargedAt?.toISOString() ?? null,
    disposition: (row.dischargeDisposition as Disposition | null) ?? null,
    source: row.source as 'manual' | 'adt',
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
