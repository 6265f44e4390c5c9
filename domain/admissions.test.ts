import { describe, expect, it } from 'vitest';
import { type AdmissionFacts, ageOn, daysBetween, isReadmission, matchingTriggers } from './admissions.ts';
import { type AdmissionTrigger, AdmissionTriggerList } from './schemas/admissions.ts';

const NY = 'America/New_York';
const facts = (over: Partial<AdmissionFacts> = {}): AdmissionFacts => ({
  age: 60,
  daysSincePreviousDischarge: null,
  unit: '4 East',
  payerTypes: ['commercial'],
  ...over,
});
const task = { kind: 'task', title: 'Screen', dueInHours: 24, priority: 'routine' } as const;
const rule = (
  condition: AdmissionTrigger['condition'],
  over: Partial<AdmissionTrigger> = {},
): AdmissionTrigger => ({
  id: condition.kind,
  name: condition.kind,
  enabled: true,
  condition,
  action: task,
  ...over,
});
const ids = (rules: AdmissionTrigger[], f: AdmissionFacts) =>
  matchingTriggers(rules, f).map((m) => m.rule.id);

describe('age on the admission day', () => {
  it('counts whole years, turning a year older on the birthday itself', () => {
    expect(ageOn('1950-06-15', '2025-06-14')).toBe(74);
    expect(ageOn('1950-06-15', '2025-06-15')).toBe(75);
    expect(ageOn('1950-06-15', '2025-12-31')).toBe(75);
  });
  it('makes someone born on 29 February older on 1 March of a common year', () => {
    expect(ageOn('1948-02-29', '2023-02-28')).toBe(74);
    expect(ageOn('1948-02-29', '2023-03-01')).toBe(75);
  });
});

describe('readmission window', () => {
  it('counts calendar days in the hospital time zone', () => {
    // Discharged 23:30 New York on 1 March (04:30Z on the 2nd), readmitted 00:30 on 31 March: 30 days.
    expect(daysBetween(NY, new Date('2025-03-02T04:30:00Z'), new Date('2025-03-31T04:30:00Z'))).toBe(30);
    expect(isReadmission(NY, new Date('2025-03-02T04:30:00Z'), new Date('2025-03-31T04:30:00Z'))).toBe(true);
    expect(isReadmission(NY, new Date('2025-03-02T04:30:00Z'), new Date('2025-04-01T04:30:00Z'))).toBe(false);
  });
  it('is no readmission when the discharge comes after the admission', () => {
    expect(isReadmission(NY, new Date('2025-03-05T00:00:00Z'), new Date('2025-03-04T00:00:00Z'))).toBe(false);
  });
});

describe('admission triggers', () => {
  it('matches age at the threshold and not below it', () => {
    const rules = [rule({ kind: 'age', atLeast: 75 })];
    expect(ids(rules, facts({ age: 75 }))).toEqual(['age']);
    expect(ids(rules, facts({ age: 74 }))).toEqual([]);
    expect(ids(rules, facts({ age: null }))).toEqual([]);
  });

  it('matches a readmission within the days and not after', () => {
    const rules = [rule({ kind: 'readmission', withinDays: 30 })];
    expect(ids(rules, facts({ daysSincePreviousDischarge: 30 }))).toEqual(['readmission']);
    expect(ids(rules, facts({ daysSincePreviousDischarge: 0 }))).toEqual(['readmission']);
    expect(ids(rules, facts({ daysSincePreviousDischarge: 31 }))).toEqual([]);
    expect(ids(rules, facts({ daysSincePreviousDischarge: null }))).toEqual([]);
  });

  it('matches chosen units ignoring case and spaces', () => {
    const rules = [rule({ kind: 'unit', units: ['ICU', '4 East'] })];
    expect(ids(rules, facts({ unit: ' 4 east ' }))).toEqual(['unit']);
    expect(ids(rules, facts({ unit: '5 West' }))).toEqual([]);
    expect(ids(rules, facts({ unit: null }))).toEqual([]);
  });

  it('matches a payer kind on any coverage, and none when no coverage is recorded', () => {
    const rules = [rule({ kind: 'payer', payers: ['medicaid', 'none'] })];
    expect(ids(rules, facts({ payerTypes: ['medicare', 'medicaid'] }))).toEqual(['payer']);
    expect(ids(rules, facts({ payerTypes: [] }))).toEqual(['payer']);
    expect(ids(rules, facts({ payerTypes: ['commercial'] }))).toEqual([]);
    expect(ids(rules, facts({ payerTypes: ['self-pay'] }))).toEqual([]);
  });

  it('skips disabled rules and keeps the listed order, saying why each matched', () => {
    const rules = [
      rule({ kind: 'unit', units: ['4 East'] }, { id: 'unit' }),
      rule({ kind: 'age', atLeast: 18 }, { id: 'adult' }),
      rule({ kind: 'age', atLeast: 0 }, { id: 'off', enabled: false }),
    ];
    const matches = matchingTriggers(rules, facts());
    expect(matches.map((m) => [m.rule.id, m.because])).toEqual([
      ['unit', 'admitted to 4 East'],
      ['adult', 'aged 18 or more'],
    ]);
  });

  it('refuses rule lists with repeated ids or bad actions', () => {
    const twice = AdmissionTriggerList.safeParse([
      rule({ kind: 'age', atLeast: 75 }),
      rule({ kind: 'age', atLeast: 80 }),
    ]);
    expect(twice.success).toBe(false);
    const badTask = AdmissionTriggerList.safeParse([
      {
        ...rule({ kind: 'age', atLeast: 75 }),
        action: { kind: 'task', title: '', dueInHours: 0, priority: 'routine' },
      },
    ]);
    expect(badTask.success).toBe(false);
    const ok = AdmissionTriggerList.safeParse([
      rule(
        { kind: 'payer', payers: ['medicaid'] },
        { action: { kind: 'case', urgency: 'routine', reasonCode: 'financial-insurance' } },
      ),
    ]);
    expect(ok.success).toBe(true);
  });
});
