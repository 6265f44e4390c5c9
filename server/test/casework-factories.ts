import { and, eq, isNull } from 'drizzle-orm';
import {
  type CloseReason,
  type ConsultReason,
  DEFAULT_CONSULT_TARGETS,
  firstContactDue,
  type Urgency,
} from '../../domain/casework.ts';
import type { CaseSource, CaseStatus } from '../../domain/workflows/case.ts';
import { cases, caseTransitions } from '../modules/cases/cases.tables.ts';
import { careTeamMembers, type patients } from '../modules/patients/patients.tables.ts';
import { organizations, type users } from '../platform/platform.tables.ts';
import { buildOrganization, buildPatient, buildUser, type TestContext } from './harness.ts';

type OrgRow = typeof organizations.$inferSelect;
type UserRow = typeof users.$inferSelect;
type PatientRow = typeof patients.$inferSelect;
export type CaseRow = typeof cases.$inferSelect;

/** States in which a case has a worker. */
const HELD: readonly CaseStatus[] = ['assigned', 'active'];

/** Puts a user on a patient's care team unless they already are. */
export async function joinCareTeam(t: TestContext, patient: PatientRow, user: UserRow): Promise<void> {
  const [already] = await t.database.db
    .select({ id: careTeamMembers.id })
    .from(careTeamMembers)
    .where(
      and(
        eq(careTeamMembers.patientId, patient.id),
        eq(careTeamMembers.userId, user.id),
        isNull(careTeamMembers.removedAt),
      ),
    );
  if (already) return;
  await t.database.db.insert(careTeamMembers).values({
    organizationId: patient.organizationId,
    patientId: patient.id,
    userId: user.id,
    teamRole: 'Social worker',
  });
}

/**
 * A case in any state, with its parents filled in when missing: the organisation (from the patient or the
 * worker, else a new one), the patient, and (for assigned, active, or closed with `worker`) the social worker
 * holding it, who is put on the care team. Written straight to the tables, as a case in that state would be.
 */
export async function buildCase(
  t: TestContext,
  over: {
    organization?: OrgRow;
    patient?: PatientRow;
    /** The worker holding the case; created for assigned and active cases when not given. */
    worker?: UserRow;
    status?: CaseStatus;
    urgency?: Urgency;
    reasonCode?: ConsultReason;
    reasonText?: string | null;
    source?: CaseSource;
    requestedBy?: UserRow;
    requestedAt?: Date;
    firstContactDueAt?: Date;
    firstContactAt?: Date | null;
    acuity?: number | null;
    closeReason?: CloseReason;
    encounterId?: string | null;
  } = {},
): Promise<{ case: CaseRow; patient: PatientRow; worker: UserRow | null; organization: OrgRow }> {
  const organization =
    over.organization ??
    (over.patient ? await organizationOf(t, over.patient) : undefined) ??
    (over.worker ? await organizationOf(t, over.worker) : undefined) ??
    (await buildOrganization(t));
  const status = over.status ?? 'new';
  const worker =
    over.worker ??
    (HELD.includes(status) ? await buildUser(t, { role: 'social_worker', organization }) : null);
  const patient = over.patient ?? (await buildPatient(t, { organization }));
  if (worker) await joinCareTeam(t, patient, worker);

  const urgency = over.urgency ?? 'urgent';
  const requestedAt = over.requestedAt ?? new Date(Date.now() - 10 * 60_000);
  const firstContactDueAt =
    over.firstContactDueAt ??
    firstContactDue(requestedAt, urgency, DEFAULT_CONSULT_TARGETS, organization.timeZone);
  const firstContactAt =
    over.firstContactAt !== undefined
      ? over.firstContactAt
      : status === 'active'
        ? new Date(requestedAt.getTime() + 5 * 60_000)
        : null;
  const now = new Date();
  const [row] = await t.database.db
    .insert(cases)
    .values({
      organizationId: organization.id,
      patientId: patient.id,
      encounterId: over.encounterId ?? null,
      status,
      source: over.source ?? 'consult',
      urgency,
      acuity: over.acuity ?? null,
      reasonCode: over.reasonCode ?? 'discharge-planning',
      reasonText: over.reasonText ?? null,
      requestedBy: over.requestedBy?.id ?? null,
      requestedAt,
      firstContactDueAt,
      firstContactAt,
      assignedTo: worker?.id ?? null,
      assignedAt: worker ? now : null,
      closedAt: status === 'closed' ? now : null,
      closeReason: status === 'closed' ? (over.closeReason ?? 'goals-met') : null,
    })
    .returning();
  await t.database.db.insert(caseTransitions).values({
    organizationId: organization.id,
    caseId: row!.id,
    action: 'open',
    fromStatus: null,
    toStatus: status,
    byUser:
      over.requestedBy?.id ?? worker?.id ?? (await buildUser(t, { role: 'clinician', organization })).id,
    at: requestedAt,
    toAssignee: worker?.id ?? null,
  });
  return { case: row!, patient, worker, organization };
}

/** The organisation a user or patient belongs to. */
async function organizationOf(t: TestContext, of: { organizationId: string }): Promise<OrgRow | undefined> {
  const [org] = await t.database.db
    .select()
    .from(organizations)
    .where(eq(organizations.id, of.organizationId));
  return org;
}
