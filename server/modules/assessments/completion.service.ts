import type { z } from 'zod';
import type { AssessmentLanguage, AssessmentMode } from '../../../domain/assessments.ts';
import {
  type Answers,
  type Instrument,
  type SdohDomain,
  scoreResponse,
} from '../../../domain/instruments/index.ts';
import { resultLine } from '../../../domain/instruments/summary.ts';
import type {
  AssessmentAmendRequest,
  AssessmentCompleteRequest,
} from '../../../domain/schemas/assessments.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { appendAudit } from '../../platform/audit/audit.service.ts';
import { conflict } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { recordOnTimeline } from '../../platform/timeline/timeline.service.ts';
import { recordNeedsFound } from '../needs/needs.service.ts';
import { raiseAlarms } from './alarms.service.ts';
import { responseOf } from './assessments.present.ts';
import type { AssessmentRow } from './assessments.queries.ts';
import {
  answersFrom,
  assertBodyFits,
  assertPsychosocialComplete,
  cleanContent,
  instrumentOf,
  notADraft,
  titleOf,
} from './assessments.rules.ts';
import { type Author, revokeLiveHandoffs, writeAssessment } from './assessments.service.ts';
import { assessments } from './assessments.tables.ts';
import { storeObservations, supersedeObservations } from './observations.service.ts';

type CompleteInput = z.infer<typeof AssessmentCompleteRequest>;
type AmendInput = z.infer<typeof AssessmentAmendRequest>;
type Finished = Pick<
  AssessmentRow,
  'answers' | 'content' | 'result' | 'score' | 'band' | 'screenedDomains' | 'positiveDomains' | 'alarms'
>;

/** A screen's score and what it found, denormalised for the coverage report's one query. */
function scored(instrument: Instrument, answers: Answers): Partial<Finished> {
  const result = scoreResponse(instrument, answers);
  return {
    answers,
    result,
    score: result.score,
    band: result.band,
    screenedDomains: [...instrument.screens],
    positiveDomains: result.positiveDomains,
    alarms: result.alarms,
  };
}

/**
 * Checks finished answers strictly, before anything is written: the response sent (or, when none, the draft
 * saved so far) must answer every required item of the version given, with its options only (422 naming each
 * item otherwise); a psychosocial assessment needs its required sections.
 */
export function finishedChanges(
  row: AssessmentRow,
  body: { response?: unknown; content?: Record<string, string | undefined> | undefined },
): Partial<Finished> {
  const instrument = instrumentOf(row);
  assertBodyFits(instrument, body);
  if (instrument) {
    return scored(instrument, answersFrom(instrument, body.response ?? responseOf(instrument, row), false));
  }
  const content = body.content ? cleanContent(body.content) : row.content;
  assertPsychosocialComplete(content);
  return { content };
}

/** The timeline line: for a screen, its score, band, positive domains and alarms (resultLine); never free text. */
function resultSummary(row: AssessmentRow, instrument: Instrument | null, verb: string): string {
  if (!instrument || !row.result) return `${titleOf(instrument)} ${verb}`;
  return resultLine(instrument, row.result, verb);
}

/**
 * Everything a completed (or amended) assessment sets off, in its transaction: the timeline entry, the audit
 * record, the FHIR Observations, the needs it found and its alarms (each once per chain).
 */
async function recordCompletion(
  tx: DbOrTx,
  author: Author,
  row: AssessmentRow,
  event: 'complete' | 'amend',
): Promise<void> {
  const instrument = instrumentOf(row);
  const occurredAt = row.completedAt ?? new Date();
  await recordOnTimeline(tx, {
    organizationId: row.organizationId,
    patientId: row.patientId,
    kind: 'assessment',
    summary: resultSummary(row, instrument, event === 'amend' ? 'amended' : 'completed'),
    actorId: author.userId,
    occurredAt,
    recordKind: 'assessment',
    recordId: row.id,
    detail: { event, instrument: row.instrumentId, score: row.score, band: row.band },
  });
  await appendAudit(
    tx,
    author.audit(`assessment.${event}`, {
      recordKind: 'assessment',
      recordId: row.id,
      detail: {
        instrument: row.instrumentId,
        version: row.instrumentVersion,
        mode: row.mode,
        amendsId: row.amendsId,
        alarms: row.alarms.map((a) => a.code),
        positiveDomains: row.positiveDomains,
      },
    }),
  );
  if (!instrument) return;
  await storeObservations(tx, row, instrument);
  if (row.positiveDomains.length) {
    await recordNeedsFound(
      tx,
      {
        organizationId: row.organizationId,
        patientId: row.patientId,
        assessmentId: row.id,
        domains: row.positiveDomains as SdohDomain[],
        foundAt: occurredAt,
        actorId: author.userId,
      },
      author.audit,
    );
  }
  await raiseAlarms(tx, row, instrument);
}

