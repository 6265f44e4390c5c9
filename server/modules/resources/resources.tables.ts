import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { newId } from '../../platform/ids.ts';
import { organizations, users } from '../../platform/platform.tables.ts';

/**
 * The community resource directory, following Open Referral HSDS 3.0 (domain.md "Community resources").
 *
 * `organization_id` is always Kith's tenant (the hospital department), as on every table; the HSDS
 * organization a service belongs to is `directory_organization_id`. Every HSDS row keeps where it came from:
 * `source` (a feed's name, or `kith` for rows made in the app) and `external_id` (its id in that feed), unique
 * per tenant, which is what makes a second import update in place. `extra` keeps the HSDS fields Kith does not
 * use, so that an export gives back what was imported.
 */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });
/** Minutes of the week, Monday 00:00 = 0 … Sunday 23:59 = 10079, in the service's own time zone. */
const int4multirange = customType<{ data: string }>({ dataType: () => 'int4multirange' });

const tenant = () =>
  uuid('organization_id')
    .notNull()
    .references(() => organizations.id);
const provenance = () => ({
  source: text('source').notNull(),
  externalId: text('external_id').notNull(),
  extra: jsonb('extra').notNull().default(sql`'{}'::jsonb`),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const directoryOrganizations = pgTable(
  'directory_organizations',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: tenant(),
    ...provenance(),
    name: text('name').notNull(),
    alternateName: text('alternate_name'),
    description: text('description'),
    email: text('email'),
    website: text('website'),
    taxStatus: text('tax_status'),
    taxId: text('tax_id'),
    yearIncorporated: integer('year_incorporated'),
    legalStatus: text('legal_status'),
    logo: text('logo'),
    uri: text('uri'),
    parentOrganizationId: uuid('parent_organization_id'),
    /** Kith: where referral emails go; without it the organisation can only be referred to through its inbox. */
    referralEmail: text('referral_email'),
    version: integer('version').notNull().default(1),
  },
  (t) => [uniqueIndex('directory_organizations_source_idx').on(t.organizationId, t.source, t.externalId)],
);

export const directoryPrograms = pgTable(
  'directory_programs',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: tenant(),
    ...provenance(),
    directoryOrganizationId: uuid('directory_organization_id')
      .notNull()
      .references(() => directoryOrganizations.id),
    name: text('name').notNull(),
    alternateName: text('alternate_name'),
    description: text('description'),
  },
  (t) => [uniqueIndex('directory_programs_source_idx').on(t.organizationId, t.source, t.externalId)],
);

export const directoryServices = pgTable(
  'directory_services',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: tenant(),
    ...provenance(),
    directoryOrganizationId: uuid('directory_organization_id')
      .notNull()
      .references(() => directoryOrganizations.id),
    programId: uuid('program_id').references(() => directoryPrograms.id),
    name: text('name').notNull(),
    alternateName: text('alternate_name'),
    description: text('description'),
    url: text('url'),
    email: text('email'),
    /** active | inactive | defunct | temporarily closed (HSDS). Only active services are found by search. */
    status: text('status').notNull(),
    interpretationServices: text('interpretation_services'),
    applicationProcess: text('application_process'),
    feesDescription: text('fees_description'),
    waitTime: text('wait_time'),
    accreditations: text('accreditations'),
    eligibilityDescription: text('eligibility_description'),
    minimumAge: numeric('minimum_age', { mode: 'number' }),
    maximumAge: numeric('maximum_age', { mode: 'number' }),
    /** When the record was last checked (freshness). */
    assuredDate: date('assured_date', { mode: 'string' }),
    assurerEmail: text('assurer_email'),
    licenses: text('licenses'),
    alert: text('alert'),
    lastModified: timestamp('last_modified', { withTimezone: true }),
    // --- what Kith adds ---
    /** The SDOH domains (need codes, domain/needs.ts) this service addresses. */
    domains: text('domains').array().notNull().default(sql`'{}'::text[]`),
    /** A financial-assistance program: charity-care | medicaid-application | … (domain/resources.ts). */
    assistanceKind: text('assistance_kind'),
    /** Machine-checkable eligibility (domain/resources.ts `EligibilityRules`); {} when none. */
    eligibility: jsonb('eligibility').notNull().default(sql`'{}'::jsonb`),
    /** A post-acute provider for discharge placement: snf | home-health | inpatient-rehab | ltach | hospice | dme. */
    postAcuteKind: text('post_acute_kind'),
    /** What a post-acute provider can take on (domain/placement.ts POST_ACUTE_CAPABILITIES): ventilator, dialysis... */
    postAcuteCapabilities: text('post_acute_capabilities').array().notNull().default(sql`'{}'::text[]`),
    /** The hospital's financial interest in this provider, disclosed on the choice list (42 CFR 482.43(c)); null when none. */
    postAcuteFinancialInterest: text('post_acute_financial_interest'),
    /** Shown in the public resource finder (issue 7). */
    public: boolean('public').notNull().default(true),
    version: integer('version').notNull().default(1),
    updatedBy: uuid('updated_by').references(() => users.id),
  },
  (t) => [
    uniqueIndex('directory_services_source_idx').on(t.organizationId, t.source, t.externalId),
    index('directory_services_org_idx').on(t.directoryOrganizationId),
    index('directory_services_post_acute_idx')
      .on(t.organizationId, t.postAcuteKind)
      .where(sql`${t.postAcuteKind} is not null`),
  ],
);

