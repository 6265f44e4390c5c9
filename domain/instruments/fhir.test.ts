import { describe, expect, it } from 'vitest';
import {
  getInstrument,
  INSTRUMENT_IDS,
  listInstruments,
  questionnaireUrl,
  readResponse,
  scoreResponse,
  toQuestionnaire,
} from './index.ts';

const PHQ2 = getInstrument('phq-2')!;
const AHC = getInstrument('ahc-hrsn')!;
const CSSRS = getInstrument('cssrs-screener')!;

/** A QuestionnaireResponse with one coded answer (or several) per linkId. */
function response(questionnaire: string, answers: Record<string, string | string[]>) {
  return {
    resourceType: 'QuestionnaireResponse',
    questionnaire,
    status: 'completed',
    item: Object.entries(answers).map(([linkId, codes]) => ({
      linkId,
      answer: (typeof codes === 'string' ? [codes] : codes).map((code) => ({
        valueCoding: { system: 'http://loinc.org', code },
      })),
    })),
  };
}
const phq2 = `${questionnaireUrl(PHQ2)}|1.0.0`;

describe('instrument registry', () => {
  it('lists every instrument id of domain.md, each with a version', () => {
    expect(
      listInstruments()
        .map((i) => i.id)
        .sort(),
    ).toEqual([...INSTRUMENT_IDS].sort());
    for (const instrument of listInstruments()) expect(instrument.version).toMatch(/\S/);
  });

  it('finds an instrument by id and version, and nothing for an unknown one', () => {
    expect(getInstrument('phq-9')?.id).toBe('phq-9');
    expect(getInstrument('phq-9', '1.0.0')?.version).toBe('1.0.0');
    expect(getInstrument('phq-9', '0.9')).toBeUndefined();
    expect(getInstrument('beck')).toBeUndefined();
  });

  it('cites a source for every instrument and ends its bands with a catch-all', () => {
    for (const instrument of listInstruments()) {
      expect(instrument.bands.at(-1)?.when).toBeUndefined();
      expect(instrument.source).toMatch(/\S/);
    }
  });
});

describe('FHIR Questionnaire', () => {
  it('serves the PHQ-9 SDC style: LOINC item codes, LOINC answers and ordinalValue points', () => {
    const q = toQuestionnaire(getInstrument('phq-9')!);
    expect(q).toMatchObject({
      resourceType: 'Questionnaire',
      id: 'phq-9',
      url: 'urn:kith:questionnaire:phq-9',
      version: '1.0.0',
      status: 'active',
      code: [{ system: 'http://loinc.org', code: '44249-1' }],
    });
    expect(q.item).toHaveLength(9);
    const item9 = q.item[8]!;
    expect(item9).toMatchObject({
      linkId: '44260-8',
      code: [{ system: 'http://loinc.org', code: '44260-8' }],
      type: 'choice',
      required: true,
      repeats: false,
    });
    expect(item9.answerOption[3]).toMatchObject({
      valueCoding: { system: 'http://loinc.org', code: 'LA6571-9', display: 'Nearly every day' },
      extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/ordinalValue', valueDecimal: 3 }],
    });
  });

  it('carries Spanish wording as translation extensions where Kith has it, and none for staff-only LACE', () => {
    const item = toQuestionnaire(PHQ2).item[0]!;
    expect(item._text?.extension[0]).toEqual({
      url: 'http://hl7.org/fhir/StructureDefinition/translation',
      extension: [
        { url: 'lang', valueCode: 'es' },
        { url: 'content', valueString: 'Poco interés o placer en hacer cosas' },
      ],
    });
    expect(toQuestionnaire(AHC).item[0]!._text?.extension[0]?.extension?.[1]).toEqual({
      url: 'content',
      valueString: '¿Cuál es su situación de vivienda hoy?',
    });
    expect(toQuestionnaire(getInstrument('lace')!).item[0]!._text).toBeUndefined();
  });

  it('writes C-SSRS skip logic as enableWhen on item 2 = yes', () => {
    const items = toQuestionnaire(CSSRS).item;
    expect(items.find((i) => i.linkId === '93248-3')?.enableWhen).toEqual([
      {
        question: '93247-5',
        operator: '=',
        answerCoding: { system: 'http://loinc.org', code: 'LA33-6', display: 'Yes' },
      },
    ]);
    expect(items.find((i) => i.linkId === '93267-3')?.enableWhen).toBeUndefined();
  });

  it('makes the AHC housing problems question repeat, with no ordinalValue on unscored answers', () => {
    const item = toQuestionnaire(AHC).item.find((i) => i.linkId === '96778-6')!;
    expect(item.repeats).toBe(true);
    expect(item.answerOption[0]?.extension).toBeUndefined();
  });
});

