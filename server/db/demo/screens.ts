import { createHash } from 'node:crypto';
import { DECLINE_REASONS, type DeclineReason } from '../../../domain/assessments.ts';
import type { ConsultReason } from '../../../domain/casework.ts';
import {
  type AnswerInput,
  getInstrument,
  type Instrument,
  normaliseAnswers,
  type ScoreResult,
  scoreResponse,
} from '../../../domain/instruments/index.ts';
import { buildObservations } from '../../../domain/instruments/observations.ts';
import { resultLine } from '../../../domain/instruments/summary.ts';
import {
  assessmentHandoffs,
  assessments,
  observations,
} from '../../modules/assessments/assessments.tables.ts';
import { raiseAlarms } from './alarms.ts';
import {
  ahcAnswers,
  cssrsAnswers,
  drawRisks,
  driftRisks,
  gad7Answers,
  hitsAnswers,
  hungerVitalSignAnswers,
  partialAhcAnswers,
  phq9Answers,
  type SocialRisks,
  type SuicideRisk,
} from './answers.ts';
import type { DemoCase } from './cases.ts';
import {
  DAY,
  type DemoContext,
  HOUR,
  joinCareTeam,
  MINUTE,
  onTimeline,
  type PatientScope,
  type Person,
  past,
} from './context.ts';
import { drawNeedFate, needTimelineEntries, type PendingFinding, planNeeds, writeNeeds } from './needs.ts';
import type { DemoPatient } from './people.ts';
import { writePsychosocial } from './psychosocial.ts';

/*
 * Screens given during inpatient stays, as the assessments service would have stored them: the AHC core
 * screen for most adults admitted since the department began screening, a few partial screens (Hunger Vital
 * Sign and HITS only), declines and drafts; PHQ-9 (repeated, to draw a trend), GAD-7 and the C-SSRS screener
 * for patients whose case is about mood or safety. Every result is scoreResponse's; alarms make the flag,
 * task and supervisor notification the service makes, once per assessment chain.
 */

/** How far back screening goes: the department began SDOH screening in Kith a year ago. */
export const SCREENING_DAYS = 365;

/** The patient being generated, as the screens see them. */
export interface ScreeningState {
  patient: DemoPatient;
  scope: PatientScope;
  risks: SocialRisks | null;
  /** The course of a patient's depression across screens, once a case calls for a PHQ-9. */
  mood: { level: number; step: number; ideation: number } | null;
  /** Whether this patient's cases call for a PHQ-9 even when the consult is not about mood. */
  moody: boolean;
  findings: PendingFinding[];
}

/** An inpatient stay to screen. */
export interface DemoStay {
  encounterId: string;
  unit: string | null;
  admittedAt: number;
  /** The discharge, or null while the patient is in. */
  dischargedAt: number | null;
  case: DemoCase | null;
}

const MOOD_REASONS = new Set<ConsultReason>([
  'suicide-risk',
  'adjustment-to-illness',
  'psychosocial-assessment',
  'substance-use',
  'grief-bereavement',
]);
const SAFETY_REASONS = new Set<ConsultReason>(['intimate-partner-violence', 'abuse-neglect']);

/** Starts the screening state of a patient. */
export function beginScreening(ctx: DemoContext, patient: DemoPatient, scope: PatientScope): void {
  ctx.screening = { patient, scope, risks: null, mood: null, moody: ctx.r.chance(0.1), findings: [] };
}

/** Timeline entries that the patient's needs will add when written: counted before they exist. */
export const pendingNeedEntries = (ctx: DemoContext) =>
  ctx.screening ? needTimelineEntries(planNeeds(ctx.screening.findings, ctx.now)) : 0;

/** Writes the needs of the patient's screens and closes the patient. */
export function finishScreening(ctx: DemoContext): void {
  const s = ctx.screening;
  ctx.screening = null;
  if (s?.findings.length) writeNeeds(ctx, s.patient.id, planNeeds(s.findings, ctx.now));
}

export interface Given {
  id: string;
  rootId: string;
  at: number;
  result: ScoreResult;
  /** The rows as buffered (not yet written), for marking them superseded by an amendment. */
  row: typeof assessments.$inferInsert;
  observations: (typeof observations.$inferInsert)[];
}