export interface Completion {
  version: number;
  changes: Partial<AssessmentRow>;
  mode: AssessmentMode;
  language?: AssessmentLanguage | undefined;
}

/** Locks a draft as completed and sets off what completion does, inside the caller's transaction. */
export async function applyCompletion(
  tx: DbOrTx,
  author: Author,
  row: AssessmentRow,
  completion: Completion,
): Promise<AssessmentRow> {
  const now = new Date();
  const completed = await writeAssessment(
    tx,
    row,
    completion.version,
    {
      ...completion.changes,
      status: 'completed',
      mode: completion.mode,
      ...(completion.language ? { language: completion.language } : {}),
      completedBy: author.userId,
      completedAt: now,
    },
    now,
  );
  await revokeLiveHandoffs(tx, row.id, now);
  await recordCompletion(tx, author, completed, 'complete');
  return completed;
}

/** Completes a draft on screen: strict checks first (nothing saved on a 422), then lock, score and act. */
export async function completeAssessment(
  db: Db,
  author: Author,
  row: AssessmentRow,
  input: CompleteInput,
): Promise<AssessmentRow> {
  if (row.status !== 'draft') throw notADraft(row.status);
  const changes = {
    ...finishedChanges(row, input),
    ...(input.note !== undefined ? { note: input.note || null } : {}),
  };
  return db.transaction((tx) =>
    applyCompletion(tx, author, row, { version: input.version, changes, mode: 'staff' }),
  );
}

function assertAmendable(row: AssessmentRow): void {
  if (row.status !== 'completed')
    throw conflict('assessment-not-completed', 'Only a completed assessment can be amended');
  if (row.supersededById)
    throw conflict('assessment-superseded', 'This assessment was already amended; amend the latest version', {
      supersededById: row.supersededById,
    });
}

const refuseAmend = (status: string) =>
  conflict('assessment-not-completed', `This assessment is ${status}; only a completed one can be amended`);

/**
 * Corrects a completed assessment: a new completed assessment pointing at the original (same chain), while
 * the original stays readable, marked superseded, with its Observations marked superseded too.
 */
export async function amendAssessment(
  db: Db,
  author: Author,
  original: AssessmentRow,
  input: AmendInput,
): Promise<AssessmentRow> {
  assertAmendable(original);
  const changes = finishedChanges(original, input);
  const id = newId();
  return db.transaction(async (tx) => {
    const now = new Date();
    const [inserted] = await tx
      .insert(assessments)
      .values({
        id,
        organizationId: original.organizationId,
        patientId: original.patientId,
        encounterId: original.encounterId,
        caseId: original.caseId,
        instrumentId: original.instrumentId,
        instrumentVersion: original.instrumentVersion,
        status: 'completed',
        mode: 'staff',
        language: original.language,
        ...changes,
        startedBy: author.userId,
        startedAt: now,
        completedBy: author.userId,
        completedAt: now,
        note: original.note,
        amendsId: original.id,
        amendmentReason: input.reason,
        rootId: original.rootId,
      })
      .returning();
    const amendment = inserted!;
    await writeAssessment(tx, original, input.version, { supersededById: id, supersededAt: now }, now, {
      status: 'completed',
      refuse: refuseAmend,
    });
    await supersedeObservations(tx, original.id, now);
    await recordCompletion(tx, author, amendment, 'amend');
    return amendment;
  });
}
