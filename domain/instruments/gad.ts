/**
 * GAD-7 and GAD-2 (Generalized Anxiety Disorder scale).
 * Sources: Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for assessing generalized anxiety
 * disorder: the GAD-7. Arch Intern Med 2006;166:1092–1097. Kroenke K, Spitzer RL, Williams JBW, Monahan PO,
 * Löwe B. Anxiety disorders in primary care. Ann Intern Med 2007;146:317–325 (GAD-2). Item wording: PHQ
 * Screeners (Pfizer). LOINC: panel 69737-5, total 70274-6, items 69725-0 … 69736-7 with the PHQ frequency
 * answers; GAD-2 total 70272-0 (no GAD-2 panel code is known to us, so none is given).
 * Per domain.md: GAD-7 bands 0–4 minimal, 5–9 mild, 10–14 moderate, 15–21 severe; GAD-2 total ≥ 3
 * positive. domain.md is silent on the GAD-2 band below 3: the published rule calls it a negative screen.
 * Spanish: null. A Spanish GAD-7 is published with the PHQ Screeners, but its exact wording is not known to us.
 */
import { type AnswerOption, type Instrument, type InstrumentItem, loinc, loincAnswer } from './types.ts';

const FREQUENCY: readonly AnswerOption[] = [
  loincAnswer('LA6568-5', 'Not at all', null, 0),
  loincAnswer('LA6569-3', 'Several days', null, 1),
  loincAnswer('LA6570-1', 'More than half the days', null, 2),
  loincAnswer('LA6571-9', 'Nearly every day', null, 3),
];

const gadItem = (code: string, en: string): InstrumentItem => ({
  linkId: code,
  code: loinc(code, en),
  text: { en, es: null },
  options: FREQUENCY,
  required: true,
});

const GAD_ITEMS: readonly InstrumentItem[] = [
  gadItem('69725-0', 'Feeling nervous, anxious, or on edge'),
  gadItem('68509-9', 'Not being able to stop or control worrying'),
  gadItem('69733-4', 'Worrying too much about different things'),
  gadItem('69734-2', 'Trouble relaxing'),
  gadItem('69735-9', 'Being so restless that it is hard to sit still'),
  gadItem('69689-8', 'Becoming easily annoyed or irritable'),
  gadItem('69736-7', 'Feeling afraid, as if something awful might happen'),
];

const INTRO = {
  en: 'Over the last 2 weeks, how often have you been bothered by the following problems?',
  es: null,
};

export const GAD7: Instrument = {
  id: 'gad-7',
  version: '1.0.0',
  title: 'Generalized Anxiety Disorder 7-item scale (GAD-7)',
  source: 'Spitzer, Kroenke, Williams, Löwe 2006, Arch Intern Med 166:1092',
  panel: loinc('69737-5', 'Generalized anxiety disorder 7 item (GAD-7)'),
  total: loinc('70274-6', 'Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]'),
  spanish: null,
  intro: INTRO,
  items: GAD_ITEMS,
  scoring: 'sum',
  bands: [
    { key: 'minimal', min: 0, max: 4, interpretation: 'Minimal anxiety' },
    { key: 'mild', min: 5, max: 9, interpretation: 'Mild anxiety' },
    { key: 'moderate', min: 10, max: 14, interpretation: 'Moderate anxiety' },
    { key: 'severe', min: 15, max: 21, interpretation: 'Severe anxiety' },
  ],
  needs: [],
  screens: [],
  alarms: [],
};

export const GAD2: Instrument = {
  id: 'gad-2',
  version: '1.0.0',
  title: 'Generalized Anxiety Disorder 2-item scale (GAD-2)',
  source: 'Kroenke, Spitzer, Williams, Monahan, Löwe 2007, Ann Intern Med 146:317',
  panel: null,
  total: loinc('70272-0', 'Generalized anxiety disorder 2 item (GAD-2) total score [Reported]'),
  spanish: null,
  intro: INTRO,
  items: GAD_ITEMS.slice(0, 2),
  scoring: 'sum',
  bands: [
    { key: 'positive', min: 3, interpretation: 'Positive screen: give the GAD-7' },
    { key: 'negative', interpretation: 'Negative screen' },
  ],
  needs: [],
  screens: [],
  alarms: [],
};
