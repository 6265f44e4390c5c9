/**
 * The shape of a screening instrument as data: items, coded answer options with points, skip logic, the
 * scoring rule, score bands, which answers make an SDOH need domain positive and which raise an alarm.
 * Facts come from ../shared/docs/domain.md, "Screening instruments" and "Needs: SDOH domains".
 */

export const LOINC_SYSTEM = 'http://loinc.org';

/**
 * Gravity Project SDOH category codes (domain.md "Needs: SDOH domains"). System URL and codes checked against
 * HL7/fhir-sdoh-clinicalcare `input/fsh/codesystems/SDOHCCCodeSystemTemporaryCodes.fsh` (docs/decisions/007).
 */
export const SDOH_CATEGORY_SYSTEM =
  'http://hl7.org/fhir/us/sdoh-clinicalcare/CodeSystem/SDOHCC-CodeSystemTemporaryCodes';

export const SDOH_DOMAINS = [
  'food-insecurity',
  'housing-instability',
  'homelessness',
  'inadequate-housing',
  'transportation-insecurity',
  'utility-insecurity',
  'financial-insecurity',
  'material-hardship',
  'employment-status',
  'educational-attainment',
  'veteran-status',
  'social-connection',
  'stress',
  'intimate-partner-violence',
  'elder-abuse',
  'digital-literacy',
  'health-insurance-coverage-status',
  'personal-health-literacy',
  'medical-cost-burden',
] as const;
export type SdohDomain = (typeof SDOH_DOMAINS)[number];

/** The instrument ids of domain.md. */
export const INSTRUMENT_IDS = [
  'phq-2',
  'phq-9',
  'gad-2',
  'gad-7',
  'ahc-hrsn',
  'hunger-vital-sign',
  'hits',
  'cssrs-screener',
  'lace',
] as const;
export type InstrumentId = (typeof INSTRUMENT_IDS)[number];

/** Alarm codes: `suicide-risk` (PHQ-9 item 9, C-SSRS high) and `safety-review` (interpersonal safety). */
export const ALARM_CODES = ['suicide-risk', 'safety-review'] as const;
export type AlarmCode = (typeof ALARM_CODES)[number];

/**
 * Wording in English and Spanish. `es` is null where Kith has no Spanish for the instrument; the patient view
 * must then fall back (interpreter), never machine-translate. Whether `es` is the published translation or
 * Kith's working translation is said by the instrument's `spanish` (see docs/decisions/007).
 */
export interface LocalText {
  en: string;
  es: string | null;
}

/** A code in a code system (LOINC unless stated). */
export interface Code {
  system: string;
  code: string;
  display: string;
}

export interface AnswerOption {
  system: string;
  /** LOINC answer code (LA…), or a Kith local code where LOINC has none. */
  code: string;
  text: LocalText;
  /** Points the option scores; null for instruments that are not summed (C-SSRS, Hunger Vital Sign). */
  points: number | null;
  /** Chosen alone only ("None of the above"). */
  exclusive?: boolean;
}

/** Skip logic: the item is asked only when `question` was answered with one of `answers`. */
export interface EnableWhen {
  question: string;
  answers: readonly string[];
}

export interface InstrumentItem {
  linkId: string;
  code: Code | null;
  text: LocalText;
  options: readonly AnswerOption[];
  /** Several options may be chosen (AHC question 2, LACE comorbidities). */
  multiple?: boolean;
  required: boolean;
  enableWhen?: EnableWhen;
}

/** A rule over answers, used for bands, positive domains and alarms. */
export type Condition =
  /** The item was answered with one of these codes. */
  | { item: string; anyOf: readonly string[] }
  /** The item was answered with some code other than these. */
  | { item: string; anyExcept: readonly string[] }
  /** The points of these items add up to at least `atLeast`. */
  | { pointsOf: readonly string[]; atLeast: number }
  /** The band already decided (for alarms and domains only). */
  | { band: string }
  | { any: readonly Condition[] }
  | { all: readonly Condition[] };

/** A band: by score range (inclusive), or by condition; the first band that matches wins. */
export interface ScoreBand {
  key: string;
  interpretation: string;
  min?: number;
  max?: number;
  when?: Condition;
}

export interface NeedRule {
  domain: SdohDomain;
  when: Condition;
}

export interface AlarmRule {
  code: AlarmCode;
  reason: string;
  when: Condition;
}

/** Answers by linkId: the chosen option codes (one for single-choice items). */
export type Answers = Readonly<Record<string, readonly string[]>>;

/** Answers as callers write them: a code, or a list of codes for multiple-choice items. */
export type AnswerInput = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface Instrument {
  id: InstrumentId;
  version: string;
  title: string;
  /** How titles, timelines and notifications name it: "PHQ-9", "AHC HRSN". */
  shortTitle: string;
  /** Published source, as cited at the top of the instrument's file. */
  source: string;
  /** LOINC panel code of the whole instrument, where one is known. */
  panel: Code | null;
  /** LOINC code of the total score, where one is known. */
  total: Code | null;
  /**
   * Where the Spanish wording comes from; `checked` is true only when every `es` was compared word by word with
   * a copy of the published translation. When set, every item, option and the intro carry `es`.
   */
  spanish: { source: string; checked: boolean } | null;
  /** The lead-in read before the items ("Over the last 2 weeks …"). */
  intro: LocalText | null;
  items: readonly InstrumentItem[];
  /** `sum`: points of the items asked; `none`: no total is published (score is null); or a small function. */
  scoring: 'sum' | 'none' | ((answers: Answers, instrument: Instrument) => number);
  bands: readonly ScoreBand[];
  needs: readonly NeedRule[];
  /** The SDOH domains a completed screen counts as screened for (SDOH-1), positive or not. */
  screens: readonly SdohDomain[];
  alarms: readonly AlarmRule[];
}

export interface Alarm {
  code: AlarmCode;
  reason: string;
}

/** The one result shape of domain.md. `score` is null for instruments with no published total. */
export interface ScoreResult {
  instrument: InstrumentId;
  version: string;
  score: number | null;
  band: string;
  positiveDomains: SdohDomain[];
  alarms: Alarm[];
}

export interface FieldError {
  field: string;
  message: string;
}

/** Builds a LOINC code. */
export function loinc(code: string, display: string): Code {
  return { system: LOINC_SYSTEM, code, display };
}

/** Builds a LOINC answer option. */
export function loincAnswer(
  code: string,
  en: string,
  es: string | null,
  points: number | null,
  exclusive?: boolean,
): AnswerOption {
  return { system: LOINC_SYSTEM, code, text: { en, es }, points, ...(exclusive ? { exclusive } : {}) };
}
