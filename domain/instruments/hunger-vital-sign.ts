/**
 * Hunger Vital Sign, a two-item food insecurity screen drawn from the USDA Household Food Security Survey.
 * Source: Hager ER, Quigg AM, Black MM, et al. Development and validity of a 2-item screen to identify
 * families at risk for food insecurity. Pediatrics 2010;126:e26–e32.
 * LOINC (decision 007; HL7/US-Core input/examples/Observation-HVS-*.json and HL7/fhir-sdoh-clinicalcare
 * input/fsh/instances/SDOHCC-QuestionnaireHungerVitalSign.fsh): panel 88121-9, items 88122-7 and 88123-5,
 * answers LA28397-0 often true, LA6729-3 sometimes true, LA28398-8 never true. (LOINC also has 88124-3 "Food
 * insecurity risk [HVS]", answered LA19952-3 at risk / LA19983-8 no risk; Kith gives the result as its band.)
 * Per domain.md: either item often or sometimes true → `positive`, domain `food-insecurity`. The published
 * screen has no total, so the score is null (band only).
 * Spanish: Kith's working translation, pending the published Spanish Hunger Vital Sign (Children's
 * HealthWatch), whose wording could not be found to compare. The answers are shared with AHC questions 3–4.
 */
import { type AnswerOption, type Instrument, loinc, loincAnswer } from './types.ts';

/** Often true, sometimes true, never true (shared with AHC questions 3 and 4). */
export const FOOD_FREQUENCY: readonly AnswerOption[] = [
  loincAnswer('LA28397-0', 'Often true', 'Con frecuencia es cierto', null),
  loincAnswer('LA6729-3', 'Sometimes true', 'A veces es cierto', null),
  loincAnswer('LA28398-8', 'Never true', 'Nunca es cierto', null),
];

/** Answers that make a food item positive. */
export const FOOD_POSITIVE = ['LA28397-0', 'LA6729-3'] as const;

export const FOOD_WORRIED = '88122-7';
export const FOOD_DID_NOT_LAST = '88123-5';

export const HUNGER_VITAL_SIGN: Instrument = {
  id: 'hunger-vital-sign',
  shortTitle: 'Hunger Vital Sign',
  version: '1.0.0',
  title: 'Hunger Vital Sign',
  source: 'Hager et al. 2010, Pediatrics 126:e26',
  panel: loinc('88121-9', 'Hunger Vital Sign [HVS]'),
  total: null,
  spanish: {
    source:
      "Kith's working translation, pending the published Spanish Hunger Vital Sign (Children's HealthWatch); not compared with it (decision 007)",
    checked: false,
  },
  // Kith's short lead-in; the screen itself publishes only the two statements and the three answers.
  intro: {
    en: 'Please tell me whether each statement was often true, sometimes true, or never true.',
    es: 'Por favor, dígame si cada frase fue con frecuencia cierta, a veces cierta o nunca cierta.',
  },
  items: [
    {
      linkId: FOOD_WORRIED,
      code: loinc(
        FOOD_WORRIED,
        'Within the past 12 months we worried whether our food would run out before we got money to buy more [U.S. FSS]',
      ),
      text: {
        en: 'Within the past 12 months we worried whether our food would run out before we got money to buy more.',
        es: 'En los últimos 12 meses, nos preocupó que la comida se nos acabara antes de tener dinero para comprar más.',
      },
      options: FOOD_FREQUENCY,
      required: true,
    },
    {
      linkId: FOOD_DID_NOT_LAST,
      code: loinc(
        FOOD_DID_NOT_LAST,
        "Within the past 12 months the food we bought just didn't last and we didn't have money to get more [U.S. FSS]",
      ),
      text: {
        en: "Within the past 12 months the food we bought just didn't last and we didn't have money to get more.",
        es: 'En los últimos 12 meses, la comida que compramos no alcanzó y no teníamos dinero para comprar más.',
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
