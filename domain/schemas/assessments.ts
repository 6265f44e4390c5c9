import { z } from 'zod';
import {
  ASSESSMENT_LANGUAGES,
  ASSESSMENT_MODES,
  ASSESSMENT_STATUSES,
  DECLINE_REASON_CODES,
  PSYCHOSOCIAL,
  PSYCHOSOCIAL_SECTIONS,
} from '../assessments.ts';
import { ALARM_CODES, INSTRUMENT_IDS, SDOH_DOMAINS } from '../instruments/index.ts';
import { IsoDate, PageQuery, Uuid } from './common.ts';
import { QuestionnaireResponseBody, ScoreResult } from './instruments.ts';

const Version = z.number().int().min(1, 'must be 1 or more');
const Note = z.string().trim().max(4000, 'must be at most 4000 characters');
const Reason = z.string().trim().min(1, 'is required').max(2000, 'must be at most 2000 characters');

/** What can be given: an instrument of domain/instruments, or the psychosocial assessment. */
export const AssessmentInstrument = z.enum([...INSTRUMENT_IDS, PSYCHOSOCIAL], {
  error: 'is not an instrument Kith knows',
});

export const AssessmentParams = z.object({ assessmentId: Uuid });
export const PatientAssessmentsParams = z.object({ patientId: Uuid });

/** `GET /api/patients/:patientId/assessments` */
export const AssessmentListQuery = PageQuery.extend({
  instrument: AssessmentInstrument.optional(),
  status: z.enum([...ASSESSMENT_STATUSES, 'all']).default('all'),
  /** Superseded originals are left out unless asked for; discarded drafts show only with status=discarded. */
  includeSuperseded: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});

/** `POST /api/patients/:patientId/assessments`: starts a draft. */
export const AssessmentStartRequest = z.object({
  instrument: AssessmentInstrument,
  /** Defaults to the instrument's current version. */
  version: z.string().trim().max(20).optional(),
  encounterId: Uuid.nullish(),
  caseId: Uuid.nullish(),
  language: z.enum(ASSESSMENT_LANGUAGES).default('en'),
});

/** One psychosocial section: free text, at most a few pages. */
const SectionText = z.string().max(20_000, 'must be at most 20000 characters');

/** The psychosocial assessment's sections by key; every section is optional in a draft. */
export const PsychosocialContent = z
  .object(
    Object.fromEntries(PSYCHOSOCIAL_SECTIONS.map((s) => [s.key, SectionText.optional()])) as Record<
      (typeof PSYCHOSOCIAL_SECTIONS)[number]['key'],
      z.ZodOptional<typeof SectionText>
    >,
  )
  .strict();

/**
 * `PUT /api/assessments/:assessmentId/draft`: the answers so far, as a FHIR QuestionnaireResponse to the
 * instrument version of the draft (missing items allowed, bad ones refused), or the psychosocial sections.
 */
export const AssessmentDraftRequest = z.object({
  version: Version,
  response: QuestionnaireResponseBody.optional(),
  content: PsychosocialContent.optional(),
  note: Note.nullish(),
});

/** `POST /api/assessments/:assessmentId/complete`: the finished answers; every required item answered. */
export const AssessmentCompleteRequest = AssessmentDraftRequest;

/** `POST /api/assessments/:assessmentId/amend`: a corrected copy of a completed assessment, with why. */
export const AssessmentAmendRequest = z.object({
  version: Version,
  reason: Reason,
  response: QuestionnaireResponseBody.optional(),
  content: PsychosocialContent.optional(),
});

/** `POST /api/assessments/:assessmentId/decline`: the patient would not or could not do the screen. */
export const AssessmentDeclineRequest = z.object({
  version: Version,
  reason: z.enum(DECLINE_REASON_CODES),
  note: Note.nullish(),
});

/** `POST /api/assessments/:assessmentId/discard`: a draft that will not be finished. */
export const AssessmentVersionRequest = z.object({ version: Version });

/** `POST /api/assessments/:assessmentId/handoff`: a tablet link for the patient, in their language. */
export const HandoffRequest = z.object({
  version: Version,
  language: z.enum(ASSESSMENT_LANGUAGES),
});

export const HandoffResponse = z.object({
  /** The path of the tablet page, `/fill/{token}`; the token is shown once and kept only as a hash. */
  path: z.string(),
  token: z.string(),
  expiresAt: z.string(),
});