/** One completed (or drafted) assessment with its timeline entry, alarms and pending needs. */
function give(
  ctx: DemoContext,
  stay: DemoStay,
  by: Person,
  instrumentId: string,
  answers: AnswerInput,
  at: number,
  opts: { draft?: boolean; amends?: Given; reason?: string } = {},
): Given {
  const { r } = ctx;
  const s = ctx.screening!;
  const instrument = getInstrument(instrumentId)!;
  const startedAt = at - r.int(3, 15) * MINUTE;
  const id = r.id(startedAt);
  const rootId = opts.amends?.rootId ?? id;
  const result = scoreResponse(instrument, answers);
  const spanish = s.patient.language === 'es' && instrument.spanish !== null;
  // The tablet shows the questions in the patient's own language only: English, or Spanish where published.
  const readsIt = s.patient.language === 'en' || spanish;
  const onTablet = readsIt && !opts.draft && !opts.amends && r.chance(spanish ? 0.5 : 0.12);
  const caseId = stay.case?.worker?.id === by.id ? stay.case.id : null;
  const row: typeof assessments.$inferInsert = {
    id,
    organizationId: ctx.organizationId,
    patientId: s.patient.id,
    encounterId: stay.encounterId,
    caseId,
    instrumentId,
    instrumentVersion: instrument.version,
    status: opts.draft ? 'draft' : 'completed',
    mode: onTablet ? 'patient' : 'staff',
    language: spanish ? 'es' : 'en',
    answers: normaliseAnswers(answers) as Record<string, string[]>,
    result: opts.draft ? null : result,
    score: opts.draft ? null : result.score,
    band: opts.draft ? null : result.band,
    screenedDomains: opts.draft ? [] : [...instrument.screens],
    positiveDomains: opts.draft ? [] : result.positiveDomains,
    alarms: opts.draft ? [] : result.alarms,
    startedBy: by.id,
    startedAt: new Date(startedAt),
    completedBy: opts.draft ? null : by.id,
    completedAt: opts.draft ? null : new Date(at),
    amendsId: opts.amends?.id ?? null,
    amendmentReason: opts.reason ?? null,
    rootId,
    version: opts.draft ? r.int(1, 3) : 2,
    createdAt: new Date(startedAt),
    updatedAt: new Date(at),
  };
  ctx.w.add(assessments, row);
  const given: Given = { id, rootId, at, result, row, observations: [] };
  if (opts.draft) return given;
  if (onTablet)
    ctx.w.add(assessmentHandoffs, {
      id: r.id(startedAt),
      organizationId: ctx.organizationId,
      assessmentId: id,
      tokenHash: createHash('sha256').update(id).digest('hex'),
      language: spanish ? 'es' : 'en',
      createdBy: by.id,
      createdAt: new Date(startedAt),
      expiresAt: new Date(startedAt + 60 * MINUTE),
      usedAt: new Date(at),
    });
  given.observations = writeObservations(ctx, row, instrument, result);
  const verb = opts.amends ? 'amended' : 'completed';
  onTimeline(ctx, s.patient.id, 'assessment', at, resultLine(instrument, result, verb), {
    kind: 'assessment',
    id,
    actorId: by.id,
    detail: {
      event: opts.amends ? 'amend' : 'complete',
      instrument: instrumentId,
      score: result.score,
      band: result.band,
    },
  });
  // Alarms fire once per amendment chain: an amendment raises none its original raised.
  if (!opts.amends) raiseAlarms(ctx, stay, by, given, instrument, caseId);
  if (result.positiveDomains.length)
    s.findings.push({
      assessmentId: id,
      instrument: instrument.shortTitle,
      at,
      by,
      domains: result.positiveDomains,
      fates: Object.fromEntries(result.positiveDomains.map((d) => [d, drawNeedFate(ctx)])),
    });
  return given;
}

/** A completed screen's FHIR Observations, from the same pure builder the assessments service stores. */
function writeObservations(
  ctx: DemoContext,
  row: typeof assessments.$inferInsert,
  instrument: Instrument,
  result: ScoreResult,
): (typeof observations.$inferInsert)[] {
  const effectiveAt = row.completedAt!;
  const resources = buildObservations({
    instrument,
    answers: row.answers ?? {},
    result,
    patientId: row.patientId,
    encounterId: row.encounterId ?? null,
    assessmentId: row.id!,
    effectiveAt,
    status: row.amendsId ? 'amended' : 'final',
  });
  return resources.map((resource) => {
    const id = ctx.r.id(effectiveAt.getTime());
    const code = resource.code.coding[0]!;
    const observation: typeof observations.$inferInsert = {
      id,
      organizationId: ctx.organizationId,
      patientId: row.patientId,
      assessmentId: row.id!,
      encounterId: row.encounterId ?? null,
      status: resource.status,
      codeSystem: code.system,
      code: code.code,
      display: code.display,
      valueInteger: resource.valueInteger ?? null,
      valueCode: resource.valueCodeableConcept?.coding[0]?.code ?? null,
      effectiveAt,
      resource: { id, ...resource },
      supersededAt: null,
      createdAt: effectiveAt,
    };
    ctx.w.add(observations, observation);
    return observation;
  });
}

