import { z } from 'zod';
import { SDOH_DOMAINS } from '../needs.ts';
import {
  ASSISTANCE_KINDS,
  AssistanceKind,
  COST_KINDS,
  EligibilityRules,
  SEARCH_PAGE_SIZE,
  SEARCH_RADIUS_MILES,
  SERVICE_STATUSES,
} from '../resources.ts';
import { IsoDate, IsoDateTime, Uuid } from './common.ts';

export { ASSISTANCE_KINDS };

const Zip = z
  .string()
  .trim()
  .regex(/^\d{5}$/, 'must be a 5-digit ZIP code');
const LanguageCode = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/, 'must be a language code such as en or es');
/** Repeated query parameters arrive as a string or an array. */
const many = <T extends z.ZodType>(item: T) =>
  z
    .preprocess((v) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]), z.array(item).max(20))
    .optional();
const Bool = z.enum(['true', 'false']).transform((v) => v === 'true');

/**
 * `GET /api/resources/search`: every filter optional and combinable. Where the distance is measured from:
 * `patientId` (the patient's address ZIP), else `zip`. `patientId` also enables `eligible=true` and is the
 * need-to-know check (the patient must be readable by the caller).
 */
export const ResourceSearchQuery = z
  .object({
    q: z.string().trim().max(200, 'must be at most 200 characters').optional(),
    domain: many(z.enum(SDOH_DOMAINS)),
    /** HSDS taxonomy term codes (a code also matches its children by prefix, e.g. BD-1800). */
    taxonomy: many(z.string().trim().min(1).max(100)),
    assistanceKind: many(AssistanceKind),
    patientId: Uuid.optional(),
    zip: Zip.optional(),
    radiusMiles: z.coerce.number().positive().max(SEARCH_RADIUS_MILES.max).optional(),
    /** Open at this instant (`openAt`), or now (`openNow=true`), in each service's own time zone. */
    openNow: Bool.optional(),
    openAt: IsoDateTime.optional(),
    language: many(LanguageCode),
    cost: z.enum(['free']).optional(),
    /** Only services the patient is (or may be) eligible for, from what the record knows. */
    eligible: Bool.optional(),
    sort: z.enum(['relevance', 'distance', 'name']).optional(),
    page: z.coerce.number().int().min(1).max(50).default(1),
    pageSize: z.coerce.number().int().min(1).max(SEARCH_PAGE_SIZE.max).default(SEARCH_PAGE_SIZE.default),
  })
  .refine((q) => !(q.openNow && q.openAt), { message: 'give openNow or openAt, not both', path: ['openAt'] })
  .refine((q) => !q.eligible || q.patientId, { message: 'needs a patientId', path: ['eligible'] })
  .refine((q) => q.radiusMiles === undefined || q.patientId || q.zip, {
    message: 'needs a zip or a patientId to measure from',
    path: ['radiusMiles'],
  });
export type ResourceSearchQuery = z.infer<typeof ResourceSearchQuery>;

/** Why a result matched, one line per reason, for the worker to see (e.g. "Open now until 9 PM"). */
export const MatchReason = z.object({
  kind: z.enum([
    'text',
    'corrected',
    'domain',
    'taxonomy',
    'distance',
    'open',
    'language',
    'cost',
    'eligibility',
  ]),
  text: z.string(),
});

export const HoursToday = z.object({
  /** e.g. "9:00 AM – 5:00 PM", "Closed today", "Hours not listed". */
  text: z.string(),
  openNow: z.boolean().nullable(),
});

export const EligibilityVerdict = z.object({
  /** eligible: every checkable rule passes; possibly: some rule cannot be checked; not-eligible: a rule fails. */
  verdict: z.enum(['eligible', 'possibly', 'not-eligible', 'no-rules']),
  reasons: z.array(z.string()),
});

export const ResourceSearchResult = z.object({
  /** The search document: a service at a location (or a service without one). */
  id: Uuid,
  serviceId: Uuid,
  locationId: Uuid.nullable(),
  name: z.string(),
  organization: z.object({ id: Uuid, name: z.string() }),
  description: z.string().nullable(),
  domains: z.array(z.enum(SDOH_DOMAINS)),
  assistanceKind: AssistanceKind.nullable(),
  address: z.string().nullable(),
  phone: z.string().nullable(),
  distanceMiles: z.number().nullable(),
  hoursToday: HoursToday,
  languages: z.array(z.string()),
  cost: z.enum(COST_KINDS),
  eligibility: EligibilityVerdict.nullable(),
  why: z.array(MatchReason),
  assuredDate: z.string().nullable(),
});
export type ResourceSearchResult = z.infer<typeof ResourceSearchResult>;

