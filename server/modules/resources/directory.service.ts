import { and, asc, count, eq, sql } from 'drizzle-orm';
import type {
  DirectoryLocation,
  DirectoryLocationWrite,
  DirectoryOrganization,
  DirectoryOrganizationWrite,
} from '../../../domain/schemas/resources.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { type Actor, auditActor, type RequestOrigin } from '../../platform/actor.ts';
import { appendAudit } from '../../platform/audit/audit.service.ts';
import { invalid, notFound, staleVersion } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { organizations } from '../../platform/platform.tables.ts';
import { zipCentroid } from './geo.ts';
import { APP_SOURCE } from './hsds/import.ts';
import { locationAddressSql } from './resources.service.ts';
import {
  directoryAddresses,
  directoryLocations,
  directoryOrganizations,
  directoryPartnerMembers,
  directoryServices,
} from './resources.tables.ts';
import { reindexSearchDocs } from './search.index.ts';

type OrgRow = typeof directoryOrganizations.$inferSelect;

// Qualified by hand: in select fields Drizzle renders a column unqualified, which here would mean s.id.
const serviceCount = sql<number>`(select count(*)::int from ${directoryServices} s where s.directory_organization_id = ${directoryOrganizations}.id)`;

/** The directory organisations of the tenant, by name, with their service counts (pickers, admin list). */
export async function listDirectoryOrganizations(db: DbOrTx, organizationId: string) {
  return db
    .select({
      id: directoryOrganizations.id,
      name: directoryOrganizations.name,
      referralEmail: directoryOrganizations.referralEmail,
      services: serviceCount,
      hasPartnerAccounts: sql<boolean>`exists (select 1 from ${directoryPartnerMembers} p where p.directory_organization_id = ${directoryOrganizations.id})`,
    })
    .from(directoryOrganizations)
    .where(eq(directoryOrganizations.organizationId, organizationId))
    .orderBy(asc(directoryOrganizations.name), asc(directoryOrganizations.id));
}