const Person = z.object({ id: Uuid, displayName: z.string() });

export const AssessmentAlarm = z.object({ code: z.enum(ALARM_CODES), reason: z.string() });

/** An assessment as the chart shows it. `response` is the FHIR QuestionnaireResponse of its answers. */
export const Assessment = z.object({
  id: Uuid,
  patientId: Uuid,
  encounterId: Uuid.nullable(),
  caseId: Uuid.nullable(),
  instrument: AssessmentInstrument,
  instrumentVersion: z.string(),
  title: z.string(),
  status: z.enum(ASSESSMENT_STATUSES),
  mode: z.enum(ASSESSMENT_MODES),
  language: z.enum(ASSESSMENT_LANGUAGES),
  response: QuestionnaireResponseBody.nullable(),
  /** Psychosocial sections; a sensitive section the reader may not see is left out and named in `restricted`. */
  content: z.record(z.string(), z.string()).nullable(),
  restricted: z.array(z.string()),
  /** The score: of a completed screen, or the live score of a draft. Null for the psychosocial assessment. */
  result: ScoreResult.nullable(),
  startedBy: Person,
  startedAt: z.string(),
  completedBy: Person.nullable(),
  completedAt: z.string().nullable(),
  declineReason: z.enum(DECLINE_REASON_CODES).nullable(),
  note: z.string().nullable(),
  amendsId: Uuid.nullable(),
  amendmentReason: z.string().nullable(),
  supersededById: Uuid.nullable(),
  /** On a PHQ-9 with item 9 above 0: the instrument to give next (the C-SSRS screener). */
  suggestNext: z.enum(INSTRUMENT_IDS).nullable(),
  /** Needs this assessment found (new or found again), once completed. */
  needs: z.array(
    z.object({ id: Uuid, domain: z.enum(SDOH_DOMAINS), status: z.string(), isNew: z.boolean() }),
  ),
  version: z.number().int(),
  abilities: z.object({ update: z.boolean(), amend: z.boolean(), handoff: z.boolean() }),
});

/** A row of the patient's assessment list. */
export const AssessmentSummary = Assessment.pick({
  id: true,
  instrument: true,
  instrumentVersion: true,
  title: true,
  status: true,
  mode: true,
  startedAt: true,
  completedAt: true,
  completedBy: true,
  amendsId: true,
  supersededById: true,
  declineReason: true,
}).extend({
  score: z.number().nullable(),
  band: z.string().nullable(),
  positiveDomains: z.array(z.enum(SDOH_DOMAINS)),
  alarms: z.array(AssessmentAlarm),
});

/** `GET /api/patients/:patientId/assessments/trend?instrument=phq-9`: scores over time with the band edges. */
export const TrendQuery = z.object({
  instrument: z.enum(INSTRUMENT_IDS),
  from: IsoDate.optional(),
});
export const Trend = z.object({
  instrument: z.enum(INSTRUMENT_IDS),
  title: z.string(),
  /** The bands of the current version, low to high, for drawing thresholds. */
  bands: z.array(z.object({ key: z.string(), interpretation: z.string(), min: z.number(), max: z.number() })),
  maxScore: z.number(),
  points: z.array(
    z.object({
      assessmentId: Uuid,
      at: z.string(),
      score: z.number(),
      band: z.string(),
      version: z.string(),
    }),
  ),
});

/** The tablet page: `GET /api/fill/:token`. Questions only, in the patient's language; never a score. */
export const FillParams = z.object({ token: z.string().min(20).max(200) });
export const FillView = z.object({
  language: z.enum(ASSESSMENT_LANGUAGES),
  title: z.string(),
  intro: z.string().nullable(),
  /** The FHIR Questionnaire, with texts in the patient's language. */
  questionnaire: z.looseObject({ resourceType: z.literal('Questionnaire') }),
  response: QuestionnaireResponseBody.nullable(),
  status: z.enum(['open', 'done']),
});
/** `PUT /api/fill/:token` saves the answers so far; `POST /api/fill/:token/submit` finishes and spends the link. */
export const FillSaveRequest = z.object({ response: QuestionnaireResponseBody });
/** What saving and submitting on the tablet answer: whether the link is still open. Nothing else. */
export const FillState = z.object({ status: z.enum(['open', 'done']) });
