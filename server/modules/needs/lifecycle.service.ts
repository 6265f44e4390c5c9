import { and, eq, isNull, type SQL, sql } from 'drizzle-orm';
import { SDOH_DOMAIN_LABELS, type SdohDomain } from '../../../domain/needs.ts';
import { type NeedAction, type NeedStatus, OPEN_NEED_STATUSES } from '../../../domain/workflows/need.ts';
import type { DbOrTx } from '../../db/client.ts';
import { type AuditEntry, appendAudit } from '../../platform/audit/audit.service.ts';
import { notFound } from '../../platform/errors.ts';
import { recordOnTimeline } from '../../platform/timeline/timeline.service.ts';
import { needLinks, needs, needTransitions } from './needs.tables.ts';

/*
 * The building blocks of a need's lifecycle, shared by what assessments find (needs.service.ts), what workers
 * do (transitions.service.ts) and merges (needs.merge.ts).
 */

export type NeedRow = typeof needs.$inferSelect;

/** Makes the audit record of a need change: a route passes `access.entry`, a service may pass nothing. */
export type AuditAs = (action: string, extra: Partial<AuditEntry>) => AuditEntry;

/**
 * The predicate of needs_open_once_idx and needs_patient_open_idx, as literals: a parameterised `in ($1, $2)`
 * would not let PostgreSQL match the partial indexes (nor infer the ON CONFLICT arbiter).
 */
export const OPEN_NEED_SQL = sql.raw(`(${OPEN_NEED_STATUSES.map((s) => `'${s}'`).join(', ')})`);
const isOpen: SQL = sql`${needs.status} in ${OPEN_NEED_SQL}`;

export const domainLabel = (domain: string) => SDOH_DOMAIN_LABELS[domain as SdohDomain] ?? domain;

/** The audit record of a change a service made on its own (or for a person without their request at hand). */
export const systemAudit =
  (organizationId: string, patientId: string, userId: string | null): AuditAs =>
  (action, extra) => ({
    organizationId,
    actorUserId: userId,
    actorRole: null,
    actorLabel: userId ? null : 'Kith',
    action,
    outcome: 'success',
    patientId,
    ...extra,
  });

interface Identification {
  organizationId: string;
  patientId: string;
  domain: SdohDomain;
  sourceAssessmentId: string | null;
  at: Date;
  by: string | null;
  note?: string | null;
}

/**
 * Inserts an identified need with its `identify` history row, unless the patient already has an open need of
 * the domain: then nothing is written and undefined returned. The partial unique index decides, so that two
 * transactions finding the same domain at once make one need (the second waits for the first, then does nothing).
 */
export async function insertOpenNeed(tx: DbOrTx, v: Identification): Promise<NeedRow | undefined> {
  const [row] = await tx
    .insert(needs)
    .values({
      organizationId: v.organizationId,
      patientId: v.patientId,
      domain: v.domain,
      status: 'identified',
      sourceAssessmentId: v.sourceAssessmentId,
      identifiedAt: v.at,
      identifiedBy: v.by,
      lastFoundAt: v.at,
      note: v.note ?? null,
      statusChangedAt: v.at,
      statusChangedBy: v.by,
    })
    .onConflictDoNothing({ target: [needs.patientId, needs.domain], where: isOpen })
    .returning();
  if (!row) return undefined;
  await tx.insert(needTransitions).values({
    organizationId: v.organizationId,
    needId: row.id,
    action: 'identify',
    fromStatus: null,
    toStatus: 'identified',
    byUser: v.by,
    at: v.at,
  });
  return row;
}

/** The patient's open need of a domain, if any. */
export async function openNeedOf(
  tx: DbOrTx,
  patientId: string,
  domain: string,
): Promise<NeedRow | undefined> {
  const [row] = await tx
    .select()
    .from(needs)
    .where(and(eq(needs.patientId, patientId), eq(needs.domain, domain), isOpen));
  return row;
}

/** A need of the organisation, locked for the rest of the transaction. */
export async function lockNeed(tx: DbOrTx, organizationId: string, needId: string): Promise<NeedRow> {
  const [row] = await tx
    .select()
    .from(needs)
    .where(and(eq(needs.id, needId), eq(needs.organizationId, organizationId)))
    .for('update');
  if (!row) throw notFound('need');
  return row;
}

export async function activeLinkCount(tx: DbOrTx, needId: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(needLinks)
    .where(and(eq(needLinks.needId, needId), isNull(needLinks.unlinkedAt)));
  return Number(row?.n ?? 0);
}

export interface StatusChange {
  action: NeedAction;
  to: NeedStatus;
  /** Null when the system moved it. */
  by: string | null;
  at: Date;
  note?: string | null;
  summary: string;
  audit: AuditAs;
}

/** Writes a status change: the need (next version), its history row, the timeline entry and the audit record. */
export async function changeStatus(tx: DbOrTx, need: NeedRow, change: StatusChange): Promise<NeedRow> {
  const [updated] = await tx
    .update(needs)
    .set({
      status: change.to,
      statusChangedAt: change.at,
      statusChangedBy: change.by,
      version: need.version + 1,
      updatedAt: change.at,
    })
    .where(eq(needs.id, need.id))
    .returning();
  const [history] = await tx
    .insert(needTransitions)
    .values({
      organizationId: need.organizationId,
      needId: need.id,
      action: change.action,
      fromStatus: need.status,
      toStatus: change.to,
      byUser: change.by,
      at: change.at,
      note: change.note ?? null,
    })
    .returning({ id: needTransitions.id });
  await recordOnTimeline(tx, {
    organizationId: need.organizationId,
    patientId: need.patientId,
    kind: 'need',
    summary: change.summary,
    actorId: change.by,
    occurredAt: change.at,
    recordKind: 'need',
    recordId: need.id,
    detail: { action: change.action, fromStatus: need.status, toStatus: change.to },
  });
  await appendAudit(
    tx,
    change.audit(`need.${change.action}`, {
      recordKind: 'need',
      recordId: need.id,
      detail: {
        domain: need.domain,
        fromStatus: need.status,
        toStatus: change.to,
        transitionId: history!.id,
      },
    }),
  );
  return updated!;
}
