/**
 * HITS (Hurt, Insult, Threaten, Scream), an intimate partner violence screen.
 * Source: Sherin KM, Sinacore JM, Li XQ, Zitter RE, Shakil A. HITS: a short domestic violence screening tool
 * for use in a family practice setting. Fam Med 1998;30:508–512 ("How often does your partner: physically
 * hurt you; insult or talk down to you; threaten you with harm; scream or curse at you").
 * LOINC (decision 007; HL7/US-Core input/examples/Observation-AHC-HRSN-panel-example-96777-8.json): items
 * 95618-5, 95617-7, 95616-9, 95615-1 with LOINC's own displays, total 95614-4 "Total score [HITS]"; answers
 * LA6270-8 never, LA10066-1 rarely, LA10082-8 sometimes, LA16644-9 fairly often, LA6482-9 frequently, as the
 * NY HRSN (SHIN-NY) implementation lists them for these items. No HITS panel code is known to us.
 * Per domain.md: never 1 … frequently 5, total 4–20, > 10 `positive` with domain `intimate-partner-violence`;
 * Kith also raises `safety-review` when "physically hurt" is rarely or worse (SIREN, De Marchis), and issue 4
 * makes a positive interpersonal-safety result raise it too.
 * Spanish: Kith's working translation, pending the published Spanish HITS (Chen PH et al., Fam Pract
 * 2005;22:617), whose wording could not be found to compare. The answers are shared with AHC questions 7–10.
 */
import type { AlarmRule, AnswerOption, Condition, Instrument, InstrumentItem, LocalText } from './types.ts';
import { loinc, loincAnswer } from './types.ts';

export const SAFETY_FREQUENCY: readonly AnswerOption[] = [
  loincAnswer('LA6270-8', 'Never', 'Nunca', 1),
  loincAnswer('LA10066-1', 'Rarely', 'Rara vez', 2),
  loincAnswer('LA10082-8', 'Sometimes', 'A veces', 3),
  loincAnswer('LA16644-9', 'Fairly often', 'Bastante a menudo', 4),
  loincAnswer('LA6482-9', 'Frequently', 'Con frecuencia', 5),
];

export const PHYSICALLY_HURT = '95618-5';
/** The four safety items in order: physically hurt, insult or talk down, threaten with harm, scream or curse. */
export const SAFETY_ITEM_IDS = [PHYSICALLY_HURT, '95617-7', '95616-9', '95615-1'] as const;
/** LOINC's displays of the four items (not the wording asked, which is the instrument's). */
const LOINC_DISPLAYS = [
  'Physically hurt you [HITS]',
  'Insult you or talk down to you [HITS]',
  'Threaten you with physical harm [HITS]',
  'Scream or curse at you [HITS]',
];

/** The four safety items, worded as each instrument asks them (HITS: "your partner"; AHC: "anyone"). */
export function safetyItems(texts: readonly [LocalText, LocalText, LocalText, LocalText]): InstrumentItem[] {
  return SAFETY_ITEM_IDS.map((linkId, i) => ({
    linkId,
    code: loinc(linkId, LOINC_DISPLAYS[i] ?? ''),
    text: texts[i] ?? { en: '', es: null },
    options: SAFETY_FREQUENCY,
    required: true,
  }));
}

/** HITS total > 10. */
export const SAFETY_POSITIVE: Condition = { pointsOf: SAFETY_ITEM_IDS, atLeast: 11 };

/** "Physically hurt" at rarely or worse. */
export const HURT_RARELY_OR_WORSE: Condition = { item: PHYSICALLY_HURT, anyExcept: ['LA6270-8'] };

/** The two safety alarms, shared by HITS and the AHC tool. */
export const SAFETY_ALARMS: readonly AlarmRule[] = [
  { code: 'safety-review', reason: 'interpersonal safety total > 10', when: SAFETY_POSITIVE },
  { code: 'safety-review', reason: '"physically hurt" rarely or worse', when: HURT_RARELY_OR_WORSE },
];

export const HITS: Instrument = {
  id: 'hits',
  shortTitle: 'HITS',
  version: '1.0.0',
  title: 'HITS (Hurt, Insult, Threaten, Scream)',
  source: 'Sherin et al. 1998, Fam Med 30:508',
  panel: null,
  total: loinc('95614-4', 'Total score [HITS]'),
  spanish: {
    source:
      "Kith's working translation, pending the published Spanish HITS (Chen et al. 2005, Fam Pract 22:617); not compared with it (decision 007)",
    checked: false,
  },
  intro: { en: 'How often does your partner:', es: '¿Con qué frecuencia su pareja:' },
  items: safetyItems([
    { en: 'Physically hurt you', es: 'Le lastima físicamente' },
    { en: 'Insult or talk down to you', es: 'Le insulta o le habla con desprecio' },
    { en: 'Threaten you with harm', es: 'Le amenaza con hacerle daño' },
    { en: 'Scream or curse at you', es: 'Le grita o le dice malas palabras' },
  ]),
  scoring: 'sum',
  bands: [
    { key: 'positive', min: 11, interpretation: 'Positive for intimate partner violence (total > 10)' },
    { key: 'negative', interpretation: 'Negative screen' },
  ],
  needs: [{ domain: 'intimate-partner-violence', when: { band: 'positive' } }],
  screens: ['intimate-partner-violence'],
  alarms: SAFETY_ALARMS,
};
