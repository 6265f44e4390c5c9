/**
 * FHIR R4 shapes of an instrument: the SDC-style Questionnaire Kith serves, and the reading of a
 * QuestionnaireResponse back into answers with field-level errors naming the linkId (domain.md "Screening
 * instruments"; ordinal points in the R4 `ordinalValue` extension). `@medplum/fhirtypes` is not installed,
 * so the few FHIR types needed are written here.
 */
import { isItemEnabled } from './engine.ts';
import type { Answers, Code, FieldError, Instrument } from './types.ts';

export const QUESTIONNAIRE_BASE_URL = 'urn:kith:questionnaire:';
export const ORDINAL_VALUE_URL = 'http://hl7.org/fhir/StructureDefinition/ordinalValue';
export const TRANSLATION_URL = 'http://hl7.org/fhir/StructureDefinition/translation';

export interface FhirExtension {
  url: string;
  valueDecimal?: number;
  valueCode?: string;
  valueString?: string;
  extension?: FhirExtension[];
}
export interface FhirCoding {
  system: string;
  code: string;
  display: string;
  _display?: { extension: FhirExtension[] };
}
export interface QuestionnaireItem {
  linkId: string;
  code?: FhirCoding[];
  text: string;
  _text?: { extension: FhirExtension[] };
  type: 'choice';
  required: boolean;
  repeats: boolean;
  enableWhen?: { question: string; operator: '='; answerCoding: FhirCoding }[];
  enableBehavior?: 'any';
  answerOption: { valueCoding: FhirCoding; extension?: FhirExtension[] }[];
}
export interface Questionnaire {
  resourceType: 'Questionnaire';
  id: string;
  url: string;
  version: string;
  name: string;
  title: string;
  status: 'active';
  description?: string;
  _description?: { extension: FhirExtension[] };
  code?: FhirCoding[];
  item: QuestionnaireItem[];
}

/** The canonical URL of an instrument (without version). */
export function questionnaireUrl(instrument: Instrument): string {
  return `${QUESTIONNAIRE_BASE_URL}${instrument.id}`;
}

const spanish = (es: string): { extension: FhirExtension[] } => ({
  extension: [
    {
      url: TRANSLATION_URL,
      extension: [
        { url: 'lang', valueCode: 'es' },
        { url: 'content', valueString: es },
      ],
    },
  ],
});
const coding = (code: Code): FhirCoding => ({ system: code.system, code: code.code, display: code.display });

/** The instrument as a FHIR R4 Questionnaire, SDC style, with Spanish as translation extensions. */
export function toQuestionnaire(instrument: Instrument): Questionnaire {
  return {
    resourceType: 'Questionnaire',
    id: instrument.id,
    url: questionnaireUrl(instrument),
    version: instrument.version,
    name: instrument.id.replaceAll('-', '_').toUpperCase(),
    title: instrument.title,
    status: 'active',
    ...(instrument.intro
      ? {
          description: instrument.intro.en,
          ...(instrument.intro.es === null ? {} : { _description: spanish(instrument.intro.es) }),
        }
      : {}),
    ...(instrument.panel ? { code: [coding(instrument.panel)] } : {}),
    item: instrument.items.map((item) => {
      const controller =
        item.enableWhen && instrument.items.find((i) => i.linkId === item.enableWhen?.question);
      return {
        linkId: item.linkId,
        ...(item.code ? { code: [coding(item.code)] } : {}),
        text: item.text.en,
        ...(item.text.es === null ? {} : { _text: spanish(item.text.es) }),
        type: 'choice' as const,
        required: item.required,
        repeats: item.multiple === true,
        ...(item.enableWhen && controller
          ? {
              enableWhen: item.enableWhen.answers.map((code) => {
                const option = controller.options.find((o) => o.code === code);
                return {
                  question: controller.linkId,
                  operator: '=' as const,
                  answerCoding: { system: option?.system ?? '', code, display: option?.text.en ?? code },
                };
              }),
              ...(item.enableWhen.answers.length > 1 ? { enableBehavior: 'any' as const } : {}),
            }
          : {}),
        answerOption: item.options.map((option) => ({
          valueCoding: {
            system: option.system,
            code: option.code,
            display: option.text.en,
            ...(option.text.es === null ? {} : { _display: spanish(option.text.es) }),
          },
          ...(option.points === null
            ? {}
            : { extension: [{ url: ORDINAL_VALUE_URL, valueDecimal: option.points }] }),
        })),
      };
    }),
  };
}

