import { and, eq, isNull, type SQL, sql } from 'drizzle-orm';
import { ORGANISATION_WIDE_ROLES, type Role } from '../../domain/roles.ts';
import type { Db, DbOrTx } from '../db/client.ts';
import { careTeamMembers, patients } from '../modules/patients/patients.tables.ts';
import { type Actor, auditActor, type RequestOrigin } from './actor.ts';
import { type AuditEntry, appendAudit } from './audit/audit.service.ts';
import { forbidden, notFound } from './errors.ts';
import { emergencyAccess } from './platform.tables.ts';

export type PatientAction = 'read' | 'update' | 'manageCareTeam';

/** What the policy needs to know about the actor's relation to one patient. */
export interface PatientRelation {
  onCareTeam: boolean;
  emergencyUntil: Date | null;
}

const WRITERS: readonly Role[] = ['admin', 'supervisor', 'social_worker', 'clinician'];
/** Roles that may break the glass; community partners only ever see what a referral shares with them. */
const MAY_BREAK_GLASS: readonly Role[] = ['social_worker', 'clinician', 'read_only', 'supervisor', 'admin'];

/**
 * The patient policy. A user reads a patient's records when on the care team, as supervisor or admin of the
 * organisation, or under a live emergency access grant; writes also need a role that writes.
 */
const patientPolicy: Record<PatientAction, (actor: Actor, rel: PatientRelation) => boolean> = {
  read: (actor, rel) =>
    ORGANISATION_WIDE_ROLES.includes(actor.role) || rel.onCareTeam || rel.emergencyUntil !== null,
  update: (actor, rel) => WRITERS.includes(actor.role) && patientPolicy.read(actor, rel),
  manageCareTeam: (actor, rel) =>
    ORGANISATION_WIDE_ROLES.includes(actor.role) || (actor.role === 'social_worker' && rel.onCareTeam),
};

const policies = { patient: patientPolicy } as const;
type Policies = typeof policies;

/** The one question every route asks: may this actor do this action on this record? */
export function can<K extends keyof Policies>(
  actor: Actor,
  kind: K,
  action: keyof Policies[K],
  record: PatientRelation,
): boolean {
  const rule = policies[kind][action] as (a: Actor, r: PatientRelation) => boolean;
  return rule(actor, record);
}

/** Every ability of the actor on a patient, for the UI to show or hide actions. */
export const patientAbilities = (actor: Actor, rel: PatientRelation) => ({
  read: can(actor, 'patient', 'read', rel),
  update: can(actor, 'patient', 'update', rel),
  manageCareTeam: can(actor, 'patient', 'manageCareTeam', rel),
});

export const mayBreakGlass = (actor: Actor) => MAY_BREAK_GLASS.includes(actor.role);

/** Patients the actor may list: organisation-wide roles see all, others their care-team patients. */
export function patientScope(actor: Actor): SQL {
  const inOrg = and(eq(patients.organizationId, actor.organizationId), isNull(patients.retiredAt))!;
  if (ORGANISATION_WIDE_ROLES.includes(actor.role)) return inOrg;
  return and(
    inOrg,
    // `= any(array(...))` makes the planner fetch the few care-team patients by primary key; an EXISTS
    // semi-join scanned every patient of the organisation (docs/performance.md).
    sql`${patients.id} = any(array(select ${careTeamMembers.patientId} from ${careTeamMembers} where ${careTeamMembers.userId} = ${actor.userId} and ${careTeamMembers.removedAt} is null))`,
  )!;
}

export type PatientRow = typeof patients.$inferSelect;

export interface PatientAccess {
  patient: PatientRow;
  relation: PatientRelation;
  /** True when only an emergency grant lets the actor in: every audit record of this access is flagged. */
  emergency: boolean;
  /** An audit entry for this patient and actor, flagged when under emergency access. */
  entry(action: string, extra?: Partial<AuditEntry>): AuditEntry;
}

/**
 * Loads a patient of the actor's organisation and checks the policy, in one place for every route:
 * another organisation's patient is a 404, a refusal is a 403 that is audited. A successful read is audited
 * here as `readAs`; writes add their own audit record, in their transaction, through `entry()`.
 */
