/**
 * HITS (Hurt, Insult, Threaten, Scream), an intimate partner violence screen.
 * Source: Sherin KM, Sinacore JM, Li XQ, Zitter RE, Shakil A. HITS: a short domestic violence screening tool
 * for use in a family practice setting. Fam Med 1998;30:508–512. LOINC (the [HITS] codes also used by the
 * AHC HRSN tool): items 95618-5, 95617-7, 95616-9, 95615-1, total 95614-4; answers LA6270-8 never,
 * LA10066-1 rarely, LA10082-8 sometimes, LA16644-9 fairly often, LA6482-9 frequently. No HITS panel code is
 * known to us, so none is given.
 * Per domain.md: never 1 … frequently 5, total 4–20, > 10 `positive` with domain `intimate-partner-violence`;
 * Kith also raises `safety-review` when "physically hurt" is rarely or worse (SIREN, De Marchis), and issue 4
 * makes a positive interpersonal-safety result raise it too.
 * Spanish: null; a Spanish HITS exists (Chen et al. 2005) but its exact wording is not known to us.
 */
import type { AlarmRule, AnswerOption, Condition, Instrument, InstrumentItem } from './types.ts';
import { loinc, loincAnswer } from './types.ts';

export const SAFETY_FREQUENCY: readonly AnswerOption[] = [
  loincAnswer('LA6270-8', 'Never', null, 1),
  loincAnswer('LA10066-1', 'Rarely', null, 2),
  loincAnswer('LA10082-8', 'Sometimes', null, 3),
  loincAnswer('LA16644-9', 'Fairly often', null, 4),
  loincAnswer('LA6482-9', 'Frequently', null, 5),
];

export const PHYSICALLY_HURT = '95618-5';
/** The four safety items in order: physically hurt, insult or talk down, threaten with harm, scream or curse. */
export const SAFETY_ITEM_IDS = [PHYSICALLY_HURT, '95617-7', '95616-9', '95615-1'] as const;
const DISPLAYS = [
  'Physically hurt you',
  'Insult you or talk down to you',
  'Threaten you with physical harm',
  'Scream or curse at you',
];

/** The four safety items, asked about `who` ("your partner"; AHC: "anyone, including family and friends"). */
export function safetyItems(ask: (display: string) => string): InstrumentItem[] {
  return SAFETY_ITEM_IDS.map((linkId, i) => {
    const display = DISPLAYS[i] ?? '';
    return {
      linkId,
      code: loinc(linkId, `${display} [HITS]`),
      text: { en: ask(display.toLowerCase()), es: null },
      options: SAFETY_FREQUENCY,
      required: true,
    };
  });
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
  version: '1.0.0',
  title: 'HITS (Hurt, Insult, Threaten, Scream)',
  source: 'Sherin et al. 1998, Fam Med 30:508',
  panel: null,
  total: loinc('95614-4', 'Total score [HITS]'),
  spanish: null,
  intro: { en: 'How often does your partner:', es: null },
  items: safetyItems((display) => `${display[0]?.toUpperCase()}${display.slice(1)}?`),
  scoring: 'sum',
  bands: [
    { key: 'positive', min: 11, interpretation: 'Positive for intimate partner violence (total > 10)' },
    { key: 'negative', interpretation: 'Negative screen' },
  ],
  needs: [{ domain: 'intimate-partner-violence', when: { band: 'positive' } }],
  screens: ['intimate-partner-violence'],
  alarms: SAFETY_ALARMS,
};