/** A screen the patient would not or could not do. */
function decline(ctx: DemoContext, stay: DemoStay, by: Person, instrumentId: string, at: number): void {
  const { r } = ctx;
  const s = ctx.screening!;
  const instrument = getInstrument(instrumentId)!;
  const reason: DeclineReason = r.chance(0.7) ? 'opted-out' : 'unable-no-proxy';
  const id = r.id(at - 5 * MINUTE);
  ctx.w.add(assessments, {
    id,
    organizationId: ctx.organizationId,
    patientId: s.patient.id,
    encounterId: stay.encounterId,
    instrumentId,
    instrumentVersion: instrument.version,
    status: 'declined',
    mode: 'staff',
    language: 'en',
    // The writer fills no column defaults: every column is given.
    answers: {},
    screenedDomains: [],
    positiveDomains: [],
    alarms: [],
    startedBy: by.id,
    startedAt: new Date(at - 5 * MINUTE),
    completedBy: by.id,
    completedAt: new Date(at),
    declineReason: reason,
    note: reason === 'unable-no-proxy' ? 'Intubated; no family reachable today.' : null,
    rootId: id,
    version: 2,
    createdAt: new Date(at - 5 * MINUTE),
    updatedAt: new Date(at),
  });
  onTimeline(
    ctx,
    s.patient.id,
    'assessment',
    at,
    `${instrument.title} not done: ${DECLINE_REASONS[reason]}`,
    { kind: 'assessment', id, actorId: by.id, detail: { event: 'decline', reason } },
  );
}

/** A time in the stay about `typical` after `from`, squeezed into what is left of it. */
const during = (from: number, typical: number, endBy: number) =>
  from + Math.max(MINUTE, Math.min(typical, (endBy - from) * 0.6));

/** The screens of one inpatient stay. Stays admitted before screening began, and minors, get none. */
export function screenStay(ctx: DemoContext, stay: DemoStay, opts: { budget?: number } = {}): void {
  const s = ctx.screening;
  const { r, now } = ctx;
  if (!s || s.patient.age < 18 || stay.admittedAt < now - SCREENING_DAYS * DAY) return;
  if ((opts.budget ?? Number.POSITIVE_INFINITY) < 40) return;
  const endBy = past(ctx, stay.dischargedAt ?? now - MINUTE);
  const unitWorkers = (stay.unit && ctx.workersByUnit.get(stay.unit)) || ctx.workers;
  const screener = stay.case?.worker ?? r.pick(unitWorkers.length ? unitWorkers : ctx.workers);
  const at = during(stay.admittedAt, r.int(2, 30) * HOUR, endBy);
  if (at >= now) return;
  // The screener joins the care team to give the screen (the case worker is on it already).
  if (screener.id !== stay.case?.worker?.id) {
    const leaves = stay.dischargedAt === null ? null : stay.dischargedAt + 30 * DAY;
    joinCareTeam(
      ctx,
      s.scope,
      screener,
      'Social worker',
      at - 20 * MINUTE,
      screener.id,
      leaves !== null && leaves < now ? leaves : null,
    );
  }
  s.risks = s.risks ? driftRisks(r, s.risks) : drawRisks(r, s.patient.housed);
  const choice = r.weighted([
    [80, 'ahc'],
    [4, 'partial'],
    [6, 'declined'],
    [10, 'none'],
  ] as const);
  const current = stay.dischargedAt === null;
  // A screen begun lately, or one the worker began and was called away from, is still a draft.
  if ((choice === 'ahc' && current && now - at < 8 * HOUR) || (choice === 'none' && current && r.chance(0.4)))
    give(ctx, stay, screener, 'ahc-hrsn', partialAhcAnswers(r, s.risks), at, { draft: true });
  else if (choice === 'ahc') {
    const first = give(ctx, stay, screener, 'ahc-hrsn', ahcAnswers(r, s.risks), at);
    // Now and then a worker corrects an answer the patient clarified later: the original is kept, superseded.
    const fixAt = at + r.int(1, 20) * HOUR;
    if (r.chance(0.01) && fixAt < now - MINUTE) {
      const answers = ahcAnswers(r, { ...s.risks, transportation: !s.risks.transportation });
      const amended = give(ctx, stay, screener, 'ahc-hrsn', answers, fixAt, {
        amends: first,
        reason: 'The patient clarified the transportation question.',
      });
      first.row.supersededById = amended.id;
      first.row.supersededAt = new Date(fixAt);
      for (const observation of first.observations) observation.supersededAt = new Date(fixAt);
    }
  } else if (choice === 'partial') {
    give(ctx, stay, screener, 'hunger-vital-sign', hungerVitalSignAnswers(s.risks), at);
    give(ctx, stay, screener, 'hits', hitsAnswers(s.risks), at + r.int(2, 10) * MINUTE);
  } else if (choice === 'declined') decline(ctx, stay, screener, 'ahc-hrsn', at);

  casework(ctx, stay, endBy);
}

