import { and, asc, eq, inArray, isNull, or } from 'drizzle-orm';
import {
  HANDOUT_LABELS,
  type HandoutLabels,
  handoutLanguageOf,
  hoursLines,
} from '../../../domain/handout.ts';
import { isValidOn } from '../../../domain/resources-hours.ts';
import type { Handout, HandoutQuery, HandoutService } from '../../../domain/schemas/handout.ts';
import type { Db } from '../../db/client.ts';
import type { PatientAccess } from '../../platform/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { type FieldError, invalid } from '../../platform/errors.ts';
import { organizations } from '../../platform/platform.tables.ts';
import { locationAddressSql } from '../resources/resources.service.ts';
import {
  directoryLocations,
  directoryOrganizations,
  directoryPhones,
  directoryRequiredDocuments,
  directorySchedules,
  directoryServiceAtLocations,
  directoryServices,
} from '../resources/resources.tables.ts';
import { referrals } from './referrals.tables.ts';

/** Places printed per service; the rest are counted ("2 more locations: call to ask which is nearest"). */
const MAX_PLACES = 3;
const MAX_PHONES = 3;

/** A service on the handout, and the locations chosen for it (by a referral); none chosen means all. */
interface Wanted {
  serviceId: string;
  locationIds: string[];
}

/** The services asked for directly and through the patient's referrals, in that order, each once. */
async function wantedServices(db: Db, access: PatientAccess, query: HandoutQuery): Promise<Wanted[]> {
  const wanted = new Map<string, Wanted>();
  for (const serviceId of query.serviceIds) wanted.set(serviceId, { serviceId, locationIds: [] });
  if (query.referralIds.length === 0) return [...wanted.values()];
  const rows = await db
    .select({ id: referrals.id, serviceId: referrals.serviceId, locationId: referrals.locationId })
    .from(referrals)
    .where(
      and(
        eq(referrals.organizationId, access.patient.organizationId),
        eq(referrals.patientId, access.patient.id),
        inArray(referrals.id, query.referralIds),
      ),
    );
  const errors: FieldError[] = [];
  query.referralIds.forEach((referralId, index) => {
    const referral = rows.find((r) => r.id === referralId);
    if (!referral) {
      errors.push({ field: `query.referralIds.${index}`, message: 'is not a referral of this patient' });
      return;
    }
    const entry = wanted.get(referral.serviceId) ?? { serviceId: referral.serviceId, locationIds: [] };
    if (referral.locationId && !entry.locationIds.includes(referral.locationId)) {
      entry.locationIds.push(referral.locationId);
    }
    wanted.set(referral.serviceId, entry);
  });
  if (errors.length) throw invalid(errors);
  return [...wanted.values()];
}

const phoneText = (p: { number: string; extension: string | null }) =>
  p.extension ? `${p.number} ext. ${p.extension}` : p.number;

/** The first group that lists any phone, up to a few distinct numbers. */
const firstPhones = (...groups: { number: string; extension: string | null }[][]) =>
  [...new Set((groups.find((g) => g.length > 0) ?? []).map(phoneText))].slice(0, MAX_PHONES);

/**
 * The directory entries the handout prints, read in a few bounded queries. Every service must be in the
 * tenant's directory: a 422 names each one that is not.
 */
