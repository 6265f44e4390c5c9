import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { and, asc, eq, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client.ts';
import { directoryOtherRecords, type directoryServices } from '../resources.tables.ts';
import { type KithServiceFields, kithRowsOf } from './kith-vocabulary.ts';
import { columnsOf, MAPPINGS } from './mapping.ts';
import { type FieldSpec, HSDS_TABLES, type HsdsTable, TABLE_SPECS } from './spec.ts';

type Row = Record<string, unknown>;
type HsdsRecord = Record<string, string | null>;

export interface ExportOptions {
  organizationId: string;
  dir: string;
  /** Only the rows of this source; all of the tenant's directory when omitted. */
  source?: string | undefined;
}

export interface ExportResult {
  /** Rows written per HSDS table. */
  tables: Record<string, number>;
  files: string[];
}

export class ExportConflict extends Error {}

/**
 * Writes the tenant's directory as an HSDS 3.0 datapackage: one CSV file per table, with the specification's
 * file names and columns, and a datapackage.json describing them. Ids are the HSDS ids the rows were imported
 * with (rows made in the app use their Kith id); fields Kith keeps only as given come back from `extra`; the
 * tables Kith does not model come back from directory_other_records; Kith's own fields travel as attributes
 * (kith-vocabulary.ts). Exporting every source at once refuses two rows of a table with the same HSDS id.
 */
export async function exportHsds(db: DbOrTx, opts: ExportOptions): Promise<ExportResult> {
  const records = new Map<HsdsTable, HsdsRecord[]>(HSDS_TABLES.map((t) => [t, []]));
  const externalIds = new Map<HsdsTable, Map<string, string>>();
  const stored = new Map<HsdsTable, Row[]>();
  for (const table of HSDS_TABLES) {
    const mapping = MAPPINGS[table];
    if (!mapping) continue;
    const t = mapping.table as typeof directoryServices;
    // Every row of the tenant, to name what a reference points to even in another source.
    const rows = (await db
      .select()
      .from(t)
      .where(eq(t.organizationId, opts.organizationId))
      .orderBy(asc(t.externalId))) as unknown as Row[];
    externalIds.set(table, new Map(rows.map((r) => [String(r.id), String(r.externalId)])));
    stored.set(
      table,
      rows.filter((r) => opts.source === undefined || r.source === opts.source),
    );
  }
  for (const [table, rows] of stored) {
    const columns = columnsOf(table);
    const mapping = MAPPINGS[table]!;
    for (const row of rows) {
      const extra = (row.extra ?? {}) as Row;
      const record: HsdsRecord = { id: String(row.externalId) };
      for (const field of TABLE_SPECS[table].fields) {
        if (field.name === 'id') continue;
        const column = columns[field.name];
        const value = column ? row[column] : null;
        const given = typeof extra[field.name] === 'string' ? (extra[field.name] as string) : null;
        if (column && mapping.refs[field.name]) {
          record[field.name] =
            value === null || value === undefined
              ? given
              : (externalIds.get(field.target!)?.get(String(value)) ?? String(value));
        } else record[field.name] = format(value) ?? given;
      }
      records.get(table)!.push(record);
    }
  }
  const services = stored.get('service') ?? [];
  const kith = kithRowsOf(
    services.map(
      (s): KithServiceFields => ({
        externalId: String(s.externalId),
        domains: (s.domains as string[]) ?? [],
        assistanceKind: (s.assistanceKind as string | null) ?? null,
        eligibility: (s.eligibility as Row) ?? {},
      }),
    ),
  );
  records.get('taxonomy')!.push(...kith.taxonomies);
  records.get('taxonomy_term')!.push(...kith.terms);
  records.get('attribute')!.push(...kith.attributes);

  const conditions: SQL[] = [eq(directoryOtherRecords.organizationId, opts.organizationId)];
  if (opts.source !== undefined) conditions.push(eq(directoryOtherRecords.source, opts.source));
  const others = await db
    .select()
    .from(directoryOtherRecords)
    .where(and(...conditions))
    .orderBy(asc(directoryOtherRecords.externalId));
  for (const other of others) {
    const table = other.kind as HsdsTable;
    if (!records.has(table) || MAPPINGS[table]) continue;
    const data = other.data as Row;
    records
      .get(table)!
      .push(
        Object.fromEntries(
          TABLE_SPECS[table].fields.map((f) => [f.name, data[f.name] == null ? null : String(data[f.name])]),
        ),
      );
  }

  mkdirSync(opts.dir, { recursive: true });
  const result: ExportResult = { tables: {}, files: [] };
  for (const table of HSDS_TABLES) {
    const spec = TABLE_SPECS[table];
    const rows = records.get(table)!;
    const seen = new Set<string>();
    for (const r of rows) {
      if (seen.has(r.id!)) {
        throw new ExportConflict(
          `two ${table} rows of different sources have the HSDS id ${r.id}: export one source at a time (--source)`,
        );
      }
      seen.add(r.id!);
    }
    const names = spec.fields.map((f) => f.name);
    const csv = stringify([names, ...rows.map((r) => names.map((n) => r[n] ?? ''))], {
      record_delimiter: '\r\n',
      // A line break inside a field must be quoted whatever the record delimiter.
      quoted_match: /[\r\n]/,
    });
    writeFileSync(join(opts.dir, spec.file), csv);
    result.tables[table] = rows.length;
    result.files.push(spec.file);
  }
  writeFileSync(join(opts.dir, 'datapackage.json'), `${JSON.stringify(descriptor(opts.source), null, 2)}\n`);
  result.files.push('datapackage.json');
  return result;
}

function format(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value === '' ? null : value;
  return String(value);
}

const FIELD_TYPES: Record<FieldSpec['type'], string> = {
  id: 'string',
  ref: 'string',
  text: 'string',
  email: 'string',
  uri: 'string',
  enum: 'string',
  byday: 'string',
  number: 'number',
  latitude: 'number',
  longitude: 'number',
  integer: 'integer',
  date: 'date',
  datetime: 'datetime',
  time: 'time',
};

/** The datapackage.json of an export: each table with its fields, primary key and foreign keys. */
function descriptor(source: string | undefined) {
  return {
    name: source ? `kith-${source}` : 'kith-directory',
    title: 'Kith community resource directory',
    description: 'A community resource directory exported by Kith as Open Referral HSDS 3.0.',
    profile: 'tabular-data-package',
    created: new Date().toISOString(),
    homepage: 'https://docs.openreferral.org',
    resources: HSDS_TABLES.map((table) => {
      const spec = TABLE_SPECS[table];
      return {
        name: table,
        path: spec.file,
        description: spec.description,
        format: 'csv',
        mediatype: 'text/csv',
        encoding: 'utf-8',
        profile: 'tabular-data-resource',
        schema: {
          primaryKey: 'id',
          fields: spec.fields.map((f) => ({
            name: f.name,
            type: FIELD_TYPES[f.type],
            ...(f.type === 'email' ? { format: 'email' } : f.type === 'uri' ? { format: 'uri' } : {}),
            constraints: { required: Boolean(f.required), ...(f.values ? { enum: f.values } : {}) },
          })),
          foreignKeys: spec.fields
            .filter((f) => f.type === 'ref' && f.target)
            .map((f) => ({ fields: f.name, reference: { resource: f.target, fields: 'id' } })),
        },
      };
    }),
  };
}
