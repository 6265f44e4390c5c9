import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { TASK_ASSIGNEE_ROLES } from '../../../domain/tasks.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import type { PatientAccess } from '../../platform/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { appendAudit } from '../../platform/audit/audit.service.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { users } from '../../platform/platform.tables.ts';
import { getUserInOrg } from '../../platform/users.service.ts';
import { careTeamMembers } from './patients.tables.ts';

/**
 * The patient's primary worker: the active care-team member who can be given tasks and whose team role says
 * primary, else the longest-standing such member; null when the team has none.
 */
export async function primaryWorkerOf(db: DbOrTx, patientId: string): Promise<string | null> {
  const [member] = await db
    .select({ id: users.id })
    .from(careTeamMembers)
    .innerJoin(users, eq(users.id, careTeamMembers.userId))
    .where(
      and(
        eq(careTeamMembers.patientId, patientId),
        isNull(careTeamMembers.removedAt),
        isNull(users.disabledAt),
        eq(users.kind, 'person'),
        inArray(users.role, [...TASK_ASSIGNEE_ROLES]),
      ),
    )
    .orderBy(sql`(${careTeamMembers.teamRole} ilike '%primary%') desc`, asc(careTeamMembers.addedAt))
    .limit(1);
  return member?.id ?? null;
}

/** The active members of a patient's care team, oldest first. */
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

/** Active people of the organisation, for pickers such as the care team. */
export async function directoryUsers(db: Db, organizationId: string) {
  return db
    .select({ id: users.id, displayName: users.displayName, role: users.role })
    .from(users)
    .where(and(eq(users.organizationId, organizationId), isNull(users.disabledAt), eq(users.kind, 'person')))
    .orderBy(asc(users.displayName));
}

/**
 * Puts a user on the patient's care team inside the caller's transaction unless they already are (a case
 * assignment does this), with its audit record. Returns the new membership, or null when already a member.
 */
export async function ensureCareTeamMember(
  tx: DbOrTx,
  access: PatientAccess,
  actor: Actor,
  userId: string,
  teamRole: string,
) {
  const [member] = await tx
    .insert(careTeamMembers)
    .values({
      organizationId: actor.organizationId,
      patientId: access.patient.id,
      userId,
      teamRole,
      addedBy: actor.userId,
    })
    .onConflictDoNothing()
    .returning();
  if (!member) return null;
  await appendAudit(
    tx,
    access.entry('care-team.add', {
      recordKind: 'care-team-member',
      recordId: member.id,
      detail: { userId },
    }),
  );
  return member;
}
