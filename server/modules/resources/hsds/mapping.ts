import { getTableColumns } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import {
  directoryAddresses,
  directoryAttributes,
  directoryCostOptions,
  directoryLanguages,
  directoryLocations,
  directoryOrganizations,
  directoryPhones,
  directoryPrograms,
  directoryRequiredDocuments,
  directorySchedules,
  directoryServiceAreas,
  directoryServiceAtLocations,
  directoryServices,
  directoryTaxonomies,
  directoryTaxonomyTerms,
} from '../resources.tables.ts';
import { type HsdsTable, TABLE_SPECS } from './spec.ts';

/**
 * Where each HSDS table lives in Kith. A `ref` field holds the Kith id of the row it points to; a `textRef`
 * keeps the HSDS id as given (the row it names lives elsewhere, or may not be one Kith keeps). Every other field
 * goes to the column of the same name (camelCased), or to `extra` when the table has none. Tables not listed
 * here are kept whole in directory_other_records.
 */
export interface Mapping {
  table: PgTable;
  refs: Record<string, string>;
  textRefs: Record<string, string>;
}

const map = (
  table: PgTable,
  refs: Record<string, string> = {},
  textRefs: Record<string, string> = {},
): Mapping => ({
  table,
  refs,
  textRefs,
});

export const MAPPINGS: Partial<Record<HsdsTable, Mapping>> = {
  organization: map(directoryOrganizations, { parent_organization_id: 'parentOrganizationId' }),
  program: map(directoryPrograms, { organization_id: 'directoryOrganizationId' }),
  service: map(directoryServices, { organization_id: 'directoryOrganizationId', program_id: 'programId' }),
  location: map(directoryLocations, { organization_id: 'directoryOrganizationId' }),
  address: map(directoryAddresses, { location_id: 'locationId' }),
  service_at_location: map(directoryServiceAtLocations, {
    service_id: 'serviceId',
    location_id: 'locationId',
  }),
  phone: map(
    directoryPhones,
    {
      location_id: 'locationId',
      service_id: 'serviceId',
      organization_id: 'directoryOrganizationId',
      service_at_location_id: 'serviceAtLocationId',
    },
    { contact_id: 'contactExternalId' },
  ),
  schedule: map(directorySchedules, {
    service_id: 'serviceId',
    location_id: 'locationId',
    service_at_location_id: 'serviceAtLocationId',
  }),
  service_area: map(directoryServiceAreas, { service_id: 'serviceId' }),
  language: map(directoryLanguages, {
    service_id: 'serviceId',
    location_id: 'locationId',
    phone_id: 'phoneId',
  }),
  cost_option: map(directoryCostOptions, { service_id: 'serviceId' }),
  required_document: map(directoryRequiredDocuments, { service_id: 'serviceId' }),
  taxonomy: map(directoryTaxonomies),
  taxonomy_term: map(
    directoryTaxonomyTerms,
    { taxonomy_id: 'taxonomyId' },
    { parent_id: 'parentExternalId' },
  ),
  attribute: map(directoryAttributes, { taxonomy_term_id: 'taxonomyTermId' }, { link_id: 'linkExternalId' }),
};

const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** For each field of an HSDS table: the column that holds it, or null when it lives in `extra`. */
export function columnsOf(table: HsdsTable): Record<string, string | null> {
  const mapping = MAPPINGS[table];
  if (!mapping) return {};
  const columns = getTableColumns(mapping.table);
  return Object.fromEntries(
    TABLE_SPECS[table].fields
      .filter((f) => f.name !== 'id')
      .map((f) => {
        const column = mapping.refs[f.name] ?? mapping.textRefs[f.name] ?? camel(f.name);
        return [f.name, column in columns ? column : null];
      }),
  );
}

/** Columns an import never compares or writes from a file. */
export const BOOKKEEPING = new Set(['id', 'createdAt', 'updatedAt', 'version', 'updatedBy']);
