import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { adaptLegacyRecord } from './legacy.ts';
import type { ReadResult, SourceRecord } from './records.ts';
import { type AliasedTable, type HsdsTable, tableOfName } from './spec.ts';

interface PackageResource {
  name?: unknown;
  path?: unknown;
}

/**
 * Reads an HSDS datapackage: the CSV files its datapackage.json lists, plus any file of the folder named like an
 * HSDS table that it does not list (the 1.1 sample leaves some out), each with a warning. Files are UTF-8, with
 * or without a byte-order mark, with CR, LF or CRLF line ends, even mixed. A listed file that is missing is a
 * warning. `packageFile` is the datapackage.json, or null for a folder of CSV files without one.
 */
export function readCsvPackage(dir: string, packageFile: string | null): ReadResult {
  const result: ReadResult = {
    format: 'hsds-csv',
    name: basename(resolve(dir)),
    records: [],
    rejected: [],
    warnings: [],
    filesRead: 0,
  };
  const files: Array<{ path: string; table: HsdsTable | AliasedTable | null; resource: string | null }> = [];
  if (packageFile) {
    let descriptor: { name?: unknown; resources?: unknown };
    try {
      descriptor = JSON.parse(readFileSync(packageFile, 'utf8').replace(/^\uFEFF/, ''));
    } catch (error) {
      result.warnings.push(`${basename(packageFile)} is not valid JSON (${(error as Error).message})`);
      return result;
    }
    if (typeof descriptor.name === 'string' && descriptor.name.trim()) result.name = descriptor.name;
    const resources = Array.isArray(descriptor.resources) ? (descriptor.resources as PackageResource[]) : [];
    for (const resource of resources) {
      const name = typeof resource.name === 'string' ? resource.name : null;
      if (typeof resource.path !== 'string') {
        result.warnings.push(`resource ${name ?? '(unnamed)'}: only a local file path is supported; skipped`);
        continue;
      }
      const table = (name ? tableOfName(name) : null) ?? tableOfName(resource.path);
      files.push({ path: resource.path, table, resource: name });
    }
  } else {
    result.warnings.push('no datapackage.json: the CSV files are recognised by their names');
  }
  const listed = new Set(files.map((f) => resolve(dir, f.path)));
  for (const entry of readdirSync(dir).sort()) {
    if (!entry.toLowerCase().endsWith('.csv') || listed.has(resolve(dir, entry))) continue;
    const table = tableOfName(entry);
    if (!table) continue;
    if (packageFile)
      result.warnings.push(`${entry} is not listed in datapackage.json; read as HSDS ${table}`);
    files.push({ path: entry, table, resource: null });
  }
  for (const file of files) {
    const full = resolve(dir, file.path);
    const shown = relative(resolve(dir), full) || file.path;
    if (!existsSync(full) || !statSync(full).isFile()) {
      result.warnings.push(`${shown} is listed in datapackage.json but missing; skipped`);
      continue;
    }
    if (!file.table) {
      result.warnings.push(
        `${shown} (${file.resource ?? 'unnamed resource'}) is not an HSDS table Kith knows; skipped`,
      );
      continue;
    }
    readCsvFile(full, shown, file.table, result);
  }
  return result;
}

/** Parses one CSV file into records of its table; a row with a wrong number of fields is rejected here. */
function readCsvFile(full: string, shown: string, table: HsdsTable | AliasedTable, result: ReadResult): void {
  let rows: Array<{ record: string[]; info: { records: number } }>;
  try {
    rows = parse(readFileSync(full), {
      bom: true,
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      record_delimiter: ['\r\n', '\n', '\r'],
    }) as unknown as typeof rows;
  } catch (error) {
    result.warnings.push(`${shown} could not be parsed as CSV (${(error as Error).message}); skipped`);
    return;
  }
  const [head, ...body] = rows;
  if (!head) {
    result.warnings.push(`${shown} is empty; skipped`);
    return;
  }
  const header = head.record.map((h) => h.trim().toLowerCase());
  if (!header.includes('id')) {
    result.warnings.push(`${shown} has no id column; skipped`);
    return;
  }
  result.filesRead += 1;
  for (const { record, info } of body) {
    // Spreadsheet programs leave rows of empty cells at the end: not rows at all.
    if (record.every((cell) => cell.trim() === '')) continue;
    const row = info.records;
    if (record.length !== header.length) {
      const idAt = header.indexOf('id');
      result.rejected.push({
        table,
        file: shown,
        row,
        id: record[idAt]?.trim() || null,
        reason: `has ${record.length} fields where the header has ${header.length}`,
      });
      continue;
    }
    const values: Record<string, string | null> = {};
    header.forEach((column, i) => {
      if (column in values) return;
      const cell = record[i] ?? '';
      values[column] = cell.trim() === '' ? null : cell;
    });
    const adapted = adaptLegacyRecord(table, { file: shown, row, values }, header);
    result.records.push(...adapted);
  }
}

/** The datapackage.json of a folder, or null. */
export function packageFileIn(dir: string): string | null {
  const file = join(dir, 'datapackage.json');
  return existsSync(file) ? file : null;
}

/** Whether a folder holds CSV files named like HSDS tables. */
export function hasHsdsCsv(dir: string): boolean {
  return readdirSync(dir).some((f) => f.toLowerCase().endsWith('.csv') && tableOfName(f) !== null);
}

export const folderOf = (file: string) => dirname(resolve(file));

export type { SourceRecord };
