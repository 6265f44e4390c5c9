import { parseArgs } from 'node:util';
import { asc } from 'drizzle-orm';
import { loadConfig } from '../config.ts';
import type { Database } from '../db/client.ts';
import { openConfiguredDatabase } from '../db/open.ts';
import { ExportConflict, exportHsds } from '../modules/resources/hsds/export.ts';
import { importHsds, sourceNameProblem } from '../modules/resources/hsds/import.ts';
import { formatImportReport } from '../modules/resources/hsds/report.ts';
import { organizations } from '../platform/platform.tables.ts';
import { findOrganizationBySlug, type OrganizationRow } from '../platform/users.service.ts';

const USAGE = `Usage:
  npm run kith -- resources import PATH [--source NAME] [--org SLUG]
  npm run kith -- resources export DIR [--source NAME] [--org SLUG]`;

/**
 * `kith resources import|export`. Import prints the report and exits 0 when anything is in the directory from
 * the file (created, updated or unchanged), 1 when nothing could be read or every row was rejected; export
 * writes the datapackage. 2 is a usage error.
 */
export async function resourcesCommand(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(rest);
  } catch (error) {
    return usage((error as Error).message);
  }
  const [path] = parsed.positionals;
  if ((action !== 'import' && action !== 'export') || !path || parsed.positionals.length > 1) return usage();
  const badSource =
    action === 'import' && parsed.values.source ? sourceNameProblem(parsed.values.source) : null;
  if (badSource) return usage(`--source ${badSource}`);
  const database = await openConfiguredDatabase(loadConfig());
  try {
    const org = await tenantOf(database, parsed.values.org);
    if (typeof org === 'string') return usage(org);
    return action === 'import'
      ? await runImport(database, org, path, parsed.values.source)
      : await runExport(database, org, path, parsed.values.source);
  } finally {
    await database.close();
  }
}

const parse = (args: string[]) =>
  parseArgs({
    args,
    allowPositionals: true,
    options: { source: { type: 'string' }, org: { type: 'string' } },
  });

async function runImport(database: Database, org: OrganizationRow, path: string, source: string | undefined) {
  const { report, accepted } = await importHsds(database.db, { organizationId: org.id, path, source });
  console.log(
    `HSDS import of ${path} into organisation "${org.slug}", source "${report.source}" (${report.format})`,
  );
  console.log(formatImportReport(report));
  if (accepted === 0) {
    console.error('Nothing was imported.');
    return 1;
  }
  return 0;
}

async function runExport(database: Database, org: OrganizationRow, dir: string, source: string | undefined) {
  try {
    const result = await exportHsds(database.db, { organizationId: org.id, dir, source });
    const rows = Object.values(result.tables).reduce((a, b) => a + b, 0);
    console.log(
      `HSDS 3.0 datapackage of organisation "${org.slug}"${source ? `, source "${source}"` : ''} written to ${dir}: ${rows} rows in ${result.files.length} files`,
    );
    for (const [table, count] of Object.entries(result.tables))
      if (count > 0) console.log(`${table}: ${count}`);
    return 0;
  } catch (error) {
    if (error instanceof ExportConflict) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

/** The organisation named by --org, or the only one there is. */
async function tenantOf(database: Database, slug: string | undefined): Promise<OrganizationRow | string> {
  if (slug)
    return (await findOrganizationBySlug(database.db, slug)) ?? `no organisation with the slug "${slug}"`;
  const all = await database.db.select().from(organizations).orderBy(asc(organizations.slug)).limit(10);
  if (all.length === 1) return all[0]!;
  return all.length === 0
    ? 'there is no organisation yet (create one with create-user)'
    : `several organisations: choose one with --org (${all.map((o) => o.slug).join(', ')})`;
}

function usage(message?: string): number {
  if (message) console.error(message);
  console.error(USAGE);
  return 2;
}
