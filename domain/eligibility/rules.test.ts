import { describe, expect, it } from 'vitest';
import { ageOn, evaluateEligibility, guidelineFor, type PatientFacts } from './rules.ts';

const facts = (over: Partial<PatientFacts> = {}): PatientFacts => ({
  age: 40,
  payerTypes: ['medicaid'],
  householdSize: 4,
  householdIncome: 30_000,
  postalCode: '02118',
  state: 'MA',
  ...over,
});

describe('eligibility for a patient', () => {
  it('is "no-rules" when the service states none', () => {
    expect(evaluateEligibility({}, facts())).toEqual({ verdict: 'no-rules', reasons: [] });
  });

  it('compares income with the poverty guideline for the household size exactly, at the boundary', () => {
    // 200 % of the 2025 guideline for 4 people is $64,300.
    const rules = { maxPovertyPercent: 200 };
    const at = evaluateEligibility(rules, facts({ householdIncome: 64_300 }), 2025);
    expect(at.verdict).toBe('eligible');
    expect(at.reasons[0]).toBe(
      'Household income $64,300 is within 200% of the poverty guideline for 4 people ($64,300)',
    );
    const over = evaluateEligibility(rules, facts({ householdIncome: 64_301 }), 2025);
    expect(over.verdict).toBe('not-eligible');
    expect(over.reasons[0]).toBe(
      'Household income $64,301 is above 200% of the poverty guideline for 4 people ($64,300)',
    );
  });

  it('moves the limit with the household size: the same income is within it for 4 and over it for 3', () => {
    // 200 % for 3 people is $53,300.
    const rules = { maxPovertyPercent: 200 };
    expect(
      evaluateEligibility(rules, facts({ householdSize: 3, householdIncome: 53_300 }), 2025).verdict,
    ).toBe('eligible');
    expect(
      evaluateEligibility(rules, facts({ householdSize: 3, householdIncome: 53_301 }), 2025).verdict,
    ).toBe('not-eligible');
    expect(
      evaluateEligibility(rules, facts({ householdSize: 4, householdIncome: 53_301 }), 2025).verdict,
    ).toBe('eligible');
  });

  it('uses the latest guideline held up to the year, and says when none is held', () => {
    expect(guidelineFor(2027, 'MA')?.year).toBe(2025);
    expect(guidelineFor(2024, 'MA')).toBeNull();
    const alaska = evaluateEligibility({ maxPovertyPercent: 200 }, facts({ state: 'AK' }), 2025);
    expect(alaska.verdict).toBe('possibly');
    expect(alaska.reasons[0]).toMatch(/No poverty guideline held for AK/);
  });

  it('is "possibly" when the record cannot check a rule, naming the missing fact', () => {
    const r = evaluateEligibility(
      { maxPovertyPercent: 250, minAge: 18 },
      facts({ householdIncome: null }),
      2025,
    );
    expect(r.verdict).toBe('possibly');
    expect(r.reasons).toEqual([
      'Household income not recorded: cannot check the limit of 250% of the poverty guideline',
      'Age 40 is within ages 18 and over',
    ]);
    expect(evaluateEligibility({ payers: ['medicaid'] }, facts({ payerTypes: [] })).reasons[0]).toBe(
      'Insurance not recorded: the service takes Medicaid',
    );
    expect(evaluateEligibility({ counties: ['Suffolk County, MA'] }, facts()).reasons[0]).toBe(
      'County not recorded: the service serves Suffolk County, MA',
    );
  });

  it('names the rule that fails, and a failure outweighs what cannot be checked', () => {
    const r = evaluateEligibility(
      { minAge: 60, payers: ['medicare'], postalCodes: ['02119'], counties: ['Suffolk County, MA'] },
      facts({ age: 59 }),
    );
    expect(r.verdict).toBe('not-eligible');
    expect(r.reasons).toEqual([
      'Age 59 is under the minimum of 60',
      'Coverage (Medicaid) is not one the service takes: Medicare',
      'Lives in 02118, outside the ZIP codes the service serves',
    ]);
  });

  it('checks age limits inclusively, insurance and ZIP codes', () => {
    const rules = {
      minAge: 18,
      maxAge: 64,
      payers: ['medicaid', 'self-pay'] as const,
      postalCodes: ['02118'],
    };
    expect(evaluateEligibility({ ...rules, payers: [...rules.payers] }, facts({ age: 64 })).verdict).toBe(
      'eligible',
    );
    expect(evaluateEligibility({ ...rules, payers: [...rules.payers] }, facts({ age: 65 })).verdict).toBe(
      'not-eligible',
    );
    expect(evaluateEligibility({ ...rules, payers: [...rules.payers] }, facts({ age: 18 })).verdict).toBe(
      'eligible',
    );
    expect(evaluateEligibility({ ...rules, payers: [...rules.payers] }, facts({ age: 17 })).verdict).toBe(
      'not-eligible',
    );
    expect(
      evaluateEligibility({ counties: ['Suffolk County, MA'] }, facts({ county: 'suffolk county, ma' }))
        .verdict,
    ).toBe('eligible');
  });

  it('counts age in whole years', () => {
    expect(ageOn('1960-03-06', '2026-03-06')).toBe(66);
    expect(ageOn('1960-03-07', '2026-03-06')).toBe(65);
  });
});
