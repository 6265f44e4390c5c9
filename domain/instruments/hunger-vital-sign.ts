/**
 * Hunger Vital Sign, a two-item food insecurity screen drawn from the USDA Household Food Security Survey.
 * Source: Hager ER, Quigg AM, Black MM, et al. Development and validity of a 2-item screen to identify
 * families at risk for food insecurity. Pediatrics 2010;126:e26–e32. LOINC: panel 88121-9, items 88122-7 and
 * 88123-5, answers LA28397-0 often true, LA6729-3 sometimes true, LA28398-8 never true.
 * Per domain.md: either item often or sometimes true → `positive`, domain `food-insecurity`. The published
 * screen has no total, so the score is null (band only).
 * Spanish: null; a Spanish version exists (Children's HealthWatch) but its exact wording is not known to us.
 */
import { type AnswerOption, type Instrument, loinc, loincAnswer } from './types.ts';

/** Often true, sometimes true, never true (shared with AHC questions 3 and 4). */
export const FOOD_FREQUENCY: readonly AnswerOption[] = [
  loincAnswer('LA28397-0', 'Often true', null, null),
  loincAnswer('LA6729-3', 'Sometimes true', null, null),
  loincAnswer('LA28398-8', 'Never true', null, null),
];

/** Answers that make a food item positive. */
export const FOOD_POSITIVE = ['LA28397-0', 'LA6729-3'] as const;

export const FOOD_WORRIED = '88122-7';
export const FOOD_DID_NOT_LAST = '88123-5';

export const HUNGER_VITAL_SIGN: Instrument = {
  id: 'hunger-vital-sign',
  version: '1.0.0',
  title: 'Hunger Vital Sign',
  source: 'Hager et al. 2010, Pediatrics 126:e26',
  panel: loinc('88121-9', 'Hunger Vital Sign [HVS]'),
  total: null,
  spanish: null,
  intro: {
    en: 'Please tell me whether each statement was often true, sometimes true, or never true.',
    es: null,
  },
  items: [
    {
      linkId: FOOD_WORRIED,
      code: loinc(
        FOOD_WORRIED,
        'Within the past 12 months we worried whether our food would run out before we got money to buy more',
      ),
      text: {
        en: 'Within the past 12 months we worried whether our food would run out before we got money to buy more.',
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
        en: "Within the past 12 months the food we bought just didn't last and we didn't have money to get more.",
        es: null,
      },
      options: FOOD_FREQUENCY,
      required: true,
    },
  ],
  scoring: 'none',
  bands: [
    {
      key: 'positive',
      interpretation: 'At risk of food insecurity',
      when: {
        any: [
          { item: FOOD_WORRIED, anyOf: FOOD_POSITIVE },
          { item: FOOD_DID_NOT_LAST, anyOf: FOOD_POSITIVE },
        ],
      },
    },
    { key: 'negative', interpretation: 'No food insecurity risk found' },
  ],
  needs: [{ domain: 'food-insecurity', when: { band: 'positive' } }],
  screens: ['food-insecurity'],
  alarms: [],
};
