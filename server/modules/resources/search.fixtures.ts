import type { SdohDomain } from '../../../domain/needs.ts';
import type { AssistanceKind, EligibilityRules } from '../../../domain/resources.ts';
import type { ScheduleRule } from '../../../domain/resources-hours.ts';
import type { DbOrTx } from '../../db/client.ts';
import { newId } from '../../platform/ids.ts';
import {
  directoryAddresses,
  directoryAttributes,
  directoryCostOptions,
  directoryLanguages,
  directoryLocations,
  directoryOrganizations,
  directoryPhones,
  directorySchedules,
  directoryServiceAtLocations,
  directoryServices,
  directoryTaxonomyTerms,
} from './resources.tables.ts';

/**
 * Hand-built directory rows for search tests: one call per service, with its organisation, locations,
 * schedules, languages, fees and taxonomy, as an HSDS import would store them.
 */

export interface PlaceSpec {
  name?: string;
  /** Coordinates; without them the search falls back to the address ZIP's centroid. */
  latitude?: number;
  longitude?: number;
  zip: string;
  city?: string;
  timeZone?: string;
  /** Location-level schedules. */
  schedules?: ScheduleRule[];
}

export interface ServiceSpec {
  name: string;
  organization?: string | { name: string; referralEmail?: string };
  description?: string;
  domains?: SdohDomain[];
  status?: string;
  assistanceKind?: AssistanceKind;
  eligibility?: EligibilityRules;
  minimumAge?: number;
  locations?: (PlaceSpec | string)[];
  /** Schedules of the service at each of its locations (or of the service when it has none). */
  schedules?: ScheduleRule[];
  /** Schedules of the service itself, whatever its locations. */
  serviceSchedules?: ScheduleRule[];
  languages?: string[];
  cost?: 'free' | 'fee';
  feesDescription?: string;
  taxonomy?: { code: string; name: string }[];
  phone?: string;
}

export interface BuiltService {
  id: string;
  externalId: string;
  organizationId: string;
  locationIds: string[];
}

let seq = 0;
const SOURCE = 'search-test';

/** A directory organisation of the tenant. */
export async function addOrganization(
  db: DbOrTx,
  tenantId: string,
  org: { name: string; referralEmail?: string },
): Promise<string> {
  const id = newId();
  await db.insert(directoryOrganizations).values({
    id,
    organizationId: tenantId,
    source: SOURCE,
    externalId: `org-${++seq}`,
    name: org.name,
    referralEmail: org.referralEmail ?? null,
  });
  return id;
}

/** A location of an organisation, with its physical address. */
export async function addLocation(
  db: DbOrTx,
  tenantId: string,
  orgId: string,
  place: PlaceSpec,
): Promise<string> {
  const id = newId();
  const n = ++seq;
  await db.insert(directoryLocations).values({
    id,
    organizationId: tenantId,
    source: SOURCE,
    externalId: `loc-${n}`,
    directoryOrganizationId: orgId,
    name: place.name ?? null,
    latitude: place.latitude ?? null,
    longitude: place.longitude ?? null,
    timeZone: place.timeZone ?? null,
  });
  await db.insert(directoryAddresses).values({
    organizationId: tenantId,
    source: SOURCE,
    externalId: `addr-${n}`,
    locationId: id,
    address1: `${n} Main Street`,
    city: place.city ?? 'Boston',
    stateProvince: 'MA',
    postalCode: place.zip,
    country: 'US',
    addressType: 'physical',
  });
  for (const s of place.schedules ?? []) await addSchedule(db, tenantId, { locationId: id }, s);
  return id;
}

async function addSchedule(db: DbOrTx, tenantId: string, owner: Record<string, string>, s: ScheduleRule) {
  await db.insert(directorySchedules).values({
    organizationId: tenantId,
    source: SOURCE,
    externalId: `sched-${++seq}`,
    ...owner,
    freq: s.freq ?? null,
    byday: s.byday ?? null,
    bymonthday: s.bymonthday ?? null,
    opensAt: s.opensAt ?? null,
    closesAt: s.closesAt ?? null,
    validFrom: s.validFrom ?? null,
    validTo: s.validTo ?? null,
    description: s.description ?? null,
  });
}

