import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { ORGANISATION_WIDE_ROLES } from '../../../domain/roles.ts';
import type {
  Patient,
  PatientCreateRequest,
  PatientUpdateRequest,
} from '../../../domain/schemas/patients.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { type PatientAccess, type PatientRow, patientAbilities } from '../../platform/access.ts';
import { type Actor, auditActor, type RequestOrigin } from '../../platform/actor.ts';
import { appendAudit } from '../../platform/audit/audit.service.ts';
import { conflict, notFound, staleVersion } from '../../platform/errors.ts';
import { recordOnTimeline } from '../../platform/timeline/timeline.service.ts';
import { careTeamOf } from './care-team.service.ts';
import { duplicateAudit, findDuplicates } from './duplicates.service.ts';
import { careTeamMembers, patientContacts, patients } from './patients.tables.ts';

// Callers of other modules import the care team from here.
export {
  addCareTeamMember,
  careTeamOf,
  directoryUsers,
  ensureCareTeamMember,
  removeCareTeamMember,
} from './care-team.service.ts';

type CreateInput = z.infer<typeof PatientCreateRequest>;
type UpdateInput = z.infer<typeof PatientUpdateRequest>;

const mrnTaken = () =>
  conflict('mrn-taken', 'Another patient of this organisation has this MRN', {
    errors: [{ field: 'mrn', message: 'is already in use' }],
  });

/** Registers a patient; a creator who is not organisation-wide joins the care team, so they can open it. */
export async function createPatient(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  input: CreateInput,
): Promise<PatientRow> {
  const { confirmedNotDuplicate, ...fields } = input;
  const mrnInUse = async (tx: DbOrTx) => {
    const [taken] = await tx
      .select({ id: patients.id })
      .from(patients)
      .where(and(eq(patients.organizationId, actor.organizationId), eq(patients.mrn, input.mrn)));
    if (taken) throw mrnTaken();
  };
  if (!confirmedNotDuplicate) {
    await mrnInUse(db);
    const candidates = await db.transaction((tx) => findDuplicates(tx, actor, input));
    if (candidates.length) {
      await appendAudit(db, duplicateAudit(actor, origin, candidates));
      throw conflict('possible-duplicate', 'This patient may already be registered', { candidates });
    }
  }
  return db.transaction(async (tx) => {
    await mrnInUse(tx);
    const [patient] = await tx
      .insert(patients)
      .values({
        ...fields,
        organizationId: actor.organizationId,
        address: fields.address ?? null,
        primaryCareProvider: fields.primaryCareProvider ?? null,
        householdRecordedAt: fields.householdSize == null ? null : new Date(),
      })
      .returning();
    if (!ORGANISATION_WIDE_ROLES.includes(actor.role)) {
      await tx.insert(careTeamMembers).values({
        organizationId: actor.organizationId,
        patientId: patient!.id,
        userId: actor.userId,
        teamRole: actor.role === 'clinician' ? 'Clinician' : 'Social worker',
        addedBy: actor.userId,
      });
    }
    await appendAudit(tx, {
      ...auditActor(actor),
      action: 'patient.create',
      outcome: 'success',
      patientId: patient!.id,
      recordKind: 'patient',
      recordId: patient!.id,
      ip: origin.ip,
      userAgent: origin.userAgent,
      detail: confirmedNotDuplicate ? { confirmedNotDuplicate: true } : null,
    });
    await recordOnTimeline(tx, {
      organizationId: actor.organizationId,
      patientId: patient!.id,
      kind: 'patient',
      summary: 'Registered',
      actorId: actor.userId,
      recordId: patient!.id,
    });
    return patient!;
  });
}

/** Changes demographics; the audit record names the fields changed, never their values. */
export async function updatePatient(db: Db, access: PatientAccess, input: UpdateInput): Promise<PatientRow> {
  const { version, ...fields } = input;
  return db.transaction(async (tx) => {
    if (input.mrn && input.mrn !== access.patient.mrn) {
      const [taken] = await tx
        .select({ id: patients.id })
        .from(patients)
        .where(and(eq(patients.organizationId, access.patient.organizationId), eq(patients.mrn, input.mrn)));
      if (taken) throw mrnTaken();
    }
    const codeStatusChanged =
      fields.codeStatus !== undefined && fields.codeStatus !== access.patient.codeStatus;
    const householdChanged =
      fields.householdSize !== undefined &&
      (fields.householdSize !== access.patient.householdSize ||
        fields.householdIncome !== access.patient.householdIncome);
    const [patient] = await tx
      .update(patients)
      .set({
        ...fields,
        ...(codeStatusChanged ? { codeStatusRecordedAt: new Date() } : {}),
        ...(householdChanged
          ? { householdRecordedAt: fields.householdSize === null ? null : new Date() }
          : {}),
        version: sql`${patients.version} + 1`,
        updatedAt: new Date(),
      })
      .where(and(eq(patients.id, access.patient.id), eq(patients.version, version)))
      .returning();
    if (!patient) {
      const [current] = await tx
        .select({ version: patients.version })
        .from(patients)
        .where(eq(patients.id, access.patient.id));
      throw staleVersion(current?.version ?? access.patient.version);
    }
    await appendAudit(
      tx,
      access.entry('patient.update', {
        recordKind: 'patient',
        recordId: access.patient.id,
        detail: { fields: Object.keys(fields) },
      }),
    );
    return patient!;
  });
}

