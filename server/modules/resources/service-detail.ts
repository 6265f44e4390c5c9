import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { EligibilityRules } from '../../../domain/resources.ts';
import { describeRule } from '../../../domain/resources-hours.ts';
import type { ServiceDetail } from '../../../domain/schemas/resources.ts';
import type { DbOrTx } from '../../db/client.ts';
import { notFound } from '../../platform/errors.ts';
import { organizations } from '../../platform/platform.tables.ts';
import { locationAddressSql } from './resources.service.ts';
import {
  directoryAttributes,
  directoryCostOptions,
  directoryLanguages,
  directoryLocations,
  directoryOrganizations,
  directoryPhones,
  directoryRequiredDocuments,
  directorySchedules,
  directoryServiceAtLocations,
  directoryServices,
  directoryTaxonomyTerms,
} from './resources.tables.ts';

type ServiceRow = typeof directoryServices.$inferSelect;
type ScheduleRow = typeof directorySchedules.$inferSelect;

/** The service of the tenant's directory, locked for update when asked; 404 when it has no such service. */
export async function loadService(
  db: DbOrTx,
  organizationId: string,
  serviceId: string,
  lock = false,
): Promise<ServiceRow> {
  const query = db
    .select()
    .from(directoryServices)
    .where(and(eq(directoryServices.organizationId, organizationId), eq(directoryServices.id, serviceId)));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('service');
  return row;
}

/** The service's own schedules and those of its service-at-locations. */
export const scheduleOfService = (serviceId: string) =>
  or(
    eq(directorySchedules.serviceId, serviceId),
    inArray(
      directorySchedules.serviceAtLocationId,
      sql`(select id from ${directoryServiceAtLocations} where service_id = ${serviceId})`,
    ),
  );

/** A service's languages of its own (not a phone's or a location's). */
export const ownLanguages = (serviceId: string) =>
  and(
    eq(directoryLanguages.serviceId, serviceId),
    isNull(directoryLanguages.phoneId),
    isNull(directoryLanguages.locationId),
  );

/** "Free", "free of charge", "no fee", "no cost", "no charge" (as the search index reads cost options). */
const SAYS_FREE = /\b(free|no (fee|fees|cost|charge))\b/i;

type CostOption = { amount: number | null; option: string | null };
/** A cost option that costs nothing. */
export const costsNothing = (o: CostOption) => o.amount === 0 || SAYS_FREE.test(o.option ?? '');

/** Free when one of its cost options costs nothing; charged when it has others; unknown without any. */
export const isFree = (options: readonly CostOption[]): boolean | null =>
  options.length === 0 ? null : options.some(costsNothing);

