import type { HsdsTable } from './spec.ts';

/** One row of an HSDS table as read from a file, before it is checked. */
export interface SourceRecord {
  table: HsdsTable;
  /** The file it was read from, relative to the package, and its row there (CSV: the header is row 1). */
  file: string;
  row: number;
  /** Where in a JSON record it was nested, e.g. `service_at_locations[0].phones[0]`. */
  path?: string;
  /** The fields the file gave, as text; null for an empty field. A field the file lacks is absent. */
  values: Record<string, string | null>;
  /** Rows Kith derives from an HSDS 1.1 column (services.location_id, phones.language): the row they came from. */
  derivedFrom?: SourceRecord;
  /** The report line the row counts in when it is not the table's own, e.g. `service_at_location (services.location_id)`. */
  reportAs?: string;
}

export interface Rejection {
  file: string;
  row: number;
  id: string | null;
  reason: string;
}

export interface ReadResult {
  format: 'hsds-csv' | 'hsds-json';
  /** The datapackage's name, else the folder's or file's: the default source name. */
  name: string;
  records: SourceRecord[];
  /** Rows refused while reading (a wrong number of fields). */
  rejected: Array<Rejection & { table: string }>;
  warnings: string[];
  /** Files that could be read at all. */
  filesRead: number;
}

/** A source name from a datapackage or folder name: lower case, words joined by hyphens. */
export function slugify(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'hsds'
  );
}

/** How a rejected row is named in the report: file:row, and the JSON path when it was nested. */
export const whereOf = (r: Pick<SourceRecord, 'path'>, reason: string): string =>
  r.path ? `${r.path}: ${reason}` : reason;
