import { resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import type { ImportReport } from '../../../../domain/schemas/resources.ts';
import type { Db } from '../../../db/client.ts';
import { type Actor, auditActor, type RequestOrigin } from '../../../platform/actor.ts';
import { appendAudit } from '../../../platform/audit/audit.service.ts';
import { invalid } from '../../../platform/errors.ts';
import { newId } from '../../../platform/ids.ts';
import { directoryImports } from '../resources.tables.ts';
import { reindexSearchDocs } from '../search.index.ts';
import { Ledger } from './ledger.ts';
import { checkRecords, loadExisting, type Refused, resolveReferences } from './plan.ts';
import { readHsds } from './read.ts';
import { slugify } from './records.ts';
import { buildWrites } from './rows.ts';
import { tableOfName } from './spec.ts';
import { applyWrites, servicesTouched } from './write.ts';

/** The source of the rows made in the app; an import may not use it. */
export const APP_SOURCE = 'kith';
const SOURCE_NAME = /^[a-z0-9][a-z0-9._-]{0,59}$/;

/** Why a source name cannot be used, or null. */
export function sourceNameProblem(source: string): string | null {
  if (source === APP_SOURCE) return `"${APP_SOURCE}" is the source of rows made in the app`;
  return SOURCE_NAME.test(source) ? null : 'must be lower-case letters, digits, dots, dashes or underscores';
}

export interface ImportOptions {
  organizationId: string;
  path: string;
  /** The feed's name; rows are keyed by tenant, source and HSDS id. Defaults to the package or folder name. */
  source?: string | undefined;
  /** Who runs it: a signed-in admin, or null for the command line. */
  actor?: Actor | null;
  origin?: RequestOrigin;
}

export interface ImportResult {
  report: ImportReport;
  /** The directory_imports row, or null when nothing could be read. */
  importId: string | null;
  /** Rows now in the directory from this file (created, updated or unchanged). */
  accepted: number;
}

/**
 * Imports an HSDS directory (see read.ts for what it reads) into the tenant's directory. Every row is checked
 * on its own, then its references resolved; a bad row is reported with its file, row and reason and the rest
 * imports. Rows are matched on (tenant, source, HSDS id), so running it again updates in place.
 *
 * The whole import is one transaction: the rows, the import's record, the search index and the audit entry
 * commit together or not at all, so a crash never leaves half an organisation's services behind.
 */
export async function importHsds(db: Db, opts: ImportOptions): Promise<ImportResult> {
  const startedAt = new Date();
  const problem = opts.source === undefined ? null : sourceNameProblem(opts.source);
  if (problem) throw invalid([{ field: 'source', message: problem }]);
  const read = readHsds(opts.path);
  if ('error' in read) {
    const ledger = new Ledger(opts.source ?? '', 'hsds-csv', [read.error]);
    return { report: ledger.finish(), importId: null, accepted: 0 };
  }
  let source = opts.source ?? slugify(read.name);
  if (source === APP_SOURCE) source = `${APP_SOURCE}-import`;
  const ledger = new Ledger(source, read.format, read.warnings);
  for (const r of read.rejected) {
    const table = tableKey(r.table);
    ledger.count(table, 'read');
    ledger.reject(table, r, r.id, r.reason);
  }
  if (read.filesRead === 0 && read.records.length === 0) {
    ledger.warn('nothing to import');
    return { report: ledger.finish(), importId: null, accepted: 0 };
  }

  const importId = newId();
  const report = await db.transaction(async (tx) => {
    // Two imports of the same feed wait for each other instead of racing for the same rows.
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtext(${`directory-import:${opts.organizationId}:${source}`}))`,
    );
    const existing = await loadExisting(tx, opts.organizationId, source);
    const refused: Refused = new Map();
    for (const r of read.rejected) if (r.id) refused.set(`${tableKey(r.table)}\u0000${r.id}`, r);
    const candidates = checkRecords(read.records, ledger, refused);
    const accepted = resolveReferences(candidates, existing, ledger, refused);
    const writes = buildWrites(
      accepted,
      existing,
      { organizationId: opts.organizationId, source, now: new Date() },
      ledger,
    );
    await applyWrites(tx, writes);
    const touched = await servicesTouched(tx, opts.organizationId, source, writes);
    if (touched.length > 0) await reindexSearchDocs(tx, opts.organizationId, touched);
    const report = ledger.finish();
    await tx.insert(directoryImports).values({
      id: importId,
      organizationId: opts.organizationId,
      source,
      format: report.format,
      path: resolve(opts.path),
      // Warnings travel with the counts: the table has no column of its own for them.
      counts: { tables: report.tables, warnings: report.warnings },
      rejected: report.rejected,
      startedAt,
      finishedAt: new Date(),
      importedBy: opts.actor?.userId ?? null,
    });
    const totals = Object.values(report.tables).reduce(
      (t, c) => ({
        read: t.read + c.read,
        created: t.created + c.created,
        updated: t.updated + c.updated,
        rejected: t.rejected + c.rejected,
      }),
      { read: 0, created: 0, updated: 0, rejected: 0 },
    );
    await appendAudit(tx, {
      ...(opts.actor
        ? auditActor(opts.actor)
        : { organizationId: opts.organizationId, actorUserId: null, actorRole: null, actorLabel: 'cli' }),
      action: 'directory.import',
      outcome: 'success',
      recordKind: 'directory_import',
      recordId: importId,
      ip: opts.origin?.ip ?? null,
      userAgent: opts.origin?.userAgent ?? null,
      detail: { source, format: report.format, ...totals, servicesReindexed: touched.length },
    });
    return report;
  });
  return { report, importId, accepted: ledger.accepted };
}

/** The report line of a row refused while reading: its HSDS 3.0 table. */
function tableKey(table: string): string {
  const aliases: Record<string, string> = {
    physical_address: 'address',
    postal_address: 'address',
    regular_schedule: 'schedule',
    service_taxonomy: 'attribute',
  };
  return aliases[table] ?? tableOfName(table) ?? table;
}