export const directoryLocations = pgTable(
  'directory_locations',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: tenant(),
    ...provenance(),
    directoryOrganizationId: uuid('directory_organization_id').references(() => directoryOrganizations.id),
    /** physical | postal | virtual */
    locationType: text('location_type').notNull().default('physical'),
    url: text('url'),
    name: text('name'),
    alternateName: text('alternate_name'),
    description: text('description'),
    transportation: text('transportation'),
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    externalIdentifier: text('external_identifier'),
    externalIdentifierType: text('external_identifier_type'),
    /** IANA time zone of its schedules; null means the tenant's own. */
    timeZone: text('time_zone'),
  },
  (t) => [uniqueIndex('directory_locations_source_idx').on(t.organizationId, t.source, t.externalId)],
);

export const directoryAddresses = pgTable(
  'directory_addresses',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: tenant(),
    ...provenance(),
    locationId: uuid('location_id')
      .notNull()
      .references(() => directoryLocations.id),
    attention: text('attention'),
    address1: text('address_1').notNull(),
    address2: text('address_2'),
    city: text('city').notNull(),
    region: text('region'),
    stateProvince: text('state_province').notNull(),
    postalCode: text('postal_code').notNull(),
    country: text('country').notNull(),
    /** physical | postal | virtual */
    addressType: text('address_type').notNull(),
  },
  (t) => [
    uniqueIndex('directory_addresses_source_idx').on(t.organizationId, t.source, t.externalId),
    index('directory_addresses_location_idx').on(t.locationId),
  ],
);

export const directoryServiceAtLocations = pgTable(
  'directory_service_at_locations',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: tenant(),
    ...provenance(),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => directoryServices.id),
    locationId: uuid('location_id')
      .notNull()
      .references(() => directoryLocations.id),
    description: text('description'),
  },
  (t) => [
    uniqueIndex('directory_sal_source_idx').on(t.organizationId, t.source, t.externalId),
    index('directory_sal_service_idx').on(t.serviceId),
    index('directory_sal_location_idx').on(t.locationId),
  ],
);

export const directoryPhones = pgTable(
  'directory_phones',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: tenant(),
    ...provenance(),
    directoryOrganizationId: uuid('directory_organization_id').references(() => directoryOrganizations.id),
    serviceId: uuid('service_id').references(() => directoryServices.id),
    locationId: uuid('location_id').references(() => directoryLocations.id),
    serviceAtLocationId: uuid('service_at_location_id').references(() => directoryServiceAtLocations.id),
    /** HSDS contact id as given (contacts live in directory_other_records). */
    contactExternalId: text('contact_external_id'),
    number: text('number').notNull(),
    extension: text('extension'),
    type: text('type'),
    description: text('description'),
  },
  (t) => [
    uniqueIndex('directory_phones_source_idx').on(t.organizationId, t.source, t.externalId),
    index('directory_phones_service_idx').on(t.serviceId),
    index('directory_phones_location_idx').on(t.locationId),
  ],
);

/** HSDS schedule: RFC 5545 recurrence fields plus opening hours. */
export const directorySchedules = pgTable(
  'directory_schedules',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: tenant(),
    ...provenance(),
    serviceId: uuid('service_id').references(() => directoryServices.id),
    locationId: uuid('location_id').references(() => directoryLocations.id),
    serviceAtLocationId: uuid('service_at_location_id').references(() => directoryServiceAtLocations.id),
    validFrom: date('valid_from', { mode: 'string' }),
    validTo: date('valid_to', { mode: 'string' }),
    dtstart: date('dtstart', { mode: 'string' }),
    /** HSDS `timezone` (a UTC offset in hours) as given. */
    timezone: numeric('timezone', { mode: 'number' }),
    until: date('until', { mode: 'string' }),
    count: integer('count'),
    wkst: text('wkst'),
    freq: text('freq'),
    interval: integer('interval'),
    byday: text('byday'),
    byweekno: text('byweekno'),
    bymonthday: text('bymonthday'),
    byyearday: text('byyearday'),
    description: text('description'),
    /** HH:MM[:SS] local time; closes_at earlier than opens_at means the hours run past midnight. */
    opensAt: text('opens_at'),
    closesAt: text('closes_at'),
    scheduleLink: text('schedule_link'),
    attendingType: text('attending_type'),
    notes: text('notes'),
  },
  (t) => [
    uniqueIndex('directory_schedules_source_idx').on(t.organizationId, t.source, t.externalId),
    index('directory_schedules_service_idx').on(t.serviceId),
    index('directory_schedules_sal_idx').on(t.serviceAtLocationId),
  ],
);

