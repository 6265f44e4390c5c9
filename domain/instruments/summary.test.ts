import { describe, expect, it } from 'vitest';
import { getInstrument, scoreResponse } from './index.ts';
import { resultLine } from './summary.ts';

describe('the timeline line of a result', () => {
  it('names the score and band', () => {
    const phq9 = getInstrument('phq-9')!;
    const answers = Object.fromEntries(phq9.items.map((i, n) => [i.linkId, n < 4 ? 'LA6571-9' : 'LA6568-5']));
    expect(resultLine(phq9, scoreResponse(phq9, answers), 'completed')).toBe(
      'Patient Health Questionnaire-9 (PHQ-9) completed: score 12, Moderate depression',
    );
  });

  it('adds positive domains and alarms, and leaves out a score the instrument does not have', () => {
    const ahc = getInstrument('ahc-hrsn')!;
    const result = {
      ...scoreResponse(ahc, {}),
      band: 'positive',
      positiveDomains: ['food-insecurity', 'housing-instability'] as const,
      alarms: [{ code: 'safety-review' as const, reason: 'HITS item 1' }],
    };
    expect(resultLine(ahc, { ...result, positiveDomains: [...result.positiveDomains] }, 'amended')).toBe(
      `${ahc.title} amended: One or more health-related social needs; positive for food insecurity, housing instability; alarm: interpersonal safety`,
    );
  });
});
