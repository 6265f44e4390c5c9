import { and, eq, isNull, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { DECLINE_REASONS, type DeclineReason } from '../../../domain/assessments.ts';
import type {
  AssessmentDeclineRequest,
  AssessmentDraftRequest,
  AssessmentStartRequest,
} from '../../../domain/schemas/assessments.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import type { PatientAccess } from '../../platform/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { type AuditEntry, appendAudit } from '../../platform/audit/audit.service.ts';
import { AppError, type FieldError, invalid, staleVersion } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordOnTimeline } from '../../platform/timeline/timeline.service.ts';
import { loadCase } from '../cases/cases.service.ts';
import { currentEncounter, encounterInOrganization } from '../encounters/encounters.queries.ts';
import { maySeeSensitive, presentAssessment, sensitiveSectionsOf } from './assessments.present.ts';
import type { AssessmentRow } from './assessments.queries.ts';
import {
  answersFrom,
  assertBodyFits,
  cleanContent,
  instrumentOf,
  instrumentToStart,
  languageProblem,
  notADraft,
  titleOf,
  versionOf,
} from './assessments.rules.ts';
import { assessmentHandoffs, assessments } from './assessments.tables.ts';

type StartInput = z.infer<typeof AssessmentStartRequest>;
type DraftInput = z.infer<typeof AssessmentDraftRequest>;
type DeclineInput = z.infer<typeof AssessmentDeclineRequest>;

/**
 * Who a change is recorded as: a signed-in worker (audited through their patient access), or the patient on a
 * handed-over tablet page, credited to the worker who handed it over.
 */
export interface Author {
  organizationId: string;
  userId: string;
  audit(action: string, extra?: Partial<AuditEntry>): AuditEntry;
}

/** A signed-in worker as the author of a change. */
export const staffAuthor = (actor: Actor, access: PatientAccess): Author => ({
  organizationId: actor.organizationId,
  userId: actor.userId,
  audit: access.entry,
});

const recordRef = (row: AssessmentRow) => ({ recordKind: 'assessment', recordId: row.id });

/**
 * Writes the changes only if the assessment is still at `version` and in the expected status; otherwise
 * 409 (not a draft any more, or stale) and nothing is written.
 */
export async function writeAssessment(
  tx: DbOrTx,
  row: AssessmentRow,
  version: number,
  changes: Partial<AssessmentRow>,
  now: Date,
  expected: { status: string; refuse: (status: string) => AppError } = { status: 'draft', refuse: notADraft },
): Promise<AssessmentRow> {
  const [updated] = await tx
    .update(assessments)
    .set({ ...changes, version: sql`${assessments.version} + 1`, updatedAt: now })
    .where(
      and(
        eq(assessments.id, row.id),
        eq(assessments.version, version),
        eq(assessments.status, expected.status),
      ),
    )
    .returning();
  if (updated) return updated;
  const [current] = await tx
    .select({ version: assessments.version, status: assessments.status })
    .from(assessments)
    .where(eq(assessments.id, row.id));
  if (current && current.status !== expected.status) throw expected.refuse(current.status);
  throw staleVersion(current?.version ?? row.version);
}

/** Takes back every live tablet link of an assessment (a new link, or the assessment left draft). */
export async function revokeLiveHandoffs(tx: DbOrTx, assessmentId: string, now: Date): Promise<void> {
  await tx
    .update(assessmentHandoffs)
    .set({ revokedAt: now })
    .where(
      and(
        eq(assessmentHandoffs.assessmentId, assessmentId),
        isNull(assessmentHandoffs.usedAt),
        isNull(assessmentHandoffs.revokedAt),
      ),
    );
}

/** The visit to file the assessment under: the one named (it must be the patient's), else the current one. */
async function encounterFor(db: DbOrTx, actor: Actor, patientId: string, given: string | null | undefined) {
  if (given === null) return { encounterId: null };
  if (given === undefined) return { encounterId: (await currentEncounter(db, patientId))?.id ?? null };
  const visit = await encounterInOrganization(db, actor.organizationId, given).catch(orNull);
  if (visit?.patientId === patientId) return { encounterId: visit.id };
  return { error: { field: 'encounterId', message: 'must be a visit of this patient' } };
}

async function caseFor(db: DbOrTx, actor: Actor, patientId: string, given: string | null | undefined) {
  if (!given) return { caseId: null };
  const found = await loadCase(db, actor, given).catch(orNull);
  if (found?.patientId === patientId) return { caseId: found.id };
  return { error: { field: 'caseId', message: 'must be a case of this patient' } };
}

/** Not found becomes null, for checks that answer 422 rather than 404. */
function orNull(error: unknown): null {
  if (error instanceof AppError && error.status === 404) return null;
  throw error;
}

