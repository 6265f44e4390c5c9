import { describe, expect, it } from 'vitest';
import { CSSRS_ITEM_IDS as C, CSSRS_SCREENER } from './cssrs-screener.ts';
import { isItemEnabled, normaliseAnswers } from './engine.ts';
import { scoreResponse } from './index.ts';
import { charlsonToLacePoints, LACE, laceAnswers } from './lace.ts';

const Y = 'LA33-6';
const N = 'LA32-8';
const none = { [C.wishDead]: N, [C.thoughtsOfKilling]: N, [C.behaviour]: N };
const ideation = { [C.wishDead]: Y, [C.thoughtsOfKilling]: Y, [C.method]: N, [C.intent]: N, [C.plan]: N };

describe('C-SSRS screener', () => {
  it.each([
    ['all no', none, 'none'],
    ['wish to be dead only', { ...none, [C.wishDead]: Y }, 'low'],
    ['thoughts of killing, nothing more', { ...ideation, [C.behaviour]: N }, 'low'],
    ['thinking about how', { ...ideation, [C.method]: Y, [C.behaviour]: N }, 'moderate'],
    [
      'behaviour more than 3 months ago',
      { ...none, [C.behaviour]: Y, [C.behaviourWithin3Months]: N },
      'moderate',
    ],
    ['some intention of acting', { ...ideation, [C.intent]: Y, [C.behaviour]: N }, 'high'],
    ['worked out a plan', { ...ideation, [C.plan]: Y, [C.behaviour]: N }, 'high'],
    ['behaviour within 3 months', { ...none, [C.behaviour]: Y, [C.behaviourWithin3Months]: Y }, 'high'],
  ])('rates %s as %s', (_, answers, band) => {
    const result = scoreResponse(CSSRS_SCREENER, answers);
    expect(result.band).toBe(band);
    expect(result.score).toBeNull();
    expect(result.alarms).toEqual(
      band === 'high' ? [{ code: 'suicide-risk', reason: 'C-SSRS screener high risk' }] : [],
    );
  });

  it('skips items 3 to 5 when item 2 is no, and asks them when it is yes', () => {
    const skipped = normaliseAnswers({ [C.wishDead]: Y, [C.thoughtsOfKilling]: N });
    const asked = normaliseAnswers({ [C.wishDead]: Y, [C.thoughtsOfKilling]: Y });
    for (const id of [C.method, C.intent, C.plan]) {
      const item = CSSRS_SCREENER.items.find((i) => i.linkId === id)!;
      expect(isItemEnabled(CSSRS_SCREENER, item, skipped)).toBe(false);
      expect(isItemEnabled(CSSRS_SCREENER, item, asked)).toBe(true);
    }
    const item6 = CSSRS_SCREENER.items.find((i) => i.linkId === C.behaviour)!;
    expect(isItemEnabled(CSSRS_SCREENER, item6, skipped)).toBe(true);
  });

  it('asks "within the past 3 months" only after a yes to item 6', () => {
    const item = CSSRS_SCREENER.items.find((i) => i.linkId === C.behaviourWithin3Months)!;
    expect(isItemEnabled(CSSRS_SCREENER, item, normaliseAnswers({ [C.behaviour]: N }))).toBe(false);
    expect(isItemEnabled(CSSRS_SCREENER, item, normaliseAnswers({ [C.behaviour]: Y }))).toBe(true);
  });

  it('ignores a stray yes to item 4 when item 2 was no (the item was never asked)', () => {
    const result = scoreResponse(CSSRS_SCREENER, { ...none, [C.wishDead]: Y, [C.intent]: Y });
    expect(result.band).toBe('low');
    expect(result.alarms).toEqual([]);
  });
});

describe('LACE index', () => {
  const stay = (lengthOfStayDays: number, extra: Partial<Parameters<typeof laceAnswers>[0]> = {}) =>
    laceAnswers({
      lengthOfStayDays,
      emergent: false,
      comorbidities: [],
      edVisitsPrevious6Months: 0,
      ...extra,
    });

  it.each([
    [0.5, 0],
    [1, 1],
    [2, 2],
    [3, 3],
    [4, 4],
    [6, 4],
    [7, 5],
    [13, 5],
    [14, 7],
    [40, 7],
  ])('gives a stay of %s days %i points for L', (days, points) => {
    expect(scoreResponse(LACE, stay(days)).score).toBe(points);
  });

  it('adds 3 for an emergent admission', () => {
    expect(scoreResponse(LACE, stay(0, { emergent: true })).score).toBe(3);
  });

  it.each([
    [0, 0],
    [1, 1],
    [2, 2],
    [3, 3],
    [4, 5],
    [9, 5],
  ])('gives a Charlson total of %i %i points for C', (charlson, points) => {
    expect(charlsonToLacePoints(charlson)).toBe(points);
  });

  it('sums the Charlson weights of the chosen comorbidities', () => {
    // Congestive heart failure 2 + dementia 3 = 5 → C scores 5; diabetes alone 1 → 1.
    expect(
      scoreResponse(LACE, stay(0, { comorbidities: ['congestive-heart-failure', 'dementia'] })).score,
    ).toBe(5);
    expect(scoreResponse(LACE, stay(0, { comorbidities: ['diabetes-uncomplicated'] })).score).toBe(1);
    expect(
      scoreResponse(LACE, stay(0, { comorbidities: ['cerebrovascular-disease', 'any-tumour'] })).score,
    ).toBe(3);
  });

  it.each([
    [0, 0],
    [3, 3],
    [4, 4],
    [11, 4],
  ])('counts %i ED visits as %i points for E', (visits, points) => {
    expect(scoreResponse(LACE, stay(0, { edVisitsPrevious6Months: visits })).score).toBe(points);
  });

  it.each([
    [0, 'low', stay(0)],
    [4, 'low', stay(4)],
    [5, 'moderate', stay(4, { edVisitsPrevious6Months: 1 })],
    [9, 'moderate', stay(2, { emergent: true, edVisitsPrevious6Months: 4 })],
    [10, 'high', stay(3, { emergent: true, edVisitsPrevious6Months: 4 })],
    [
      19,
      'high',
      stay(14, { emergent: true, comorbidities: ['metastatic-solid-tumour'], edVisitsPrevious6Months: 4 }),
    ],
  ] as const)('bands a total of %i as %s', (total, band, answers) => {
    const result = scoreResponse(LACE, answers);
    expect(result.score).toBe(total);
    expect(result.band).toBe(band);
  });
});
