import type { AssessmentLanguage } from '../../../domain/assessments.ts';
import {
  type FhirExtension,
  ORDINAL_VALUE_URL,
  type Questionnaire,
  type QuestionnaireItem,
  TRANSLATION_URL,
} from '../../../domain/instruments/fhir.ts';

/** Chosen answer codes by linkId, as the form holds them. */
export type FormAnswers = Record<string, string[]>;

export interface QuestionOption {
  system: string;
  code: string;
  /** English display, stored with the answer whatever language the question was shown in. */
  display: string;
  /** The text shown, in the language asked for. */
  label: string;
  points: number | null;
}

/** One item of a Questionnaire, read for showing in one language. */
export interface Question {
  linkId: string;
  text: string;
  required: boolean;
  repeats: boolean;
  options: QuestionOption[];
  /** Asked only when `question` was answered with one of `answers`. */
  enableWhen: { question: string; answers: string[] } | null;
}

/** The Spanish (or other) wording of a FHIR string from its translation extension; null when there is none. */
function translation(element: { extension: FhirExtension[] } | undefined, lang: string): string | null {
  for (const ext of element?.extension ?? []) {
    if (ext.url !== TRANSLATION_URL) continue;
    const parts = ext.extension ?? [];
    if (parts.some((p) => p.url === 'lang' && p.valueCode === lang)) {
      return parts.find((p) => p.url === 'content')?.valueString ?? null;
    }
  }
  return null;
}

const textIn = (
  text: string,
  element: { extension: FhirExtension[] } | undefined,
  lang: AssessmentLanguage,
) => (lang === 'en' ? text : (translation(element, lang) ?? text));

/** Whether every question and answer of the Questionnaire has a wording in the language. */
export function hasLanguage(questionnaire: Questionnaire, lang: AssessmentLanguage): boolean {
  if (lang === 'en') return true;
  return questionnaire.item.every(
    (item) =>
      translation(item._text, lang) !== null &&
      item.answerOption.every((o) => translation(o.valueCoding._display, lang) !== null),
  );
}

/** The lead-in read before the items, in the language. */
export function introOf(questionnaire: Questionnaire, lang: AssessmentLanguage): string | null {
  if (!questionnaire.description) return null;
  return textIn(questionnaire.description, questionnaire._description, lang);
}

function readItem(item: QuestionnaireItem, lang: AssessmentLanguage): Question {
  const first = item.enableWhen?.[0];
  return {
    linkId: item.linkId,
    text: textIn(item.text, item._text, lang),
    required: item.required,
    repeats: item.repeats,
    options: item.answerOption.map((o) => ({
      system: o.valueCoding.system,
      code: o.valueCoding.code,
      display: o.valueCoding.display,
      label: textIn(o.valueCoding.display, o.valueCoding._display, lang),
      points: o.extension?.find((e) => e.url === ORDINAL_VALUE_URL)?.valueDecimal ?? null,
    })),
    enableWhen: first
      ? { question: first.question, answers: (item.enableWhen ?? []).map((w) => w.answerCoding.code) }
      : null,
  };
}

/** The questions of a Questionnaire, in order, with texts in the language (English where none). */
export function questionsOf(questionnaire: Questionnaire, lang: AssessmentLanguage = 'en'): Question[] {
  return questionnaire.item.map((item) => readItem(item, lang));
}

/** The linkIds asked, given the answers: skip logic followed in item order (a skipped controller skips). */
export function enabledLinkIds(questions: readonly Question[], answers: FormAnswers): Set<string> {
  const enabled = new Set<string>();
  for (const q of questions) {
    const rule = q.enableWhen;
    if (
      !rule ||
      (enabled.has(rule.question) && (answers[rule.question] ?? []).some((c) => rule.answers.includes(c)))
    )
      enabled.add(q.linkId);
  }
  return enabled;
}

/** The answers to questions that are asked; answers left behind by a skip never leave the form. */
export function askedAnswers(questions: readonly Question[], answers: FormAnswers): FormAnswers {
  const enabled = enabledLinkIds(questions, answers);
  const asked: FormAnswers = {};
  for (const q of questions) {
    const codes = answers[q.linkId];
    if (codes && codes.length > 0 && enabled.has(q.linkId)) asked[q.linkId] = codes;
  }
  return asked;
}