export const ResourceSearchResponse = z.object({
  items: z.array(ResourceSearchResult),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** Matches counted up to `totalCap`; `totalIsCapped` when there are more. */
  total: z.number().int(),
  totalIsCapped: z.boolean(),
  /** Words of `q` replaced by the directory's nearest word, e.g. [{ from: "fod", to: "food" }]. */
  corrections: z.array(z.object({ from: z.string(), to: z.string() })),
  /** Where distance was measured from, when it was. */
  origin: z.object({ zip: z.string(), label: z.string() }).nullable(),
});

// ---------------------------------------------------------------------------------------------------------
// Service detail and editing (admins)

export const ServiceParams = z.object({ serviceId: Uuid });

export const Schedule = z.object({
  id: Uuid.optional(),
  /** WEEKLY with byday (MO,TU…) is what open-now understands; other rules are shown as text. */
  freq: z.enum(['WEEKLY', 'MONTHLY', 'DAILY']).default('WEEKLY'),
  byday: z
    .string()
    .trim()
    .regex(
      /^([+-]?\d?(MO|TU|WE|TH|FR|SA|SU))(,[+-]?\d?(MO|TU|WE|TH|FR|SA|SU))*$/,
      'must be days such as MO,TU',
    )
    .optional(),
  opensAt: z
    .string()
    .regex(/^\d{2}:\d{2}(:\d{2})?$/, 'must be a time as HH:MM')
    .optional(),
  closesAt: z
    .string()
    .regex(/^\d{2}:\d{2}(:\d{2})?$/, 'must be a time as HH:MM')
    .optional(),
  validFrom: IsoDate.optional(),
  validTo: IsoDate.optional(),
  description: z.string().trim().max(500).optional(),
});

const Text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);

/** `PUT /api/resources/services/:serviceId` and `POST /api/resources/services` (admins). */
export const ServiceWrite = z.object({
  directoryOrganizationId: Uuid,
  name: Text(300).min(1, 'is required'),
  alternateName: Text(300).nullish(),
  description: Text(10_000).nullish(),
  url: z.url({ error: 'must be a web address' }).nullish(),
  email: z.email({ error: 'must be a valid email address' }).nullish(),
  status: z.enum(SERVICE_STATUSES),
  applicationProcess: Text(4000).nullish(),
  feesDescription: Text(2000).nullish(),
  free: z.boolean().nullish(),
  eligibilityDescription: Text(4000).nullish(),
  interpretationServices: Text(2000).nullish(),
  domains: z.array(z.enum(SDOH_DOMAINS)).max(19),
  assistanceKind: AssistanceKind.nullish(),
  eligibility: EligibilityRules.default({}),
  languages: z.array(LanguageCode).max(40).default([]),
  requiredDocuments: z.array(Text(2000).min(1)).max(30).default([]),
  taxonomyCodes: z.array(z.string().trim().min(1).max(100)).max(30).default([]),
  phone: Text(40).nullish(),
  /** Where it is offered: existing locations of the organisation. */
  locationIds: z.array(Uuid).max(50).default([]),
  schedules: z.array(Schedule).max(30).default([]),
  public: z.boolean().default(true),
  assuredDate: IsoDate.nullish(),
  version: z.number().int().min(1).optional(),
});
export type ServiceWrite = z.infer<typeof ServiceWrite>;

/**
 * A service as the directory holds it. Imported text can be longer, or web addresses and emails looser, than
 * what the form accepts: the detail shows them as they are, and a save asks the admin to mend them.
 */
