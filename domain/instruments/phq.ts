/**
 * PHQ-9 and PHQ-2 (Patient Health Questionnaire).
 * Sources: Kroenke K, Spitzer RL, Williams JBW. The PHQ-9: validity of a brief depression severity measure.
 * J Gen Intern Med 2001;16:606–613. Kroenke K, Spitzer RL, Williams JBW. The Patient Health Questionnaire-2:
 * validity of a two-item depression screener. Med Care 2003;41:1284–1292. Item wording: PHQ Screeners
 * (Pfizer, no permission required to reproduce, translate, display or distribute).
 * LOINC (checked against HL7/US-Core input/examples/Observation-PHQ9-*.json, see docs/decisions/007): panel
 * 44249-1, items 44250-9 … 44260-8, total 44261-6; answers LA6568-5 … LA6571-9. PHQ-2 total 55758-7; the
 * PHQ-2 panel 55757-9 is as used by public implementations, its display not seen in a LOINC-derived source.
 * Per domain.md: 9 scored items (the published unscored 10th "how difficult" question is left out), bands
 * minimal/mild/moderate/moderately-severe/severe, item 9 > 0 raises `suicide-risk` whatever the total;
 * PHQ-2 total ≥ 3 positive.
 * Spanish: the PHQ-9 Spanish (USA) of the PHQ Screeners ("Elaborado por los doctores Robert L. Spitzer, Janet
 * B.W. Williams, Kurt Kroenke y colegas, mediante una subvención educativa otorgada por Pfizer Inc."), compared
 * word by word with a text copy of that form (decision 007): lead-in, the four answers and the nine items.
 */
import { type AnswerOption, type Instrument, type InstrumentItem, loinc, loincAnswer } from './types.ts';

const FREQUENCY: readonly AnswerOption[] = [
  loincAnswer('LA6568-5', 'Not at all', 'Ningún día', 0),
  loincAnswer('LA6569-3', 'Several days', 'Varios días', 1),
  loincAnswer('LA6570-1', 'More than half the days', 'Más de la mitad de los días', 2),
  loincAnswer('LA6571-9', 'Nearly every day', 'Casi todos los días', 3),
];

/** Answer codes of the PHQ and GAD frequency scale, by points. */
export const PHQ_FREQUENCY_CODES = ['LA6568-5', 'LA6569-3', 'LA6570-1', 'LA6571-9'] as const;

const SPANISH = {
  source:
    'PHQ-9 Spanish (USA), PHQ Screeners (Pfizer), compared with the text copy at es.studenta.com/content/129686767 (decision 007)',
  checked: true,
};

const phqItem = (code: string, display: string, en: string, es: string): InstrumentItem => ({
  linkId: code,
  code: loinc(code, display),
  text: { en, es },
  options: FREQUENCY,
  required: true,
});

