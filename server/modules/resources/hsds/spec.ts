import { SERVICE_STATUSES } from '../../../../domain/resources.ts';

/**
 * The tables of Open Referral HSDS 3.0 (openreferral/specification, schema/ and datapackage.json): their CSV
 * file, their columns in the specification's order, and what each column holds. The import validates against
 * it and the export writes it back, datapackage.json included.
 *
 * Where Kith is stricter or looser than the specification, on purpose:
 * - ids are any non-blank text without spaces (HSDS asks for UUIDs; many real feeds use numbers);
 * - a field Kith cannot do without is required even where HSDS makes it optional (an address belongs to a
 *   location, a required document has its text), and descriptions HSDS requires but Kith does not need are
 *   optional, so that an organisation made in the app exports and imports again;
 * - web addresses are kept as given (feeds often leave out the scheme).
 */

export type FieldType =
  | 'id'
  | 'ref'
  | 'text'
  | 'number'
  | 'integer'
  | 'date'
  | 'datetime'
  | 'time'
  | 'email'
  | 'uri'
  | 'enum'
  | 'byday'
  | 'latitude'
  | 'longitude';

export interface FieldSpec {
  name: string;
  type: FieldType;
  required?: boolean;
  /** For `ref`: the HSDS table the id points to. */
  target?: HsdsTable;
  /** For `enum`: the values, and how the given value is folded before comparing. */
  values?: readonly string[];
  fold?: 'lower' | 'upper';
}

export const HSDS_TABLES = [
  'organization',
  'program',
  'service',
  'attribute',
  'service_at_location',
  'location',
  'phone',
  'contact',
  'address',
  'schedule',
  'funding',
  'service_area',
  'required_document',
  'language',
  'accessibility',
  'taxonomy_term',
  'metadata',
  'meta_table_description',
  'cost_option',
  'organization_identifier',
  'taxonomy',
] as const;
export type HsdsTable = (typeof HSDS_TABLES)[number];

export interface TableSpec {
  name: HsdsTable;
  file: string;
  description: string;
  fields: readonly FieldSpec[];
}

const id: FieldSpec = { name: 'id', type: 'id', required: true };
const text = (name: string, required = false): FieldSpec => ({ name, type: 'text', required });
const ref = (name: string, target: HsdsTable, required = false): FieldSpec => ({
  name,
  type: 'ref',
  target,
  required,
});
const typed = (name: string, type: FieldType, required = false): FieldSpec => ({ name, type, required });
const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
const LOCATION_TYPES = ['physical', 'postal', 'virtual'] as const;

