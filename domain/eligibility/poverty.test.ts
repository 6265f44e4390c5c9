import { describe, expect, it } from 'vitest';
import { percentOfPoverty, povertyAreaOf, povertyLine, withinPercentOfPoverty } from './poverty.ts';

describe('federal poverty guidelines (domain.md, HHS 2025)', () => {
  it('are $15,650 for one person and $5,500 more for each additional person', () => {
    expect(povertyLine(1, 2025)).toBe(15_650);
    expect(povertyLine(2, 2025)).toBe(21_150);
    expect(povertyLine(4, 2025)).toBe(32_150);
    expect(povertyLine(8, 2025)).toBe(54_150);
  });

  it('give income as a percentage of the line', () => {
    expect(percentOfPoverty(32_150, 4, 2025)).toBe(100);
    expect(percentOfPoverty(64_300, 4, 2025)).toBe(200);
    expect(percentOfPoverty(0, 1, 2025)).toBe(0);
  });

  it('decide "at or below N %" exactly: one dollar over the limit is over it', () => {
    expect(withinPercentOfPoverty(64_300, 4, 200, 2025)).toBe(true);
    expect(withinPercentOfPoverty(64_301, 4, 200, 2025)).toBe(false);
    expect(withinPercentOfPoverty(64_300.01, 4, 200, 2025)).toBe(false);
    // 138 % (Medicaid expansion) of one person is $21,597.
    expect(withinPercentOfPoverty(21_597, 1, 138, 2025)).toBe(true);
    expect(withinPercentOfPoverty(21_598, 1, 138, 2025)).toBe(false);
  });

  it('answer null for a year or area Kith does not hold, rather than guess', () => {
    expect(povertyLine(1, 2019)).toBeNull();
    expect(percentOfPoverty(20_000, 1, 2025, povertyAreaOf('ak'))).toBeNull();
    expect(povertyAreaOf('HI')).toBe('hawaii');
    expect(povertyAreaOf('MA')).toBe('contiguous');
  });

  it('refuse an impossible household or income', () => {
    expect(() => povertyLine(0, 2025)).toThrow(RangeError);
    expect(() => povertyLine(2.5, 2025)).toThrow(RangeError);
    expect(() => percentOfPoverty(-1, 2, 2025)).toThrow(RangeError);
  });
});
