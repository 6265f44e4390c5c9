import {
  type AssessmentLanguage,
  PSYCHOSOCIAL,
  PSYCHOSOCIAL_REQUIRED,
  PSYCHOSOCIAL_SECTIONS,
  PSYCHOSOCIAL_VERSION,
} from '../../../domain/assessments.ts';
import {
  type Answers,
  getInstrument,
  type Instrument,
  type InstrumentId,
  readResponse,
} from '../../../domain/instruments/index.ts';
import { PHQ9_ITEM9 } from '../../../domain/instruments/phq.ts';
import { conflict, type FieldError, invalid } from '../../platform/errors.ts';
import type { AssessmentRow } from './assessments.queries.ts';

export const PSYCHOSOCIAL_TITLE = 'Psychosocial assessment';

/** The instrument version an assessment was given in; null for the psychosocial assessment. */
export function instrumentOf(row: Pick<AssessmentRow, 'instrumentId' | 'instrumentVersion'>) {
  if (row.instrumentId === PSYCHOSOCIAL) return null;
  const instrument = getInstrument(row.instrumentId, row.instrumentVersion);
  // A stored version is never removed from the registry (domain/instruments/index.ts).
  if (!instrument)
    throw new Error(`instrument ${row.instrumentId} ${row.instrumentVersion} is not registered`);
  return instrument;
}

export const titleOf = (instrument: Instrument | null) => instrument?.title ?? PSYCHOSOCIAL_TITLE;
export const versionOf = (instrument: Instrument | null) => instrument?.version ?? PSYCHOSOCIAL_VERSION;

/** The instrument to start, at the version asked for (current by default), or a 422 naming `version`. */
export function instrumentToStart(id: string, version: string | undefined): Instrument | null {
  if (id === PSYCHOSOCIAL) {
    if (version && version !== PSYCHOSOCIAL_VERSION)
      throw invalid([{ field: 'version', message: `must be ${PSYCHOSOCIAL_VERSION}` }]);
    return null;
  }
  const instrument = getInstrument(id, version);
  if (!instrument) throw invalid([{ field: 'version', message: `is not a version of ${id}` }]);
  return instrument;
}

/**
 * Whether the patient can be shown the instrument in this language: Spanish only where every question and
 * answer has published Spanish wording (we never machine-translate; an interpreter reads it otherwise).
 */
export function languageProblem(
  instrument: Instrument | null,
  language: AssessmentLanguage,
): FieldError | null {
  if (language === 'en' || !instrument) return null;
  const worded = instrument.items.every(
    (i) => i.text.es !== null && i.options.every((o) => o.text.es !== null),
  );
  return worded
    ? null
    : {
        field: 'language',
        message: `${instrument.title} has no published Spanish wording; use an interpreter`,
      };
}

/** The answers of a QuestionnaireResponse to this version, or a 422 naming each bad item (nothing is saved). */
export function answersFrom(instrument: Instrument, response: unknown, allowMissing: boolean): Answers {
  const read = readResponse(instrument, response, { allowMissing });
  if (!read.ok) throw invalid(read.errors, 'The response does not fit this instrument');
  return read.answers;
}

/** Refuses instrument answers on the psychosocial assessment and sections on an instrument. */
export function assertBodyFits(
  instrument: Instrument | null,
  body: { response?: unknown; content?: unknown },
): void {
  if (instrument && body.content !== undefined)
    throw invalid([{ field: 'content', message: 'is for the psychosocial assessment; send `response`' }]);
  if (!instrument && body.response !== undefined)
    throw invalid([{ field: 'response', message: 'is for instruments; send `content`' }]);
}

/** Psychosocial sections, without empty ones. */
export function cleanContent(content: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(content).filter((entry): entry is [string, string] => Boolean(entry[1]?.trim())),
  );
}

/** Refuses to complete a psychosocial assessment whose required sections are empty, naming each. */
export function assertPsychosocialComplete(content: Record<string, unknown> | null): void {
  const errors = PSYCHOSOCIAL_REQUIRED.filter((key) => {
    const text = content?.[key];
    return typeof text !== 'string' || !text.trim();
  }).map((key) => ({
    field: `content.${key}`,
    message: `is required: ${PSYCHOSOCIAL_SECTIONS.find((s) => s.key === key)?.label ?? key}`,
  }));
  if (errors.length) throw invalid(errors, 'The assessment is not finished');
}

/** The refusal for a change that only a draft takes. */
export function notADraft(status: string) {
  return status === 'completed'
    ? conflict('assessment-locked', 'This assessment is completed and locked; amend it to correct it')
    : conflict('assessment-not-draft', `This assessment is ${status}; only a draft can be changed`);
}

/** The instrument to give next: the C-SSRS screener after a PHQ-9 whose item 9 scored above 0. */
export function suggestNextFor(
  row: Pick<AssessmentRow, 'instrumentId' | 'status' | 'answers'>,
): InstrumentId | null {
  if (row.instrumentId !== 'phq-9' || row.status !== 'completed') return null;
  const answer = row.answers[PHQ9_ITEM9]?.[0];
  const phq9 = getInstrument('phq-9');
  const points = phq9?.items
    .find((i) => i.linkId === PHQ9_ITEM9)
    ?.options.find((o) => o.code === answer)?.points;
  return (points ?? 0) > 0 ? 'cssrs-screener' : null;
}
