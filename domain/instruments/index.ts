/**
 * The instrument registry: every screening instrument Kith ships, by id and version (domain.md "Screening
 * instruments"). A stored assessment keeps the version it was given in, so old versions stay listed here
 * when a new one is added.
 */
import { AHC_HRSN } from './ahc-hrsn.ts';
import { CSSRS_SCREENER } from './cssrs-screener.ts';
import { GAD2, GAD7 } from './gad.ts';
import { HITS } from './hits.ts';
import { HUNGER_VITAL_SIGN } from './hunger-vital-sign.ts';
import { LACE } from './lace.ts';
import { PHQ2, PHQ9 } from './phq.ts';
import type { Instrument } from './types.ts';

export { ahcSafetyTotal } from './ahc-hrsn.ts';
export { normaliseAnswers, scoreResponse } from './engine.ts';
export type { Questionnaire, ReadResult } from './fhir.ts';
export { questionnaireUrl, readResponse, toQuestionnaire } from './fhir.ts';
export { CHARLSON_CONDITIONS, laceAnswers } from './lace.ts';
export * from './types.ts';

const INSTRUMENTS: readonly Instrument[] = [
  PHQ2,
  PHQ9,
  GAD2,
  GAD7,
  AHC_HRSN,
  HUNGER_VITAL_SIGN,
  HITS,
  CSSRS_SCREENER,
  LACE,
];

/** Every instrument version, current versions first where an id has several. */
export function listInstruments(): readonly Instrument[] {
  return INSTRUMENTS;
}

/** One instrument by id, in the given version or else its current (first-listed) version; undefined if unknown. */
export function getInstrument(id: string, version?: string): Instrument | undefined {
  return INSTRUMENTS.find((i) => i.id === id && (version === undefined || i.version === version));
}
