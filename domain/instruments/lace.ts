/**
 * LACE index of the risk of death or unplanned readmission within 30 days of discharge.
 * Source: van Walraven C, Dhalla IA, Bell C, et al. Derivation and validation of an index to predict early
 * death or unplanned readmission after discharge from hospital to the community. CMAJ 2010;182:551–557.
 * Not the "modified LACE" of BMJ Open 2017 (which caps L at 6 and C at 6). LACE has no LOINC panel or item
 * codes known to us, so items and answers carry Kith local codes (system LACE_SYSTEM).
 * Per domain.md: L length of stay (<1: 0, 1: 1, 2: 2, 3: 3, 4–6: 4, 7–13: 5, ≥14: 7); A emergent admission 3;
 * C Charlson points (0: 0, 1: 1, 2: 2, 3: 3, ≥4: 5); E ED visits in the previous 6 months (0–3 as counted,
 * ≥4: 4), not counting the visit that led to this admission; total 0–19, ≥ 10 high, 5–9 moderate, 0–4 low.
 * The comorbidity weights are those of the LACE tool, checked against its reproduction in BMC Cardiovasc
 * Disord 2014;14:97, Table 1 (decision 007); that table has no AIDS row, so AIDS 4 rests on domain.md alone.
 * Spanish: none needed; the index is filled by staff from the record.
 */

import { itemPoints } from './engine.ts';
import type { AnswerOption, Answers, Instrument } from './types.ts';

export const LACE_SYSTEM = 'urn:kith:code-system:lace';

const option = (code: string, en: string, points: number, exclusive?: boolean): AnswerOption => ({
  system: LACE_SYSTEM,
  code,
  text: { en, es: null },
  points,
  ...(exclusive ? { exclusive } : {}),
});
const localCode = (code: string, display: string) => ({ system: LACE_SYSTEM, code, display });

/** Charlson comorbidities with the weights LACE uses (domain.md). */
export const CHARLSON_CONDITIONS = {
  'myocardial-infarction': ['Previous myocardial infarction', 1],
  'cerebrovascular-disease': ['Cerebrovascular disease', 1],
  'peripheral-vascular-disease': ['Peripheral vascular disease', 1],
  'diabetes-uncomplicated': ['Diabetes without complications', 1],
  'congestive-heart-failure': ['Congestive heart failure', 2],
  'diabetes-end-organ-damage': ['Diabetes with end-organ damage', 2],
  'chronic-pulmonary-disease': ['Chronic pulmonary disease', 2],
  'mild-liver-or-renal-disease': ['Mild liver or renal disease', 2],
  'any-tumour': ['Any tumour (including lymphoma, leukaemia)', 2],
  dementia: ['Dementia', 3],
  'connective-tissue-disease': ['Connective tissue disease', 3],
  aids: ['AIDS', 4],
  'moderate-severe-liver-or-renal-disease': ['Moderate or severe liver or renal disease', 4],
  'metastatic-solid-tumour': ['Metastatic solid tumour', 6],
} as const satisfies Record<string, readonly [string, number]>;
export type CharlsonCondition = keyof typeof CHARLSON_CONDITIONS;

const NO_COMORBIDITY = 'none';

/** LACE "C" points from a Charlson total: 0–3 as counted, 4 or more scores 5. */
export function charlsonToLacePoints(charlson: number): number {
  return charlson >= 4 ? 5 : charlson;
}

const laceScore = (answers: Answers, instrument: Instrument): number =>
  itemPoints(instrument, 'lace-l', answers) +
  itemPoints(instrument, 'lace-a', answers) +
  charlsonToLacePoints(itemPoints(instrument, 'lace-c', answers)) +
  itemPoints(instrument, 'lace-e', answers);

export const LACE: Instrument = {
  id: 'lace',
  shortTitle: 'LACE index',
  version: '1.0.0',
  title: 'LACE index (30-day readmission or death)',
  source: 'van Walraven et al. 2010, CMAJ 182:551',
  panel: null,
  total: null,
  spanish: null,
  intro: null,
  items: [
    {
      linkId: 'lace-l',
      code: localCode('lace-l', 'Length of stay (days)'),
      text: { en: 'Length of stay, in days', es: null },
      options: [
        option('los-0', 'Less than 1 day', 0),
        option('los-1', '1 day', 1),
        option('los-2', '2 days', 2),
        option('los-3', '3 days', 3),
        option('los-4-6', '4 to 6 days', 4),
        option('los-7-13', '7 to 13 days', 5),
        option('los-14', '14 days or more', 7),
      ],
      required: true,
    },
    {
      linkId: 'lace-a',
      code: localCode('lace-a', 'Acuity of admission'),
      text: { en: 'Was the admission emergent (acute)?', es: null },
      options: [option('emergent', 'Yes, emergent', 3), option('not-emergent', 'No, elective', 0)],
      required: true,
    },
    {
      linkId: 'lace-c',
      code: localCode('lace-c', 'Comorbidities (Charlson)'),
      text: { en: 'Comorbidities: choose all that apply', es: null },
      multiple: true,
      options: [
        ...Object.entries(CHARLSON_CONDITIONS).map(([code, [en, weight]]) => option(code, en, weight)),
        option(NO_COMORBIDITY, 'None of these', 0, true),
      ],
      required: true,
    },
    {
      linkId: 'lace-e',
      code: localCode('lace-e', 'Emergency department visits in the previous 6 months'),
      text: {
        en: 'Emergency department visits in the 6 months before admission, not counting the visit that led to it',
        es: null,
      },
      options: [
        option('ed-0', 'None', 0),
        option('ed-1', '1', 1),
        option('ed-2', '2', 2),
        option('ed-3', '3', 3),
        option('ed-4', '4 or more', 4),
      ],
      required: true,
    },
  ],
  scoring: laceScore,
  bands: [
    { key: 'high', min: 10, interpretation: 'High risk of readmission or death within 30 days' },
    { key: 'moderate', min: 5, max: 9, interpretation: 'Moderate risk' },
    { key: 'low', min: 0, max: 4, interpretation: 'Low risk' },
  ],
  needs: [],
  screens: [],
  alarms: [],
};

function lengthOfStayCode(days: number): string {
  if (days < 1) return 'los-0';
  if (days < 4) return `los-${Math.floor(days)}`;
  if (days < 7) return 'los-4-6';
  if (days < 14) return 'los-7-13';
  return 'los-14';
}

/** LACE answers from facts of the stay, for discharge planning to score without a form. */
export function laceAnswers(stay: {
  lengthOfStayDays: number;
  emergent: boolean;
  comorbidities: readonly CharlsonCondition[];
  edVisitsPrevious6Months: number;
}): Record<string, string | string[]> {
  return {
    'lace-l': lengthOfStayCode(stay.lengthOfStayDays),
    'lace-a': stay.emergent ? 'emergent' : 'not-emergent',
    'lace-c': stay.comorbidities.length > 0 ? [...new Set(stay.comorbidities)] : [NO_COMORBIDITY],
    'lace-e': `ed-${Math.min(4, Math.max(0, Math.floor(stay.edVisitsPrevious6Months)))}`,
  };
}
