import { and, asc, eq, ilike, inArray, isNotNull, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { PostAcuteKind } from '../../../domain/placement.ts';
import type {
  PostAcuteListQuery,
  PostAcuteProfile,
  PostAcuteProfileWrite,
} from '../../../domain/schemas/placement.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import type { Actor, RequestOrigin } from '../../platform/actor.ts';
import { notFound } from '../../platform/errors.ts';
import { auditDirectory } from '../resources/directory.service.ts';
import { directoryOrganizations, directoryServices } from '../resources/resources.tables.ts';
import { postAcuteRatings } from './discharge.tables.ts';

/*
 * Post-acute providers are directory services with a post-acute kind, capabilities, the hospital's financial
 * interest (if any) and quality ratings held as data (post_acute_ratings, CMS Care Compare style). Admins edit
 * them here; the rest of the service is the directory's.
 */

type Profile = z.infer<typeof PostAcuteProfile>;

async function present(db: DbOrTx, where: SQL | undefined, limit = 200): Promise<Profile[]> {
  const rows = await db
    .select({
      serviceId: directoryServices.id,
      name: directoryServices.name,
      organizationName: directoryOrganizations.name,
      status: directoryServices.status,
      kind: directoryServices.postAcuteKind,
      capabilities: directoryServices.postAcuteCapabilities,
      financialInterest: directoryServices.postAcuteFinancialInterest,
    })
    .from(directoryServices)
    .innerJoin(
      directoryOrganizations,
      eq(directoryOrganizations.id, directoryServices.directoryOrganizationId),
    )
    .where(where)
    .orderBy(asc(directoryServices.name), asc(directoryServices.id))
    .limit(limit);
  if (!rows.length) return [];
  const ratings = await db
    .select()
    .from(postAcuteRatings)
    .where(
      inArray(
        postAcuteRatings.serviceId,
        rows.map((r) => r.serviceId),
      ),
    )
    .orderBy(asc(postAcuteRatings.measure));
  return rows.map((r) => ({
    ...r,
    kind: r.kind as PostAcuteKind | null,
    ratings: ratings
      .filter((x) => x.serviceId === r.serviceId)
      .map((x) => ({ measure: x.measure, value: x.value, scale: x.scale, source: x.source, asOf: x.asOf })),
  }));
}

/** The post-acute providers of the directory (of one kind), or any service whose name matches `q`. */
export async function listPostAcuteProviders(
  db: DbOrTx,
  organizationId: string,
  q: z.infer<typeof PostAcuteListQuery>,
): Promise<Profile[]> {
  return present(
    db,
    and(
      eq(directoryServices.organizationId, organizationId),
      q.kind
        ? eq(directoryServices.postAcuteKind, q.kind)
        : q.q
          ? undefined
          : isNotNull(directoryServices.postAcuteKind),
      q.q ? ilike(directoryServices.name, `%${q.q.replace(/[\\%_]/g, '\\$&')}%`) : undefined,
    ),
    q.q ? 50 : 500,
  );
}

/** One service's post-acute profile, or 404. */
export async function postAcuteProfileOf(db: DbOrTx, organizationId: string, serviceId: string) {
  const [profile] = await present(
    db,
    and(eq(directoryServices.organizationId, organizationId), eq(directoryServices.id, serviceId)),
  );
  if (!profile) throw notFound('service');
  return profile;
}

/**
 * Sets a service's post-acute kind, capabilities, financial interest and ratings (the ratings sent replace
 * those held; a null kind makes it an ordinary service again and drops its ratings). Audited as a directory edit.
 */
export async function savePostAcuteProfile(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  serviceId: string,
  input: z.infer<typeof PostAcuteProfileWrite>,
): Promise<Profile> {
  await postAcuteProfileOf(db, actor.organizationId, serviceId);
  await db.transaction(async (tx) => {
    const now = new Date();
    await tx
      .update(directoryServices)
      .set({
        postAcuteKind: input.kind,
        postAcuteCapabilities: input.kind ? [...new Set(input.capabilities)].sort() : [],
        postAcuteFinancialInterest: input.kind ? input.financialInterest || null : null,
        updatedBy: actor.userId,
        updatedAt: now,
      })
      .where(eq(directoryServices.id, serviceId));
    await tx.delete(postAcuteRatings).where(eq(postAcuteRatings.serviceId, serviceId));
    const ratings = input.kind ? input.ratings : [];
    if (ratings.length) {
      await tx.insert(postAcuteRatings).values(
        ratings.map((r) => ({
          organizationId: actor.organizationId,
          serviceId,
          measure: r.measure,
          value: r.value,
          scale: 'stars-1-5',
          source: r.source,
          asOf: r.asOf,
          updatedAt: now,
        })),
      );
    }
    await auditDirectory(tx, actor, origin, 'directory.post-acute.update', 'directory-service', serviceId, {
      kind: input.kind,
      capabilities: input.capabilities,
      ratings: ratings.map((r) => `${r.measure}=${r.value}`),
    });
  });
  return postAcuteProfileOf(db, actor.organizationId, serviceId);
}
