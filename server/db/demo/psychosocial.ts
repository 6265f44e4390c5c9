import {
  PSYCHOSOCIAL,
  PSYCHOSOCIAL_VERSION,
  type PsychosocialSectionKey,
} from '../../../domain/assessments.ts';
import { assessments } from '../../modules/assessments/assessments.tables.ts';
import type { SocialRisks } from './answers.ts';
import { type DemoContext, MINUTE, onTimeline, type Person } from './context.ts';
import type { DemoPatient } from './people.ts';

/*
 * The case worker's psychosocial assessment, written a day or two into the case: short clinical prose built
 * from what the demo knows of the patient (housing, food, safety answers, language), so that a demo chart reads
 * like a worker's note. Sentences are picked, never free-generated, so no text can surprise a reader.
 */

type Sections = Partial<Record<PsychosocialSectionKey, string>>;

const HOUSING: Record<SocialRisks['housing'], string[]> = {
  steady: [
    'Lives in a rented apartment with a partner; stairs to the second floor.',
    'Owns a single-family home with an adult daughter living nearby.',
    'Lives alone in senior housing with an elevator; has lived there six years.',
  ],
  worried: [
    'Rents a room; behind two months on rent and received a notice from the landlord.',
    'Lives with a sister who is selling the house; unsure where to go after discharge.',
  ],
  unhoused: [
    'Has been staying in a shelter for three weeks; before that stayed with friends.',
    'Sleeping in a car since losing an apartment in the spring.',
  ],
};

const SUPPORT = [
  'Daughter visits daily and is willing to help with appointments.',
  'Partner works nights; a neighbour checks in most days.',
  'Few supports nearby; a son lives out of state and calls weekly.',
  'Close to a faith community that has offered meals and rides.',
];

const EMPLOYMENT = [
  'Retired; Social Security is the only income.',
  'Works part time in a warehouse; no paid sick leave.',
  'On unemployment since the spring; savings nearly spent.',
  'Receives disability benefits; manages money with help from a nephew.',
];

const INSURANCE = [
  'Medicare with a supplement; no prescription concerns reported.',
  'MassHealth; coverage confirmed today.',
  'Commercial insurance through an employer; worried about co-pays.',
  'Uninsured; interested in a MassHealth application and the charity care program.',
];

const LEGAL = [
  'No legal issues reported.',
  'No legal issues reported.',
  'Pending housing court date next month.',
];

const SUBSTANCE = [
  'Denies alcohol or drug use.',
  'Drinks two to three beers most evenings; open to talking about cutting down.',
  'Former smoker, quit ten years ago. No other substance use.',
];

const MENTAL_HEALTH = [
  'No psychiatric history reported.',
  'Treated for depression in the past; stopped medication last year.',
  'Anxiety since a car accident; sees a counsellor monthly.',
];

const SPIRITUAL = [
  'Catholic; would welcome a chaplain visit.',
  'Not religious; family gatherings on Sundays matter a great deal.',
  'Attends a local mosque; prefers a female clinician for personal care.',
];

const STRENGTHS = [
  'Resourceful and direct about needs; has managed a chronic illness for years.',
  'Strong bond with grandchildren; motivated to return home.',
  'Organised; keeps a notebook of medications and appointments.',
];

const GOALS = [
  '"I want to go home and be able to cook for myself."',
  '"I need a safe place to stay before I leave here."',
  '"I want to understand my bills and keep my apartment."',
];

function safetyText(risks: SocialRisks): string {
  const [hurt, insult, threaten, scream] = risks.safety;
  if (hurt >= 2 || hurt + insult + threaten + scream > 10)
    return 'Reports a partner who yells and has pushed them; safety planning begun, does not want police involved now.';
  return 'Feels safe at home. No history of abuse or trauma shared today.';
}

/** The sections of one patient's assessment, from the demo's facts about them. */
function sections(ctx: DemoContext, patient: DemoPatient, risks: SocialRisks | null): Sections {
  const { r } = ctx;
  const housing = risks?.housing ?? (patient.housed ? 'steady' : 'unhoused');
  const food =
    risks && risks.food !== 'never'
      ? ' Runs out of food before the end of the month; not enrolled in SNAP.'
      : '';
  const language =
    patient.language === 'en'
      ? ''
      : ` Prefers ${patient.language === 'es' ? 'Spanish' : 'their own language'}; interview with an interpreter.`;
  return {
    livingSituation: `${r.pick(HOUSING[housing])}${food}`,
    supportSystem: r.pick(SUPPORT),
    employmentFinances: r.pick(EMPLOYMENT),
    insurance: r.pick(INSURANCE),
    legal: r.pick(LEGAL),
    substanceUse: r.pick(SUBSTANCE),
    traumaSafety: risks ? safetyText(risks) : 'Feels safe at home.',
    mentalHealthHistory: r.pick(MENTAL_HEALTH),
    spiritualCultural: `${r.pick(SPIRITUAL)}${language}`,
    strengths: r.pick(STRENGTHS),
    patientGoals: r.pick(GOALS),
    summary: `${patient.age}-year-old admitted this week. ${
      housing === 'steady' ? 'Housing is stable' : 'Housing is the most pressing concern'
    }${food ? ' and food runs short' : ''}. Plan: follow up on the needs identified, involve family with the patient's consent, and revisit before discharge.`,
  };
}

/** A completed psychosocial assessment by the case worker, with its timeline entry. */
export function writePsychosocial(
  ctx: DemoContext,
  patient: DemoPatient,
  risks: SocialRisks | null,
  stay: { encounterId: string; caseId: string },
  worker: Person,
  at: number,
): void {
  const { r } = ctx;
  const startedAt = at - r.int(30, 90) * MINUTE;
  const id = r.id(startedAt);
  ctx.w.add(assessments, {
    id,
    organizationId: ctx.organizationId,
    patientId: patient.id,
    encounterId: stay.encounterId,
    caseId: stay.caseId,
    instrumentId: PSYCHOSOCIAL,
    instrumentVersion: PSYCHOSOCIAL_VERSION,
    status: 'completed',
    mode: 'staff',
    language: 'en',
    // The batch writer sends every column, so the table's defaults are written out.
    answers: {},
    content: sections(ctx, patient, risks),
    screenedDomains: [],
    positiveDomains: [],
    alarms: [],
    startedBy: worker.id,
    startedAt: new Date(startedAt),
    completedBy: worker.id,
    completedAt: new Date(at),
    rootId: id,
    version: 4,
    createdAt: new Date(startedAt),
    updatedAt: new Date(at),
  });
  onTimeline(ctx, patient.id, 'assessment', at, 'Psychosocial assessment completed', {
    kind: 'assessment',
    id,
    actorId: worker.id,
    detail: { event: 'complete', instrument: PSYCHOSOCIAL, score: null, band: null },
  });
}