/** Legal guardians and personal representatives among the patient's active contacts. */
export async function legalRepresentativesOf(db: DbOrTx, patientId: string) {
  return db
    .select({
      id: patientContacts.id,
      name: patientContacts.name,
      relationship: patientContacts.relationship,
      isLegalGuardian: patientContacts.isLegalGuardian,
      isPersonalRepresentative: patientContacts.isPersonalRepresentative,
      phones: patientContacts.phones,
    })
    .from(patientContacts)
    .where(
      and(
        eq(patientContacts.patientId, patientId),
        isNull(patientContacts.retiredAt),
        or(eq(patientContacts.isLegalGuardian, true), eq(patientContacts.isPersonalRepresentative, true)),
      ),
    )
    .orderBy(asc(patientContacts.createdAt));
}

/** Finds a patient id by exact MRN in the actor's organisation, so that emergency access can be asked for. */
export async function lookupByMrn(db: Db, actor: Actor, origin: RequestOrigin, mrn: string): Promise<string> {
  const [row] = await db
    .select({ id: patients.id })
    .from(patients)
    .where(
      and(
        eq(patients.organizationId, actor.organizationId),
        eq(patients.mrn, mrn),
        isNull(patients.retiredAt),
      ),
    );
  await appendAudit(db, {
    ...auditActor(actor),
    action: 'patient.lookup-mrn',
    outcome: row ? 'success' : 'failure',
    patientId: row?.id ?? null,
    recordKind: 'patient',
    recordId: row?.id ?? null,
    ip: origin.ip,
    userAgent: origin.userAgent,
  });
  if (!row) throw notFound('patient with this MRN');
  return row.id;
}

/** The full patient as the API shows it, with the care team and the actor's abilities. */
export async function presentPatient(db: Db, actor: Actor, access: PatientAccess): Promise<Patient> {
  const [team, representatives] = await Promise.all([
    careTeamOf(db, access.patient.id),
    legalRepresentativesOf(db, access.patient.id),
  ]);
  const p = access.patient;
  return {
    id: p.id,
    mrn: p.mrn,
    familyName: p.familyName,
    givenName: p.givenName,
    middleName: p.middleName,
    preferredName: p.preferredName,
    birthDate: p.birthDate,
    sex: p.sex as Patient['sex'],
    genderIdentity: p.genderIdentity,
    pronouns: p.pronouns,
    preferredLanguage: p.preferredLanguage,
    interpreterNeeded: p.interpreterNeeded,
    address: (p.address as Patient['address']) ?? null,
    phones: (p.phones as Patient['phones']) ?? [],
    insurance: (p.insurance as Patient['insurance']) ?? [],
    primaryCareProvider: (p.primaryCareProvider as Patient['primaryCareProvider']) ?? null,
    codeStatus: p.codeStatus,
    codeStatusRecordedAt: p.codeStatusRecordedAt?.toISOString() ?? null,
    householdSize: p.householdSize,
    householdIncome: p.householdIncome,
    householdRecordedAt: p.householdRecordedAt?.toISOString() ?? null,
    legalRepresentatives: representatives.map((r) => ({
      ...r,
      phones: (r.phones as Patient['phones']) ?? [],
    })),
    version: p.version,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    careTeam: team.map((t) => ({
      id: t.member.id,
      userId: t.member.userId,
      displayName: t.displayName,
      role: t.role,
      teamRole: t.member.teamRole,
      addedAt: t.member.addedAt.toISOString(),
    })),
    abilities: patientAbilities(actor, access.relation),
    emergencyAccessUntil:
      access.emergency && access.relation.emergencyUntil
        ? access.relation.emergencyUntil.toISOString()
        : null,
  };
}
