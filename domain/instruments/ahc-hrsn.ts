/**
 * AHC Health-Related Social Needs Screening Tool, core questions 1–10 (housing, food, transportation,
 * utilities, interpersonal safety).
 * Source: Billioux A, Verlander K, Anthony S, Alley D. Standardized Screening for Health-Related Social Needs
 * in Clinical Settings: The Accountable Health Communities Screening Tool. NAM Perspectives, 2017; CMS
 * Accountable Health Communities HRSN Screening Tool. LOINC: panel 96777-8; Q1 71802-3, Q2 96778-6,
 * Q3 88122-7, Q4 88123-5, Q5 93030-5, Q6 96779-4, Q7–Q10 95618-5, 95617-7, 95616-9, 95615-1 (the [HITS]
 * codes), safety total 95614-4; answer codes as in the LOINC answer lists for those items.
 * Per domain.md: housing instability when Q1 is "worried about losing it" or "no steady place", or Q2 names
 * any problem other than none (domain.md files housing-quality problems under housing-instability, not
 * inadequate-housing, and Kith follows it); food insecurity when Q3 or Q4 is often or sometimes true;
 * transportation when Q5 yes; utilities when Q6 yes or already shut off; interpersonal safety when Q7–Q10,
 * scored as HITS, total > 10. `band` is positive when any domain is. The tool publishes no overall total, so
 * the score is null; the safety total is `ahcSafetyTotal`.
 * Spanish: null. CMS publishes a Spanish version of the tool, but its exact wording is not known to us.
 */

import { itemPoints, normaliseAnswers } from './engine.ts';
import { SAFETY_ALARMS, SAFETY_ITEM_IDS, SAFETY_POSITIVE, safetyItems } from './hits.ts';
import { FOOD_DID_NOT_LAST, FOOD_FREQUENCY, FOOD_POSITIVE, FOOD_WORRIED } from './hunger-vital-sign.ts';
import type { AnswerInput, Condition, Instrument, NeedRule } from './types.ts';
import { loinc, loincAnswer } from './types.ts';

export const LIVING_SITUATION = '71802-3';
export const HOUSING_PROBLEMS = '96778-6';
export const TRANSPORTATION = '93030-5';
export const UTILITIES = '96779-4';

const YES = 'LA33-6';
const NO = 'LA32-8';
const NONE_OF_THE_ABOVE = 'LA9-3';

const HOUSING: Condition = {
  any: [
    { item: LIVING_SITUATION, anyOf: ['LA31994-9', 'LA31995-6'] },
    { item: HOUSING_PROBLEMS, anyExcept: [NONE_OF_THE_ABOVE] },
  ],
};
const FOOD: Condition = {
  any: [
    { item: FOOD_WORRIED, anyOf: FOOD_POSITIVE },
    { item: FOOD_DID_NOT_LAST, anyOf: FOOD_POSITIVE },
  ],
};

const NEEDS: readonly NeedRule[] = [
  { domain: 'housing-instability', when: HOUSING },
  { domain: 'food-insecurity', when: FOOD },
  { domain: 'transportation-insecurity', when: { item: TRANSPORTATION, anyOf: [YES] } },
  { domain: 'utility-insecurity', when: { item: UTILITIES, anyOf: [YES, 'LA32002-0'] } },
  { domain: 'intimate-partner-violence', when: SAFETY_POSITIVE },
];

