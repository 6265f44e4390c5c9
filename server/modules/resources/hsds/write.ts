import { getTableColumns, inArray, type SQL, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../../db/client.ts';
import {
  directoryAttributes,
  directoryOtherRecords,
  directoryServiceAtLocations,
  directoryServices,
} from '../resources.tables.ts';
import { MAPPINGS } from './mapping.ts';
import type { Writes } from './rows.ts';
import { IMPORT_ORDER } from './spec.ts';

const BATCH = 400;

/** Inserts new rows and updates changed ones (matched on tenant, source and HSDS id), parents first. */
export async function applyWrites(tx: DbOrTx, writes: Writes): Promise<void> {
  for (const table of IMPORT_ORDER) {
    const mapping = MAPPINGS[table];
    const rows = writes.rows.get(table);
    if (!mapping || !rows?.length) continue;
    await upsert(tx, mapping.table, rows, ['organizationId', 'source', 'externalId']);
  }
  if (writes.other.length) {
    await upsert(tx, directoryOtherRecords, writes.other, ['organizationId', 'source', 'kind', 'externalId']);
  }
}

async function upsert(
  tx: DbOrTx,
  table: PgTable,
  rows: Record<string, unknown>[],
  key: string[],
): Promise<void> {
  const columns = getTableColumns(table);
  const keep = new Set(['id', 'createdAt', ...key]);
  const set: Record<string, SQL> = {};
  for (const [name, column] of Object.entries(columns)) {
    if (!keep.has(name)) set[name] = sql.raw(`excluded."${column.name}"`);
  }
  const target = key.map((k) => columns[k]!);
  for (let i = 0; i < rows.length; i += BATCH) {
    await tx
      .insert(table)
      .values(rows.slice(i, i + BATCH) as never)
      .onConflictDoUpdate({ target, set });
  }
}

/**
 * The services whose search documents an import changed: the services themselves, and the services of every
 * changed organization, location, address, service-at-location, phone, schedule, language, cost, document,
 * area or attribute.
 */
export async function servicesTouched(
  tx: DbOrTx,
  organizationId: string,
  source: string,
  writes: Writes,
): Promise<string[]> {
  const services = new Set(writes.changed.get('service'));
  const locations = new Set<string>();
  const serviceAtLocations = new Set<string>();
  for (const table of [
    'service_at_location',
    'phone',
    'schedule',
    'language',
    'cost_option',
    'required_document',
    'service_area',
  ] as const) {
    for (const row of writes.rows.get(table) ?? []) {
      if (typeof row.serviceId === 'string') services.add(row.serviceId);
      if (typeof row.serviceAtLocationId === 'string') serviceAtLocations.add(row.serviceAtLocationId);
      if (typeof row.locationId === 'string' && table !== 'service_at_location')
        locations.add(row.locationId);
    }
  }
  for (const id of writes.changed.get('location') ?? []) locations.add(id);
  for (const row of writes.rows.get('address') ?? []) locations.add(String(row.locationId));
  const organizations = [...(writes.changed.get('organization') ?? [])];
  const linkedIds = (writes.rows.get('attribute') ?? [])
    .filter((r) => r.linkEntity === 'service')
    .map((r) => String(r.linkExternalId));
  const found: string[][] = [];
  const chunks = <T>(items: T[]) =>
    Array.from({ length: Math.ceil(items.length / 1000) }, (_, i) => items.slice(i * 1000, i * 1000 + 1000));
  for (const ids of chunks([...locations])) {
    const rows = await tx
      .select({ id: directoryServiceAtLocations.serviceId })
      .from(directoryServiceAtLocations)
      .where(
        sql`${directoryServiceAtLocations.organizationId} = ${organizationId} and ${inArray(directoryServiceAtLocations.locationId, ids)}`,
      );
    found.push(rows.map((r) => r.id));
  }
  for (const ids of chunks([...serviceAtLocations])) {
    const rows = await tx
      .select({ id: directoryServiceAtLocations.serviceId })
      .from(directoryServiceAtLocations)
      .where(inArray(directoryServiceAtLocations.id, ids));
    found.push(rows.map((r) => r.id));
  }
  for (const ids of chunks(organizations)) {
    const rows = await tx
      .select({ id: directoryServices.id })
      .from(directoryServices)
      .where(
        sql`${directoryServices.organizationId} = ${organizationId} and ${inArray(directoryServices.directoryOrganizationId, ids)}`,
      );
    found.push(rows.map((r) => r.id));
  }
  for (const ids of chunks(linkedIds)) {
    const rows = await tx
      .select({ id: directoryServices.id })
      .from(directoryServices)
      .where(
        sql`${directoryServices.organizationId} = ${organizationId} and ${directoryServices.source} = ${source} and ${inArray(directoryServices.externalId, ids)}`,
      );
    found.push(rows.map((r) => r.id));
  }
  const terms = [...(writes.changed.get('taxonomy_term') ?? [])];
  for (const ids of chunks(terms)) {
    const rows = await tx
      .select({ id: directoryServices.id })
      .from(directoryAttributes)
      .innerJoin(
        directoryServices,
        sql`${directoryServices.organizationId} = ${directoryAttributes.organizationId} and ${directoryServices.source} = ${directoryAttributes.source} and ${directoryServices.externalId} = ${directoryAttributes.linkExternalId}`,
      )
      .where(
        sql`${directoryAttributes.linkEntity} = 'service' and ${inArray(directoryAttributes.taxonomyTermId, ids)}`,
      );
    found.push(rows.map((r) => r.id));
  }
  for (const ids of found) for (const id of ids) services.add(id);
  return [...services].sort();
}
