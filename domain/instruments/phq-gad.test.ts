import { describe, expect, it } from 'vitest';
import { GAD2, GAD7 } from './gad.ts';
import { scoreResponse } from './index.ts';
import { PHQ_FREQUENCY_CODES, PHQ2, PHQ9, PHQ9_ITEM9 } from './phq.ts';
import type { Instrument } from './types.ts';

/** Answers reaching `total`, filling items in order at up to 3 points each; `last` items are kept at 0. */
function answersFor(instrument: Instrument, total: number, keepZero: readonly string[] = []) {
  const answers: Record<string, string> = {};
  let left = total;
  for (const item of instrument.items) {
    const points = keepZero.includes(item.linkId) ? 0 : Math.min(3, left);
    answers[item.linkId] = PHQ_FREQUENCY_CODES[points] ?? '';
    left -= points;
  }
  if (left > 0) throw new Error(`cannot reach ${total}`);
  return answers;
}

describe('PHQ-9', () => {
  it.each([
    [0, 'minimal'],
    [4, 'minimal'],
    [5, 'mild'],
    [9, 'mild'],
    [10, 'moderate'],
    [14, 'moderate'],
    [15, 'moderately-severe'],
    [19, 'moderately-severe'],
    [20, 'severe'],
    [24, 'severe'],
  ])('scores a total of %i as %s', (total, band) => {
    const result = scoreResponse(PHQ9, answersFor(PHQ9, total, [PHQ9_ITEM9]));
    expect(result).toEqual({
      instrument: 'phq-9',
      version: '1.0.0',
      score: total,
      band,
      positiveDomains: [],
      alarms: [],
    });
  });

  it('scores the maximum of 27 as severe, with the suicide-risk alarm from item 9', () => {
    const result = scoreResponse(PHQ9, answersFor(PHQ9, 27));
    expect(result.score).toBe(27);
    expect(result.band).toBe('severe');
    expect(result.alarms).toEqual([{ code: 'suicide-risk', reason: 'PHQ-9 item 9 > 0' }]);
  });

  it('raises suicide-risk when item 9 is above 0 whatever the total', () => {
    const answers = { ...answersFor(PHQ9, 0), [PHQ9_ITEM9]: 'LA6569-3' };
    const result = scoreResponse(PHQ9, answers);
    expect(result.score).toBe(1);
    expect(result.band).toBe('minimal');
    expect(result.alarms.map((a) => a.code)).toEqual(['suicide-risk']);
  });

  it('raises no alarm when item 9 is "not at all", even when the total is severe', () => {
    expect(scoreResponse(PHQ9, answersFor(PHQ9, 24, [PHQ9_ITEM9])).alarms).toEqual([]);
  });

  it('carries LOINC 44260-8 on item 9 and 44261-6 as the total', () => {
    expect(PHQ9.items[8]?.code?.code).toBe('44260-8');
    expect(PHQ9.total?.code).toBe('44261-6');
    expect(PHQ9.panel?.code).toBe('44249-1');
  });
});

describe('PHQ-2', () => {
  it.each([
    [0, 'negative'],
    [2, 'negative'],
    [3, 'positive'],
    [6, 'positive'],
  ])('scores a total of %i as %s', (total, band) => {
    const result = scoreResponse(PHQ2, answersFor(PHQ2, total));
    expect(result.score).toBe(total);
    expect(result.band).toBe(band);
  });

  it('asks PHQ-9 items 1 and 2', () => {
    expect(PHQ2.items.map((i) => i.linkId)).toEqual(['44250-9', '44255-8']);
  });
});

describe('GAD-7', () => {
  it.each([
    [0, 'minimal'],
    [4, 'minimal'],
    [5, 'mild'],
    [9, 'mild'],
    [10, 'moderate'],
    [14, 'moderate'],
    [15, 'severe'],
    [21, 'severe'],
  ])('scores a total of %i as %s', (total, band) => {
    const result = scoreResponse(GAD7, answersFor(GAD7, total));
    expect(result).toMatchObject({ instrument: 'gad-7', score: total, band, alarms: [] });
  });

  it('is coded with panel 69737-5 and total 70274-6', () => {
    expect([GAD7.panel?.code, GAD7.total?.code]).toEqual(['69737-5', '70274-6']);
  });
});

describe('GAD-2', () => {
  it.each([
    [0, 'negative'],
    [2, 'negative'],
    [3, 'positive'],
    [6, 'positive'],
  ])('scores a total of %i as %s', (total, band) => {
    expect(scoreResponse(GAD2, answersFor(GAD2, total))).toMatchObject({ score: total, band });
  });

  it('asks GAD-7 items 1 and 2', () => {
    expect(GAD2.items).toEqual(GAD7.items.slice(0, 2));
  });
});