/** Answered and asked counts, for the progress bar. */
export function progressOf(questions: readonly Question[], answers: FormAnswers) {
  const enabled = enabledLinkIds(questions, answers);
  const asked = questions.filter((q) => enabled.has(q.linkId));
  return { answered: asked.filter((q) => (answers[q.linkId] ?? []).length > 0).length, total: asked.length };
}

/** Required questions that are asked and still unanswered. */
export function missingRequired(questions: readonly Question[], answers: FormAnswers): string[] {
  const enabled = enabledLinkIds(questions, answers);
  return questions
    .filter((q) => q.required && enabled.has(q.linkId) && (answers[q.linkId] ?? []).length === 0)
    .map((q) => q.linkId);
}

/** The answers as a FHIR QuestionnaireResponse to this Questionnaire version (asked questions only). */
export function toResponse(
  questionnaire: Pick<Questionnaire, 'url' | 'version' | 'item'>,
  answers: FormAnswers,
  status: 'in-progress' | 'completed' = 'in-progress',
) {
  const questions = questionnaire.item.map((item) => readItem(item, 'en'));
  const asked = askedAnswers(questions, answers);
  return {
    resourceType: 'QuestionnaireResponse' as const,
    questionnaire: `${questionnaire.url}|${questionnaire.version}`,
    status,
    item: questions
      .filter((q) => asked[q.linkId])
      .map((q) => ({
        linkId: q.linkId,
        answer: (asked[q.linkId] ?? []).flatMap((code) => {
          const option = q.options.find((o) => o.code === code);
          return option ? [{ valueCoding: { system: option.system, code, display: option.display } }] : [];
        }),
      })),
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The chosen codes of a stored QuestionnaireResponse, by linkId (groups flattened). */
export function answersFromResponse(response: unknown): FormAnswers {
  const answers: FormAnswers = {};
  const walk = (items: unknown) => {
    if (!Array.isArray(items)) return;
    for (const entry of items) {
      if (!isRecord(entry) || typeof entry.linkId !== 'string') continue;
      const codes = (Array.isArray(entry.answer) ? entry.answer : [])
        .map((a) => (isRecord(a) && isRecord(a.valueCoding) ? a.valueCoding.code : undefined))
        .filter((c): c is string => typeof c === 'string');
      if (codes.length > 0) answers[entry.linkId] = codes;
      walk(entry.item);
    }
  };
  if (isRecord(response)) walk(response.item);
  return answers;
}

/** Number keys pick by points when every option has distinct points 0–9 (PHQ-9), else by position. */
function keysByPoints(question: Question): boolean {
  const points = question.options.map((o) => o.points);
  return (
    points.every((p) => p !== null && Number.isInteger(p) && p >= 0 && p <= 9) &&
    new Set(points).size === points.length
  );
}

/**
 * The option a number key picks: the option worth that many points (PHQ-9: 0 = "Not at all"), or the n-th
 * option counted from 1 (yes/no: 1 = "Yes").
 */
export function optionForKey(question: Question, key: string): QuestionOption | undefined {
  if (!/^[0-9]$/.test(key)) return undefined;
  const n = Number(key);
  if (keysByPoints(question)) return question.options.find((o) => o.points === n);
  return n >= 1 ? question.options[n - 1] : undefined;
}

/** The number key that picks the option at `index`, as optionForKey reads keys; null when none does. */
export function keyForOption(question: Question, index: number): string | null {
  if (keysByPoints(question)) return String(question.options[index]?.points);
  return index < 9 ? String(index + 1) : null;
}

/** A change of one question's answer, keeping "None of the above"-style exclusivity to the server. */
export function withAnswer(answers: FormAnswers, linkId: string, codes: string[]): FormAnswers {
  const next = { ...answers };
  if (codes.length === 0) delete next[linkId];
  else next[linkId] = codes;
  return next;
}
