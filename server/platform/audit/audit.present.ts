import type { AuditEvent } from '../../../domain/schemas/admin.ts';
import type { auditEvents } from '../platform.tables.ts';

/** The audit record as the API shows it: no hashes, no detail blob. */
export function presentAuditEvent(row: typeof auditEvents.$inferSelect): AuditEvent {
  return {
    seq: row.seq,
    id: row.id,
    occurredAt: row.occurredAt.toISOString(),
    actorUserId: row.actorUserId,
    actorLabel: row.actorLabel,
    actorRole: row.actorRole,
    action: row.action,
    outcome: row.outcome,
    patientId: row.patientId,
    recordKind: row.recordKind,
    recordId: row.recordId,
    ip: row.ip,
    userAgent: row.userAgent,
    reason: row.reason,
    emergency: row.emergency,
  };
}

const CSV_COLUMNS = [
  'seq',
  'occurredAt',
  'actorLabel',
  'actorRole',
  'action',
  'outcome',
  'patientId',
  'recordKind',
  'recordId',
  'ip',
  'userAgent',
  'reason',
  'emergency',
] as const;

/** RFC 4180 quoting, and a leading quote on values a spreadsheet would run as a formula. */
function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export const auditCsvHeader = () => `${CSV_COLUMNS.join(',')}\r\n`;
export const auditCsvLine = (row: typeof auditEvents.$inferSelect) => {
  const event = presentAuditEvent(row);
  return `${CSV_COLUMNS.map((c) => csvCell(event[c])).join(',')}\r\n`;
};
