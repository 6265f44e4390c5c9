import { describe, expect, it } from 'vitest';
import { AHC_HRSN, ahcSafetyTotal } from './ahc-hrsn.ts';
import { HITS, SAFETY_ITEM_IDS } from './hits.ts';
import { HUNGER_VITAL_SIGN } from './hunger-vital-sign.ts';
import { scoreResponse } from './index.ts';

const OFTEN = 'LA28397-0';
const SOMETIMES = 'LA6729-3';
const NEVER_TRUE = 'LA28398-8';
const SAFETY = ['LA6270-8', 'LA10066-1', 'LA10082-8', 'LA16644-9', 'LA6482-9']; // never 1 … frequently 5

/** HITS answers by points per item, in order: hurt, insult, threaten, scream. */
const safety = (...points: number[]) =>
  Object.fromEntries(SAFETY_ITEM_IDS.map((id, i) => [id, SAFETY[(points[i] ?? 1) - 1] ?? '']));

describe('Hunger Vital Sign', () => {
  it.each([
    [OFTEN, NEVER_TRUE, 'positive'],
    [NEVER_TRUE, SOMETIMES, 'positive'],
    [SOMETIMES, SOMETIMES, 'positive'],
    [NEVER_TRUE, NEVER_TRUE, 'negative'],
  ])('reads %s / %s as %s', (first, second, band) => {
    const result = scoreResponse(HUNGER_VITAL_SIGN, { '88122-7': first, '88123-5': second });
    expect(result.band).toBe(band);
    expect(result.score).toBeNull();
    expect(result.positiveDomains).toEqual(band === 'positive' ? ['food-insecurity'] : []);
  });
});

describe('HITS', () => {
  it.each([
    [[1, 1, 1, 1], 4, 'negative'],
    [[1, 3, 3, 3], 10, 'negative'],
    [[1, 3, 3, 4], 11, 'positive'],
    [[5, 5, 5, 5], 20, 'positive'],
  ])('scores %j as %i, %s', (points, total, band) => {
    const result = scoreResponse(HITS, safety(...points));
    expect(result.score).toBe(total);
    expect(result.band).toBe(band);
    expect(result.positiveDomains).toEqual(band === 'positive' ? ['intimate-partner-violence'] : []);
  });

  it('raises safety-review on a positive total', () => {
    expect(scoreResponse(HITS, safety(1, 3, 3, 4)).alarms).toEqual([
      { code: 'safety-review', reason: 'interpersonal safety total > 10' },
    ]);
  });

  it('raises safety-review when "physically hurt" is rarely, though the total is only 5', () => {
    const result = scoreResponse(HITS, safety(2, 1, 1, 1));
    expect(result.band).toBe('negative');
    expect(result.alarms).toEqual([{ code: 'safety-review', reason: '"physically hurt" rarely or worse' }]);
  });

  it('raises one safety-review alarm naming both reasons when both hold', () => {
    expect(scoreResponse(HITS, safety(5, 5, 1, 1)).alarms).toEqual([
      { code: 'safety-review', reason: 'interpersonal safety total > 10; "physically hurt" rarely or worse' },
    ]);
  });

  it('raises nothing when every answer is never', () => {
    expect(scoreResponse(HITS, safety(1, 1, 1, 1)).alarms).toEqual([]);
  });
});

describe('AHC HRSN core screen', () => {
  const clear = {
    '71802-3': 'LA31993-1',
    '96778-6': ['LA9-3'],
    '88122-7': NEVER_TRUE,
    '88123-5': NEVER_TRUE,
    '93030-5': 'LA32-8',
    '96779-4': 'LA32-8',
    ...safety(1, 1, 1, 1),
  };

  it('is negative with no domains when every answer is the reassuring one', () => {
    expect(scoreResponse(AHC_HRSN, clear)).toEqual({
      instrument: 'ahc-hrsn',
      version: '1.0.0',
      score: null,
      band: 'negative',
      positiveDomains: [],
      alarms: [],
    });
  });

  it.each([
    ['worried about losing housing', { '71802-3': 'LA31994-9' }, 'housing-instability'],
    ['no steady place to live', { '71802-3': 'LA31995-6' }, 'housing-instability'],
    ['a housing problem (mold)', { '96778-6': ['LA28580-1'] }, 'housing-instability'],
    ['food worry sometimes true', { '88122-7': SOMETIMES }, 'food-insecurity'],
    ['food did not last often true', { '88123-5': OFTEN }, 'food-insecurity'],
    ['transportation yes', { '93030-5': 'LA33-6' }, 'transportation-insecurity'],
    ['utilities threatened', { '96779-4': 'LA33-6' }, 'utility-insecurity'],
    ['utilities already shut off', { '96779-4': 'LA32002-0' }, 'utility-insecurity'],
    ['safety total 11', safety(1, 3, 3, 4), 'intimate-partner-violence'],
  ])('finds one domain from %s', (_, change, domain) => {
    const result = scoreResponse(AHC_HRSN, { ...clear, ...change });
    expect(result.positiveDomains).toEqual([domain]);
    expect(result.band).toBe('positive');
  });

  it('does not count a safety total of exactly 10 as a domain', () => {
    expect(scoreResponse(AHC_HRSN, { ...clear, ...safety(1, 3, 3, 3) }).positiveDomains).toEqual([]);
  });

  it('finds food and housing together, once each', () => {
    const result = scoreResponse(AHC_HRSN, {
      ...clear,
      '71802-3': 'LA31995-6',
      '96778-6': ['LA31996-4', 'LA31998-0'],
      '88122-7': OFTEN,
      '88123-5': SOMETIMES,
    });
    expect(result.positiveDomains).toEqual(['housing-instability', 'food-insecurity']);
  });

  it('raises safety-review when anyone physically hurts the patient rarely or worse', () => {
    const result = scoreResponse(AHC_HRSN, { ...clear, ...safety(2, 1, 1, 1) });
    expect(result.band).toBe('negative');
    expect(result.alarms).toEqual([{ code: 'safety-review', reason: '"physically hurt" rarely or worse' }]);
  });

  it('totals questions 7–10 as HITS for the safety observation', () => {
    expect(ahcSafetyTotal(safety(2, 3, 4, 5))).toBe(14);
  });
});
