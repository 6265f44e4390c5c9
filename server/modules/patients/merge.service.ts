import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../../db/client.ts';
import { type Actor, auditActor, type RequestOrigin } from '../../platform/actor.ts';
import { type AuditEntry, appendAudit } from '../../platform/audit/audit.service.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { recordOnTimeline } from '../../platform/timeline/timeline.service.ts';
import { joinOpenNeeds, separateJoinedNeeds } from '../needs/needs.merge.ts';
import { patientMerges, patients } from './patients.tables.ts';

/** How long an admin may undo a merge. */
export const UNDO_WINDOW_DAYS = 30;

/**
 * Tables with a patient_id that a merge leaves where they are: the audit log is append-only history of what
 * happened to each record, and an emergency access grant opened one record, not whatever it is merged into.
 */
const NOT_MOVED = new Set(['audit_events', 'emergency_access', 'patient_merges']);
const CARE_TEAM = 'care_team_members';
/** Care-team memberships of the merged record ended because the member was already on the survivor's team. */
export const CARE_TEAM_ENDED = 'care_team_members:ended-as-duplicate';

/**
 * Ids moved, by table; a key with a colon is not a table but a note of what else the merge did (memberships
 * ended, needs joined), which undo reverses on its own.
 */
type Moved = Record<string, string[]>;
const isNote = (key: string) => key.includes(':');

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;
/** Ids as one JSON parameter, however many there are. */
const idList = (ids: readonly string[]) =>
  sql`(select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid)`;

/**
 * Every table that links records to a patient, asked of the database so that a new module's table moves
 * without edits here. Each must have an `id` primary key, so that an undo can move exactly those rows back.
 */
export async function linkedTables(db: DbOrTx): Promise<string[]> {
  const rows = rowsOf<{ table_name: string; has_id: boolean }>(
    await db.execute(sql`
      select c.table_name,
        exists (select 1 from information_schema.columns i
                where i.table_schema = c.table_schema and i.table_name = c.table_name and i.column_name = 'id') as has_id
      from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.column_name = 'patient_id' and c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
      order by c.table_name`),
  );
  const tables = rows.filter((r) => !NOT_MOVED.has(r.table_name));
  const withoutId = tables.filter((r) => !r.has_id).map((r) => r.table_name);
  if (withoutId.length) throw new Error(`Cannot merge: tables without an id column: ${withoutId.join(', ')}`);
  return tables.map((r) => r.table_name);
}

async function moveRows(tx: Tx, table: string, from: string, to: string, only?: string[]): Promise<string[]> {
  const rows = rowsOf<{ id: string }>(
    await tx.execute(
      sql`update ${sql.identifier(table)} set patient_id = ${to} where patient_id = ${from}${
        only ? sql` and id in ${idList(only)}` : sql``
      } returning id`,
    ),
  );
  return rows.map((r) => r.id);
}

/** Both records, locked in id order (two merges at once cannot deadlock), each of the actor's organisation. */
async function lockPair(tx: Tx, organizationId: string, ids: [string, string]) {
  const rows = await tx
    .select()
    .from(patients)
    .where(and(inArray(patients.id, ids), eq(patients.organizationId, organizationId)))
    .orderBy(asc(patients.id))
    .for('update');
  return ids.map((id) => rows.find((r) => r.id === id));
}

const label = (p: { mrn: string }) => `MRN ${p.mrn}`;

/**
 * Records added to the survivor since the merge that belong with a moved record: a task of a moved case, a
 * reply in a moved thread, a case about a moved visit, and the timeline entries of all of these. Undo takes
 * them along, so that no record is left pointing at the other patient's case, thread or visit.
 */
const FOLLOWERS: { table: string; column: string; parent: string }[] = [
  { table: 'tasks', column: 'case_id', parent: 'cases' },
  { table: 'messages', column: 'thread_id', parent: 'messages' },
  { table: 'cases', column: 'encounter_id', parent: 'encounters' },
];

