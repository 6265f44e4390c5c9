import { and, eq, inArray } from 'drizzle-orm';
import type { ServiceWrite } from '../../../domain/schemas/resources.ts';
import type { Db, Tx } from '../../db/client.ts';
import type { Actor, RequestOrigin } from '../../platform/actor.ts';
import { type FieldError, invalid, staleVersion } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { auditDirectory } from './directory.service.ts';
import { APP_SOURCE } from './hsds/import.ts';
import {
  directoryLocations,
  directoryOrganizations,
  directorySchedules,
  directoryServiceAtLocations,
  directoryServices,
  directoryTaxonomyTerms,
} from './resources.tables.ts';
import { reindexSearchDocs } from './search.index.ts';
import { loadService, scheduleOfService } from './service-detail.ts';
import { writeParts } from './service-parts.ts';

type ServiceRow = typeof directoryServices.$inferSelect;

/** The service's own fields; a nullable field left out of the body keeps its value. */
function serviceFields(body: ServiceWrite) {
  const kept = <T>(value: T | null | undefined) =>
    value === undefined ? undefined : (value ?? null) || null;
  const optional = {
    alternateName: kept(body.alternateName),
    description: kept(body.description),
    url: kept(body.url),
    email: kept(body.email),
    applicationProcess: kept(body.applicationProcess),
    feesDescription: kept(body.feesDescription),
    eligibilityDescription: kept(body.eligibilityDescription),
    interpretationServices: kept(body.interpretationServices),
    assistanceKind: kept(body.assistanceKind),
    assuredDate: kept(body.assuredDate),
  };
  return {
    directoryOrganizationId: body.directoryOrganizationId,
    name: body.name,
    status: body.status,
    domains: [...new Set(body.domains)].sort(),
    eligibility: body.eligibility,
    public: body.public,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)),
  };
}

/**
 * Creates a service made in the app (source `kith`) with its phone, languages, documents, taxonomy terms,
 * locations, schedules and cost, in one transaction with its search documents and audit entry.
 */
export async function createService(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  body: ServiceWrite,
): Promise<string> {
  const id = newId();
  await db.transaction(async (tx) => {
    await checkReferences(tx, actor.organizationId, body, null);
    const [service] = await tx
      .insert(directoryServices)
      .values({
        id,
        organizationId: actor.organizationId,
        source: APP_SOURCE,
        externalId: id,
        ...serviceFields(body),
        updatedBy: actor.userId,
      })
      .returning();
    await writeParts(tx, service!, body);
    await reindexSearchDocs(tx, actor.organizationId, [id]);
    await auditDirectory(tx, actor, origin, 'directory.service.create', 'directory_service', id, {
      version: 1,
    });
  });
  return id;
}

/**
 * Changes a service against the version the admin read: 422 without one, 409 when someone changed the service
 * since. The lists (languages, documents, taxonomy codes, locations, schedules) are replaced by the body's.
 */
export async function updateService(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  serviceId: string,
  body: ServiceWrite,
): Promise<void> {
  if (body.version === undefined) throw invalid([{ field: 'version', message: 'is required' }]);
  await db.transaction(async (tx) => {
    const current = await loadService(tx, actor.organizationId, serviceId, true);
    if (current.version !== body.version) throw staleVersion(current.version);
    await checkReferences(tx, actor.organizationId, body, current);
    const [service] = await tx
      .update(directoryServices)
      .set({
        ...serviceFields(body),
        version: current.version + 1,
        updatedAt: new Date(),
        updatedBy: actor.userId,
      })
      .where(eq(directoryServices.id, serviceId))
      .returning();
    await writeParts(tx, service!, body);
    await reindexSearchDocs(tx, actor.organizationId, [serviceId]);
    await auditDirectory(tx, actor, origin, 'directory.service.update', 'directory_service', serviceId, {
      version: current.version + 1,
    });
  });
}

/** Field errors for what the body names that the directory does not hold (422 before anything is written). */
async function checkReferences(
  tx: Tx,
  organizationId: string,
  body: ServiceWrite,
  service: ServiceRow | null,
) {
  const errors: FieldError[] = [];
  const [org] = await tx
    .select({ id: directoryOrganizations.id })
    .from(directoryOrganizations)
    .where(
      and(
        eq(directoryOrganizations.organizationId, organizationId),
        eq(directoryOrganizations.id, body.directoryOrganizationId),
      ),
    );
  if (!org)
    errors.push({ field: 'directoryOrganizationId', message: 'is not an organisation of the directory' });
  if (body.locationIds.length > 0) {
    const locations = await tx
      .select({ id: directoryLocations.id, owner: directoryLocations.directoryOrganizationId })
      .from(directoryLocations)
      .where(
        and(
          eq(directoryLocations.organizationId, organizationId),
          inArray(directoryLocations.id, body.locationIds),
        ),
      );
    const linked = service
      ? new Set(
          (
            await tx
              .select({ id: directoryServiceAtLocations.locationId })
              .from(directoryServiceAtLocations)
              .where(eq(directoryServiceAtLocations.serviceId, service.id))
          ).map((r) => r.id),
        )
      : new Set<string>();
    const owners = new Map(locations.map((l) => [l.id, l.owner]));
    body.locationIds.forEach((id, i) => {
      if (!owners.has(id))
        errors.push({ field: `locationIds.${i}`, message: 'is not a location of the directory' });
      // A location the service is already offered at stays allowed (imported locations may have no owner).
      else if (owners.get(id) !== body.directoryOrganizationId && !linked.has(id)) {
        errors.push({ field: `locationIds.${i}`, message: 'is not a location of this organisation' });
      }
    });
  }
  if (body.taxonomyCodes.length > 0) {
    const terms = await tx
      .selectDistinct({ code: directoryTaxonomyTerms.code })
      .from(directoryTaxonomyTerms)
      .where(
        and(
          eq(directoryTaxonomyTerms.organizationId, organizationId),
          inArray(directoryTaxonomyTerms.code, body.taxonomyCodes),
        ),
      );
    const known = new Set(terms.map((t) => t.code));
    body.taxonomyCodes.forEach((code, i) => {
      if (!known.has(code))
        errors.push({ field: `taxonomyCodes.${i}`, message: 'is not a taxonomy code of the directory' });
    });
  }
  const scheduleIds = body.schedules.map((s) => s.id).filter((id): id is string => Boolean(id));
  if (scheduleIds.length > 0) {
    const own = service
      ? new Set(
          (
            await tx
              .select({ id: directorySchedules.id })
              .from(directorySchedules)
              .where(scheduleOfService(service.id))
          ).map((r) => r.id),
        )
      : new Set<string>();
    body.schedules.forEach((s, i) => {
      if (s.id && !own.has(s.id))
        errors.push({ field: `schedules.${i}.id`, message: 'is not a schedule of this service' });
    });
  }
  if (errors.length > 0) throw invalid(errors);
}
