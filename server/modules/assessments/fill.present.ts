import type { AssessmentLanguage } from '../../../domain/assessments.ts';
import type { QuestionnaireItem } from '../../../domain/instruments/fhir.ts';
import { type Instrument, type Questionnaire, toQuestionnaire } from '../../../domain/instruments/index.ts';

/** The Spanish of a translation extension, if the element has one. */
function spanishOf(element: unknown): string | null {
  const extensions = (element as { extension?: { extension?: { url: string; valueString?: string }[] }[] })
    ?.extension;
  const parts = extensions?.[0]?.extension ?? [];
  return parts.find((p) => p.url === 'content')?.valueString ?? null;
}

/** The Spanish translation when the patient reads Spanish and one is published, else the English text. */
function inLanguage(text: string, translation: unknown, language: AssessmentLanguage): string {
  return (language === 'es' ? spanishOf(translation) : null) ?? text;
}

/** An item for the patient: its text and options in their language, without LOINC codes or points. */
function patientItem(item: QuestionnaireItem, language: AssessmentLanguage) {
  const { _text, code: _code, answerOption, ...rest } = item;
  return {
    ...rest,
    text: inLanguage(item.text, _text, language),
    answerOption: answerOption.map(({ valueCoding }) => {
      const { _display, ...coding } = valueCoding;
      return { valueCoding: { ...coding, display: inLanguage(coding.display, _display, language) } };
    }),
  };
}

/**
 * The instrument's Questionnaire as the tablet page shows it: texts in the patient's language (the `text`
 * itself, translation extensions dropped) and no option points, so that nothing on the page adds up to a
 * score.
 */
export function patientQuestionnaire(instrument: Instrument, language: AssessmentLanguage) {
  const {
    _description,
    description,
    code: _code,
    item,
    ...rest
  }: Questionnaire = toQuestionnaire(instrument);
  return {
    ...rest,
    ...(description ? { description: inLanguage(description, _description, language) } : {}),
    item: item.map((i) => patientItem(i, language)),
  };
}
