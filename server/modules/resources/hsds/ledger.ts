import type { ImportReport } from '../../../../domain/schemas/resources.ts';
import type { SourceRecord } from './records.ts';
import { HSDS_TABLES, type HsdsTable } from './spec.ts';

export type Outcome = 'created' | 'updated' | 'unchanged';
type Counter = 'read' | Outcome | 'rejected';

const MAX_WARNINGS = 200;

/** The import's report as it is being made: counts per table, rejected rows, warnings. */
export class Ledger {
  readonly report: ImportReport;
  private warningsLeftOut = 0;

  constructor(source: string, format: ImportReport['format'], warnings: readonly string[]) {
    this.report = { source, format, tables: {}, rejected: [], warnings: [] };
    for (const w of warnings) this.warn(w);
  }

  count(table: string, counter: Counter, by = 1): void {
    this.report.tables[table] ??= { read: 0, created: 0, updated: 0, unchanged: 0, rejected: 0 };
    this.report.tables[table][counter] += by;
  }

  reject(
    table: string,
    record: Pick<SourceRecord, 'file' | 'row' | 'path'>,
    id: string | null,
    reason: string,
  ): void {
    this.count(table, 'rejected');
    this.report.rejected.push({
      file: record.file,
      row: record.row,
      id,
      reason: record.path ? `${record.path}: ${reason}` : reason,
    });
  }

  warn(message: string): void {
    if (this.report.warnings.length < MAX_WARNINGS) this.report.warnings.push(message);
    else this.warningsLeftOut += 1;
  }

  /** The report, rejected rows in file and row order. */
  finish(): ImportReport {
    if (this.warningsLeftOut > 0) this.report.warnings.push(`… and ${this.warningsLeftOut} more warnings`);
    this.warningsLeftOut = 0;
    this.report.rejected.sort((a, b) => a.file.localeCompare(b.file) || a.row - b.row);
    const order = (key: string) => {
      const i = HSDS_TABLES.indexOf(key.split(' ')[0] as HsdsTable);
      return (i < 0 ? HSDS_TABLES.length : i) * 2 + (key.includes(' ') ? 1 : 0);
    };
    this.report.tables = Object.fromEntries(
      Object.entries(this.report.tables).sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b)),
    );
    return this.report;
  }

  /** Rows that are now in the directory from this import (created, updated or unchanged). */
  get accepted(): number {
    return Object.values(this.report.tables).reduce((n, t) => n + t.created + t.updated + t.unchanged, 0);
  }
}