export async function requirePatient(
  db: DbOrTx,
  actor: Actor,
  origin: RequestOrigin,
  patientId: string,
  action: PatientAction,
  readAs?: { action: string; recordKind: string; recordId?: string | null; detail?: Record<string, unknown> },
): Promise<PatientAccess> {
  // The patient and the actor's relation to it in one round trip: this runs on every chart request.
  const [row] = await db
    .select({
      patient: patients,
      // Parameters, not column references: drizzle leaves columns unqualified in single-table queries.
      onCareTeam: sql<boolean>`exists(select 1 from care_team_members c where c.patient_id = ${patientId} and c.user_id = ${actor.userId} and c.removed_at is null)`,
      emergencyUntil: sql<
        string | Date | null
      >`(select max(g.expires_at) from emergency_access g where g.patient_id = ${patientId} and g.user_id = ${actor.userId} and g.expires_at > now())`,
    })
    .from(patients)
    .where(
      and(
        eq(patients.id, patientId),
        eq(patients.organizationId, actor.organizationId),
        isNull(patients.retiredAt),
      ),
    );
  if (!row) throw notFound('patient');
  const { patient } = row;
  const relation: PatientRelation = {
    onCareTeam: Boolean(row.onCareTeam),
    emergencyUntil: row.emergencyUntil ? new Date(row.emergencyUntil) : null,
  };
  const baseline = patientPolicy[action](actor, { ...relation, emergencyUntil: null });
  const emergency = !baseline && relation.emergencyUntil !== null;
  const entry = (auditAction: string, extra: Partial<AuditEntry> = {}): AuditEntry => ({
    ...auditActor(actor),
    action: auditAction,
    outcome: 'success',
    patientId,
    ip: origin.ip,
    userAgent: origin.userAgent,
    emergency,
    ...extra,
  });
  if (!can(actor, 'patient', action, relation)) {
    await appendAudit(
      db,
      entry(readAs?.action ?? `patient.${action}`, {
        outcome: 'denied',
        recordKind: readAs?.recordKind ?? 'patient',
        recordId: readAs?.recordId ?? patientId,
      }),
    );
    throw forbidden("You are not on this patient's care team", {
      emergencyAccessAvailable: mayBreakGlass(actor),
    });
  }
  if (readAs) {
    await appendAudit(
      db,
      entry(readAs.action, {
        recordKind: readAs.recordKind,
        recordId: readAs.recordId ?? null,
        detail: readAs.detail ?? null,
      }),
    );
  }
  return { patient, relation, emergency, entry };
}

/** Grants the actor one hour of access to a patient outside their care team, for a stated reason. */
export async function breakTheGlass(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  patientId: string,
  reason: string,
) {
  const [patient] = await db
    .select({ id: patients.id })
    .from(patients)
    .where(
      and(
        eq(patients.id, patientId),
        eq(patients.organizationId, actor.organizationId),
        isNull(patients.retiredAt),
      ),
    );
  if (!patient) throw notFound('patient');
  if (!mayBreakGlass(actor)) throw forbidden('Your role cannot use emergency access');
  const expiresAt = new Date(Date.now() + 60 * 60_000);
  // The grant and its audit record commit together: no access is ever opened unrecorded.
  return db.transaction(async (tx) => {
    const [grant] = await tx
      .insert(emergencyAccess)
      .values({ organizationId: actor.organizationId, userId: actor.userId, patientId, reason, expiresAt })
      .returning();
    await appendAudit(tx, {
      ...auditActor(actor),
      action: 'emergency-access.grant',
      outcome: 'success',
      patientId,
      recordKind: 'emergency-access',
      recordId: grant!.id,
      ip: origin.ip,
      userAgent: origin.userAgent,
      reason,
      emergency: true,
    });
    return grant!;
  });
}

/** Grants not yet reviewed by a supervisor (or all of them), newest first. */
export function emergencyAccessFilter(organizationId: string, pendingOnly: boolean): SQL {
  return and(
    eq(emergencyAccess.organizationId, organizationId),
    pendingOnly ? isNull(emergencyAccess.reviewedAt) : undefined,
  )!;
}