export const directoryServiceAreas = pgTable(
  'directory_service_areas',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: tenant(),
    ...provenance(),
    serviceId: uuid('service_id').references(() => directoryServices.id),
    serviceAtLocationId: uuid('service_at_location_id').references(() => directoryServiceAtLocations.id),
    name: text('name'),
    description: text('description'),
    extent: text('extent'),
    extentType: text('extent_type'),
    uri: text('uri'),
  },
  (t) => [
    uniqueIndex('directory_service_areas_source_idx').on(t.organizationId, t.source, t.externalId),
    index('directory_service_areas_service_idx').on(t.serviceId),
  ],
);

export const directoryLanguages = pgTable(
  'directory_languages',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: tenant(),
    ...provenance(),
    serviceId: uuid('service_id').references(() => directoryServices.id),
    locationId: uuid('location_id').references(() => directoryLocations.id),
    phoneId: uuid('phone_id').references(() => directoryPhones.id),
    name: text('name'),
    /** ISO 639 / BCP 47 code, lower case. */
    code: text('code'),
    note: text('note'),
  },
  (t) => [
    uniqueIndex('directory_languages_source_idx').on(t.organizationId, t.source, t.externalId),
    index('directory_languages_service_idx').on(t.serviceId),
  ],
);

/** HSDS cost_option: the fees. */
export const directoryCostOptions = pgTable(
  'directory_cost_options',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: tenant(),
    ...provenance(),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => directoryServices.id),
    validFrom: date('valid_from', { mode: 'string' }),
    validTo: date('valid_to', { mode: 'string' }),
    option: text('option'),
    currency: text('currency'),
    amount: numeric('amount', { mode: 'number' }),
    amountDescription: text('amount_description'),
  },
  (t) => [
    uniqueIndex('directory_cost_options_source_idx').on(t.organizationId, t.source, t.externalId),
    index('directory_cost_options_service_idx').on(t.serviceId),
  ],
);

export const directoryRequiredDocuments = pgTable(
  'directory_required_documents',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: tenant(),
    ...provenance(),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => directoryServices.id),
    document: text('document').notNull(),
    uri: text('uri'),
  },
  (t) => [
    uniqueIndex('directory_required_documents_source_idx').on(t.organizationId, t.source, t.externalId),
    index('directory_required_documents_service_idx').on(t.serviceId),
  ],
);

export const directoryTaxonomies = pgTable(
  'directory_taxonomies',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: tenant(),
    ...provenance(),
    name: text('name').notNull(),
    description: text('description'),
    uri: text('uri'),
    version: text('version'),
  },
  (t) => [uniqueIndex('directory_taxonomies_source_idx').on(t.organizationId, t.source, t.externalId)],
);

export const directoryTaxonomyTerms = pgTable(
  'directory_taxonomy_terms',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: tenant(),
    ...provenance(),
    code: text('code'),
    name: text('name').notNull(),
    description: text('description'),
    parentExternalId: text('parent_external_id'),
    /** HSDS `taxonomy` (free-text name of the taxonomy) as given. */
    taxonomy: text('taxonomy'),
    taxonomyId: uuid('taxonomy_id').references(() => directoryTaxonomies.id),
    language: text('language'),
    termUri: text('term_uri'),
  },
  (t) => [
    uniqueIndex('directory_taxonomy_terms_source_idx').on(t.organizationId, t.source, t.externalId),
    index('directory_taxonomy_terms_code_idx').on(t.organizationId, t.code),
  ],
);

/** HSDS attribute: a taxonomy term attached to a service, organization, location… */
export const directoryAttributes = pgTable(
  'directory_attributes',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: tenant(),
    ...provenance(),
    /** The external id of the row it is attached to, and that row's table (link_entity). */
    linkExternalId: text('link_external_id').notNull(),
    linkEntity: text('link_entity').notNull(),
    linkType: text('link_type'),
    taxonomyTermId: uuid('taxonomy_term_id')
      .notNull()
      .references(() => directoryTaxonomyTerms.id),
    value: text('value'),
    label: text('label'),
  },
  (t) => [
    uniqueIndex('directory_attributes_source_idx').on(t.organizationId, t.source, t.externalId),
    index('directory_attributes_link_idx').on(t.organizationId, t.source, t.linkEntity, t.linkExternalId),
  ],
);