/** The case worker's instruments: PHQ-9 over the stay (and GAD-7, C-SSRS after item 9), HITS for safety consults. */
function casework(ctx: DemoContext, stay: DemoStay, endBy: number): void {
  const { r, now } = ctx;
  const s = ctx.screening!;
  const c = stay.case;
  if (!c?.worker || c.firstContactAt === null || c.firstContactAt >= endBy - 30 * MINUTE) return;
  const worker = c.worker;
  const stop = Math.min(endBy, c.closedAt ?? endBy);
  let at = during(c.firstContactAt, r.int(10, 120) * MINUTE, stop);

  // The psychosocial assessment, a day or so into the case: always when it was the consult's question.
  const written = during(c.firstContactAt, r.int(4, 30) * HOUR, stop);
  if (r.chance(c.reasonCode === 'psychosocial-assessment' ? 0.9 : 0.3) && written < now)
    writePsychosocial(
      ctx,
      s.patient,
      s.risks,
      { encounterId: stay.encounterId, caseId: c.id },
      worker,
      written,
    );

  if (SAFETY_REASONS.has(c.reasonCode)) {
    const risks = s.risks ?? drawRisks(r, s.patient.housed);
    const safety: SocialRisks['safety'] = r.chance(0.6)
      ? [r.int(2, 4), r.int(3, 5), r.int(2, 4), r.int(3, 5)]
      : risks.safety;
    give(ctx, stay, worker, 'hits', hitsAnswers({ ...risks, safety }), at);
    at += r.int(5, 30) * MINUTE;
  }
  if (!MOOD_REASONS.has(c.reasonCode) && !s.moody) return;
  const suicidal = c.reasonCode === 'suicide-risk';
  s.mood ??= {
    level: suicidal ? r.int(14, 24) : r.int(5, 20),
    step: r.weighted([
      [70, -r.int(1, 3)],
      [20, 0],
      [10, 1],
    ] as const),
    ideation: suicidal ? 0.7 : 0.05,
  };
  const mood = s.mood;
  let first = true;
  while (at < stop && at < now) {
    const score = Math.max(0, Math.min(27, mood.level + r.int(-2, 2)));
    const item9 = r.chance(mood.level >= 15 ? mood.ideation + 0.1 : mood.ideation) ? r.int(1, 2) : 0;
    const phq = give(ctx, stay, worker, 'phq-9', phq9Answers(r, score, item9), at);
    if (first && r.chance(0.6))
      give(
        ctx,
        stay,
        worker,
        'gad-7',
        gad7Answers(r, Math.max(0, Math.min(21, Math.round(score * 0.7) + r.int(-3, 3)))),
        at + 5 * MINUTE,
      );
    if (phq.result.alarms.length) {
      // PHQ-9 item 9 above 0 offers the C-SSRS screener next.
      const risk: SuicideRisk = r.weighted([
        [15, 'none'],
        [35, 'low'],
        [30, 'moderate'],
        [20, 'high'],
      ] as const);
      const next = at + r.int(10, 45) * MINUTE;
      if (next < stop && next < now) give(ctx, stay, worker, 'cssrs-screener', cssrsAnswers(r, risk), next);
    }
    mood.level = Math.max(0, Math.min(27, mood.level + mood.step));
    mood.ideation = Math.max(0.02, mood.ideation * 0.5);
    first = false;
    at += r.int(2, 5) * DAY + r.int(-3, 3) * HOUR;
  }
}
