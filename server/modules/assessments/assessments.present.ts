import type { z } from 'zod';
import {
  ASSESSMENT_WRITER_ROLES,
  type AssessmentLanguage,
  type AssessmentMode,
  type AssessmentStatus,
  type DeclineReason,
  PSYCHOSOCIAL,
  PSYCHOSOCIAL_SECTIONS,
  SENSITIVE_SECTION_ROLES,
} from '../../../domain/assessments.ts';
import {
  type Answers,
  type Instrument,
  type InstrumentId,
  questionnaireUrl,
  scoreResponse,
} from '../../../domain/instruments/index.ts';
import type { Role } from '../../../domain/roles.ts';
import type { Assessment, AssessmentSummary } from '../../../domain/schemas/assessments.ts';
import type { DbOrTx } from '../../db/client.ts';
import { can, type PatientRelation } from '../../platform/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { needsFoundBy } from '../needs/needs.service.ts';
import { type AssessmentRow, namesOf, personOf } from './assessments.queries.ts';
import { instrumentOf, suggestNextFor, titleOf } from './assessments.rules.ts';

type AssessmentView = z.infer<typeof Assessment>;
type SummaryView = z.infer<typeof AssessmentSummary>;

const SENSITIVE_KEYS: readonly string[] = PSYCHOSOCIAL_SECTIONS.filter((s) => s.sensitive).map((s) => s.key);

/** Whether the actor's role may read sensitive psychosocial sections (substance use). */
export const maySeeSensitive = (actor: Actor) =>
  (SENSITIVE_SECTION_ROLES as readonly Role[]).includes(actor.role);

/** The sensitive sections an assessment has written, which a reader sees or is told are restricted. */
export function sensitiveSectionsOf(row: Pick<AssessmentRow, 'content'>): string[] {
  const content = row.content ?? {};
  return SENSITIVE_KEYS.filter((key) => typeof content[key] === 'string' && content[key] !== '');
}

/** The psychosocial sections this reader may see, and the sensitive ones left out for them. */
function visibleContent(actor: Actor, row: AssessmentRow) {
  if (row.content === null) return { content: null, restricted: [] };
  const restricted = maySeeSensitive(actor) ? [] : sensitiveSectionsOf(row);
  const content = Object.fromEntries(
    Object.entries(row.content).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string' && !restricted.includes(entry[0]),
    ),
  );
  return { content, restricted };
}

const RESPONSE_STATUS: Record<AssessmentStatus, string> = {
  draft: 'in-progress',
  completed: 'completed',
  declined: 'stopped',
  discarded: 'stopped',
};

/** Wording in the language asked for, in English where no Spanish is published. */
const worded = (text: { en: string; es: string | null }, language: AssessmentLanguage) =>
  (language === 'es' ? text.es : null) ?? text.en;

/**
 * The stored answers as a FHIR QuestionnaireResponse to the version given. `forPatient` leaves out everything
 * that identifies the patient or the record (the tablet page shows only questions and answers).
 */
export function responseOf(
  instrument: Instrument,
  row: Pick<AssessmentRow, 'id' | 'patientId' | 'encounterId' | 'status' | 'amendsId' | 'updatedAt'> & {
    answers: Answers;
  },
  opts: { language?: AssessmentLanguage; forPatient?: boolean } = {},
) {
  const language = opts.language ?? 'en';
  const item = instrument.items
    .filter((i) => row.answers[i.linkId]?.length)
    .map((i) => ({
      linkId: i.linkId,
      text: worded(i.text, language),
      answer: (row.answers[i.linkId] ?? []).map((code) => {
        const option = i.options.find((o) => o.code === code);
        return {
          valueCoding: {
            system: option?.system ?? '',
            code,
            display: option ? worded(option.text, language) : code,
          },
        };
      }),
    }));
  const status =
    row.status === 'completed' && row.amendsId ? 'amended' : RESPONSE_STATUS[row.status as AssessmentStatus];
  return {
    resourceType: 'QuestionnaireResponse',
    questionnaire: `${questionnaireUrl(instrument)}|${instrument.version}`,
    status,
    ...(opts.forPatient
      ? {}
      : {
          id: row.id,
          subject: { reference: `Patient/${row.patientId}` },
          ...(row.encounterId ? { encounter: { reference: `Encounter/${row.encounterId}` } } : {}),
          authored: row.updatedAt.toISOString(),
        }),
    item,
  };
}