/**
 * Rows of HSDS tables Kith reads but does not use (contacts, accessibility, funding, organization
 * identifiers, urls, metadata…), kept as given so that an export gives them back.
 */
export const directoryOtherRecords = pgTable(
  'directory_other_records',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: tenant(),
    ...provenance(),
    /** The HSDS table, e.g. `contact`. */
    kind: text('kind').notNull(),
    data: jsonb('data').notNull(),
  },
  (t) => [
    uniqueIndex('directory_other_records_source_idx').on(t.organizationId, t.source, t.kind, t.externalId),
  ],
);

/** Users of role community_partner and the directory organisation whose referrals they answer. */
export const directoryPartnerMembers = pgTable(
  'directory_partner_members',
  {
    organizationId: tenant(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    directoryOrganizationId: uuid('directory_organization_id')
      .notNull()
      .references(() => directoryOrganizations.id),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.directoryOrganizationId] })],
);

/** Every import run: what was read, created, updated and rejected (with file, row and reason). */
export const directoryImports = pgTable('directory_imports', {
  id: uuid('id').primaryKey().$defaultFn(newId),
  organizationId: tenant(),
  source: text('source').notNull(),
  /** hsds-csv | hsds-json */
  format: text('format').notNull(),
  path: text('path').notNull(),
  counts: jsonb('counts').notNull(),
  rejected: jsonb('rejected').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
  finishedAt: timestamp('finished_at', { withTimezone: true }).notNull(),
  importedBy: uuid('imported_by').references(() => users.id),
});

/**
 * The search read model: one document per service at a location (or per service that has no location),
 * rebuilt from the tables above whenever they change (resources/search.index.ts). Filters are columns;
 * `document` is the weighted text; open hours are minutes of the week in the location's time zone.
 */
export const directorySearchDocs = pgTable(
  'directory_search_docs',
  {
    id: uuid('id').primaryKey(),
    organizationId: tenant(),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => directoryServices.id),
    locationId: uuid('location_id').references(() => directoryLocations.id),
    serviceAtLocationId: uuid('service_at_location_id').references(() => directoryServiceAtLocations.id),
    directoryOrganizationId: uuid('directory_organization_id')
      .notNull()
      .references(() => directoryOrganizations.id),
    status: text('status').notNull(),
    public: boolean('public').notNull(),
    domains: text('domains').array().notNull(),
    taxonomyCodes: text('taxonomy_codes').array().notNull(),
    languages: text('languages').array().notNull(),
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    postalCode: text('postal_code'),
    timeZone: text('time_zone').notNull(),
    openHours: int4multirange('open_hours'),
    /** free | fee | unknown */
    cost: text('cost').notNull(),
    assistanceKind: text('assistance_kind'),
    minimumAge: numeric('minimum_age', { mode: 'number' }),
    maximumAge: numeric('maximum_age', { mode: 'number' }),
    maxPovertyPercent: integer('max_poverty_percent'),
    eligiblePayers: text('eligible_payers').array(),
    eligiblePostalCodes: text('eligible_postal_codes').array(),
    document: tsvector('document').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('directory_search_docs_document_idx').using('gin', t.document),
    index('directory_search_docs_domains_idx').using('gin', t.domains),
    index('directory_search_docs_geo_idx').on(t.organizationId, t.latitude, t.longitude),
    index('directory_search_docs_service_idx').on(t.serviceId),
  ],
);

/**
 * Impact-ordered postings of the search documents: one row per word (stemmed lexeme) and document with its
 * weight, so that a common word's best documents are read in order from an index instead of ranking every
 * match (docs/decisions/008).
 */
export const directorySearchTerms = pgTable(
  'directory_search_terms',
  {
    organizationId: tenant(),
    term: text('term').notNull(),
    docId: uuid('doc_id')
      .notNull()
      .references(() => directorySearchDocs.id, { onDelete: 'cascade' }),
    weight: real('weight').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.docId, t.term] }),
    index('directory_search_terms_rank_idx').on(t.organizationId, t.term, t.weight.desc(), t.docId),
  ],
);

/** Every word of the directory with how many documents hold it: typo correction (trigrams) and planning. */
export const directorySearchLexicon = pgTable(
  'directory_search_lexicon',
  {
    organizationId: tenant(),
    term: text('term').notNull(),
    docCount: integer('doc_count').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.term] }),
    index('directory_search_lexicon_trgm_idx').using('gin', sql`${t.term} gin_trgm_ops`),
  ],
);