export async function loadOrganization(
  db: DbOrTx,
  organizationId: string,
  id: string,
  lock = false,
): Promise<OrgRow> {
  const query = db
    .select()
    .from(directoryOrganizations)
    .where(and(eq(directoryOrganizations.organizationId, organizationId), eq(directoryOrganizations.id, id)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('directory organisation');
  return row;
}

export async function getDirectoryOrganization(
  db: DbOrTx,
  organizationId: string,
  id: string,
): Promise<DirectoryOrganization> {
  const row = await loadOrganization(db, organizationId, id);
  const [services] = await db
    .select({ n: count() })
    .from(directoryServices)
    .where(eq(directoryServices.directoryOrganizationId, id));
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    email: row.email,
    website: row.website,
    referralEmail: row.referralEmail,
    source: row.source,
    externalId: row.externalId,
    services: services?.n ?? 0,
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
  };
}

const orgFields = (body: DirectoryOrganizationWrite) => ({
  name: body.name,
  ...(body.description !== undefined ? { description: body.description || null } : {}),
  ...(body.email !== undefined ? { email: body.email || null } : {}),
  ...(body.website !== undefined ? { website: body.website || null } : {}),
  ...(body.referralEmail !== undefined ? { referralEmail: body.referralEmail || null } : {}),
});

/** Creates a directory organisation made in the app (source `kith`, its HSDS id its own id). */
export async function createDirectoryOrganization(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  body: DirectoryOrganizationWrite,
): Promise<string> {
  const id = newId();
  await db.transaction(async (tx) => {
    await tx.insert(directoryOrganizations).values({
      id,
      organizationId: actor.organizationId,
      source: APP_SOURCE,
      externalId: id,
      ...orgFields(body),
    });
    await auditDirectory(tx, actor, origin, 'directory.organization.create', 'directory_organization', id);
  });
  return id;
}

/**
 * Changes a directory organisation against the version the admin read (409 when someone changed it since);
 * a field left out keeps its value. Its services' search documents are rebuilt (they show its name).
 */
export async function updateDirectoryOrganization(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  id: string,
  body: DirectoryOrganizationWrite,
): Promise<void> {
  if (body.version === undefined) throw invalid([{ field: 'version', message: 'is required' }]);
  await db.transaction(async (tx) => {
    const row = await loadOrganization(tx, actor.organizationId, id, true);
    if (row.version !== body.version) throw staleVersion(row.version);
    await tx
      .update(directoryOrganizations)
      .set({ ...orgFields(body), version: row.version + 1, updatedAt: new Date() })
      .where(eq(directoryOrganizations.id, id));
    const services = await tx
      .select({ id: directoryServices.id })
      .from(directoryServices)
      .where(eq(directoryServices.directoryOrganizationId, id));
    if (services.length > 0)
      await reindexSearchDocs(
        tx,
        actor.organizationId,
        services.map((s) => s.id),
      );
    await auditDirectory(tx, actor, origin, 'directory.organization.update', 'directory_organization', id, {
      version: row.version + 1,
    });
  });
}

const locationColumns = (timeZone: string) => ({
  id: directoryLocations.id,
  name: directoryLocations.name,
  // Qualified by hand: in a one-table select drizzle writes a bare "id", which the subquery would take as its own.
  address: locationAddressSql(sql.raw('"directory_locations"."id"')),
  latitude: directoryLocations.latitude,
  longitude: directoryLocations.longitude,
  timeZone: sql<string>`coalesce(${directoryLocations.timeZone}, ${timeZone})`,
  geocoded: sql<
    DirectoryLocation['geocoded']
  >`coalesce(${directoryLocations.extra}->>'kithGeocoded', case when ${directoryLocations.latitude} is null then 'none' else 'given' end)`,
});

async function tenantTimeZone(db: DbOrTx, organizationId: string): Promise<string> {
  const [org] = await db
    .select({ tz: organizations.timeZone })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  return org?.tz ?? 'America/New_York';
}

/** The locations of a directory organisation, by name. */
export async function listLocations(db: DbOrTx, organizationId: string, directoryOrganizationId: string) {
  await loadOrganization(db, organizationId, directoryOrganizationId);
  return db
    .select(locationColumns(await tenantTimeZone(db, organizationId)))
    .from(directoryLocations)
    .where(
      and(
        eq(directoryLocations.organizationId, organizationId),
        eq(directoryLocations.directoryOrganizationId, directoryOrganizationId),
      ),
    )
    .orderBy(asc(directoryLocations.name), asc(directoryLocations.id));
}

/**
 * Adds a physical location with its address to a directory organisation. Without coordinates it is placed at
 * its ZIP code's centroid (the `zipcodes` table), which is what distance search needs; an unknown ZIP leaves it
 * without coordinates (found by everything but distance).
 */
export async function createLocation(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  directoryOrganizationId: string,
  body: DirectoryLocationWrite,
): Promise<DirectoryLocation> {
  const id = newId();
  const centroid = body.latitude === undefined ? zipCentroid(body.address.postalCode) : null;
  const geocoded: DirectoryLocation['geocoded'] =
    body.latitude !== undefined ? 'given' : centroid ? 'zip' : 'none';
  return db.transaction(async (tx) => {
    await loadOrganization(tx, actor.organizationId, directoryOrganizationId);
    await tx.insert(directoryLocations).values({
      id,
      organizationId: actor.organizationId,
      source: APP_SOURCE,
      externalId: id,
      directoryOrganizationId,
      locationType: 'physical',
      name: body.name || null,
      description: body.description || null,
      latitude: body.latitude ?? centroid?.latitude ?? null,
      longitude: body.longitude ?? centroid?.longitude ?? null,
      timeZone: body.timeZone ?? null,
      extra: geocoded === 'zip' ? { kithGeocoded: 'zip' } : {},
    });
    const addressId = newId();
    await tx.insert(directoryAddresses).values({
      id: addressId,
      organizationId: actor.organizationId,
      source: APP_SOURCE,
      externalId: addressId,
      locationId: id,
      address1: body.address.address1,
      address2: body.address.address2 || null,
      city: body.address.city,
      stateProvince: body.address.stateProvince,
      postalCode: body.address.postalCode,
      country: body.address.country,
      addressType: 'physical',
    });
    await auditDirectory(tx, actor, origin, 'directory.location.create', 'directory_location', id, {
      directoryOrganizationId,
      geocoded,
    });
    const [location] = await tx
      .select(locationColumns(await tenantTimeZone(tx, actor.organizationId)))
      .from(directoryLocations)
      .where(eq(directoryLocations.id, id));
    return location!;
  });
}

/** An audit entry for a change to the directory, in the change's transaction. */
export async function auditDirectory(
  tx: DbOrTx,
  actor: Actor,
  origin: RequestOrigin,
  action: string,
  recordKind: string,
  recordId: string,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await appendAudit(tx, {
    ...auditActor(actor),
    action,
    outcome: 'success',
    recordKind,
    recordId,
    ip: origin.ip,
    userAgent: origin.userAgent,
    detail,
  });
}