describe('reading a QuestionnaireResponse', () => {
  it('turns a complete response into answers that score', () => {
    const read = readResponse(PHQ2, response(phq2, { '44250-9': 'LA6570-1', '44255-8': 'LA6569-3' }));
    expect(read).toEqual({ ok: true, answers: { '44250-9': ['LA6570-1'], '44255-8': ['LA6569-3'] } });
    if (read.ok) expect(scoreResponse(PHQ2, read.answers)).toMatchObject({ score: 3, band: 'positive' });
  });

  it('refuses an unknown linkId, naming it', () => {
    const read = readResponse(
      PHQ2,
      response(phq2, { '44250-9': 'LA6568-5', '44255-8': 'LA6568-5', '44260-8': 'LA6568-5' }),
    );
    expect(read).toEqual({
      ok: false,
      errors: [{ field: '44260-8', message: 'is not an item of phq-2 1.0.0' }],
    });
  });

  it("refuses an answer that is not one of the item's options", () => {
    const read = readResponse(PHQ2, response(phq2, { '44250-9': 'LA33-6', '44255-8': 'LA6568-5' }));
    expect(read).toEqual({
      ok: false,
      errors: [{ field: '44250-9', message: "LA33-6 is not one of the item's options" }],
    });
  });

  it('refuses an answer that is not a coding', () => {
    const bad = response(phq2, { '44255-8': 'LA6568-5' });
    bad.item.push({ linkId: '44250-9', answer: [{ valueInteger: 2 } as never] });
    const read = readResponse(PHQ2, bad);
    expect(read.ok).toBe(false);
    if (!read.ok)
      expect(read.errors).toEqual([
        { field: '44250-9', message: "the answer is not one of the item's options" },
      ]);
  });

  it('refuses a missing required item, naming it', () => {
    const read = readResponse(PHQ2, response(phq2, { '44250-9': 'LA6568-5' }));
    expect(read).toEqual({
      ok: false,
      errors: [{ field: '44255-8', message: 'is required: Feeling down, depressed, or hopeless' }],
    });
  });

  it('accepts an unfinished draft when asked to, for live scoring', () => {
    expect(readResponse(PHQ2, response(phq2, { '44250-9': 'LA6568-5' }), { allowMissing: true }).ok).toBe(
      true,
    );
  });

  it('refuses a response to another version', () => {
    const read = readResponse(
      PHQ2,
      response(`${questionnaireUrl(PHQ2)}|0.9.0`, { '44250-9': 'LA6568-5', '44255-8': 'LA6568-5' }),
    );
    expect(read).toEqual({
      ok: false,
      errors: [{ field: 'questionnaire', message: 'answers version 0.9.0 of phq-2; this is version 1.0.0' }],
    });
  });

  it('refuses a response that names no version, or another instrument', () => {
    const answers = { '44250-9': 'LA6568-5', '44255-8': 'LA6568-5' };
    expect(readResponse(PHQ2, response(questionnaireUrl(PHQ2), answers))).toMatchObject({
      ok: false,
      errors: [{ field: 'questionnaire', message: 'must name the version (1.0.0)' }],
    });
    expect(readResponse(PHQ2, response('urn:kith:questionnaire:gad-2|1.0.0', answers))).toMatchObject({
      ok: false,
      errors: [{ field: 'questionnaire' }],
    });
  });

  it('refuses two answers to a single-choice item, and "none" with another housing problem', () => {
    expect(
      readResponse(PHQ2, response(phq2, { '44250-9': ['LA6568-5', 'LA6569-3'], '44255-8': 'LA6568-5' })),
    ).toEqual({ ok: false, errors: [{ field: '44250-9', message: 'takes one answer' }] });
    const ahc = readResponse(
      AHC,
      response(`${questionnaireUrl(AHC)}|1.0.0`, {
        '71802-3': 'LA31993-1',
        '96778-6': ['LA9-3', 'LA28580-1'],
        '88122-7': 'LA28398-8',
        '88123-5': 'LA28398-8',
        '93030-5': 'LA32-8',
        '96779-4': 'LA32-8',
        '95618-5': 'LA6270-8',
        '95617-7': 'LA6270-8',
        '95616-9': 'LA6270-8',
        '95615-1': 'LA6270-8',
      }),
    );
    expect(ahc).toEqual({
      ok: false,
      errors: [{ field: '96778-6', message: '"None" cannot be chosen with other answers' }],
    });
  });

  it('follows C-SSRS skip logic: items 3–5 are not required after a no to item 2, and refused if answered', () => {
    const url = `${questionnaireUrl(CSSRS)}|1.0.0`;
    const skipped = { '93246-7': 'LA33-6', '93247-5': 'LA32-8', '93267-3': 'LA32-8' };
    expect(readResponse(CSSRS, response(url, skipped)).ok).toBe(true);
    expect(readResponse(CSSRS, response(url, { ...skipped, '93249-1': 'LA33-6' }))).toEqual({
      ok: false,
      errors: [{ field: '93249-1', message: 'is answered but skipped by an earlier answer' }],
    });
    const asked = readResponse(CSSRS, response(url, { ...skipped, '93247-5': 'LA33-6' }));
    expect(asked.ok ? [] : asked.errors.map((e) => e.field)).toEqual(['93248-3', '93249-1', '93250-9']);
  });

  it('answers bad input with errors, never an exception', () => {
    expect(readResponse(PHQ2, null)).toEqual({
      ok: false,
      errors: [{ field: 'resourceType', message: 'must be QuestionnaireResponse' }],
    });
    expect(
      readResponse(PHQ2, { resourceType: 'QuestionnaireResponse', questionnaire: phq2, item: 'x' }),
    ).toMatchObject({
      ok: false,
      errors: [{ field: 'item' }, { field: '44250-9' }, { field: '44255-8' }],
    });
    expect(
      readResponse(PHQ2, { resourceType: 'QuestionnaireResponse', questionnaire: 7, item: [{}] }).ok,
    ).toBe(false);
  });
});
