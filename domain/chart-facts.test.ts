import { describe, expect, it } from 'vitest';
import { ageInYears, daysSinceAdmission, flagsBySeverity, localDay } from './chart-facts.ts';

describe('chart facts', () => {
  it('counts a birthday only once it has come', () => {
    const day = new Date('2026-03-14T12:00:00Z');
    expect(ageInYears('1948-03-14', day)).toBe(78);
    expect(ageInYears('1948-03-15', day)).toBe(77);
    expect(ageInYears('2000-02-29', new Date('2026-02-28T12:00:00Z'))).toBe(25);
  });

  it('counts whole days in hospital, 0 on the day of admission', () => {
    const now = new Date('2026-11-28T10:00:00Z');
    expect(daysSinceAdmission('2026-11-28T08:00:00Z', now)).toBe(0);
    expect(daysSinceAdmission('2026-11-25T09:59:00Z', now)).toBe(3);
    // A planned admission to come never counts backwards.
    expect(daysSinceAdmission('2026-11-29T08:00:00Z', now)).toBe(0);
  });

  it('orders flags most severe first, once each, and drops unknown kinds', () => {
    expect(
      flagsBySeverity([
        'new-results',
        'interpreter-needed',
        'readmission',
        'crisis-risk',
        'vip',
        'crisis-risk',
      ]),
    ).toEqual(['crisis-risk', 'readmission', 'interpreter-needed', 'new-results']);
  });
});

describe("ages on the organisation's calendar day", () => {
  it("turns a year older on the birthday in the organisation's day, whatever the UTC date", () => {
    // 23:30 in New York on 28 November is already 29 November in UTC: the patient is not 76 yet there.
    expect(ageInYears('1950-11-29', localDay('2026-11-28'))).toBe(75);
    expect(ageInYears('1950-11-29', localDay('2026-11-29'))).toBe(76);
  });
});