/** What the actor may do with the assessment, for the UI to show or hide actions. */
function abilitiesOf(actor: Actor, relation: PatientRelation, row: AssessmentRow) {
  const writes =
    (ASSESSMENT_WRITER_ROLES as readonly Role[]).includes(actor.role) &&
    can(actor, 'patient', 'update', relation);
  return {
    update: writes && row.status === 'draft',
    amend: writes && row.status === 'completed' && row.supersededById === null,
    handoff: writes && row.status === 'draft' && row.instrumentId !== PSYCHOSOCIAL,
  };
}

/** The score: stored for a completed screen, live for a draft; none for the psychosocial assessment. */
function resultOf(instrument: Instrument | null, row: AssessmentRow) {
  if (!instrument) return null;
  if (row.status === 'completed') return row.result;
  return row.status === 'draft' ? scoreResponse(instrument, row.answers) : null;
}

/** One assessment as the chart shows it to this actor (sensitive sections left out for non-social-work roles). */
export async function presentAssessment(
  db: DbOrTx,
  actor: Actor,
  relation: PatientRelation,
  row: AssessmentRow,
): Promise<AssessmentView> {
  const instrument = instrumentOf(row);
  const names = await namesOf(db, [row.startedBy, row.completedBy]);
  const found = row.status === 'completed' ? await needsFoundBy(db, row.id) : [];
  return {
    id: row.id,
    patientId: row.patientId,
    encounterId: row.encounterId,
    caseId: row.caseId,
    instrument: row.instrumentId as InstrumentId | typeof PSYCHOSOCIAL,
    instrumentVersion: row.instrumentVersion,
    title: titleOf(instrument),
    status: row.status as AssessmentStatus,
    mode: row.mode as AssessmentMode,
    language: row.language as AssessmentLanguage,
    response: instrument ? responseOf(instrument, row) : null,
    ...visibleContent(actor, row),
    result: resultOf(instrument, row),
    startedBy: personOf(names, row.startedBy),
    startedAt: row.startedAt.toISOString(),
    completedBy: row.completedBy ? personOf(names, row.completedBy) : null,
    completedAt: row.completedAt?.toISOString() ?? null,
    declineReason: (row.declineReason as DeclineReason | null) ?? null,
    note: row.note,
    amendsId: row.amendsId,
    amendmentReason: row.amendmentReason,
    supersededById: row.supersededById,
    suggestNext: suggestNextFor(row),
    needs: found.map((n) => ({ id: n.id, domain: n.domain, status: n.status, isNew: n.isNew })),
    version: row.version,
    abilities: abilitiesOf(actor, relation, row),
  };
}

/** Rows of the patient's assessment list. */
export async function presentSummaries(db: DbOrTx, rows: AssessmentRow[]): Promise<SummaryView[]> {
  const names = await namesOf(
    db,
    rows.map((r) => r.completedBy),
  );
  return rows.map((row) => ({
    id: row.id,
    instrument: row.instrumentId as InstrumentId | typeof PSYCHOSOCIAL,
    instrumentVersion: row.instrumentVersion,
    title: titleOf(instrumentOf(row)),
    status: row.status as AssessmentStatus,
    mode: row.mode as AssessmentMode,
    startedAt: row.startedAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
    completedBy: row.completedBy ? personOf(names, row.completedBy) : null,
    amendsId: row.amendsId,
    supersededById: row.supersededById,
    declineReason: (row.declineReason as DeclineReason | null) ?? null,
    score: row.score,
    band: row.band,
    positiveDomains: row.positiveDomains as SummaryView['positiveDomains'],
    alarms: row.alarms,
  }));
}
