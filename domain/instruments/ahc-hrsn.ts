/**
 * AHC Health-Related Social Needs Screening Tool, core questions 1–10 (housing, food, transportation,
 * utilities, interpersonal safety).
 * Source: Billioux A, Verlander K, Anthony S, Alley D. Standardized Screening for Health-Related Social Needs
 * in Clinical Settings: The Accountable Health Communities Screening Tool. NAM Perspectives, 2017; CMS
 * Accountable Health Communities HRSN Screening Tool (the 2018 wording of questions 1–2, as PhenX protocol
 * 281401 reproduces it).
 * LOINC (decision 007): panel 96777-8 with Q1 71802-3, Q2 96778-6, Q3 88122-7, Q4 88123-5, Q5 93030-5, Q6
 * 96779-4, Q7–Q10 95618-5, 95617-7, 95616-9, 95615-1 (the [HITS] codes) and the safety total 95614-4, as in
 * HL7/US-Core input/examples/Observation-AHC-HRSN-panel-example-96777-8.json; the answer codes of each question
 * and the English question and answer wording as the NY HRSN (SHIN-NY) implementation specifies them.
 * Per domain.md: housing instability when Q1 is "worried about losing it" or "no steady place", or Q2 names
 * any problem other than none (domain.md files housing-quality problems under housing-instability, not
 * inadequate-housing, and Kith follows it); food insecurity when Q3 or Q4 is often or sometimes true;
 * transportation when Q5 yes; utilities when Q6 yes or already shut off; interpersonal safety when Q7–Q10,
 * scored as HITS, total > 10. `band` is positive when any domain is. The tool publishes no overall total, so
 * the score is null; the safety total is `ahcSafetyTotal`.
 * Spanish: Kith's working translation, pending CMS's published Spanish AHC HRSN tool, whose wording could not be
 * found to compare. Every question and answer carries it, so the patient can take the screen in Spanish.
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
const ALREADY_SHUT_OFF = 'LA32002-0';

const yes = loincAnswer(YES, 'Yes', 'Sí', null);
const no = loincAnswer(NO, 'No', 'No', null);

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
  { domain: 'utility-insecurity', when: { item: UTILITIES, anyOf: [YES, ALREADY_SHUT_OFF] } },
  { domain: 'intimate-partner-violence', when: SAFETY_POSITIVE },
];

export const AHC_HRSN: Instrument = {
  id: 'ahc-hrsn',
  shortTitle: 'AHC HRSN',
  version: '1.0.0',
  title: 'Accountable Health Communities Health-Related Social Needs Screening Tool (core)',
  source: 'CMS Accountable Health Communities HRSN Screening Tool (Billioux et al. 2017, NAM Perspectives)',
  panel: loinc(
    '96777-8',
    'Accountable health communities (AHC) health-related social needs screening (HRSN) tool',
  ),
  total: null,
  spanish: {
    source:
      "Kith's working translation, pending CMS's published Spanish AHC HRSN Screening Tool; not compared with it (decision 007)",
    checked: false,
  },
  intro: null,
  items: [
    {
      linkId: LIVING_SITUATION,
      code: loinc(LIVING_SITUATION, 'Housing status'),
      text: { en: 'What is your living situation today?', es: '¿Cuál es su situación de vivienda hoy?' },
      options: [
        loincAnswer('LA31993-1', 'I have a steady place to live', 'Tengo un lugar estable donde vivir', null),
        loincAnswer(
          'LA31994-9',
          'I have a place to live today, but I am worried about losing it in the future',
          'Tengo un lugar donde vivir hoy, pero me preocupa perderlo en el futuro',
          null,
        ),
        loincAnswer(
          'LA31995-6',
          'I do not have a steady place to live (I am temporarily staying with others, in a hotel, in a shelter, living outside on the street, on a beach, in a car, abandoned building, bus or train station, or in a park)',
          'No tengo un lugar estable donde vivir (me estoy quedando temporalmente con otras personas, en un hotel, en un albergue, vivo en la calle, en una playa, en un carro, en un edificio abandonado, en una estación de autobús o de tren, o en un parque)',
          null,
        ),
      ],
      required: true,
    },
    {
      linkId: HOUSING_PROBLEMS,
      code: loinc(HOUSING_PROBLEMS, 'Problems with place where you live'),
      text: {
        en: 'Think about the place you live. Do you have problems with any of the following?',
        es: 'Piense en el lugar donde vive. ¿Tiene problemas con alguna de las siguientes cosas?',
      },
      multiple: true,
      options: [
        loincAnswer(
          'LA31996-4',
          'Pests such as bugs, ants, or mice',
          'Plagas, como insectos, hormigas o ratones',
          null,
        ),
        loincAnswer('LA28580-1', 'Mold', 'Moho', null),
        loincAnswer('LA31997-2', 'Lead paint or pipes', 'Pintura o tuberías con plomo', null),
        loincAnswer('LA31998-0', 'Lack of heat', 'Falta de calefacción', null),
        loincAnswer('LA31999-8', 'Oven or stove not working', 'El horno o la estufa no funcionan', null),
        loincAnswer(
          'LA32000-4',
          'Smoke detectors missing or not working',
          'Faltan detectores de humo o no funcionan',
          null,
        ),
        loincAnswer('LA32001-2', 'Water leaks', 'Goteras o fugas de agua', null),
        loincAnswer(NONE_OF_THE_ABOVE, 'None of the above', 'Ninguna de las anteriores', null, true),
      ],
      required: true,
    },
    {
      linkId: FOOD_WORRIED,
      code: loinc(
        FOOD_WORRIED,
        'Within the past 12 months we worried whether our food would run out before we got money to buy more [U.S. FSS]',
      ),
      text: {
        en: 'Within the past 12 months, you worried that your food would run out before you got money to buy more.',
        es: 'En los últimos 12 meses, le preocupó que la comida se le acabara antes de tener dinero para comprar más.',
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
        en: "Within the past 12 months, the food you bought just didn't last and you didn't have money to get more.",
        es: 'En los últimos 12 meses, la comida que compró no le alcanzó y no tenía dinero para comprar más.',
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
        es: 'En los últimos 12 meses, ¿la falta de transporte confiable le ha impedido ir a citas médicas, reuniones o al trabajo, o conseguir las cosas que necesita para la vida diaria?',
      },
      options: [yes, no],
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
        es: 'En los últimos 12 meses, ¿la compañía de electricidad, de gas, de combustible para calefacción o de agua ha amenazado con cortar los servicios en su hogar?',
      },
      options: [yes, no, loincAnswer(ALREADY_SHUT_OFF, 'Already shut off', 'Ya me los cortaron', null)],
      required: true,
    },
    ...safetyItems([
      {
        en: 'How often does anyone, including family and friends, physically hurt you?',
        es: '¿Con qué frecuencia alguien, incluidos familiares y amigos, le lastima físicamente?',
      },
      {
        en: 'How often does anyone, including family and friends, insult or talk down to you?',
        es: '¿Con qué frecuencia alguien, incluidos familiares y amigos, le insulta o le habla con desprecio?',
      },
      {
        en: 'How often does anyone, including family and friends, threaten you with harm?',
        es: '¿Con qué frecuencia alguien, incluidos familiares y amigos, le amenaza con hacerle daño?',
      },
      {
        en: 'How often does anyone, including family and friends, scream or curse at you?',
        es: '¿Con qué frecuencia alguien, incluidos familiares y amigos, le grita o le dice malas palabras?',
      },
    ]),
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