async function withFollowers(tx: Tx, survivorId: string, moved: Moved): Promise<Moved> {
  const all: Moved = Object.fromEntries(Object.entries(moved).map(([t, ids]) => [t, [...ids]]));
  for (const { table, column, parent } of FOLLOWERS) {
    const parents = all[parent];
    if (!parents?.length) continue;
    const ids = rowsOf<{ id: string }>(
      await tx.execute(sql`
        select id from ${sql.identifier(table)}
        where patient_id = ${survivorId} and ${sql.identifier(column)} in ${idList(parents)}`),
    ).map((r) => r.id);
    all[table] = [...new Set([...(all[table] ?? []), ...ids])];
  }
  const recordIds = Object.entries(all)
    .filter(([t]) => t !== 'timeline_events' && !isNote(t))
    .flatMap(([, ids]) => ids);
  if (recordIds.length) {
    const entries = rowsOf<{ id: string }>(
      await tx.execute(sql`
        select id from timeline_events where patient_id = ${survivorId} and record_id in ${idList(recordIds)}`),
    ).map((r) => r.id);
    all.timeline_events = [...new Set([...(all.timeline_events ?? []), ...entries])];
  }
  return all;
}

/** Who merges: a person (an admin) or the hospital's feed (A40), named by a user id on the merge record. */
export interface Merger {
  organizationId: string;
  userId: string;
  /** The audit record of each side of the merge, as this merger is audited. */
  entry(action: string, extra: Partial<AuditEntry>): AuditEntry;
}

/**
 * Joins the merged record into the survivor in the caller's transaction: every linked record moves, the merged
 * record is retired and points at the survivor, and what moved is kept so that an admin can undo it. The two
 * audit entries go into `audit` for the caller to append last.
 */
export async function mergePatientsIn(
  tx: Tx,
  by: Merger,
  input: { survivorId: string; mergedId: string; reason: string },
  audit: AuditEntry[],
): Promise<string> {
  const [survivor, merged] = await lockPair(tx, by.organizationId, [input.survivorId, input.mergedId]);
  if (!survivor || survivor.retiredAt) throw notFound('patient to keep');
  if (!merged || merged.retiredAt) throw notFound('patient to merge');
  const moved: Moved = {};
  // A member on both teams stays once, on the survivor's; the merged record's membership ends.
  const ended = rowsOf<{ id: string }>(
    await tx.execute(sql`
      update care_team_members set removed_at = now(), removed_by = ${by.userId}
      where patient_id = ${merged.id} and removed_at is null and user_id in (
        select user_id from care_team_members where patient_id = ${survivor.id} and removed_at is null)
      returning id`),
  ).map((r) => r.id);
  if (ended.length) moved[CARE_TEAM_ENDED] = ended;
  // Both records may hold an open need of one domain, which needs_open_once_idx would refuse on one record.
  Object.assign(
    moved,
    await joinOpenNeeds(tx, { survivorId: survivor.id, mergedId: merged.id, actorId: by.userId }),
  );
  for (const table of await linkedTables(tx)) {
    const ids = await moveRows(tx, table, merged.id, survivor.id);
    if (ids.length) moved[table] = ids;
  }
  await tx
    .update(patients)
    .set({
      retiredAt: new Date(),
      retiredReason: 'merged',
      mergedIntoId: survivor.id,
      version: merged.version + 1,
      updatedAt: new Date(),
    })
    .where(eq(patients.id, merged.id));
  const [merge] = await tx
    .insert(patientMerges)
    .values({
      organizationId: by.organizationId,
      survivorId: survivor.id,
      mergedId: merged.id,
      moved,
      reason: input.reason,
      mergedBy: by.userId,
      undoableUntil: new Date(Date.now() + UNDO_WINDOW_DAYS * 86_400_000),
    })
    .returning();
  await recordOnTimeline(tx, {
    organizationId: by.organizationId,
    patientId: survivor.id,
    kind: 'patient',
    summary: `Record ${label(merged)} merged into this record`,
    actorId: by.userId,
    recordKind: 'patient-merge',
    recordId: merge!.id,
  });
  audit.push(
    by.entry('patient.merge', {
      patientId: survivor.id,
      recordKind: 'patient-merge',
      recordId: merge!.id,
      reason: input.reason,
      detail: { survivorId: survivor.id, mergedId: merged.id, moved: countsOf(moved) },
    }),
    // The merged-away patient's own access history shows the merge too.
    by.entry('patient.merged-into', {
      patientId: merged.id,
      recordKind: 'patient-merge',
      recordId: merge!.id,
      reason: input.reason,
      detail: { survivorId: survivor.id },
    }),
  );
  return merge!.id;
}