const TABLES: readonly TableSpec[] = [
  {
    name: 'organization',
    file: 'organizations.csv',
    description: 'The organizations that provide services.',
    fields: [
      id,
      text('name', true),
      text('alternate_name'),
      text('description'),
      typed('email', 'email'),
      typed('website', 'uri'),
      text('tax_status'),
      text('tax_id'),
      typed('year_incorporated', 'integer'),
      text('legal_status'),
      text('logo'),
      typed('uri', 'uri'),
      ref('parent_organization_id', 'organization'),
    ],
  },
  {
    name: 'program',
    file: 'programs.csv',
    description: 'Programs under which services are delivered.',
    fields: [
      id,
      ref('organization_id', 'organization', true),
      text('name', true),
      text('alternate_name'),
      text('description'),
    ],
  },
  {
    name: 'service',
    file: 'services.csv',
    description: 'The services provided by organizations.',
    fields: [
      id,
      ref('organization_id', 'organization', true),
      ref('program_id', 'program'),
      text('name', true),
      text('alternate_name'),
      text('description'),
      typed('url', 'uri'),
      typed('email', 'email'),
      { name: 'status', type: 'enum', required: true, values: SERVICE_STATUSES, fold: 'lower' },
      text('interpretation_services'),
      text('application_process'),
      text('fees_description'),
      text('wait_time'),
      text('fees'),
      text('accreditations'),
      text('eligibility_description'),
      typed('minimum_age', 'number'),
      typed('maximum_age', 'number'),
      typed('assured_date', 'date'),
      typed('assurer_email', 'email'),
      text('licenses'),
      text('alert'),
      typed('last_modified', 'datetime'),
    ],
  },
  {
    name: 'attribute',
    file: 'attributes.csv',
    description: 'Taxonomy terms attached to other records.',
    fields: [
      id,
      text('link_id', true),
      ref('taxonomy_term_id', 'taxonomy_term', true),
      text('link_type'),
      text('link_entity', true),
      text('value'),
    ],
  },
  {
    name: 'service_at_location',
    file: 'service_at_location.csv',
    description: 'Where services are delivered.',
    fields: [
      id,
      ref('service_id', 'service', true),
      ref('location_id', 'location', true),
      text('description'),
    ],
  },
  {
    name: 'location',
    file: 'locations.csv',
    description: 'Places where services are delivered.',
    fields: [
      id,
      { name: 'location_type', type: 'enum', values: LOCATION_TYPES, fold: 'lower' },
      typed('url', 'uri'),
      ref('organization_id', 'organization'),
      text('name'),
      text('alternate_name'),
      text('description'),
      text('transportation'),
      typed('latitude', 'latitude'),
      typed('longitude', 'longitude'),
      text('external_identifier'),
      text('external_identifier_type'),
    ],
  },
  {
    name: 'phone',
    file: 'phones.csv',
    description: 'Telephone numbers.',
    fields: [
      id,
      ref('location_id', 'location'),
      ref('service_id', 'service'),
      ref('organization_id', 'organization'),
      ref('contact_id', 'contact'),
      ref('service_at_location_id', 'service_at_location'),
      text('number', true),
      text('extension'),
      text('type'),
      text('description'),
    ],
  },
  {
    name: 'contact',
    file: 'contacts.csv',
    description: 'Named contacts.',
    fields: [
      id,
      ref('organization_id', 'organization'),
      ref('service_id', 'service'),
      ref('service_at_location_id', 'service_at_location'),
      ref('location_id', 'location'),
      text('name'),
      text('title'),
      text('department'),
      typed('email', 'email'),
    ],
  },
  {
    name: 'address',
    file: 'addresses.csv',
    description: 'Addresses of locations.',
    fields: [
      id,
      ref('location_id', 'location', true),
      text('attention'),
      text('address_1', true),
      text('address_2'),
      text('city', true),
      text('region'),
      text('state_province', true),
      text('postal_code', true),
      text('country', true),
      { name: 'address_type', type: 'enum', values: LOCATION_TYPES, fold: 'lower' },
    ],
  },
  {
    name: 'schedule',
    file: 'schedules.csv',
    description: 'When services are available (RFC 5545 recurrence fields and opening hours).',
    fields: [
      id,
      ref('service_id', 'service'),
      ref('location_id', 'location'),
      ref('service_at_location_id', 'service_at_location'),
      typed('valid_from', 'date'),
      typed('valid_to', 'date'),
      typed('dtstart', 'date'),
      typed('timezone', 'number'),
      typed('until', 'date'),
      typed('count', 'integer'),
      { name: 'wkst', type: 'enum', values: DAYS, fold: 'upper' },
      // HSDS lists WEEKLY and MONTHLY; Kith also writes DAILY, which RFC 5545 defines.
      { name: 'freq', type: 'enum', values: ['WEEKLY', 'MONTHLY', 'DAILY'], fold: 'upper' },
      typed('interval', 'integer'),
      typed('byday', 'byday'),
      text('byweekno'),
      text('bymonthday'),
      text('byyearday'),
      text('description'),
      typed('opens_at', 'time'),
      typed('closes_at', 'time'),
      typed('schedule_link', 'uri'),
      text('attending_type'),
      text('notes'),
    ],
  },
  {
    name: 'funding',
    file: 'funding.csv',
    description: 'Sources of funding.',
    fields: [id, ref('organization_id', 'organization'), ref('service_id', 'service'), text('source')],
  },
  {
    name: 'service_area',
    file: 'service_areas.csv',
    description: 'The areas a service covers.',
    fields: [
      id,
      ref('service_id', 'service'),
      text('name'),
      text('description'),
      text('extent'),
      text('extent_type'),
      typed('uri', 'uri'),
    ],
  },
  {
    name: 'required_document',
    file: 'required_documents.csv',
    description: 'Documents needed to access a service.',
    fields: [id, ref('service_id', 'service', true), text('document', true), typed('uri', 'uri')],
  },
  {
    name: 'language',
    file: 'languages.csv',
    description: 'Languages spoken at a service, location or phone.',
    fields: [
      id,
      ref('service_id', 'service'),
      ref('location_id', 'location'),
      ref('phone_id', 'phone'),
      text('name'),
      text('code'),
      text('note'),
    ],
  },
  {
    name: 'accessibility',
    file: 'accessibility.csv',
    description: 'Accessibility of locations.',
    fields: [id, ref('location_id', 'location'), text('description'), text('details'), typed('url', 'uri')],
  },
  {
    name: 'taxonomy_term',
    file: 'taxonomy_terms.csv',
    description: 'Terms of taxonomies.',
    fields: [
      id,
      text('code'),
      text('name', true),
      text('description'),
      ref('parent_id', 'taxonomy_term'),
      text('taxonomy'),
      text('language'),
      ref('taxonomy_id', 'taxonomy'),
      typed('term_uri', 'uri'),
    ],
  },
  {
    name: 'metadata',
    file: 'metadata.csv',
    description: 'Changes made to records.',
    fields: [
      id,
      text('resource_id', true),
      text('resource_type', true),
      typed('last_action_date', 'date', true),
      text('last_action_type', true),
      text('field_name'),
      text('previous_value'),
      text('replacement_value'),
      text('updated_by'),
    ],
  },
  {
    name: 'meta_table_description',
    file: 'meta_table_descriptions.csv',
    description: 'Descriptions of the tables of this dataset.',
    fields: [id, text('name'), text('language'), text('character_set')],
  },
  {
    name: 'cost_option',
    file: 'cost_options.csv',
    description: 'What a service costs.',
    fields: [
      id,
      ref('service_id', 'service', true),
      typed('valid_from', 'date'),
      typed('valid_to', 'date'),
      text('option'),
      text('currency'),
      typed('amount', 'number'),
      text('amount_description'),
    ],
  },
  {
    name: 'organization_identifier',
    file: 'organization_identifiers.csv',
    description: 'Identifiers of organizations in other schemes.',
    fields: [
      id,
      ref('organization_id', 'organization', true),
      text('identifier_scheme'),
      text('identifier_type', true),
      text('identifier', true),
    ],
  },
  {
    name: 'taxonomy',
    file: 'taxonomies.csv',
    description: 'Taxonomies used to classify records.',
    fields: [id, text('name', true), text('description'), typed('uri', 'uri'), text('version')],
  },
];