async function loadServices(
  db: Db,
  organizationId: string,
  wanted: Wanted[],
  query: HandoutQuery,
  labels: HandoutLabels,
  today: string,
): Promise<HandoutService[]> {
  const ids = wanted.map((w) => w.serviceId);
  const services = await db
    .select({ service: directoryServices, organizationName: directoryOrganizations.name })
    .from(directoryServices)
    .innerJoin(
      directoryOrganizations,
      eq(directoryOrganizations.id, directoryServices.directoryOrganizationId),
    )
    .where(and(eq(directoryServices.organizationId, organizationId), inArray(directoryServices.id, ids)));
  const missing = query.serviceIds
    .map((id, index) => ({ id, index }))
    .filter(({ id }) => !services.some((s) => s.service.id === id));
  if (missing.length) {
    throw invalid(
      missing.map(({ index }) => ({
        field: `query.serviceIds.${index}`,
        message: 'is not in your directory',
      })),
    );
  }
  const orgIds = [...new Set(services.map((s) => s.service.directoryOrganizationId))];
  const sites = await db
    .select({
      id: directoryServiceAtLocations.id,
      serviceId: directoryServiceAtLocations.serviceId,
      locationId: directoryLocations.id,
      name: directoryLocations.name,
      address: locationAddressSql(directoryLocations.id),
    })
    .from(directoryServiceAtLocations)
    .innerJoin(directoryLocations, eq(directoryLocations.id, directoryServiceAtLocations.locationId))
    .where(
      and(
        eq(directoryServiceAtLocations.organizationId, organizationId),
        inArray(directoryServiceAtLocations.serviceId, ids),
      ),
    )
    .orderBy(asc(directoryLocations.name), asc(directoryLocations.id));
  const siteIds = sites.map((s) => s.id);
  const locationIds = [...new Set(sites.map((s) => s.locationId))];
  const anyOf = (col: Parameters<typeof inArray>[0], values: string[]) =>
    values.length ? inArray(col, values) : undefined;
  const [phones, allSchedules, documents] = await Promise.all([
    db
      .select()
      .from(directoryPhones)
      .where(
        and(
          eq(directoryPhones.organizationId, organizationId),
          or(
            anyOf(directoryPhones.serviceId, ids),
            anyOf(directoryPhones.locationId, locationIds),
            anyOf(directoryPhones.serviceAtLocationId, siteIds),
            and(
              anyOf(directoryPhones.directoryOrganizationId, orgIds),
              isNull(directoryPhones.serviceId),
              isNull(directoryPhones.locationId),
            ),
          ),
        ),
      )
      .orderBy(asc(directoryPhones.externalId)),
    db
      .select()
      .from(directorySchedules)
      .where(
        and(
          eq(directorySchedules.organizationId, organizationId),
          or(
            anyOf(directorySchedules.serviceId, ids),
            anyOf(directorySchedules.locationId, locationIds),
            anyOf(directorySchedules.serviceAtLocationId, siteIds),
          ),
        ),
      )
      .orderBy(asc(directorySchedules.externalId)),
    db
      .select({
        serviceId: directoryRequiredDocuments.serviceId,
        document: directoryRequiredDocuments.document,
      })
      .from(directoryRequiredDocuments)
      .where(
        and(
          eq(directoryRequiredDocuments.organizationId, organizationId),
          inArray(directoryRequiredDocuments.serviceId, ids),
        ),
      )
      .orderBy(asc(directoryRequiredDocuments.externalId)),
  ]);

  // Hours that have not started or have ended are not the patient's.
  const schedules = allSchedules.filter((s) => isValidOn(s, today));
  return wanted.map(({ serviceId, locationIds: chosen }) => {
    const { service, organizationName } = services.find((s) => s.service.id === serviceId)!;
    const servicePhones = phones.filter((p) => p.serviceId === serviceId && !p.serviceAtLocationId);
    const orgPhones = phones.filter(
      (p) => p.directoryOrganizationId === service.directoryOrganizationId && !p.serviceId && !p.locationId,
    );
    const serviceHours = schedules.filter(
      (s) => s.serviceId === serviceId && !s.serviceAtLocationId && !s.locationId,
    );
    const offeredAt = sites.filter((s) => s.serviceId === serviceId);
    const shown = chosen.length ? offeredAt.filter((s) => chosen.includes(s.locationId)) : offeredAt;
    const places = shown.slice(0, MAX_PLACES).map((site) => {
      // The most specific hours listed: at this site, else the service's, else the location's own.
      const siteHours = schedules.filter(
        (s) =>
          s.serviceAtLocationId === site.id ||
          (s.serviceId === serviceId && s.locationId === site.locationId && !s.serviceAtLocationId),
      );
      const locationHours = schedules.filter((s) => s.locationId === site.locationId && !s.serviceId);
      const hours = [siteHours, serviceHours, locationHours].find((h) => h.length > 0) ?? [];
      return {
        name: site.name,
        address: site.address,
        phones: firstPhones(
          phones.filter((p) => p.serviceAtLocationId === site.id),
          phones.filter((p) => p.locationId === site.locationId && !p.serviceId),
          servicePhones,
          orgPhones,
        ),
        hours: hoursLines(hours, labels),
      };
    });
    if (places.length === 0) {
      places.push({
        name: null,
        address: null,
        phones: firstPhones(servicePhones, orgPhones),
        hours: hoursLines(serviceHours, labels),
      });
    }
    return {
      id: service.id,
      name: service.name,
      organization: organizationName,
      status: service.status,
      description: service.description,
      applicationProcess: service.applicationProcess,
      fees: service.feesDescription,
      url: service.url,
      email: service.email,
      places,
      morePlaces: Math.max(0, shown.length - MAX_PLACES),
      requiredDocuments: documents.filter((d) => d.serviceId === serviceId).map((d) => d.document),
    };
  });
}

const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });
const languageName = (tag: string) => {
  try {
    return languageNames.of(tag) ?? tag;
  } catch {
    return tag;
  }
};

/**
 * The patient's "Your resources" handout: each service with where, when, how to reach it and what to bring,
 * in the patient's language (or `lang`), with the department and the worker who prepared it.
 */
export async function buildHandout(
  db: Db,
  actor: Actor,
  access: PatientAccess,
  query: HandoutQuery,
): Promise<Handout> {
  const asked = query.lang ?? access.patient.preferredLanguage;
  const { language, fallback } = handoutLanguageOf(asked);
  const labels = HANDOUT_LABELS[language];
  const [department] = await db
    .select({ name: organizations.name, timeZone: organizations.timeZone })
    .from(organizations)
    .where(eq(organizations.id, actor.organizationId));
  const now = new Date();
  const timeZone = department?.timeZone ?? 'America/New_York';
  const today = new Intl.DateTimeFormat('en-CA', { timeZone }).format(now);
  const wanted = await wantedServices(db, access, query);
  const services = await loadServices(db, actor.organizationId, wanted, query, labels, today);
  const p = access.patient;
  return {
    language,
    fallbackFrom: fallback ? asked : null,
    title: fallback ? labels.fallbackTitle(languageName(asked)) : labels.title,
    preparedFor: `${p.preferredName || p.givenName} ${p.familyName}`,
    preparedOn: today,
    preparedOnText: new Intl.DateTimeFormat(labels.locale, { dateStyle: 'long', timeZone }).format(now),
    department: department?.name ?? '',
    socialWorker: { name: actor.displayName, email: actor.email },
    services,
  };
}