/** Starts a draft of an instrument (at its current version unless asked) or of the psychosocial assessment. */
export async function startAssessment(
  db: Db,
  actor: Actor,
  access: PatientAccess,
  input: StartInput,
): Promise<AssessmentRow> {
  const instrument = instrumentToStart(input.instrument, input.version);
  const patientId = access.patient.id;
  const encounter = await encounterFor(db, actor, patientId, input.encounterId);
  const linkedCase = await caseFor(db, actor, patientId, input.caseId);
  const errors = [languageProblem(instrument, input.language), encounter.error, linkedCase.error].filter(
    (e): e is FieldError => Boolean(e),
  );
  if (errors.length) throw invalid(errors);
  const id = newId();
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(assessments)
      .values({
        id,
        rootId: id,
        organizationId: actor.organizationId,
        patientId,
        encounterId: encounter.encounterId ?? null,
        caseId: linkedCase.caseId ?? null,
        instrumentId: input.instrument,
        instrumentVersion: versionOf(instrument),
        status: 'draft',
        language: input.language,
        content: instrument ? null : {},
        startedBy: actor.userId,
      })
      .returning();
    const row = created!;
    await appendAudit(
      tx,
      access.entry('assessment.start', {
        ...recordRef(row),
        detail: { instrument: row.instrumentId, version: row.instrumentVersion },
      }),
    );
    return row;
  });
}

/** The draft's changes from a save: the answers so far (unfinished allowed) or the sections written. */
export function draftChanges(row: AssessmentRow, input: Omit<DraftInput, 'version'>): Partial<AssessmentRow> {
  const instrument = instrumentOf(row);
  assertBodyFits(instrument, input);
  return {
    ...(instrument && input.response !== undefined
      ? { answers: answersFrom(instrument, input.response, true) }
      : {}),
    ...(!instrument && input.content !== undefined ? { content: cleanContent(input.content) } : {}),
    ...(input.note !== undefined ? { note: input.note || null } : {}),
  };
}

/** Saves a draft as the worker (or the patient on the tablet) goes; bad answers are refused, nothing saved. */
export async function saveDraft(
  db: Db,
  author: Author,
  row: AssessmentRow,
  input: DraftInput,
): Promise<AssessmentRow> {
  if (row.status !== 'draft') throw notADraft(row.status);
  const changes = draftChanges(row, input);
  return db.transaction(async (tx) => {
    const saved = await writeAssessment(tx, row, input.version, changes, new Date());
    await appendAudit(
      tx,
      author.audit('assessment.save', { ...recordRef(row), detail: { fields: Object.keys(changes) } }),
    );
    return saved;
  });
}

/** Records that the patient would not or could not do the screen (the SDOH-1 exclusions). */
export async function declineAssessment(
  db: Db,
  actor: Actor,
  access: PatientAccess,
  row: AssessmentRow,
  input: DeclineInput,
): Promise<AssessmentRow> {
  if (row.status !== 'draft') throw notADraft(row.status);
  const now = new Date();
  return db.transaction(async (tx) => {
    const declined = await writeAssessment(
      tx,
      row,
      input.version,
      {
        status: 'declined',
        declineReason: input.reason,
        note: input.note ?? row.note,
        completedBy: actor.userId,
        completedAt: now,
      },
      now,
    );
    await revokeLiveHandoffs(tx, row.id, now);
    await recordOnTimeline(tx, {
      organizationId: row.organizationId,
      patientId: row.patientId,
      kind: 'assessment',
      summary: `${titleOf(instrumentOf(row))} not done: ${DECLINE_REASONS[input.reason as DeclineReason]}`,
      actorId: actor.userId,
      occurredAt: now,
      recordKind: 'assessment',
      recordId: row.id,
      detail: { event: 'decline', reason: input.reason },
    });
    await appendAudit(
      tx,
      access.entry('assessment.decline', { ...recordRef(row), detail: { reason: input.reason } }),
    );
    return declined;
  });
}

/** Throws away a draft that will not be finished; it stays on record as discarded. */
export async function discardAssessment(
  db: Db,
  access: PatientAccess,
  row: AssessmentRow,
  version: number,
): Promise<AssessmentRow> {
  if (row.status !== 'draft') throw notADraft(row.status);
  const now = new Date();
  return db.transaction(async (tx) => {
    const discarded = await writeAssessment(tx, row, version, { status: 'discarded', completedAt: now }, now);
    await revokeLiveHandoffs(tx, row.id, now);
    await appendAudit(tx, access.entry('assessment.discard', recordRef(row)));
    return discarded;
  });
}

/**
 * One assessment for the chart. A sensitive section shown to a social work reader is audited as its own
 * action, on top of the read that `requirePatient` recorded.
 */
export async function readAssessment(db: Db, actor: Actor, access: PatientAccess, row: AssessmentRow) {
  const view = await presentAssessment(db, actor, access.relation, row);
  const sections = sensitiveSectionsOf(row);
  if (sections.length && maySeeSensitive(actor)) {
    await appendAudit(
      db,
      access.entry('assessment.sensitive-section.read', { ...recordRef(row), detail: { sections } }),
    );
  }
  return view;
}
