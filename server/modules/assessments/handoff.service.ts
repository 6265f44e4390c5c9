import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import { type AssessmentLanguage, HANDOFF_MINUTES } from '../../../domain/assessments.ts';
import type { Instrument } from '../../../domain/instruments/index.ts';
import type {
  FillSaveRequest,
  FillView,
  HandoffRequest,
  HandoffResponse,
} from '../../../domain/schemas/assessments.ts';
import type { Db } from '../../db/client.ts';
import type { PatientAccess } from '../../platform/access.ts';
import type { RequestOrigin } from '../../platform/actor.ts';
import { appendAudit } from '../../platform/audit/audit.service.ts';
import { AppError, conflict, invalid, notFound, staleVersion } from '../../platform/errors.ts';
import { responseOf } from './assessments.present.ts';
import { type AssessmentRow, loadAssessment } from './assessments.queries.ts';
import { instrumentOf, languageProblem, notADraft } from './assessments.rules.ts';
import { type Author, revokeLiveHandoffs, saveDraft } from './assessments.service.ts';
import { assessmentHandoffs, assessments } from './assessments.tables.ts';
import { applyCompletion, finishedChanges } from './completion.service.ts';
import { patientQuestionnaire } from './fill.present.ts';

type HandoffRow = typeof assessmentHandoffs.$inferSelect;
type FillResponse = z.infer<typeof FillSaveRequest>['response'];

/** Only the hash of a link's token is kept: a stolen database gives no live links. */
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** The patient's answers are credited to the worker who handed the tablet over, and audited as the patient. */
function tabletAuthor(handoff: HandoffRow, patientId: string, origin: RequestOrigin): Author {
  return {
    organizationId: handoff.organizationId,
    userId: handoff.createdBy,
    audit: (action, extra = {}) => ({
      organizationId: handoff.organizationId,
      actorUserId: handoff.createdBy,
      actorRole: 'patient',
      actorLabel: 'patient (tablet)',
      action,
      outcome: 'success',
      patientId,
      ip: origin.ip,
      userAgent: origin.userAgent,
      ...extra,
    }),
  };
}

/**
 * Hands a draft screen over to the patient: a single-purpose link in their language, valid for
 * HANDOFF_MINUTES. Any earlier live link of the assessment is taken back.
 */
export async function createHandoff(
  db: Db,
  access: PatientAccess,
  userId: string,
  row: AssessmentRow,
  input: z.infer<typeof HandoffRequest>,
): Promise<z.infer<typeof HandoffResponse>> {
  if (row.status !== 'draft') throw notADraft(row.status);
  const instrument = instrumentOf(row);
  if (!instrument)
    throw conflict(
      'handoff-not-available',
      'The psychosocial assessment is written by the worker, not handed over',
    );
  if (row.version !== input.version) throw staleVersion(row.version);
  const problem = languageProblem(instrument, input.language);
  if (problem) throw invalid([problem]);
  const token = randomBytes(32).toString('base64url');
  const now = new Date();
  const expiresAt = new Date(now.getTime() + HANDOFF_MINUTES * 60_000);
  await db.transaction(async (tx) => {
    // Checked again under a row lock: a draft saved meanwhile must not be handed over at an old version.
    const [current] = await tx
      .select({ version: assessments.version, status: assessments.status })
      .from(assessments)
      .where(eq(assessments.id, row.id))
      .for('update');
    if (current?.status !== 'draft') throw notADraft(current?.status ?? row.status);
    if (current.version !== input.version) throw staleVersion(current.version);
    await revokeLiveHandoffs(tx, row.id, now);
    const [handoff] = await tx
      .insert(assessmentHandoffs)
      .values({
        organizationId: row.organizationId,
        assessmentId: row.id,
        tokenHash: hashToken(token),
        language: input.language,
        createdBy: userId,
        createdAt: now,
        expiresAt,
      })
      .returning();
    await appendAudit(
      tx,
      access.entry('assessment.handoff', {
        recordKind: 'assessment',
        recordId: row.id,
        detail: { handoffId: handoff!.id, language: input.language },
      }),
    );
  });
  return { path: `/fill/${token}`, token, expiresAt: expiresAt.toISOString() };
}

/** A link that was spent or taken back, or whose assessment left draft, shows "done" and nothing else. */
const isDone = (handoff: HandoffRow, row: AssessmentRow) =>
  Boolean(handoff.usedAt || handoff.revokedAt) || row.status !== 'draft';

const linkExpired = () => new AppError(410, 'link-expired', 'This link has expired');
const linkClosed = () => new AppError(410, 'link-closed', 'This form was already handed back');

interface OpenLink {
  handoff: HandoffRow;
  row: AssessmentRow;
  instrument: Instrument;
  author: Author;
  done: boolean;
}

/** The link of a token: unknown → 404, expired → 410, without saying more. */
async function openLink(db: Db, token: string, origin: RequestOrigin): Promise<OpenLink> {
  const [handoff] = await db
    .select()
    .from(assessmentHandoffs)
    .where(eq(assessmentHandoffs.tokenHash, hashToken(token)));
  if (!handoff) throw notFound('link');
  if (handoff.expiresAt.getTime() <= Date.now()) throw linkExpired();
  const row = await loadAssessment(db, handoff.organizationId, handoff.assessmentId);
  const instrument = instrumentOf(row);
  if (!instrument) throw notFound('link');
  const author = tabletAuthor(handoff, row.patientId, origin);
  return { handoff, row, instrument, author, done: isDone(handoff, row) };
}

/** The tablet page: the questions in the patient's language and the answers so far; never a score. */
export async function readFill(
  db: Db,
  token: string,
  origin: RequestOrigin,
): Promise<z.infer<typeof FillView>> {
  const link = await openLink(db, token, origin);
  const language = link.handoff.language as AssessmentLanguage;
  await appendAudit(
    db,
    link.author.audit('assessment.fill.read', { recordKind: 'assessment', recordId: link.row.id }),
  );
  const intro = link.instrument.intro;
  return {
    language,
    title: link.instrument.title,
    intro: intro ? ((language === 'es' ? intro.es : null) ?? intro.en) : null,
    questionnaire: patientQuestionnaire(link.instrument, language),
    response: link.done ? null : responseOf(link.instrument, link.row, { language, forPatient: true }),
    status: link.done ? 'done' : 'open',
  };
}

/** Saves the patient's answers so far (unfinished allowed, bad answers refused). */
export async function saveFill(db: Db, token: string, origin: RequestOrigin, response: FillResponse) {
  const link = await openLink(db, token, origin);
  if (link.done) throw linkClosed();
  await saveDraft(db, link.author, link.row, { version: link.row.version, response });
  return { status: 'open' as const };
}

/** The patient hands the tablet back: the screen is completed (strictly checked) and the link is spent. */
export async function submitFill(db: Db, token: string, origin: RequestOrigin, response: FillResponse) {
  const link = await openLink(db, token, origin);
  if (link.done) throw linkClosed();
  const changes = finishedChanges(link.row, { response });
  await db.transaction(async (tx) => {
    const [spent] = await tx
      .update(assessmentHandoffs)
      .set({ usedAt: new Date() })
      .where(
        and(
          eq(assessmentHandoffs.id, link.handoff.id),
          isNull(assessmentHandoffs.usedAt),
          isNull(assessmentHandoffs.revokedAt),
        ),
      )
      .returning();
    if (!spent) throw linkClosed();
    await applyCompletion(tx, link.author, link.row, {
      version: link.row.version,
      changes,
      mode: 'patient',
      language: link.handoff.language as AssessmentLanguage,
    });
  });
  return { status: 'done' as const };
}