/** A service as the admin edits it and the detail page shows it. */
export async function serviceDetail(
  db: DbOrTx,
  organizationId: string,
  serviceId: string,
): Promise<ServiceDetail> {
  const service = await loadService(db, organizationId, serviceId);
  const [[org], [tenant]] = await Promise.all([
    db
      .select({
        id: directoryOrganizations.id,
        name: directoryOrganizations.name,
        referralEmail: directoryOrganizations.referralEmail,
      })
      .from(directoryOrganizations)
      .where(eq(directoryOrganizations.id, service.directoryOrganizationId)),
    db
      .select({ timeZone: organizations.timeZone })
      .from(organizations)
      .where(eq(organizations.id, organizationId)),
  ]);
  const [locations, schedules, phones, languages, documents, codes, costs] = await Promise.all([
    db
      .select({
        id: directoryLocations.id,
        name: directoryLocations.name,
        address: locationAddressSql(directoryLocations.id),
        latitude: directoryLocations.latitude,
        longitude: directoryLocations.longitude,
        timeZone: sql<string>`coalesce(${directoryLocations.timeZone}, ${tenant?.timeZone ?? 'America/New_York'})`,
      })
      .from(directoryServiceAtLocations)
      .innerJoin(directoryLocations, eq(directoryLocations.id, directoryServiceAtLocations.locationId))
      .where(eq(directoryServiceAtLocations.serviceId, serviceId))
      .orderBy(asc(directoryLocations.name), asc(directoryLocations.id)),
    db
      .select()
      .from(directorySchedules)
      .where(scheduleOfService(serviceId))
      .orderBy(asc(directorySchedules.createdAt), asc(directorySchedules.externalId)),
    db
      .select({ number: directoryPhones.number })
      .from(directoryPhones)
      .where(eq(directoryPhones.serviceId, serviceId))
      .orderBy(asc(directoryPhones.createdAt), asc(directoryPhones.externalId))
      .limit(1),
    db
      .select({ code: directoryLanguages.code })
      .from(directoryLanguages)
      .where(ownLanguages(serviceId))
      .orderBy(asc(directoryLanguages.createdAt)),
    db
      .select({ document: directoryRequiredDocuments.document })
      .from(directoryRequiredDocuments)
      .where(eq(directoryRequiredDocuments.serviceId, serviceId))
      .orderBy(asc(directoryRequiredDocuments.createdAt), asc(directoryRequiredDocuments.externalId)),
    db
      .selectDistinct({ code: directoryTaxonomyTerms.code })
      .from(directoryAttributes)
      .innerJoin(directoryTaxonomyTerms, eq(directoryTaxonomyTerms.id, directoryAttributes.taxonomyTermId))
      .where(serviceAttributes(service)),
    db
      .select({ amount: directoryCostOptions.amount, option: directoryCostOptions.option })
      .from(directoryCostOptions)
      .where(eq(directoryCostOptions.serviceId, serviceId)),
  ]);
  return {
    id: service.id,
    source: service.source,
    externalId: service.externalId,
    directoryOrganizationId: service.directoryOrganizationId,
    organization: org!,
    name: service.name,
    alternateName: service.alternateName,
    description: service.description,
    url: service.url,
    email: service.email,
    status: service.status as ServiceDetail['status'],
    applicationProcess: service.applicationProcess,
    feesDescription: service.feesDescription,
    free: isFree(costs),
    eligibilityDescription: service.eligibilityDescription,
    interpretationServices: service.interpretationServices,
    domains: service.domains as ServiceDetail['domains'],
    assistanceKind: service.assistanceKind as ServiceDetail['assistanceKind'],
    eligibility: service.eligibility as EligibilityRules,
    languages: [...new Set(languages.map((l) => l.code).filter((c): c is string => Boolean(c)))],
    requiredDocuments: documents.map((d) => d.document),
    taxonomyCodes: codes
      .map((c) => c.code)
      .filter((c): c is string => Boolean(c))
      .sort(),
    phone: phones[0]?.number ?? null,
    locationIds: locations.map((l) => l.id),
    locations,
    schedules: schedules.map(presentSchedule),
    hoursText: schedules.map((s) => describeRule(s)).filter((t): t is string => Boolean(t)),
    public: service.public,
    assuredDate: service.assuredDate,
    version: service.version,
    updatedAt: service.updatedAt.toISOString(),
  };
}

/** The taxonomy attributes of a service: attached by its HSDS id, in its own source. */
export const serviceAttributes = (service: Pick<ServiceRow, 'organizationId' | 'source' | 'externalId'>) =>
  and(
    eq(directoryAttributes.organizationId, service.organizationId),
    eq(directoryAttributes.source, service.source),
    eq(directoryAttributes.linkEntity, 'service'),
    eq(directoryAttributes.linkExternalId, service.externalId),
  );

/** A schedule row in the editor's shape (fields it does not edit stay in the row). */
function presentSchedule(s: ScheduleRow): ServiceDetail['schedules'][number] {
  const freq = s.freq === 'MONTHLY' || s.freq === 'DAILY' ? s.freq : 'WEEKLY';
  return {
    id: s.id,
    freq,
    ...(s.byday ? { byday: s.byday } : {}),
    ...(s.opensAt ? { opensAt: s.opensAt } : {}),
    ...(s.closesAt ? { closesAt: s.closesAt } : {}),
    ...(s.validFrom ? { validFrom: s.validFrom } : {}),
    ...(s.validTo ? { validTo: s.validTo } : {}),
    ...(s.description ? { description: s.description } : {}),
  };
}
