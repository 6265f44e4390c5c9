import { and, asc, eq, ilike, isNull, or, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { ORGANISATION_WIDE_ROLES } from '../../../domain/roles.ts';
import type {
  Patient,
  PatientCreateRequest,
  PatientUpdateRequest,
} from '../../../domain/schemas/patients.ts';
import type { Db } from '../../db/client.ts';
import {
  type PatientAccess,
  type PatientRow,
  patientAbilities,
  patientScope,
} from '../../platform/access.ts';
import { type Actor, auditActor, type RequestOrigin } from '../../platform/actor.ts';
import { appendAudit } from '../../platform/audit/audit.service.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { users } from '../../platform/platform.tables.ts';
import { escapeLike, getUserInOrg } from '../../platform/users.service.ts';
import { careTeamMembers, patientNameKey, patients } from './patients.tables.ts';

type CreateInput = z.infer<typeof PatientCreateRequest>;
type UpdateInput = z.infer<typeof PatientUpdateRequest>;

const mrnTaken = () =>
  conflict('mrn-taken', 'Another patient of this organisation has this MRN', {
    errors: [{ field: 'mrn', message: 'is already in use' }],
  });

/** "Smith, John" and "john  smith" search alike. */
const nameTerm = (term: string) => term.toLowerCase().replace(/,/g, ' ').replace(/\s+/g, ' ').trim();

/** The patients the actor may see, searched by name or MRN, one page at a time. */
export async function listPatients(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  q: { q?: string | undefined; page: number; pageSize: number },
) {
  const term = q.q?.trim();
  const where = and(
    patientScope(actor),
    term
      ? or(
          eq(patients.mrn, term),
          ilike(patientNameKey(patients.familyName, patients.givenName), `%${escapeLike(nameTerm(term))}%`),
        )
      : undefined,
  );
  const [items, [count]] = await Promise.all([
    db
      .select()
      .from(patients)
      .where(where)
      // The order of patients_org_name_idx, so that an organisation-wide list reads the index in order.
      .orderBy(
        asc(sql`lower(${patients.familyName})`),
        asc(sql`lower(${patients.givenName})`),
        asc(patients.id),
      )
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: sql<number>`count(*)::int` }).from(patients).where(where),
  ]);
  if (items.length) {
    await appendAudit(db, {
      ...auditActor(actor),
      action: 'patient.list',
      outcome: 'success',
      recordKind: 'patient',
      ip: origin.ip,
      userAgent: origin.userAgent,
      detail: { patientIds: items.map((p) => p.id), searched: Boolean(term) },
    });
  }
  return { items, total: count?.n ?? 0 };
}

/** Registers a patient; a creator who is not organisation-wide joins the care team, so they can open it. */
export async function createPatient(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  input: CreateInput,
): Promise<PatientRow> {
  return db.transaction(async (tx) => {
    const [taken] = await tx
      .select({ id: patients.id })
      .from(patients)
      .where(and(eq(patients.organizationId, actor.organizationId), eq(patients.mrn, input.mrn)));
    if (taken) throw mrnTaken();
    const [patient] = await tx
      .insert(patients)
      .values({ ...input, organizationId: actor.organizationId, address: input.address ?? null })
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
    });
    return patient!;
  });
}

/** Changes demographics; the audit record names the fields changed, never their values. */
export async function updatePatient(db: Db, access: PatientAccess, input: UpdateInput): Promise<PatientRow> {
  return db.transaction(async (tx) => {
    if (input.mrn && input.mrn !== access.patient.mrn) {
      const [taken] = await tx
        .select({ id: patients.id })
        .from(patients)
        .where(and(eq(patients.organizationId, access.patient.organizationId), eq(patients.mrn, input.mrn)));
      if (taken) throw mrnTaken();
    }
    const [patient] = await tx
      .update(patients)
      .set({ ...input, updatedAt: new Date() })
      .where(eq(patients.id, access.patient.id))
      .returning();
    await appendAudit(
      tx,
      access.entry('patient.update', {
        recordKind: 'patient',
        recordId: access.patient.id,
        detail: { fields: Object.keys(input) },
      }),
    );
    return patient!;
  });
}

export async function careTeamOf(db: Db, patientId: string) {
  return db
    .select({ member: careTeamMembers, displayName: users.displayName, role: users.role })
    .from(careTeamMembers)
    .innerJoin(users, eq(users.id, careTeamMembers.userId))
    .where(and(eq(careTeamMembers.patientId, patientId), isNull(careTeamMembers.removedAt)))
    .orderBy(asc(careTeamMembers.addedAt));
}

export async function addCareTeamMember(
  db: Db,
  access: PatientAccess,
  actor: Actor,
  userId: string,
  teamRole: string,
) {
  const user = await getUserInOrg(db, actor.organizationId, userId);
  if (user.disabledAt || user.kind !== 'person')
    throw conflict('user-unavailable', 'This user cannot join a care team');
  return db.transaction(async (tx) => {
    const [already] = await tx
      .select({ id: careTeamMembers.id })
      .from(careTeamMembers)
      .where(
        and(
          eq(careTeamMembers.patientId, access.patient.id),
          eq(careTeamMembers.userId, userId),
          isNull(careTeamMembers.removedAt),
        ),
      );
    if (already) throw conflict('already-on-care-team', 'This user is already on the care team');
    const [member] = await tx
      .insert(careTeamMembers)
      .values({
        organizationId: actor.organizationId,
        patientId: access.patient.id,
        userId,
        teamRole,
        addedBy: actor.userId,
      })
      .returning();
    await appendAudit(
      tx,
      access.entry('care-team.add', {
        recordKind: 'care-team-member',
        recordId: member!.id,
        detail: { userId },
      }),
    );
    return member!;
  });
}

export async function removeCareTeamMember(
  db: Db,
  access: PatientAccess,
  actor: Actor,
  memberId: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    const [member] = await tx
      .update(careTeamMembers)
      .set({ removedAt: new Date(), removedBy: actor.userId })
      .where(
        and(
          eq(careTeamMembers.id, memberId),
          eq(careTeamMembers.patientId, access.patient.id),
          isNull(careTeamMembers.removedAt),
        ),
      )
      .returning();
    if (!member) throw notFound('care team member');
    await appendAudit(
      tx,
      access.entry('care-team.remove', {
        recordKind: 'care-team-member',
        recordId: member.id,
        detail: { userId: member.userId },
      }),
    );
  });
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
  const team = await careTeamOf(db, access.patient.id);
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

/** Active people of the organisation, for pickers such as the care team. */
export async function directoryUsers(db: Db, organizationId: string) {
  return db
    .select({ id: users.id, displayName: users.displayName, role: users.role })
    .from(users)
    .where(and(eq(users.organizationId, organizationId), isNull(users.disabledAt), eq(users.kind, 'person')))
    .orderBy(asc(users.displayName));
}
