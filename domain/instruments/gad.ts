/**
 * GAD-7 and GAD-2 (Generalized Anxiety Disorder scale).
 * Sources: Spitzer RL, Kroenke K, Williams JBW, Löwe B. A brief measure for assessing generalized anxiety
 * disorder: the GAD-7. Arch Intern Med 2006;166:1092–1097. Kroenke K, Spitzer RL, Williams JBW, Monahan PO,
 * Löwe B. Anxiety disorders in primary care. Ann Intern Med 2007;146:317–325 (GAD-2). Item wording: PHQ
 * Screeners (Pfizer).
 * LOINC (decision 007): panel 69737-5 with items 69725-0, 68509-9, 69733-4, 69734-2, 69735-9, 69689-8,
 * 69736-7 and total 70274-6, as in LOINC's panel listing and the MII PRO GAD-7 Questionnaire; answers are the
 * PHQ frequency answers LA6568-5 … LA6571-9. GAD-2 has no LOINC code we could confirm (the 70272-0 once used
 * here was not found in any source), so GAD-2 has no panel or total code and its result is coded locally.
 * Per domain.md: GAD-7 bands 0–4 minimal, 5–9 mild, 10–14 moderate, 15–21 severe; GAD-2 total ≥ 3
 * positive. domain.md is silent on the GAD-2 band below 3: the published rule calls it a negative screen.
 * Spanish: Kith's working translation, pending the published Pfizer GAD-7 Spanish (USA) text, which could not
 * be found to compare. The item wording is the Spanish GAD-7 wording that public implementations share word for
 * word (the CHICA OpenMRS module's GAD-7 form among them); the lead-in is CHICA's, the answer words Kith's.
 */
import { type AnswerOption, type Instrument, type InstrumentItem, loinc, loincAnswer } from './types.ts';

const FREQUENCY: readonly AnswerOption[] = [
  loincAnswer('LA6568-5', 'Not at all', 'Nunca', 0),
  loincAnswer('LA6569-3', 'Several days', 'Varios días', 1),
  loincAnswer('LA6570-1', 'More than half the days', 'Más de la mitad de los días', 2),
  loincAnswer('LA6571-9', 'Nearly every day', 'Casi todos los días', 3),
];

const SPANISH = {
  source:
    "Kith's working translation, pending the published Pfizer GAD-7 Spanish (USA) text; not compared with it (decision 007)",
  checked: false,
};

const gadItem = (code: string, en: string, es: string): InstrumentItem => ({
  linkId: code,
  code: loinc(code, en),
  text: { en, es },
  options: FREQUENCY,
  required: true,
});

const GAD_ITEMS: readonly InstrumentItem[] = [
  gadItem(
    '69725-0',
    'Feeling nervous, anxious, or on edge',
    'Sentirse nervioso/a, intranquilo/a o con los nervios de punta',
  ),
  gadItem(
    '68509-9',
    'Not being able to stop or control worrying',
    'No poder dejar de preocuparse o no poder controlar la preocupación',
  ),
  gadItem(
    '69733-4',
    'Worrying too much about different things',
    'Preocuparse demasiado por diferentes cosas',
  ),
  gadItem('69734-2', 'Trouble relaxing', 'Dificultad para relajarse'),
  gadItem(
    '69735-9',
    'Being so restless that it is hard to sit still',
    'Estar tan inquieto/a que es difícil permanecer sentado/a tranquilamente',
  ),
  gadItem('69689-8', 'Becoming easily annoyed or irritable', 'Molestarse o ponerse irritable fácilmente'),
  gadItem(
    '69736-7',
    'Feeling afraid, as if something awful might happen',
    'Sentir miedo como si algo terrible pudiera pasar',
  ),
];

const INTRO = {
  en: 'Over the last 2 weeks, how often have you been bothered by the following problems?',
  es: 'Durante las últimas 2 semanas, ¿con qué frecuencia ha sentido molestias por los siguientes problemas?',
};

export const GAD7: Instrument = {
  id: 'gad-7',
  shortTitle: 'GAD-7',
  version: '1.0.0',
  title: 'Generalized Anxiety Disorder 7-item scale (GAD-7)',
  source: 'Spitzer, Kroenke, Williams, Löwe 2006, Arch Intern Med 166:1092',
  panel: loinc('69737-5', 'Generalized anxiety disorder 7 item (GAD-7)'),
  total: loinc('70274-6', 'Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]'),
  spanish: SPANISH,
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
  shortTitle: 'GAD-2',
  version: '1.0.0',
  title: 'Generalized Anxiety Disorder 2-item scale (GAD-2)',
  source: 'Kroenke, Spitzer, Williams, Monahan, Löwe 2007, Ann Intern Med 146:317',
  panel: null,
  total: null,
  spanish: SPANISH,
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
