import {
  HOUSING_PROBLEMS,
  LIVING_SITUATION,
  TRANSPORTATION,
  UTILITIES,
} from '../../../domain/instruments/ahc-hrsn.ts';
import { CSSRS_ITEM_IDS } from '../../../domain/instruments/cssrs-screener.ts';
import { SAFETY_ITEM_IDS } from '../../../domain/instruments/hits.ts';
import { FOOD_DID_NOT_LAST, FOOD_WORRIED } from '../../../domain/instruments/hunger-vital-sign.ts';
import { type AnswerInput, getInstrument, type Instrument } from '../../../domain/instruments/index.ts';
import { PHQ9_ITEM9 } from '../../../domain/instruments/phq.ts';
import type { DemoRandom } from './random.ts';

/*
 * Answers as a patient gives them, for the demo's screens. Only the answers are made here; every score,
 * band, positive domain and alarm stored with them comes from domain/instruments' scoreResponse.
 */

const instrument = (id: string): Instrument => {
  const found = getInstrument(id);
  if (!found) throw new Error(`demo: unknown instrument ${id}`);
  return found;
};

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** The answer code of an item that scores `points`. */
function optionWith(item: Instrument['items'][number], points: number): string {
  const option = item.options.find((o) => o.points === points);
  if (!option) throw new Error(`demo: ${item.linkId} has no option worth ${points}`);
  return option.code;
}

/**
 * Answers to a summed 0–3 scale (PHQ-9, GAD-7) that add up to `total`: points spread at random over the
 * items, with `fixed` items (PHQ-9 item 9) given their value first.
 */
function scaleAnswers(
  r: DemoRandom,
  id: string,
  total: number,
  fixed: Record<string, number> = {},
): AnswerInput {
  const { items } = instrument(id);
  const points = new Map(items.map((i) => [i.linkId, fixed[i.linkId] ?? 0]));
  const free = items.filter((i) => !(i.linkId in fixed));
  let left = Math.min(Math.max(0, total - sum(Object.values(fixed))), free.length * 3);
  while (left > 0) {
    const open = free.filter((i) => points.get(i.linkId)! < 3);
    if (!open.length) break;
    const item = r.pick(open);
    points.set(item.linkId, points.get(item.linkId)! + 1);
    left -= 1;
  }
  return Object.fromEntries(items.map((i) => [i.linkId, optionWith(i, points.get(i.linkId)!)]));
}

/** PHQ-9 answers totalling about `total`, with item 9 (thoughts of death or self-harm) at `item9` points. */
export const phq9Answers = (r: DemoRandom, total: number, item9: number) =>
  scaleAnswers(r, 'phq-9', Math.max(total, item9), { [PHQ9_ITEM9]: item9 });

export const gad7Answers = (r: DemoRandom, total: number) => scaleAnswers(r, 'gad-7', total);

/** A patient's social risks, drawn once so that their screens over time mostly agree. */
export interface SocialRisks {
  housing: 'steady' | 'worried' | 'unhoused';
  housingProblems: string[];
  food: 'never' | 'sometimes' | 'often';
  transportation: boolean;
  utilities: 'no' | 'threatened' | 'shut-off';
  /** Interpersonal safety points per item (1 never … 5 frequently), physically hurt first. */
  safety: [number, number, number, number];
}

const HOUSING_PROBLEM_CODES = [
  'LA31996-4',
  'LA28580-1',
  'LA31997-2',
  'LA31998-0',
  'LA31999-8',
  'LA32000-4',
  'LA32001-2',
];
const NONE_OF_THE_ABOVE = 'LA9-3';
const FOOD = { often: 'LA28397-0', sometimes: 'LA6729-3', never: 'LA28398-8' } as const;
const YES = 'LA33-6';
const NO = 'LA32-8';

/** Risks about as often as hospital SDOH screening finds them; unhoused patients say so. */
export function drawRisks(r: DemoRandom, housed: boolean): SocialRisks {
  const hurt = r.chance(0.03);
  const abused = hurt && r.chance(0.5);
  const safety: SocialRisks['safety'] = abused
    ? [r.int(2, 4), r.int(3, 5), r.int(2, 4), r.int(3, 5)]
    : [hurt ? 2 : 1, r.chance(0.08) ? 2 : 1, 1, r.chance(0.1) ? r.int(2, 3) : 1];
  return {
    housing: !housed ? 'unhoused' : r.chance(0.1) ? 'worried' : 'steady',
    housingProblems: r.chance(0.08) ? [r.pick(HOUSING_PROBLEM_CODES)] : [],
    food: r.weighted([
      [80, 'never'],
      [14, 'sometimes'],
      [6, 'often'],
    ] as const),
    transportation: r.chance(0.12),
    utilities: r.weighted([
      [90, 'no'],
      [8, 'threatened'],
      [2, 'shut-off'],
    ] as const),
    safety,
  };
}