/** One service with everything it hangs on; organisations and locations given by name are reused. */
export async function addService(
  db: DbOrTx,
  tenantId: string,
  spec: ServiceSpec,
  shared: { orgs: Map<string, string>; places: Map<string, string> } = { orgs: new Map(), places: new Map() },
): Promise<BuiltService> {
  const orgSpec =
    typeof spec.organization === 'object'
      ? spec.organization
      : { name: spec.organization ?? `${spec.name} Inc.` };
  let orgId = shared.orgs.get(orgSpec.name);
  if (!orgId) {
    orgId = await addOrganization(db, tenantId, orgSpec);
    shared.orgs.set(orgSpec.name, orgId);
  }
  const locationIds: string[] = [];
  for (const place of spec.locations ?? []) {
    if (typeof place === 'string') locationIds.push(shared.places.get(place)!);
    else {
      const id = await addLocation(db, tenantId, orgId, place);
      if (place.name) shared.places.set(place.name, id);
      locationIds.push(id);
    }
  }
  const id = newId();
  const externalId = `svc-${++seq}`;
  await db.insert(directoryServices).values({
    id,
    organizationId: tenantId,
    source: SOURCE,
    externalId,
    directoryOrganizationId: orgId,
    name: spec.name,
    description: spec.description ?? null,
    status: spec.status ?? 'active',
    domains: spec.domains ?? [],
    assistanceKind: spec.assistanceKind ?? null,
    eligibility: spec.eligibility ?? {},
    minimumAge: spec.minimumAge ?? null,
    feesDescription: spec.feesDescription ?? null,
    assuredDate: '2026-01-15',
  });
  for (const locationId of locationIds) {
    const salId = newId();
    await db.insert(directoryServiceAtLocations).values({
      id: salId,
      organizationId: tenantId,
      source: SOURCE,
      externalId: `sal-${++seq}`,
      serviceId: id,
      locationId,
    });
    for (const s of spec.schedules ?? []) await addSchedule(db, tenantId, { serviceAtLocationId: salId }, s);
  }
  const serviceLevel = [
    ...(spec.serviceSchedules ?? []),
    ...(locationIds.length ? [] : (spec.schedules ?? [])),
  ];
  for (const s of serviceLevel) await addSchedule(db, tenantId, { serviceId: id }, s);
  for (const code of spec.languages ?? []) {
    await db.insert(directoryLanguages).values({
      organizationId: tenantId,
      source: SOURCE,
      externalId: `lang-${++seq}`,
      serviceId: id,
      code,
    });
  }
  if (spec.cost) {
    await db.insert(directoryCostOptions).values({
      organizationId: tenantId,
      source: SOURCE,
      externalId: `cost-${++seq}`,
      serviceId: id,
      option: spec.cost === 'free' ? 'Free' : 'Sliding scale',
      amount: spec.cost === 'free' ? 0 : 15,
      currency: 'USD',
    });
  }
  for (const term of spec.taxonomy ?? []) {
    const termId = newId();
    await db.insert(directoryTaxonomyTerms).values({
      id: termId,
      organizationId: tenantId,
      source: SOURCE,
      externalId: `term-${++seq}`,
      code: term.code,
      name: term.name,
    });
    await db.insert(directoryAttributes).values({
      organizationId: tenantId,
      source: SOURCE,
      externalId: `attr-${++seq}`,
      linkExternalId: externalId,
      linkEntity: 'service',
      taxonomyTermId: termId,
    });
  }
  if (spec.phone) {
    await db.insert(directoryPhones).values({
      organizationId: tenantId,
      source: SOURCE,
      externalId: `phone-${++seq}`,
      serviceId: id,
      number: spec.phone,
    });
  }
  return { id, externalId, organizationId: orgId, locationIds };
}