const PHQ_ITEMS: readonly InstrumentItem[] = [
  phqItem(
    '44250-9',
    'Little interest or pleasure in doing things',
    'Little interest or pleasure in doing things',
    'Poco interés o placer en hacer cosas',
  ),
  phqItem(
    '44255-8',
    'Feeling down, depressed, or hopeless',
    'Feeling down, depressed, or hopeless',
    'Se ha sentido decaído(a), deprimido(a) o sin esperanzas',
  ),
  phqItem(
    '44259-0',
    'Trouble falling or staying asleep, or sleeping too much',
    'Trouble falling or staying asleep, or sleeping too much',
    'Ha tenido dificultad para quedarse o permanecer dormido(a), o ha dormido demasiado',
  ),
  phqItem(
    '44254-1',
    'Feeling tired or having little energy',
    'Feeling tired or having little energy',
    'Se ha sentido cansado(a) o con poca energía',
  ),
  phqItem(
    '44251-7',
    'Poor appetite or overeating',
    'Poor appetite or overeating',
    'Sin apetito o ha comido en exceso',
  ),
  phqItem(
    '44258-2',
    'Feeling bad about yourself-or that you are a failure or have let yourself or your family down',
    'Feeling bad about yourself — or that you are a failure or have let yourself or your family down',
    'Se ha sentido mal con usted mismo(a) – o que es un fracaso o que ha quedado mal con usted mismo(a) o con su familia',
  ),
  phqItem(
    '44252-5',
    'Trouble concentrating on things, such as reading the newspaper or watching television',
    'Trouble concentrating on things, such as reading the newspaper or watching television',
    'Ha tenido dificultad para concentrarse en ciertas actividades, tales como leer el periódico o ver la televisión',
  ),
  phqItem(
    '44253-3',
    'Moving or speaking so slowly that other people could have noticed. Or the opposite-being so fidgety or restless that you have been moving around a lot more than usual',
    'Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual',
    '¿Se ha movido o hablado tan lento que otras personas podrían haberlo notado? o lo contrario – muy inquieto(a) o agitado(a) que ha estado moviéndose mucho más de lo normal',
  ),
  phqItem(
    '44260-8',
    'Thoughts that you would be better off dead, or of hurting yourself in some way',
    'Thoughts that you would be better off dead or of hurting yourself in some way',
    'Pensamientos de que estaría mejor muerto(a) o de lastimarse de alguna manera',
  ),
];

/** linkId of PHQ-9 item 9 (thoughts of death or self-harm). */
export const PHQ9_ITEM9 = '44260-8';

const INTRO = {
  en: 'Over the last 2 weeks, how often have you been bothered by any of the following problems?',
  es: 'Durante las últimas 2 semanas, ¿qué tan seguido ha tenido molestias debido a los siguientes problemas?',
};

export const PHQ9: Instrument = {
  id: 'phq-9',
  shortTitle: 'PHQ-9',
  version: '1.0.0',
  title: 'Patient Health Questionnaire-9 (PHQ-9)',
  source: 'Kroenke, Spitzer, Williams 2001, J Gen Intern Med 16:606',
  panel: loinc('44249-1', 'PHQ-9 quick depression assessment panel [Reported.PHQ]'),
  total: loinc('44261-6', 'Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]'),
  spanish: SPANISH,
  intro: INTRO,
  items: PHQ_ITEMS,
  scoring: 'sum',
  bands: [
    { key: 'minimal', min: 0, max: 4, interpretation: 'Minimal depression' },
    { key: 'mild', min: 5, max: 9, interpretation: 'Mild depression' },
    { key: 'moderate', min: 10, max: 14, interpretation: 'Moderate depression' },
    { key: 'moderately-severe', min: 15, max: 19, interpretation: 'Moderately severe depression' },
    { key: 'severe', min: 20, max: 27, interpretation: 'Severe depression' },
  ],
  needs: [],
  screens: [],
  alarms: [
    {
      code: 'suicide-risk',
      reason: 'PHQ-9 item 9 > 0',
      when: { item: PHQ9_ITEM9, anyOf: PHQ_FREQUENCY_CODES.slice(1) },
    },
  ],
};

export const PHQ2: Instrument = {
  id: 'phq-2',
  shortTitle: 'PHQ-2',
  version: '1.0.0',
  title: 'Patient Health Questionnaire-2 (PHQ-2)',
  source: 'Kroenke, Spitzer, Williams 2003, Med Care 41:1284',
  panel: loinc('55757-9', 'Patient Health Questionnaire 2 item (PHQ-2) [Reported]'),
  total: loinc('55758-7', 'Patient Health Questionnaire 2 item (PHQ-2) total score [Reported]'),
  spanish: SPANISH,
  intro: INTRO,
  items: PHQ_ITEMS.slice(0, 2),
  scoring: 'sum',
  bands: [
    { key: 'positive', min: 3, interpretation: 'Positive screen: give the PHQ-9' },
    { key: 'negative', interpretation: 'Negative screen' },
  ],
  needs: [],
  screens: [],
  alarms: [],
};
