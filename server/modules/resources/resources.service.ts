import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import {
  directoryAddresses,
  directoryLocations,
  directoryOrganizations,
  directoryPartnerMembers,
  directoryServiceAtLocations,
  directoryServices,
} from './resources.tables.ts';

/** What the referrals module needs to know of a service it refers to. */
export interface ReferableService {
  id: string;
  name: string;
  status: string;
  domains: string[];
  organization: { id: string; name: string; referralEmail: string | null };
  /** The location chosen, when it is one where the service is offered. */
  location: { id: string; address: string | null } | null;
}

/** A one-line postal address of a location (its physical address, else any). */
export const locationAddressSql = (locationId: unknown) => sql<string | null>`(
  select concat_ws(', ', a.address_1, nullif(a.address_2, ''), a.city, a.state_province || ' ' || a.postal_code)
  from ${directoryAddresses} a where a.location_id = ${locationId}
  order by (a.address_type = 'physical') desc limit 1)`;

/**
 * The service of this tenant's directory, with its organisation and (when `locationId` is given and the
 * service is offered there) the location; null when the directory holds no such service, or the location is
 * not one of the service's.
 */
export async function findReferableService(
  db: DbOrTx,
  organizationId: string,
  serviceId: string,
  locationId?: string | null,
): Promise<ReferableService | null> {
  const [row] = await db
    .select({
      id: directoryServices.id,
      name: directoryServices.name,
      status: directoryServices.status,
      domains: directoryServices.domains,
      orgId: directoryOrganizations.id,
      orgName: directoryOrganizations.name,
      referralEmail: directoryOrganizations.referralEmail,
    })
    .from(directoryServices)
    .innerJoin(
      directoryOrganizations,
      eq(directoryOrganizations.id, directoryServices.directoryOrganizationId),
    )
    .where(and(eq(directoryServices.organizationId, organizationId), eq(directoryServices.id, serviceId)));
  if (!row) return null;
  let location: ReferableService['location'] = null;
  if (locationId) {
    const [loc] = await db
      .select({ id: directoryLocations.id, address: locationAddressSql(directoryLocations.id) })
      .from(directoryServiceAtLocations)
      .innerJoin(directoryLocations, eq(directoryLocations.id, directoryServiceAtLocations.locationId))
      .where(
        and(
          eq(directoryServiceAtLocations.organizationId, organizationId),
          eq(directoryServiceAtLocations.serviceId, serviceId),
          eq(directoryServiceAtLocations.locationId, locationId),
        ),
      );
    if (!loc) return null;
    location = loc;
  }
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    domains: row.domains,
    organization: { id: row.orgId, name: row.orgName, referralEmail: row.referralEmail },
    location,
  };
}

/** The directory organisations whose referrals a community_partner user answers. */
export async function partnerOrganizationsOf(db: DbOrTx, userId: string): Promise<string[]> {
  const rows = await db
    .select({ id: directoryPartnerMembers.directoryOrganizationId })
    .from(directoryPartnerMembers)
    .where(eq(directoryPartnerMembers.userId, userId));
  return rows.map((r) => r.id);
}
