/**
 * Columbia-Suicide Severity Rating Scale (C-SSRS) Screener, triage version: five past-month ideation
 * questions and one lifetime behaviour question with "within the past 3 months".
 * Source: Posner K, Brown GK, Stanley B, et al. The Columbia-Suicide Severity Rating Scale. Am J Psychiatry
 * 2011;168:1266–1277; screener with triage points, The Columbia Lighthouse Project (cssrs.columbia.edu).
 * LOINC (decision 007): panel 93373-9 "Columbia - suicide severity rating scale screener - recent [C-SSRS]",
 * items 93246-7, 93247-5, 93248-3, 93249-1, 93250-9, behaviour 93267-3, within 3 months 93269-9, answers
 * yes LA33-6 / no LA32-8, with items 3–5 enabled by item 2 = yes and the 3-month item by behaviour = yes, as in
 * an LHC-Forms (lforms) rendering of the LOINC panel found in a public repository. The item displays here are
 * short labels, not LOINC's own display strings. The English wording is that rendering's.
 * Per domain.md: item 2 no → skip to item 6. `high`: yes to item 4 or 5, or item 6 yes within the past
 * 3 months; `moderate`: yes to item 3, or item 6 yes more than 3 months ago; `low`: yes to item 1 or 2 only;
 * `none`: all no. `high` raises `suicide-risk`. The screener publishes no total, so the score is null.
 * Spanish: the Spanish screener questions as two independent public transcriptions of Columbia's Spanish
 * "versión de tamizaje reciente" give them (they agree word for word on questions 1–5 and the 3-month
 * question; question 6 follows the one that differs least). Which regional Spanish version they copy, and
 * whether it is Columbia's Spanish for USA, is not established, so `checked: false`; the lead-in is Kith's.
 */
import type { Instrument, InstrumentItem } from './types.ts';
import { loinc, loincAnswer } from './types.ts';

const YES = 'LA33-6';
const NO = 'LA32-8';
const YES_NO = [loincAnswer(YES, 'Yes', 'Sí', null), loincAnswer(NO, 'No', 'No', null)];

export const CSSRS_ITEM_IDS = {
  wishDead: '93246-7',
  thoughtsOfKilling: '93247-5',
  method: '93248-3',
  intent: '93249-1',
  plan: '93250-9',
  behaviour: '93267-3',
  behaviourWithin3Months: '93269-9',
} as const;
const ids = CSSRS_ITEM_IDS;

const item = (linkId: string, display: string, en: string, es: string, asked?: string): InstrumentItem => ({
  linkId,
  code: loinc(linkId, display),
  text: { en, es },
  options: YES_NO,
  required: true,
  ...(asked ? { enableWhen: { question: asked, answers: [YES] } } : {}),
});

export const CSSRS_SCREENER: Instrument = {
  id: 'cssrs-screener',
  shortTitle: 'C-SSRS screener',
  version: '1.0.0',
  title: 'Columbia-Suicide Severity Rating Scale Screener (C-SSRS), triage version',
  source: 'Columbia Lighthouse Project, C-SSRS Screener with triage points (Posner et al. 2011)',
  panel: loinc('93373-9', 'Columbia - suicide severity rating scale screener - recent [C-SSRS]'),
  total: null,
  spanish: {
    source:
      "Kith's working translation, pending comparison with Columbia's C-SSRS Screener Spanish for USA; items from two public transcriptions of Columbia's Spanish screener (decision 007)",
    checked: false,
  },
  intro: {
    en: 'Questions 1 to 5 ask about the past month.',
    es: 'Las preguntas 1 a 5 se refieren al último mes.',
  },
  items: [
    item(
      ids.wishDead,
      'Wish to be dead',
      'Have you wished you were dead or wished you could go to sleep and not wake up?',
      '¿Ha deseado estar muerto(a) o poder dormirse y no despertar?',
    ),
    item(
      ids.thoughtsOfKilling,
      'Non-specific active suicidal thoughts',
      'Have you actually had any thoughts of killing yourself?',
      '¿Ha tenido realmente la idea de suicidarse?',
    ),
    item(
      ids.method,
      'Active suicidal ideation with any methods, without intent to act',
      'Have you been thinking about how you might do this?',
      '¿Ha pensado en cómo llevaría esto a cabo?',
      ids.thoughtsOfKilling,
    ),
    item(
      ids.intent,
      'Active suicidal ideation with some intent to act, without specific plan',
      'Have you had these thoughts and had some intention of acting on them?',
      '¿Ha tenido estas ideas y en cierto grado la intención de llevarlas a cabo?',
      ids.thoughtsOfKilling,
    ),
    item(
      ids.plan,
      'Active suicidal ideation with specific plan and intent',
      'Have you started to work out or worked out the details of how to kill yourself? Do you intend to carry out this plan?',
      '¿Ha comenzado a elaborar o ha elaborado los detalles sobre cómo suicidarse? ¿Tenía intenciones de llevar a cabo este plan?',
      ids.thoughtsOfKilling,
    ),
    item(
      ids.behaviour,
      'Suicidal behavior',
      'Have you ever done anything, started to do anything, or prepared to do anything to end your life?',
      '¿Alguna vez ha hecho algo, ha comenzado a hacer algo o se ha preparado para hacer algo para terminar su vida?',
    ),
    item(
      ids.behaviourWithin3Months,
      'Suicidal behavior within the past 3 months',
      'Was this within the past 3 months?',
      '¿Fue esto en los últimos 3 meses?',
      ids.behaviour,
    ),
  ],
  scoring: 'none',
  bands: [
    {
      key: 'high',
      interpretation: 'High risk',
      when: {
        any: [
          { item: ids.intent, anyOf: [YES] },
          { item: ids.plan, anyOf: [YES] },
          { item: ids.behaviourWithin3Months, anyOf: [YES] },
        ],
      },
    },
    {
      key: 'moderate',
      interpretation: 'Moderate risk',
      when: {
        any: [
          { item: ids.method, anyOf: [YES] },
          { item: ids.behaviourWithin3Months, anyOf: [NO] },
        ],
      },
    },
    {
      key: 'low',
      interpretation: 'Low risk',
      when: {
        any: [
          { item: ids.wishDead, anyOf: [YES] },
          { item: ids.thoughtsOfKilling, anyOf: [YES] },
        ],
      },
    },
    { key: 'none', interpretation: 'No risk identified' },
  ],
  needs: [],
  screens: [],
  alarms: [{ code: 'suicide-risk', reason: 'C-SSRS screener high risk', when: { band: 'high' } }],
};
