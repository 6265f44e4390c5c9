import { and, desc, eq, isNull, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { FLAG_KINDS, type FlagKind } from '../../../domain/flags.ts';
import type { Flag } from '../../../domain/schemas/patients.ts';
import type { DbOrTx } from '../../db/client.ts';
import { type AuditEntry, appendAudit } from '../../platform/audit/audit.service.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { users } from '../../platform/platform.tables.ts';
import { recordOnTimeline } from '../../platform/timeline/timeline.service.ts';
import { patientFlags } from './patients.tables.ts';

type FlagRow = typeof patientFlags.$inferSelect;

/** Makes the audit record of a flag change: a route passes `access.entry`, a service may pass nothing. */
export type AuditAs = (action: string, extra: Partial<AuditEntry>) => AuditEntry;

export interface RaiseFlagInput {
  organizationId: string;
  patientId: string;
  kind: FlagKind;
  note?: string | null;
  /** The record that raised it (e.g. an assessment): the same source raises one flag, however often asked. */
  sourceKind?: string | null;
  sourceId?: string | null;
  /** The person who raised it; none when a service raised it on its own. */
  raisedBy?: string | null;
}

const systemAudit =
  (organizationId: string, patientId: string, userId: string | null | undefined): AuditAs =>
  (action, extra) => ({
    organizationId,
    actorUserId: userId ?? null,
    actorRole: null,
    actorLabel: userId ? null : 'Kith',
    action,
    outcome: 'success',
    patientId,
    ...extra,
  });

/**
 * Raises a flag in the caller's transaction, with its timeline entry and audit record. Idempotent: the same
 * source raises one flag (even one cleared since), and a flag raised by hand is not raised twice while active.
 */
export async function raiseFlag(
  tx: DbOrTx,
  input: RaiseFlagInput,
  auditAs?: AuditAs,
): Promise<{ flag: FlagRow; raised: boolean }> {
  const sourced = Boolean(input.sourceId);
  if (sourced && !input.sourceKind) throw new Error('raiseFlag: a sourceId needs its sourceKind');
  if (!sourced) {
    // A flag raised by hand while the same kind is already up (not from a source) is the same flag.
    const [earlier] = await tx
      .select()
      .from(patientFlags)
      .where(
        and(
          eq(patientFlags.patientId, input.patientId),
          eq(patientFlags.kind, input.kind),
          isNull(patientFlags.sourceId),
          isNull(patientFlags.clearedAt),
        ),
      )
      .limit(1);
    if (earlier) return { flag: earlier, raised: false };
  }
  const [inserted] = await tx
    .insert(patientFlags)
    .values({
      organizationId: input.organizationId,
      patientId: input.patientId,
      kind: input.kind,
      note: input.note ?? null,
      sourceKind: input.sourceKind ?? null,
      sourceId: input.sourceId ?? null,
      raisedBy: input.raisedBy ?? null,
    })
    .onConflictDoNothing({
      target: [patientFlags.patientId, patientFlags.kind, patientFlags.sourceKind, patientFlags.sourceId],
      where: sql`${patientFlags.sourceId} is not null`,
    })
    .returning();
  if (!inserted) {
    const [existing] = await tx
      .select()
      .from(patientFlags)
      .where(
        and(
          eq(patientFlags.patientId, input.patientId),
          eq(patientFlags.kind, input.kind),
          eq(patientFlags.sourceKind, input.sourceKind!),
          eq(patientFlags.sourceId, input.sourceId!),
        ),
      );
    return { flag: existing!, raised: false };
  }
  const flag = inserted;
  const audit = auditAs ?? systemAudit(input.organizationId, input.patientId, input.raisedBy);
  await recordOnTimeline(tx, {
    organizationId: flag.organizationId,
    patientId: flag.patientId,
    kind: 'flag',
    summary: `Flag raised: ${FLAG_KINDS[input.kind].label}`,
    actorId: input.raisedBy ?? null,
    recordId: flag.id,
  });
  await appendAudit(
    tx,
    audit('flag.raise', { recordKind: 'flag', recordId: flag.id, detail: { kind: flag.kind } }),
  );
  return { flag, raised: true };
}

export interface ClearFlagInput {
  organizationId: string;
  patientId: string;
  flagId: string;
  clearedBy?: string | null;
  note: string;
}

/** Clears an active flag with a note; it stays on record. Unknown → 404, already cleared → 409. */
export async function clearFlag(tx: DbOrTx, input: ClearFlagInput, auditAs?: AuditAs): Promise<FlagRow> {
  const [current] = await tx
    .select()
    .from(patientFlags)
    .where(
      and(
        eq(patientFlags.id, input.flagId),
        eq(patientFlags.patientId, input.patientId),
        eq(patientFlags.organizationId, input.organizationId),
      ),
    )
    .for('update');
  if (!current) throw notFound('flag');
  if (current.clearedAt) throw conflict('flag-cleared', 'This flag was already cleared');
  const [flag] = await tx
    .update(patientFlags)
    .set({ clearedAt: new Date(), clearedBy: input.clearedBy ?? null, clearedNote: input.note })
    .where(eq(patientFlags.id, input.flagId))
    .returning();
  await recordOnTimeline(tx, {
    organizationId: current.organizationId,
    patientId: current.patientId,
    kind: 'flag',
    summary: `Flag cleared: ${FLAG_KINDS[current.kind as FlagKind]?.label ?? current.kind}`,
    actorId: input.clearedBy ?? null,
    recordId: current.id,
  });
  const audit = auditAs ?? systemAudit(input.organizationId, input.patientId, input.clearedBy);
  await appendAudit(
    tx,
    audit('flag.clear', { recordKind: 'flag', recordId: current.id, detail: { kind: current.kind } }),
  );
  return flag!;
}

const raiser = alias(users, 'raiser');
const clearer = alias(users, 'clearer');

function selectFlags(db: DbOrTx, where: SQL | undefined) {
  return db
    .select({ flag: patientFlags, raisedByName: raiser.displayName, clearedByName: clearer.displayName })
    .from(patientFlags)
    .leftJoin(raiser, eq(raiser.id, patientFlags.raisedBy))
    .leftJoin(clearer, eq(clearer.id, patientFlags.clearedBy))
    .where(where);
}

const SEVERITY_RANK = { high: 0, moderate: 1, info: 2 } as const;

/** A patient's flags: active ones most severe first, then, when asked, the cleared ones newest first. */
export async function listFlags(db: DbOrTx, patientId: string, includeCleared: boolean): Promise<Flag[]> {
  const rows = await selectFlags(
    db,
    and(eq(patientFlags.patientId, patientId), includeCleared ? undefined : isNull(patientFlags.clearedAt)),
  ).orderBy(desc(patientFlags.clearedAt), desc(patientFlags.raisedAt));
  const flags = rows.map((r) => presentFlag(r.flag, r.raisedByName, r.clearedByName));
  const active = flags.filter((f) => !f.clearedAt);
  active.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
  return [...active, ...flags.filter((f) => f.clearedAt)];
}

/** One flag as the API shows it. */
export async function getFlag(db: DbOrTx, flagId: string): Promise<Flag> {
  const [row] = await selectFlags(db, eq(patientFlags.id, flagId));
  if (!row) throw notFound('flag');
  return presentFlag(row.flag, row.raisedByName, row.clearedByName);
}

export function presentFlag(flag: FlagRow, raisedByName: string | null, clearedByName: string | null): Flag {
  const kind = FLAG_KINDS[flag.kind as FlagKind];
  return {
    id: flag.id,
    patientId: flag.patientId,
    kind: flag.kind as FlagKind,
    label: kind?.label ?? flag.kind,
    severity: kind?.severity ?? 'info',
    note: flag.note,
    sourceKind: flag.sourceKind,
    sourceId: flag.sourceId,
    raisedAt: flag.raisedAt.toISOString(),
    raisedByName,
    clearedAt: flag.clearedAt?.toISOString() ?? null,
    clearedByName,
    clearedNote: flag.clearedNote,
  };
}

/** Whether the patient has an active flag of this kind (for services deciding whether to raise one). */
export async function hasActiveFlag(db: DbOrTx, patientId: string, kind: FlagKind): Promise<boolean> {
  const [row] = await db
    .select({ id: patientFlags.id })
    .from(patientFlags)
    .where(
      and(eq(patientFlags.patientId, patientId), eq(patientFlags.kind, kind), isNull(patientFlags.clearedAt)),
    )
    .limit(1);
  return Boolean(row);
}