export const ServiceDetail = ServiceWrite.extend({
  name: z.string(),
  alternateName: z.string().nullish(),
  description: z.string().nullish(),
  url: z.string().nullish(),
  email: z.string().nullish(),
  applicationProcess: z.string().nullish(),
  feesDescription: z.string().nullish(),
  eligibilityDescription: z.string().nullish(),
  interpretationServices: z.string().nullish(),
  languages: z.array(z.string()),
  requiredDocuments: z.array(z.string()),
  taxonomyCodes: z.array(z.string()),
  phone: z.string().nullish(),
  locationIds: z.array(Uuid),
  schedules: z.array(Schedule.extend({ description: z.string().optional() })),
  id: Uuid,
  source: z.string(),
  externalId: z.string(),
  organization: z.object({ id: Uuid, name: z.string(), referralEmail: z.string().nullable() }),
  locations: z.array(
    z.object({
      id: Uuid,
      name: z.string().nullable(),
      address: z.string().nullable(),
      latitude: z.number().nullable(),
      longitude: z.number().nullable(),
      timeZone: z.string(),
    }),
  ),
  hoursText: z.array(z.string()),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type ServiceDetail = z.infer<typeof ServiceDetail>;

/** `GET /api/resources/organizations` (for pickers and admin). */
export const DirectoryOrganizationSummary = z.object({
  id: Uuid,
  name: z.string(),
  referralEmail: z.string().nullable(),
  services: z.number().int(),
  hasPartnerAccounts: z.boolean(),
});

/** Import report, as the CLI prints it and the admin screen shows it. */
export const ImportReport = z.object({
  source: z.string(),
  format: z.enum(['hsds-csv', 'hsds-json']),
  /** Per HSDS table: rows read, created, updated, unchanged, rejected. */
  tables: z.record(
    z.string(),
    z.object({
      read: z.number().int(),
      created: z.number().int(),
      updated: z.number().int(),
      unchanged: z.number().int(),
      rejected: z.number().int(),
    }),
  ),
  rejected: z.array(
    z.object({ file: z.string(), row: z.number().int(), id: z.string().nullable(), reason: z.string() }),
  ),
  warnings: z.array(z.string()),
});
export type ImportReport = z.infer<typeof ImportReport>;

// ---------------------------------------------------------------------------------------------------------
// Directory organisations, their locations and partner accounts (admins edit; staff pick)

export const DirectoryOrganizationParams = z.object({ organizationId: Uuid });

/** `POST /api/resources/organizations` and `PUT /api/resources/organizations/:organizationId` (admins). */
export const DirectoryOrganizationWrite = z.object({
  name: Text(300).min(1, 'is required'),
  description: Text(4000).nullish(),
  email: z.email({ error: 'must be a valid email address' }).nullish(),
  website: z.url({ error: 'must be a web address' }).nullish(),
  /** Where referral emails go; without it the organisation is referred to through its partner inbox only. */
  referralEmail: z.email({ error: 'must be a valid email address' }).nullish(),
  /** The version read; required to change an organisation. */
  version: z.number().int().min(1).optional(),
});
export type DirectoryOrganizationWrite = z.infer<typeof DirectoryOrganizationWrite>;

export const DirectoryOrganization = z.object({
  id: Uuid,
  name: z.string(),
  description: z.string().nullable(),
  email: z.string().nullable(),
  website: z.string().nullable(),
  referralEmail: z.string().nullable(),
  source: z.string(),
  externalId: z.string(),
  services: z.number().int(),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type DirectoryOrganization = z.infer<typeof DirectoryOrganization>;

/** `POST /api/resources/organizations/:organizationId/locations`: a place with its address. */
export const DirectoryLocationWrite = z
  .object({
    name: Text(300).nullish(),
    description: Text(4000).nullish(),
    address: z.object({
      address1: Text(300).min(1, 'is required'),
      address2: Text(300).nullish(),
      city: Text(100).min(1, 'is required'),
      stateProvince: Text(100).min(1, 'is required'),
      postalCode: z
        .string()
        .trim()
        .regex(/^\d{5}(-\d{4})?$/, 'must be a ZIP code'),
      country: z
        .string()
        .trim()
        .toUpperCase()
        .regex(/^[A-Z]{2}$/, 'must be a two-letter country code')
        .default('US'),
    }),
    /** Given, or found from the ZIP code's centroid when both are left out. */
    latitude: z.number().min(-90).max(90).optional(),
    longitude: z.number().min(-180).max(180).optional(),
    /** IANA time zone of its hours; the department's own when left out. */
    timeZone: z
      .string()
      .refine((tz) => Intl.supportedValuesOf('timeZone').includes(tz) || tz === 'UTC', 'must be a time zone')
      .optional(),
  })
  .refine((l) => (l.latitude === undefined) === (l.longitude === undefined), {
    message: 'give both latitude and longitude, or neither',
    path: ['longitude'],
  });
export type DirectoryLocationWrite = z.infer<typeof DirectoryLocationWrite>;

export const DirectoryLocation = z.object({
  id: Uuid,
  name: z.string().nullable(),
  address: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  /** Where the coordinates come from: given, the ZIP code's centroid, or none. */
  geocoded: z.enum(['given', 'zip', 'none']),
  timeZone: z.string(),
});
export type DirectoryLocation = z.infer<typeof DirectoryLocation>;

export const PartnerParams = z.object({ organizationId: Uuid, userId: Uuid });
export const PartnerAddRequest = z.object({ userId: Uuid });
/** A user (role community_partner) who answers the organisation's referrals in their inbox. */
export const PartnerAccount = z.object({
  userId: Uuid,
  displayName: z.string(),
  email: z.string(),
  addedAt: z.string(),
});

/** `GET /api/resources/imports`: the last import runs with their reports (admins). */
export const ImportRun = z.object({
  id: Uuid,
  source: z.string(),
  format: z.enum(['hsds-csv', 'hsds-json']),
  path: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  importedBy: z.object({ id: Uuid, displayName: z.string() }).nullable(),
  report: ImportReport,
});
export type ImportRun = z.infer<typeof ImportRun>;
