/**
 * A completed screen as FHIR R4 Observations (LOINC-coded), for the FHIR interface to export: the total
 * score with its band, or the band alone where the instrument publishes no total; one Observation per chosen
 * answer; and, for the AHC tool, the interpersonal safety total (95614-4). Shapes follow the US Core
 * "Observation Screening Assessment" profile: category `survey` (plus `sdoh` for social-needs screens),
 * `derivedFrom` the QuestionnaireResponse. A pure function: the assessments service stores what it returns.
 */
import { ahcSafetyTotal } from './ahc-hrsn.ts';
import { askedAnswers, normaliseAnswers } from './engine.ts';
import { SAFETY_ITEM_IDS } from './hits.ts';
import type { AnswerInput, Code, Instrument, InstrumentId, ScoreResult } from './types.ts';
import { loinc } from './types.ts';

export const OBSERVATION_CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/observation-category';
export const US_CORE_CATEGORY_SYSTEM = 'http://hl7.org/fhir/us/core/CodeSystem/us-core-category';
/** Kith's local codes for what LOINC has no code for (a band, LACE's total). */
export const KITH_INSTRUMENT_SYSTEM = 'urn:kith:code-system:instrument';

/** Screens of social needs: their Observations also carry the US Core `sdoh` category. */
const SDOH_SCREENS: readonly InstrumentId[] = ['ahc-hrsn', 'hunger-vital-sign', 'hits'];

/** LOINC of the AHC tool's interpersonal safety total (the HITS total code). */
export const AHC_SAFETY_TOTAL = loinc('95614-4', 'Total score [HITS]');

export interface FhirCoding {
  system: string;
  code: string;
  display: string;
}
export interface FhirCodeableConcept {
  coding: FhirCoding[];
  text?: string;
}
export interface Observation {
  resourceType: 'Observation';
  status: 'final' | 'amended';
  category: FhirCodeableConcept[];
  code: FhirCodeableConcept;
  subject: { reference: string };
  encounter?: { reference: string };
  effectiveDateTime: string;
  valueInteger?: number;
  valueCodeableConcept?: FhirCodeableConcept;
  interpretation?: FhirCodeableConcept[];
  derivedFrom: { reference: string }[];
}

export interface ObservationInput {
  instrument: Instrument;
  answers: AnswerInput;
  result: ScoreResult;
  patientId: string;
  encounterId: string | null;
  /** The assessment, which is also the id of its QuestionnaireResponse. */
  assessmentId: string;
  effectiveAt: Date;
  /** `amended` for the Observations of an amendment. */
  status: 'final' | 'amended';
}

const coding = (code: Code): FhirCoding => ({ system: code.system, code: code.code, display: code.display });

/** The band as a coded concept: band keys are Kith's words, so the system is local to the instrument. */
export function bandConcept(instrument: Instrument, bandKey: string): FhirCodeableConcept {
  const band = instrument.bands.find((b) => b.key === bandKey);
  const display = band?.interpretation ?? bandKey;
  return {
    coding: [{ system: `${KITH_INSTRUMENT_SYSTEM}:${instrument.id}:band`, code: bandKey, display }],
    text: display,
  };
}

function categories(instrument: Instrument): FhirCodeableConcept[] {
  const survey = { coding: [{ system: OBSERVATION_CATEGORY_SYSTEM, code: 'survey', display: 'Survey' }] };
  if (!SDOH_SCREENS.includes(instrument.id)) return [survey];
  return [survey, { coding: [{ system: US_CORE_CATEGORY_SYSTEM, code: 'sdoh', display: 'SDOH' }] }];
}

/** The code of the instrument's result: its LOINC total, else a Kith code (LACE has no LOINC total). */
function totalCode(instrument: Instrument): Code {
  return (
    instrument.total ?? {
      system: KITH_INSTRUMENT_SYSTEM,
      code: `${instrument.id}-total`,
      display: `${instrument.title} total score`,
    }
  );
}

/** The code of a band-only result: the LOINC panel (the C-SSRS risk level), else a Kith code. */
function resultCode(instrument: Instrument): Code {
  return (
    instrument.panel ?? {
      system: KITH_INSTRUMENT_SYSTEM,
      code: instrument.id,
      display: instrument.title,
    }
  );
}

/** The score (with its band as interpretation), or, with no published total, the band as the value. */
function resultObservation(input: ObservationInput, base: ObservationBase): Observation {
  const { instrument, result } = input;
  const band = bandConcept(instrument, result.band);
  if (result.score === null) {
    return { ...base(resultCode(instrument)), valueCodeableConcept: band };
  }
  return { ...base(totalCode(instrument)), valueInteger: result.score, interpretation: [band] };
}

/** One Observation per chosen answer of each item asked (several for a choose-all-that-apply item). */
function answerObservations(input: ObservationInput, base: ObservationBase): Observation[] {
  const { instrument } = input;
  const answers = askedAnswers(instrument, normaliseAnswers(input.answers));
  return instrument.items.flatMap((item) => {
    const chosen = answers[item.linkId] ?? [];
    if (!item.code) return [];
    const code = item.code;
    return chosen.flatMap((answer) => {
      const option = item.options.find((o) => o.code === answer);
      if (!option) return [];
      return [
        {
          ...base(code),
          valueCodeableConcept: {
            coding: [{ system: option.system, code: option.code, display: option.text.en }],
            text: option.text.en,
          },
        },
      ];
    });
  });
}

/** The AHC interpersonal safety total, only once all four safety questions are answered. */
function ahcSafetyObservation(input: ObservationInput, base: ObservationBase): Observation[] {
  if (input.instrument.id !== 'ahc-hrsn') return [];
  const answers = normaliseAnswers(input.answers);
  if (!SAFETY_ITEM_IDS.every((id) => answers[id]?.length)) return [];
  return [{ ...base(AHC_SAFETY_TOTAL), valueInteger: ahcSafetyTotal(answers) }];
}

type ObservationBase = (code: Code) => Observation;

/** The FHIR R4 Observations of a completed (or amended) screen, result first, then the answers. */
export function buildObservations(input: ObservationInput): Observation[] {
  const category = categories(input.instrument);
  const base: ObservationBase = (code) => ({
    resourceType: 'Observation',
    status: input.status,
    category,
    code: { coding: [coding(code)], text: code.display },
    subject: { reference: `Patient/${input.patientId}` },
    ...(input.encounterId ? { encounter: { reference: `Encounter/${input.encounterId}` } } : {}),
    effectiveDateTime: input.effectiveAt.toISOString(),
    derivedFrom: [{ reference: `QuestionnaireResponse/${input.assessmentId}` }],
  });
  return [
    resultObservation(input, base),
    ...ahcSafetyObservation(input, base),
    ...answerObservations(input, base),
  ];
}
