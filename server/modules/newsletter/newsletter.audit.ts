import type { DbOrTx } from '../../db/client.ts';
import { type Actor, auditActor, type RequestOrigin } from '../../platform/actor.ts';
import { appendAudit } from '../../platform/audit/audit.service.ts';

/** Audits an admin's newsletter action with ids and counts (never an address), inside `db` when it is a tx. */
export const auditNewsletter = (
  db: DbOrTx,
  actor: Actor,
  origin: RequestOrigin,
  entry: { action: string; recordKind: string; recordId?: string | null; detail?: Record<string, unknown> },
) =>
  appendAudit(db, {
    ...auditActor(actor),
    outcome: 'success',
    ip: origin.ip,
    userAgent: origin.userAgent,
    ...entry,
  });
