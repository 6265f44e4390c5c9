import { desc, eq } from 'drizzle-orm';
import type { ImportRun } from '../../../../domain/schemas/resources.ts';
import type { DbOrTx } from '../../../db/client.ts';
import { users } from '../../../platform/platform.tables.ts';
import { directoryImports } from '../resources.tables.ts';

/** The last import runs of the tenant, newest first, with their reports. */
export async function listImports(db: DbOrTx, organizationId: string, limit = 20): Promise<ImportRun[]> {
  const rows = await db
    .select({ run: directoryImports, displayName: users.displayName })
    .from(directoryImports)
    .leftJoin(users, eq(users.id, directoryImports.importedBy))
    .where(eq(directoryImports.organizationId, organizationId))
    .orderBy(desc(directoryImports.startedAt))
    .limit(limit);
  return rows.map(({ run, displayName }) => {
    const counts = run.counts as { tables?: ImportRun['report']['tables']; warnings?: string[] };
    return {
      id: run.id,
      source: run.source,
      format: run.format as ImportRun['format'],
      path: run.path,
      startedAt: run.startedAt.toISOString(),
      finishedAt: run.finishedAt.toISOString(),
      importedBy: run.importedBy ? { id: run.importedBy, displayName: displayName ?? '' } : null,
      report: {
        source: run.source,
        format: run.format as ImportRun['format'],
        tables: counts.tables ?? {},
        rejected: run.rejected as ImportRun['report']['rejected'],
        warnings: counts.warnings ?? [],
      },
    };
  });
}