export type ReadResult = { ok: true; answers: Answers } | { ok: false; errors: FieldError[] };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Response items flattened through groups, as [linkId, answers] pairs. */
function responseItems(items: unknown, errors: FieldError[], out: [string, unknown[]][] = []) {
  if (items === undefined) return out;
  if (!Array.isArray(items)) {
    errors.push({ field: 'item', message: 'must be a list of answered items' });
    return out;
  }
  for (const entry of items) {
    if (!isRecord(entry) || typeof entry.linkId !== 'string') {
      errors.push({ field: 'item', message: 'every item must have a linkId' });
      continue;
    }
    const answer = entry.answer === undefined ? [] : entry.answer;
    out.push([entry.linkId, Array.isArray(answer) ? answer : [answer]]);
    responseItems(entry.item, errors, out);
  }
  return out;
}

/**
 * Reads a FHIR QuestionnaireResponse to this instrument version into answers, or refuses it with one error
 * per field: another version, an unknown linkId, an answer not among the item's options, a missing required
 * item. `allowMissing` accepts an unfinished draft (for live scoring). Never throws on bad input.
 */
export function readResponse(
  instrument: Instrument,
  response: unknown,
  options: { allowMissing?: boolean } = {},
): ReadResult {
  const errors: FieldError[] = [];
  if (!isRecord(response) || response.resourceType !== 'QuestionnaireResponse') {
    return { ok: false, errors: [{ field: 'resourceType', message: 'must be QuestionnaireResponse' }] };
  }
  const canonical = typeof response.questionnaire === 'string' ? response.questionnaire : '';
  const [url, version] = canonical.split('|');
  if (url !== questionnaireUrl(instrument) && url !== instrument.id) {
    errors.push({
      field: 'questionnaire',
      message: `must be ${questionnaireUrl(instrument)}|${instrument.version}`,
    });
  } else if (version !== instrument.version) {
    errors.push({
      field: 'questionnaire',
      message: version
        ? `answers version ${version} of ${instrument.id}; this is version ${instrument.version}`
        : `must name the version (${instrument.version})`,
    });
  }
  const answers: Record<string, string[]> = {};
  for (const [linkId, given] of responseItems(response.item, errors)) {
    const item = instrument.items.find((i) => i.linkId === linkId);
    if (!item) {
      errors.push({ field: linkId, message: `is not an item of ${instrument.id} ${instrument.version}` });
      continue;
    }
    if (answers[linkId]) {
      errors.push({ field: linkId, message: 'is answered more than once' });
      continue;
    }
    const codes: string[] = [];
    for (const answer of given) {
      const value = isRecord(answer) && isRecord(answer.valueCoding) ? answer.valueCoding : null;
      const option = value && item.options.find((o) => o.code === value.code);
      if (!option || (value.system !== undefined && value.system !== option.system)) {
        const shown = value && typeof value.code === 'string' ? value.code : 'the answer';
        errors.push({ field: linkId, message: `${shown} is not one of the item's options` });
      } else codes.push(option.code);
    }
    if (codes.length > 1 && !item.multiple) {
      errors.push({ field: linkId, message: 'takes one answer' });
    } else if (codes.length > 1 && codes.some((c) => item.options.find((o) => o.code === c)?.exclusive)) {
      errors.push({ field: linkId, message: '"None" cannot be chosen with other answers' });
    }
    if (codes.length > 0) answers[linkId] = codes;
  }
  for (const item of instrument.items) {
    const enabled = isItemEnabled(instrument, item, answers);
    if (answers[item.linkId] && !enabled) {
      errors.push({ field: item.linkId, message: 'is answered but skipped by an earlier answer' });
    } else if (enabled && item.required && !answers[item.linkId] && !options.allowMissing) {
      if (!errors.some((e) => e.field === item.linkId)) {
        errors.push({ field: item.linkId, message: `is required: ${item.text.en}` });
      }
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, answers };
}