export const AHC_HRSN: Instrument = {
  id: 'ahc-hrsn',
  version: '1.0.0',
  title: 'Accountable Health Communities Health-Related Social Needs Screening Tool (core)',
  source: 'CMS Accountable Health Communities HRSN Screening Tool (Billioux et al. 2017, NAM Perspectives)',
  panel: loinc(
    '96777-8',
    'Accountable health communities (AHC) health-related social needs screening (HRSN) tool',
  ),
  total: null,
  spanish: null,
  intro: null,
  items: [
    {
      linkId: LIVING_SITUATION,
      code: loinc(LIVING_SITUATION, 'Housing status'),
      text: { en: 'What is your living situation today?', es: null },
      options: [
        loincAnswer('LA31993-1', 'I have a steady place to live', null, null),
        loincAnswer(
          'LA31994-9',
          'I have a place to live today, but I am worried about losing it in the future',
          null,
          null,
        ),
        loincAnswer(
          'LA31995-6',
          'I do not have a steady place to live (I am temporarily staying with others, in a hotel, in a shelter, living outside on the street, on a beach, in a car, abandoned building, bus or train station, or in a park)',
          null,
          null,
        ),
      ],
      required: true,
    },
    {
      linkId: HOUSING_PROBLEMS,
      code: loinc(HOUSING_PROBLEMS, 'Problems with place where you live'),
      text: {
        en: 'Think about the place you live. Do you have problems with any of the following? Choose all that apply.',
        es: null,
      },
      multiple: true,
      options: [
        loincAnswer('LA31996-4', 'Pests such as bugs, ants, or mice', null, null),
        loincAnswer('LA28580-1', 'Mold', null, null),
        loincAnswer('LA31997-2', 'Lead paint or pipes', null, null),
        loincAnswer('LA31998-0', 'Lack of heat', null, null),
        loincAnswer('LA31999-8', 'Oven or stove not working', null, null),
        loincAnswer('LA32000-4', 'Smoke detectors missing or not working', null, null),
        loincAnswer('LA32001-2', 'Water leaks', null, null),
        loincAnswer(NONE_OF_THE_ABOVE, 'None of the above', null, null, true),
      ],
      required: true,
    },
    {
      linkId: FOOD_WORRIED,
      code: loinc(
        FOOD_WORRIED,
        'Within the past 12 months we worried whether our food would run out before we got money to buy more',
      ),
      text: {
        en: 'Within the past 12 months, you worried that your food would run out before you got money to buy more.',
        es: null,
      },
      options: FOOD_FREQUENCY,
      required: true,
    },
    {
      linkId: FOOD_DID_NOT_LAST,
      code: loinc(
        FOOD_DID_NOT_LAST,
        "Within the past 12 months the food we bought just didn't last and we didn't have money to get more",
      ),
      text: {
        en: "Within the past 12 months, the food you bought just didn't last and you didn't have money to get more.",
        es: null,
      },
      options: FOOD_FREQUENCY,
      required: true,
    },
    {
      linkId: TRANSPORTATION,
      code: loinc(
        TRANSPORTATION,
        'Has lack of transportation kept you from medical appointments, meetings, work, or from getting things needed for daily living',
      ),
      text: {
        en: 'In the past 12 months, has lack of reliable transportation kept you from medical appointments, meetings, work or from getting things needed for daily living?',
        es: null,
      },
      options: [loincAnswer(YES, 'Yes', null, null), loincAnswer(NO, 'No', null, null)],
      required: true,
    },
    {
      linkId: UTILITIES,
      code: loinc(
        UTILITIES,
        'Has the electric, gas, oil, or water company threatened to shut off services in your home in past 12 months',
      ),
      text: {
        en: 'In the past 12 months has the electric, gas, oil, or water company threatened to shut off services in your home?',
        es: null,
      },
      options: [
        loincAnswer(YES, 'Yes', null, null),
        loincAnswer(NO, 'No', null, null),
        loincAnswer('LA32002-0', 'Already shut off', null, null),
      ],
      required: true,
    },
    ...safetyItems((display) => `How often does anyone, including family and friends, ${display}?`),
  ],
  scoring: 'none',
  bands: [
    {
      key: 'positive',
      interpretation: 'One or more health-related social needs',
      when: { any: NEEDS.map((n) => n.when) },
    },
    { key: 'negative', interpretation: 'No health-related social need found' },
  ],
  needs: NEEDS,
  screens: NEEDS.map((n) => n.domain),
  alarms: SAFETY_ALARMS,
};

/** The interpersonal safety total of AHC questions 7–10, scored as HITS (4–20), for the 95614-4 Observation. */
export function ahcSafetyTotal(input: AnswerInput): number {
  const answers = normaliseAnswers(input);
  return SAFETY_ITEM_IDS.reduce((sum, id) => sum + itemPoints(AHC_HRSN, id, answers), 0);
}