/** Circumstances change a little between screens: one answer may move. */
export function driftRisks(r: DemoRandom, risks: SocialRisks): SocialRisks {
  if (!r.chance(0.2)) return risks;
  const next = { ...risks };
  switch (r.int(0, 2)) {
    case 0:
      next.food = risks.food === 'never' ? 'sometimes' : 'never';
      break;
    case 1:
      next.transportation = !risks.transportation;
      break;
    default:
      next.utilities = risks.utilities === 'no' ? 'threatened' : 'no';
  }
  return next;
}

const safetyCodes = (points: readonly number[]) => {
  const { items } = instrument('hits');
  return Object.fromEntries(
    SAFETY_ITEM_IDS.map((id, i) => [id, optionWith(items.find((x) => x.linkId === id)!, points[i]!)]),
  );
};

/** The AHC core questions 1–10 as the patient with these risks answers them. */
export function ahcAnswers(r: DemoRandom, risks: SocialRisks): AnswerInput {
  const foodOther = risks.food === 'never' ? FOOD.never : r.chance(0.7) ? FOOD[risks.food] : FOOD.sometimes;
  return {
    [LIVING_SITUATION]:
      risks.housing === 'unhoused' ? 'LA31995-6' : risks.housing === 'worried' ? 'LA31994-9' : 'LA31993-1',
    [HOUSING_PROBLEMS]: risks.housingProblems.length ? risks.housingProblems : [NONE_OF_THE_ABOVE],
    [FOOD_WORRIED]: FOOD[risks.food],
    [FOOD_DID_NOT_LAST]: foodOther,
    [TRANSPORTATION]: risks.transportation ? YES : NO,
    [UTILITIES]: risks.utilities === 'no' ? NO : risks.utilities === 'threatened' ? YES : 'LA32002-0',
    ...safetyCodes(risks.safety),
  };
}

/** The first questions of the AHC tool only: a screen the worker started and has not finished. */
export function partialAhcAnswers(r: DemoRandom, risks: SocialRisks): AnswerInput {
  const all = Object.entries(ahcAnswers(r, risks));
  return Object.fromEntries(all.slice(0, r.int(2, 6)));
}

export const hungerVitalSignAnswers = (risks: SocialRisks): AnswerInput => ({
  [FOOD_WORRIED]: FOOD[risks.food],
  [FOOD_DID_NOT_LAST]: risks.food === 'often' ? FOOD.sometimes : FOOD[risks.food],
});

/** HITS asks about a partner; a patient hurt by someone answers it much as the AHC safety questions. */
export const hitsAnswers = (risks: SocialRisks): AnswerInput => safetyCodes(risks.safety);

export type SuicideRisk = 'none' | 'low' | 'moderate' | 'high';

/** C-SSRS screener answers that the triage rules put at the given risk (skip logic respected). */
export function cssrsAnswers(r: DemoRandom, risk: SuicideRisk): AnswerInput {
  const ids = CSSRS_ITEM_IDS;
  const yn = (yes: boolean) => (yes ? YES : NO);
  const thoughts = risk === 'moderate' || risk === 'high' || (risk === 'low' && r.chance(0.4));
  const answers: Record<string, string> = {
    [ids.wishDead]: yn(risk !== 'none'),
    [ids.thoughtsOfKilling]: yn(thoughts),
  };
  const highByBehaviour = risk === 'high' && r.chance(0.3);
  if (thoughts) {
    answers[ids.method] = yn(risk === 'moderate' || risk === 'high');
    answers[ids.intent] = yn(risk === 'high' && !highByBehaviour);
    answers[ids.plan] = yn(risk === 'high' && !highByBehaviour && r.chance(0.5));
  }
  const behaviour = highByBehaviour || (risk === 'moderate' && r.chance(0.3));
  answers[ids.behaviour] = yn(behaviour);
  if (behaviour) answers[ids.behaviourWithin3Months] = yn(highByBehaviour);
  return answers;
}

/** Whether "physically hurt" was answered rarely or worse. */
export const hurt = (risks: SocialRisks) => risks.safety[0] > 1;
