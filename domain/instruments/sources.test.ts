import { describe, expect, it } from 'vitest';
import { getInstrument, LOINC_SYSTEM, listInstruments } from './index.ts';
import type { Code, Instrument } from './types.ts';

/** LOINC's mod-10 check digit of the numeric part of a term code ("44261" → 6). */
function loincCheckDigit(digits: string): number {
  const reversed = [...digits].reverse().map(Number);
  const odd = reversed.filter((_, i) => i % 2 === 0).reverse();
  const even = reversed.filter((_, i) => i % 2 === 1).reverse();
  const joined = `${even.join('')}${Number(odd.join('')) * 2}`;
  const sum = [...joined].reduce((total, d) => total + Number(d), 0);
  return (10 - (sum % 10)) % 10;
}

/** Every LOINC term code an instrument carries: panel, total and items (answer LA codes are checked by list). */
function termCodes(instrument: Instrument): Code[] {
  return [instrument.panel, instrument.total, ...instrument.items.map((i) => i.code)].filter(
    (c): c is Code => c !== null && c.system === LOINC_SYSTEM,
  );
}

describe('instrument sources (docs/decisions/007)', () => {
  it('gives every item, answer and lead-in Spanish wording when an instrument claims Spanish, and none otherwise', () => {
    for (const instrument of listInstruments()) {
      const texts = [
        ...(instrument.intro ? [instrument.intro] : []),
        ...instrument.items.flatMap((item) => [item.text, ...item.options.map((o) => o.text)]),
      ];
      const missing = texts.filter((t) => !t.es?.trim()).map((t) => t.en);
      if (instrument.spanish) {
        expect({ id: instrument.id, missing }).toEqual({ id: instrument.id, missing: [] });
        expect(instrument.spanish.source).toMatch(/\S/);
      } else {
        expect({ id: instrument.id, withSpanish: texts.filter((t) => t.es !== null).length }).toEqual({
          id: instrument.id,
          withSpanish: 0,
        });
      }
    }
  });

  it('says plainly which Spanish is Kith’s working translation and which was compared with the published text', () => {
    const checked = listInstruments()
      .filter((i) => i.spanish?.checked)
      .map((i) => i.id)
      .sort();
    expect(checked).toEqual(['phq-2', 'phq-9']);
    for (const instrument of listInstruments()) {
      if (instrument.spanish && !instrument.spanish.checked) {
        expect(instrument.spanish.source).toMatch(/^Kith's working translation, pending /);
      }
    }
  });

  it('offers the AHC core screen in Spanish, every question and answer', () => {
    const ahc = getInstrument('ahc-hrsn')!;
    expect(ahc.items).toHaveLength(10);
    expect(ahc.items.every((item) => item.text.es && item.options.every((o) => o.text.es))).toBe(true);
  });

  it('uses LOINC term codes whose check digit is right', () => {
    for (const instrument of listInstruments()) {
      for (const code of termCodes(instrument)) {
        const [digits, check] = code.code.split('-');
        expect({ code: code.code, check: loincCheckDigit(digits ?? '') }).toEqual({
          code: code.code,
          check: Number(check),
        });
      }
    }
  });

  it('keeps the codes checked against published FHIR examples (US Core, SDOH Clinical Care, LHC-Forms)', () => {
    const codes = (id: string) => {
      const instrument = getInstrument(id)!;
      return {
        panel: instrument.panel?.code ?? null,
        total: instrument.total?.code ?? null,
        items: instrument.items.map((i) => i.code?.code),
        answers: [...new Set(instrument.items.flatMap((i) => i.options.map((o) => o.code)))],
      };
    };
    expect(codes('phq-9')).toMatchObject({
      panel: '44249-1',
      total: '44261-6',
      items: [
        '44250-9',
        '44255-8',
        '44259-0',
        '44254-1',
        '44251-7',
        '44258-2',
        '44252-5',
        '44253-3',
        '44260-8',
      ],
      answers: ['LA6568-5', 'LA6569-3', 'LA6570-1', 'LA6571-9'],
    });
    expect(codes('gad-7')).toMatchObject({
      panel: '69737-5',
      total: '70274-6',
      items: ['69725-0', '68509-9', '69733-4', '69734-2', '69735-9', '69689-8', '69736-7'],
    });
    expect(codes('gad-2')).toMatchObject({ panel: null, total: null });
    expect(codes('hunger-vital-sign')).toEqual({
      panel: '88121-9',
      total: null,
      items: ['88122-7', '88123-5'],
      answers: ['LA28397-0', 'LA6729-3', 'LA28398-8'],
    });
    expect(codes('ahc-hrsn')).toEqual({
      panel: '96777-8',
      total: null,
      items: [
        '71802-3',
        '96778-6',
        '88122-7',
        '88123-5',
        '93030-5',
        '96779-4',
        '95618-5',
        '95617-7',
        '95616-9',
        '95615-1',
      ],
      answers: [
        'LA31993-1',
        'LA31994-9',
        'LA31995-6',
        'LA31996-4',
        'LA28580-1',
        'LA31997-2',
        'LA31998-0',
        'LA31999-8',
        'LA32000-4',
        'LA32001-2',
        'LA9-3',
        'LA28397-0',
        'LA6729-3',
        'LA28398-8',
        'LA33-6',
        'LA32-8',
        'LA32002-0',
        'LA6270-8',
        'LA10066-1',
        'LA10082-8',
        'LA16644-9',
        'LA6482-9',
      ],
    });
    expect(codes('cssrs-screener')).toMatchObject({
      panel: '93373-9',
      items: ['93246-7', '93247-5', '93248-3', '93249-1', '93250-9', '93267-3', '93269-9'],
      answers: ['LA33-6', 'LA32-8'],
    });
  });

  it('asks the AHC safety questions in the published words, not LOINC’s displays', () => {
    const ahc = getInstrument('ahc-hrsn')!;
    const threaten = ahc.items.find((i) => i.linkId === '95616-9')!;
    expect(threaten.text.en).toBe(
      'How often does anyone, including family and friends, threaten you with harm?',
    );
    expect(threaten.code?.display).toBe('Threaten you with physical harm [HITS]');
  });
});
