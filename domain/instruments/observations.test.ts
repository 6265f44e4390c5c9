import { describe, expect, it } from 'vitest';
import { getInstrument, scoreResponse } from './index.ts';
import { buildObservations, KITH_INSTRUMENT_SYSTEM, type ObservationInput } from './observations.ts';
import { PHQ9_ITEM9 } from './phq.ts';

const PHQ9 = getInstrument('phq-9')!;
const AHC = getInstrument('ahc-hrsn')!;
const CSSRS = getInstrument('cssrs-screener')!;
const LACE = getInstrument('lace')!;

const PATIENT = '0190a000-0000-7000-8000-000000000001';
const ENCOUNTER = '0190a000-0000-7000-8000-000000000002';
const ASSESSMENT = '0190a000-0000-7000-8000-000000000003';
const AT = new Date('2025-03-04T10:00:00Z');

function input(instrument: typeof PHQ9, answers: Record<string, string | string[]>): ObservationInput {
  return {
    instrument,
    answers,
    result: scoreResponse(instrument, answers),
    patientId: PATIENT,
    encounterId: ENCOUNTER,
    assessmentId: ASSESSMENT,
    effectiveAt: AT,
    status: 'final',
  };
}

/** Every PHQ-9 item "several days" (1 point each): total 9, mild. */
const phq9Mild = Object.fromEntries(PHQ9.items.map((i) => [i.linkId, 'LA6569-3']));

const AHC_FOOD_AND_HOUSING = {
  '71802-3': 'LA31994-9',
  '96778-6': ['LA28580-1', 'LA32001-2'],
  '88122-7': 'LA28397-0',
  '88123-5': 'LA6729-3',
  '93030-5': 'LA32-8',
  '96779-4': 'LA32-8',
  '95618-5': 'LA6270-8',
  '95617-7': 'LA10066-1',
  '95616-9': 'LA6270-8',
  '95615-1': 'LA10082-8',
};

describe('Observations of a completed screen', () => {
  it('gives the PHQ-9 total as a LOINC-coded integer with its band as interpretation', () => {
    const [total] = buildObservations(input(PHQ9, phq9Mild));
    expect(total).toMatchObject({
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '44261-6' }] },
      valueInteger: 9,
      interpretation: [{ coding: [{ code: 'mild', display: 'Mild depression' }] }],
      subject: { reference: `Patient/${PATIENT}` },
      encounter: { reference: `Encounter/${ENCOUNTER}` },
      effectiveDateTime: '2025-03-04T10:00:00.000Z',
      derivedFrom: [{ reference: `QuestionnaireResponse/${ASSESSMENT}` }],
      category: [{ coding: [{ code: 'survey' }] }],
    });
    expect(total?.valueCodeableConcept).toBeUndefined();
  });

  it('gives each answered item its LOINC code and the LOINC answer as a coded value', () => {
    const observations = buildObservations(input(PHQ9, { ...phq9Mild, [PHQ9_ITEM9]: 'LA6571-9' }));
    expect(observations).toHaveLength(10);
    const item9 = observations.find((o) => o.code.coding[0]?.code === PHQ9_ITEM9);
    expect(item9?.valueCodeableConcept?.coding).toEqual([
      { system: 'http://loinc.org', code: 'LA6571-9', display: 'Nearly every day' },
    ]);
  });

  it('leaves out unanswered items and answers to items skipped by an earlier answer', () => {
    const observations = buildObservations(
      input(CSSRS, { '93246-7': 'LA32-8', '93247-5': 'LA32-8', '93267-3': 'LA32-8', '93248-3': 'LA33-6' }),
    );
    const codes = observations.slice(1).map((o) => o.code.coding[0]?.code);
    expect(codes).toEqual(['93246-7', '93247-5', '93267-3']);
  });

  it('marks an amendment’s Observations amended and omits the encounter when there was none', () => {
    const [total] = buildObservations({ ...input(PHQ9, phq9Mild), status: 'amended', encounterId: null });
    expect(total?.status).toBe('amended');
    expect(total).not.toHaveProperty('encounter');
  });

  it('gives a screen with no published total its band as a coded value on the panel code', () => {
    const [risk] = buildObservations(
      input(CSSRS, { '93246-7': 'LA33-6', '93247-5': 'LA33-6', '93248-3': 'LA32-8', '93249-1': 'LA33-6' }),
    );
    expect(risk).toMatchObject({
      code: { coding: [{ system: 'http://loinc.org', code: '93373-9' }] },
      valueCodeableConcept: { coding: [{ code: 'high', display: 'High risk' }] },
    });
    expect(risk?.valueInteger).toBeUndefined();
  });

  it('adds the AHC interpersonal safety total 95614-4 and the sdoh category', () => {
    const observations = buildObservations(input(AHC, AHC_FOOD_AND_HOUSING));
    expect(observations[0]).toMatchObject({
      code: { coding: [{ code: '96777-8' }] },
      valueCodeableConcept: { coding: [{ code: 'positive' }] },
    });
    const safety = observations.find((o) => o.code.coding[0]?.code === '95614-4');
    expect(safety?.valueInteger).toBe(1 + 2 + 1 + 3);
    expect(safety?.category.map((c) => c.coding[0]?.code)).toEqual(['survey', 'sdoh']);
  });

  it('gives one Observation per answer of a choose-all-that-apply item', () => {
    const observations = buildObservations(input(AHC, AHC_FOOD_AND_HOUSING));
    const problems = observations.filter((o) => o.code.coding[0]?.code === '96778-6');
    expect(problems.map((o) => o.valueCodeableConcept?.coding[0]?.code)).toEqual(['LA28580-1', 'LA32001-2']);
  });

  it('leaves out the AHC safety total until all four safety questions are answered', () => {
    const { '95615-1': _, ...partial } = AHC_FOOD_AND_HOUSING;
    const observations = buildObservations(input(AHC, partial));
    expect(observations.some((o) => o.code.coding[0]?.code === '95614-4')).toBe(false);
  });

  it('codes a total that LOINC lacks (LACE) with a Kith code', () => {
    const [total] = buildObservations(
      input(LACE, { 'lace-l': 'los-4-6', 'lace-a': 'emergent', 'lace-c': ['dementia'], 'lace-e': 'ed-1' }),
    );
    expect(total).toMatchObject({
      code: { coding: [{ system: KITH_INSTRUMENT_SYSTEM, code: 'lace-total' }] },
      valueInteger: 4 + 3 + 3 + 1,
      interpretation: [{ coding: [{ code: 'high' }] }],
    });
    expect(total?.category).toHaveLength(1);
  });
});