/** An admin joins two records of one person, in one transaction. */
export async function mergePatients(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  input: { survivorId: string; mergedId: string; reason: string },
): Promise<string> {
  const by: Merger = {
    organizationId: actor.organizationId,
    userId: actor.userId,
    entry: (action, extra) => ({
      ...auditActor(actor),
      action,
      outcome: 'success',
      ip: origin.ip,
      userAgent: origin.userAgent,
      ...extra,
    }),
  };
  return db.transaction(async (tx) => {
    const audit: AuditEntry[] = [];
    const mergeId = await mergePatientsIn(tx, by, input, audit);
    await appendAudit(tx, ...audit);
    return mergeId;
  });
}

/** Moves exactly what the merge moved back to the merged record and brings that record back. */
export async function undoMerge(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  mergeId: string,
  reason: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    const [merge] = await tx
      .select()
      .from(patientMerges)
      .where(and(eq(patientMerges.id, mergeId), eq(patientMerges.organizationId, actor.organizationId)))
      .for('update');
    if (!merge) throw notFound('merge');
    if (merge.undoneAt) throw conflict('merge-undone', 'This merge was already undone');
    if (merge.undoableUntil < new Date()) {
      throw conflict('undo-window-closed', `A merge can be undone for ${UNDO_WINDOW_DAYS} days only`);
    }
    const [survivor, merged] = await lockPair(tx, actor.organizationId, [merge.survivorId, merge.mergedId]);
    if (!survivor || survivor.retiredAt) {
      throw conflict('survivor-retired', 'The record kept by this merge has since been merged or retired');
    }
    if (!merged || merged.mergedIntoId !== survivor.id)
      throw conflict('merge-changed', 'The merged record changed');
    const moved = await withFollowers(tx, survivor.id, merge.moved as Moved);
    const movedBack: Record<string, number> = {};
    for (const [table, ids] of Object.entries(moved)) {
      if (isNote(table)) continue;
      movedBack[table] = (await moveRows(tx, table, survivor.id, merged.id, ids)).length;
    }
    await separateJoinedNeeds(tx, { mergedId: merged.id, moved, actorId: actor.userId });
    if (moved[CARE_TEAM_ENDED]?.length) {
      await tx.execute(sql`
        update ${sql.identifier(CARE_TEAM)} set removed_at = null, removed_by = null
        where id in ${idList(moved[CARE_TEAM_ENDED])} and patient_id = ${merged.id}`);
    }
    await tx
      .update(patients)
      .set({
        retiredAt: null,
        retiredReason: null,
        mergedIntoId: null,
        version: merged.version + 1,
        updatedAt: new Date(),
      })
      .where(eq(patients.id, merged.id));
    await tx
      .update(patientMerges)
      .set({ undoneAt: new Date(), undoneBy: actor.userId, undoReason: reason })
      .where(eq(patientMerges.id, merge.id));
    await recordOnTimeline(
      tx,
      {
        organizationId: actor.organizationId,
        patientId: survivor.id,
        kind: 'patient',
        summary: `Merge with record ${label(merged)} undone`,
        actorId: actor.userId,
        recordKind: 'patient-merge',
        recordId: merge.id,
      },
      {
        organizationId: actor.organizationId,
        patientId: merged.id,
        kind: 'patient',
        summary: `Separated again from record ${label(survivor)}`,
        actorId: actor.userId,
        recordKind: 'patient-merge',
        recordId: merge.id,
      },
    );
    await appendAudit(tx, {
      ...auditActor(actor),
      action: 'patient.merge-undo',
      outcome: 'success',
      patientId: merged.id,
      recordKind: 'patient-merge',
      recordId: merge.id,
      reason,
      ip: origin.ip,
      userAgent: origin.userAgent,
      detail: { survivorId: survivor.id, mergedId: merged.id, movedBack },
    });
  });
}

/** Ids moved per table, as counts. */
export const countsOf = (moved: Record<string, string[]>) =>
  Object.fromEntries(Object.entries(moved).map(([t, ids]) => [t, ids.length]));
