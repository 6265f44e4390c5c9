import { and, asc, eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.ts';
import type { Actor, RequestOrigin } from '../../platform/actor.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { users } from '../../platform/platform.tables.ts';
import { auditDirectory, loadOrganization } from './directory.service.ts';
import { PARTNER_ROLE } from './resources.policy.ts';
import { directoryPartnerMembers } from './resources.tables.ts';

/**
 * Partner accounts: users of role community_partner who answer a directory organisation's referrals in their
 * inbox (directory_partner_members). Admins link and unlink them.
 */

/** The partner accounts of a directory organisation. */
export async function listPartners(db: DbOrTx, organizationId: string, directoryOrganizationId: string) {
  await loadOrganization(db, organizationId, directoryOrganizationId);
  const rows = await db
    .select({
      userId: users.id,
      displayName: users.displayName,
      email: users.email,
      addedAt: directoryPartnerMembers.addedAt,
    })
    .from(directoryPartnerMembers)
    .innerJoin(users, eq(users.id, directoryPartnerMembers.userId))
    .where(eq(directoryPartnerMembers.directoryOrganizationId, directoryOrganizationId))
    .orderBy(asc(users.displayName));
  return rows.map((r) => ({ ...r, addedAt: r.addedAt.toISOString() }));
}

/** Lets a community_partner user of the tenant answer the organisation's referrals; 409 when already linked. */
export async function addPartner(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  directoryOrganizationId: string,
  userId: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    await loadOrganization(tx, actor.organizationId, directoryOrganizationId);
    const [user] = await tx
      .select({ role: users.role, disabledAt: users.disabledAt })
      .from(users)
      .where(and(eq(users.id, userId), eq(users.organizationId, actor.organizationId)));
    if (!user) throw invalid([{ field: 'userId', message: 'is not a user of this organisation' }]);
    if (user.role !== PARTNER_ROLE) {
      throw invalid([{ field: 'userId', message: `must be a user with the role ${PARTNER_ROLE}` }]);
    }
    const inserted = await tx
      .insert(directoryPartnerMembers)
      .values({ organizationId: actor.organizationId, userId, directoryOrganizationId })
      .onConflictDoNothing()
      .returning();
    if (inserted.length === 0)
      throw conflict('partner-exists', 'This user already answers for this organisation');
    await auditDirectory(
      tx,
      actor,
      origin,
      'directory.partner.add',
      'directory_organization',
      directoryOrganizationId,
      {
        userId,
      },
    );
  });
}

export async function removePartner(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  directoryOrganizationId: string,
  userId: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    await loadOrganization(tx, actor.organizationId, directoryOrganizationId);
    const removed = await tx
      .delete(directoryPartnerMembers)
      .where(
        and(
          eq(directoryPartnerMembers.directoryOrganizationId, directoryOrganizationId),
          eq(directoryPartnerMembers.userId, userId),
        ),
      )
      .returning();
    if (removed.length === 0) throw notFound('partner account');
    await auditDirectory(
      tx,
      actor,
      origin,
      'directory.partner.remove',
      'directory_organization',
      directoryOrganizationId,
      {
        userId,
      },
    );
  });
}