export const TABLE_SPECS: Record<HsdsTable, TableSpec> = Object.fromEntries(
  TABLES.map((t) => [t.name, t]),
) as Record<HsdsTable, TableSpec>;

/**
 * The order rows are checked and written in: every table after the tables its references point to, so that a
 * row rejected for a dangling reference makes the rows that point to it dangle too.
 */
export const IMPORT_ORDER: readonly HsdsTable[] = [
  'taxonomy',
  'taxonomy_term',
  'organization',
  'program',
  'service',
  'location',
  'address',
  'service_at_location',
  'contact',
  'phone',
  'schedule',
  'service_area',
  'language',
  'cost_option',
  'required_document',
  'attribute',
  'accessibility',
  'funding',
  'organization_identifier',
  'metadata',
  'meta_table_description',
];

/**
 * Which references must point to a row that exists (in the import, or in the directory for the same source):
 * - a required one (a service's organization, both ends of a service_at_location, an address's location…);
 * - a reference to a service: a phone, schedule or contact of an unknown service would describe nothing, or the
 *   wrong thing;
 * - for the rows that only hang on others (`HANGING_TABLES`), at least one of those they name: a phone whose
 *   every reference dangles belongs to nothing.
 * Any other reference that does not resolve is kept as given, unlinked, with a warning, so that the export
 * gives it back (the HSDS 3.0 example itself points at organizations and taxonomies it does not hold).
 */
export const mustResolve = (field: FieldSpec): boolean =>
  Boolean(field.required) || field.target === 'service';
export const HANGING_TABLES: ReadonlySet<HsdsTable> = new Set([
  'phone',
  'contact',
  'schedule',
  'language',
  'funding',
  'accessibility',
  'service_area',
]);

/** The HSDS table a CSV file holds, from its file name (3.0 names, singular forms and the 1.1 names). */
const FILE_ALIASES: Record<string, HsdsTable | AliasedTable> = {
  ...Object.fromEntries(
    TABLES.flatMap((t) => [
      [t.file.replace(/\.csv$/, ''), t.name],
      [t.name, t.name],
    ]),
  ),
  services_at_location: 'service_at_location',
  services_at_locations: 'service_at_location',
  service_at_locations: 'service_at_location',
  organisation: 'organization',
  organisations: 'organization',
  physical_address: 'physical_address',
  physical_addresses: 'physical_address',
  postal_address: 'postal_address',
  postal_addresses: 'postal_address',
  regular_schedule: 'regular_schedule',
  regular_schedules: 'regular_schedule',
  service_taxonomy: 'service_taxonomy',
  service_taxonomies: 'service_taxonomy',
};

/** HSDS 1.1 tables that Kith reads into their 3.0 counterparts. */
export type AliasedTable = 'physical_address' | 'postal_address' | 'regular_schedule' | 'service_taxonomy';

/** The HSDS table of a file or datapackage resource name, or null when it is not one Kith knows. */
export function tableOfName(name: string): HsdsTable | AliasedTable | null {
  const stem = name
    .toLowerCase()
    .replace(/^.*\//, '')
    .replace(/\.(csv|json)$/, '')
    .replace(/[\s-]+/g, '_');
  return FILE_ALIASES[stem] ?? null;
}
