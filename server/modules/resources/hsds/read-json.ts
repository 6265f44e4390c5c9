import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ReadResult, SourceRecord } from './records.ts';
import { type HsdsTable, TABLE_SPECS, tableOfName } from './spec.ts';

/**
 * How the HSDS 3.0 API nests records (schema/openapi.json): under `key`, records of `table`. A `child` holds its
 * parent's id in `field` (service.phones[] → phone.service_id); a `parent` nesting is the other way round
 * (service.organization → service.organization_id).
 */
interface Nesting {
  key: string;
  table: HsdsTable;
  link: 'child' | 'parent';
  field: string;
}

const child = (key: string, table: HsdsTable, field: string): Nesting => ({
  key,
  table,
  link: 'child',
  field,
});
const parent = (key: string, table: HsdsTable, field: string): Nesting => ({
  key,
  table,
  link: 'parent',
  field,
});

const NESTINGS: Partial<Record<HsdsTable, Nesting[]>> = {
  organization: [
    child('funding', 'funding', 'organization_id'),
    child('contacts', 'contact', 'organization_id'),
    child('phones', 'phone', 'organization_id'),
    child('locations', 'location', 'organization_id'),
    child('programs', 'program', 'organization_id'),
    child('organization_identifiers', 'organization_identifier', 'organization_id'),
    child('services', 'service', 'organization_id'),
  ],
  program: [child('services', 'service', 'program_id')],
  service: [
    parent('organization', 'organization', 'organization_id'),
    parent('program', 'program', 'program_id'),
    child('phones', 'phone', 'service_id'),
    child('schedules', 'schedule', 'service_id'),
    child('service_areas', 'service_area', 'service_id'),
    child('service_at_locations', 'service_at_location', 'service_id'),
    child('languages', 'language', 'service_id'),
    child('funding', 'funding', 'service_id'),
    child('cost_options', 'cost_option', 'service_id'),
    child('required_documents', 'required_document', 'service_id'),
    child('contacts', 'contact', 'service_id'),
  ],
  service_at_location: [
    parent('service', 'service', 'service_id'),
    parent('location', 'location', 'location_id'),
    child('contacts', 'contact', 'service_at_location_id'),
    child('phones', 'phone', 'service_at_location_id'),
    child('schedules', 'schedule', 'service_at_location_id'),
  ],
  location: [
    child('languages', 'language', 'location_id'),
    child('addresses', 'address', 'location_id'),
    child('contacts', 'contact', 'location_id'),
    child('accessibility', 'accessibility', 'location_id'),
    child('phones', 'phone', 'location_id'),
    child('schedules', 'schedule', 'location_id'),
  ],
  contact: [child('phones', 'phone', 'contact_id')],
  phone: [child('languages', 'language', 'phone_id')],
  attribute: [parent('taxonomy_term', 'taxonomy_term', 'taxonomy_term_id')],
  taxonomy_term: [parent('taxonomy_detail', 'taxonomy', 'taxonomy_id')],
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads HSDS 3.0 JSON as the API serves it: one record (`service_full.json`), a page of records
 * (`*_list.json`, under `contents`) or the tabular form (`tabular.json`, keyed by CSV file name), from a file or
 * every .json file of a folder. Nested records become rows of their own tables with their parent's id filled
 * in; a record met several times (a phone under its service, its contact and its location) is one row, its
 * fields merged. The table of a file comes from its name, else from the record's shape.
 */
export function readJson(paths: string[], name: string): ReadResult {
  const result: ReadResult = {
    format: 'hsds-json',
    name,
    records: [],
    rejected: [],
    warnings: [],
    filesRead: 0,
  };
  const merged = new Map<string, SourceRecord>();
  const differing = new Set<string>();
  const add = (record: SourceRecord) => {
    const id = record.values.id?.trim();
    if (!id) {
      result.records.push(record);
      return;
    }
    const key = `${record.table}\u0000${id}`;
    const seen = merged.get(key);
    if (!seen) {
      merged.set(key, record);
      result.records.push(record);
      return;
    }
    for (const [field, value] of Object.entries(record.values)) {
      const before = seen.values[field];
      if (before === undefined || before === null) seen.values[field] = value;
      else if (value !== null && value !== before && !differing.has(`${key}\u0000${field}`)) {
        differing.add(`${key}\u0000${field}`);
        result.warnings.push(
          `${record.table} ${id}: ${field} differs between ${seen.file}:${seen.row} and ${record.file}:${record.row}${record.path ? ` (${record.path})` : ''}; the first is kept`,
        );
      }
    }
  };

  for (const path of paths) {
    const file = basename(path);
    let document: Json;
    try {
      document = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
    } catch (error) {
      result.warnings.push(`${file} is not valid JSON (${(error as Error).message}); skipped`);
      continue;
    }
    const named = tableOfName(file.replace(/(_full|_list)?\.json$/i, ''));
    const fileTable = named && named in TABLE_SPECS ? (named as HsdsTable) : null;
    if (
      isObject(document) &&
      Object.keys(document).some((k) => k.endsWith('.csv') && Array.isArray(document[k]))
    ) {
      result.filesRead += 1;
      for (const [key, rows] of Object.entries(document)) {
        const table = tableOfName(key);
        if (!table || !(table in TABLE_SPECS) || !Array.isArray(rows)) {
          result.warnings.push(`${file}: ${key} is not an HSDS table Kith knows; skipped`);
          continue;
        }
        rows.forEach((row, i) => {
          if (isObject(row)) flatten(row, table as HsdsTable, { file, row: i + 1, path: key }, add);
        });
      }
      continue;
    }
    const items = isObject(document) && Array.isArray(document.contents) ? document.contents : [document];
    const list = items !== (document as unknown);
    let usable = 0;
    items.forEach((item, i) => {
      if (!isObject(item)) return;
      const table = fileTable ?? tableOfShape(item);
      if (!table || typeof item.id !== 'string') return;
      usable += 1;
      flatten(item, table, { file, row: i + 1, path: list ? `contents[${i}]` : '' }, add);
    });
    if (usable === 0) result.warnings.push(`${file} holds no HSDS record; skipped`);
    else result.filesRead += 1;
  }
  return result;
}

/** The .json files of a folder, in name order. */
export const jsonFilesIn = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.json') && f.toLowerCase() !== 'datapackage.json')
    .sort()
    .map((f) => join(dir, f));

interface Origin {
  file: string;
  row: number;
  path: string;
}

/** Turns one record and everything nested in it into flat rows. Returns the record's id. */
function flatten(
  object: JsonObject,
  table: HsdsTable,
  origin: Origin,
  add: (record: SourceRecord) => void,
  implied: Record<string, string> = {},
): string | null {
  const spec = TABLE_SPECS[table];
  const values: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(object)) {
    if (value === null || typeof value !== 'object') values[key] = scalar(value);
  }
  const id = values.id?.trim() ?? null;
  for (const nesting of NESTINGS[table] ?? []) {
    if (nesting.link !== 'parent') continue;
    const nested = object[nesting.key];
    if (!isObject(nested)) continue;
    // A program nested in a service belongs to the service's organization.
    const passOn: Record<string, string> =
      nesting.table === 'program' && values.organization_id
        ? { organization_id: values.organization_id }
        : {};
    const nestedId = flatten(nested, nesting.table, at(origin, nesting.key), add, passOn);
    if (nestedId && !values[nesting.field]) values[nesting.field] = nestedId;
  }
  for (const [field, value] of Object.entries(implied)) if (!values[field]) values[field] = value;
  add({ table, file: origin.file, row: origin.row, ...(origin.path ? { path: origin.path } : {}), values });
  if (!id) return null;
  for (const nesting of NESTINGS[table] ?? []) {
    if (nesting.link !== 'child') continue;
    const nested = object[nesting.key];
    if (!Array.isArray(nested)) continue;
    nested.forEach((item, i) => {
      if (isObject(item))
        flatten(item, nesting.table, at(origin, `${nesting.key}[${i}]`), add, { [nesting.field]: id });
    });
  }
  // Attributes and metadata hang on any record: they name it by id and table.
  const attributes = object.attributes;
  if (Array.isArray(attributes)) {
    attributes.forEach((item, i) => {
      if (isObject(item))
        flatten(item, 'attribute', at(origin, `attributes[${i}]`), add, {
          link_id: id,
          link_entity: spec.name,
        });
    });
  }
  const metadata = object.metadata;
  if (Array.isArray(metadata)) {
    metadata.forEach((item, i) => {
      if (isObject(item))
        flatten(item, 'metadata', at(origin, `metadata[${i}]`), add, {
          resource_id: id,
          resource_type: spec.name,
        });
    });
  }
  return id;
}

const at = (origin: Origin, key: string): Origin => ({
  ...origin,
  path: origin.path ? `${origin.path}.${key}` : key,
});

function scalar(value: Json): string | null {
  if (value === null) return null;
  const text = typeof value === 'string' ? value : String(value);
  return text.trim() === '' ? null : text;
}

/** The table of a record without a telling file name, from the fields only it has. */
function tableOfShape(item: JsonObject): HsdsTable | null {
  if ('status' in item || 'service_at_locations' in item) return 'service';
  if ('website' in item || 'services' in item || 'tax_status' in item) return 'organization';
  if ('location' in item && 'service' in item) return 'service_at_location';
  if ('location_type' in item || 'addresses' in item) return 'location';
  if ('taxonomy_detail' in item || 'term_uri' in item || 'parent_id' in item) return 'taxonomy_term';
  return null;
}
