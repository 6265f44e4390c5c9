import type { ImportReport } from '../../../../domain/schemas/resources.ts';

const COUNTERS = ['read', 'created', 'updated', 'unchanged', 'rejected'] as const;

/**
 * The import report as the command line prints it: a line per table with its counts, then every rejected row
 * as `file:row id — reason`, then the warnings.
 */
export function formatImportReport(report: ImportReport): string {
  const lines: string[] = [];
  const tables = Object.entries(report.tables);
  const width = Math.max(5, ...tables.map(([t]) => t.length));
  lines.push([`${'table'.padEnd(width)}`, ...COUNTERS.map((c) => c.padStart(9))].join(' '));
  for (const [table, counts] of tables) {
    lines.push([table.padEnd(width), ...COUNTERS.map((c) => String(counts[c]).padStart(9))].join(' '));
  }
  if (report.rejected.length > 0) {
    lines.push('', `Rejected rows (${report.rejected.length}):`);
    for (const r of report.rejected) lines.push(`${r.file}:${r.row} ${r.id ?? '(no id)'} — ${r.reason}`);
  }
  if (report.warnings.length > 0) {
    lines.push('', `Warnings (${report.warnings.length}):`);
    for (const w of report.warnings) lines.push(`- ${w}`);
  }
  return lines.join('\n');
}
