import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { hasHsdsCsv, packageFileIn, readCsvPackage } from './read-csv.ts';
import { jsonFilesIn, readJson } from './read-json.ts';
import type { ReadResult } from './records.ts';

/**
 * Reads HSDS from a path: a folder with a datapackage.json (or with CSV files named like HSDS tables), a
 * datapackage.json itself, an HSDS 3.0 JSON file, or a folder of them. Answers why when there is nothing to
 * read.
 */
export function readHsds(path: string): ReadResult | { error: string } {
  if (!existsSync(path)) return { error: `${path} does not exist` };
  if (statSync(path).isDirectory()) {
    const packageFile = packageFileIn(path);
    if (packageFile || hasHsdsCsv(path)) return readCsvPackage(path, packageFile);
    const json = jsonFilesIn(path);
    if (json.length > 0) return readJson(json, basename(resolve(path)));
    return { error: `${path} holds no datapackage.json, HSDS CSV file or HSDS JSON file` };
  }
  if (/\.json$/i.test(path)) {
    if (basename(path).toLowerCase() === 'datapackage.json' || isDataPackage(path)) {
      return readCsvPackage(dirname(resolve(path)), path);
    }
    return readJson([path], basename(path).replace(/\.json$/i, ''));
  }
  return { error: `${path}: give a datapackage folder, its datapackage.json, or HSDS JSON` };
}

function isDataPackage(path: string): boolean {
  try {
    const document = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
    return Array.isArray(document?.resources);
  } catch {
    return false;
  }
}
