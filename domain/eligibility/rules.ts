import type { EligibilityRules } from '../resources.ts';
import { PAYER_TYPES, type PayerType } from '../schemas/patients.ts';
import {
  POVERTY_GUIDELINES,
  type PovertyGuideline,
  povertyAreaOf,
  povertyLine,
  withinPercentOfPoverty,
} from './poverty.ts';

/**
 * "Eligible for this patient": a service's machine-checkable rules (domain/resources.ts `EligibilityRules`)
 * against what the record knows. A rule that fails makes the patient not eligible; a rule the record cannot
 * check (no income recorded, no county) leaves them "possibly" eligible, never excluded.
 */

/** What the record knows; null is "not recorded". */
export interface PatientFacts {
  /** Whole years. */
  age: number | null;
  /** Kinds of coverage; null when none is recorded (an empty list is also "not recorded"). */
  payerTypes: readonly PayerType[] | null;
  householdSize: number | null;
  /** Yearly, whole dollars. */
  householdIncome: number | null;
  /** 5-digit ZIP of the home address. */
  postalCode: string | null;
  /** "Suffolk County, MA" */
  county?: string | null;
  /** Two-letter state of the home address; the poverty guideline's area. */
  state: string | null;
}

export type EligibilityVerdict = 'eligible' | 'possibly' | 'not-eligible' | 'no-rules';

export interface EligibilityResult {
  verdict: EligibilityVerdict;
  /** Failures first (not-eligible), else what could not be checked (possibly), else what passed. */
  reasons: string[];
}

const money = (n: number) => `$${n.toLocaleString('en-US')}`;
const people = (n: number) => (n === 1 ? '1 person' : `${n} people`);
const payerList = (payers: readonly PayerType[]) => payers.map((p) => PAYER_TYPES[p]).join(' or ');

/** The guideline that applies in a year: that year's, else the latest one held before it; null if none. */
export function guidelineFor(
  year: number,
  state: string | null,
  guidelines: readonly PovertyGuideline[] = POVERTY_GUIDELINES,
): PovertyGuideline | null {
  const area = povertyAreaOf(state ?? '');
  return (
    guidelines.filter((g) => g.area === area && g.year <= year).sort((a, b) => b.year - a.year)[0] ?? null
  );
}

/** Each rule's outcome: passed, failed or unknown, with the sentence a worker reads. */
type Check = { outcome: 'pass' | 'fail' | 'unknown'; reason: string };

function checkIncome(percent: number, facts: PatientFacts, year: number): Check {
  const { householdSize: size, householdIncome: income } = facts;
  if (size === null || income === null) {
    const missing =
      size === null && income === null
        ? 'Household size and income'
        : size === null
          ? 'Household size'
          : 'Household income';
    return {
      outcome: 'unknown',
      reason: `${missing} not recorded: cannot check the limit of ${percent}% of the poverty guideline`,
    };
  }
  const guideline = guidelineFor(year, facts.state);
  if (!guideline) {
    return {
      outcome: 'unknown',
      reason: `No poverty guideline held for ${facts.state ?? 'this state'}: check the ${percent}% limit by hand`,
    };
  }
  const line = povertyLine(size, guideline.year, guideline.area)!;
  const limit = Math.floor((line * percent) / 100);
  const within = withinPercentOfPoverty(income, size, percent, guideline.year, guideline.area)!;
  return within
    ? {
        outcome: 'pass',
        reason: `Household income ${money(income)} is within ${percent}% of the poverty guideline for ${people(size)} (${money(limit)})`,
      }
    : {
        outcome: 'fail',
        reason: `Household income ${money(income)} is above ${percent}% of the poverty guideline for ${people(size)} (${money(limit)})`,
      };
}

function checkAge(rules: EligibilityRules, facts: PatientFacts): Check {
  const { minAge, maxAge } = rules;
  const range =
    minAge !== undefined && maxAge !== undefined
      ? `ages ${minAge} to ${maxAge}`
      : minAge !== undefined
        ? `ages ${minAge} and over`
        : `ages up to ${maxAge}`;
  if (facts.age === null)
    return { outcome: 'unknown', reason: `Age not recorded: the service is for ${range}` };
  if (minAge !== undefined && facts.age < minAge)
    return { outcome: 'fail', reason: `Age ${facts.age} is under the minimum of ${minAge}` };
  if (maxAge !== undefined && facts.age > maxAge)
    return { outcome: 'fail', reason: `Age ${facts.age} is over the maximum of ${maxAge}` };
  return { outcome: 'pass', reason: `Age ${facts.age} is within ${range}` };
}

function checkPayers(payers: readonly PayerType[], facts: PatientFacts): Check {
  if (!facts.payerTypes?.length)
    return { outcome: 'unknown', reason: `Insurance not recorded: the service takes ${payerList(payers)}` };
  const match = facts.payerTypes.find((p) => payers.includes(p));
  return match
    ? { outcome: 'pass', reason: `Has ${PAYER_TYPES[match]} coverage, which the service takes` }
    : {
        outcome: 'fail',
        reason: `Coverage (${payerList(facts.payerTypes)}) is not one the service takes: ${payerList(payers)}`,
      };
}

function checkPostalCode(codes: readonly string[], facts: PatientFacts): Check {
  if (!facts.postalCode)
    return {
      outcome: 'unknown',
      reason: 'Home ZIP code not recorded: the service serves some ZIP codes only',
    };
  return codes.includes(facts.postalCode)
    ? { outcome: 'pass', reason: `Lives in ${facts.postalCode}, a ZIP code the service serves` }
    : { outcome: 'fail', reason: `Lives in ${facts.postalCode}, outside the ZIP codes the service serves` };
}

function checkCounty(counties: readonly string[], facts: PatientFacts): Check {
  if (!facts.county)
    return { outcome: 'unknown', reason: `County not recorded: the service serves ${counties.join(', ')}` };
  const norm = (c: string) => c.trim().toLowerCase();
  return counties.some((c) => norm(c) === norm(facts.county!))
    ? { outcome: 'pass', reason: `Lives in ${facts.county}, which the service serves` }
    : { outcome: 'fail', reason: `Lives in ${facts.county}, outside ${counties.join(', ')}` };
}

/**
 * Evaluates a service's eligibility rules against the patient's facts. `year` picks the poverty guideline
 * (the latest held up to it).
 */
export function evaluateEligibility(
  rules: EligibilityRules,
  facts: PatientFacts,
  year: number = new Date().getFullYear(),
): EligibilityResult {
  const checks: Check[] = [];
  if (rules.maxPovertyPercent !== undefined) checks.push(checkIncome(rules.maxPovertyPercent, facts, year));
  if (rules.minAge !== undefined || rules.maxAge !== undefined) checks.push(checkAge(rules, facts));
  if (rules.payers?.length) checks.push(checkPayers(rules.payers, facts));
  if (rules.postalCodes?.length) checks.push(checkPostalCode(rules.postalCodes, facts));
  if (rules.counties?.length) checks.push(checkCounty(rules.counties, facts));
  if (!checks.length) return { verdict: 'no-rules', reasons: [] };
  const of = (outcome: Check['outcome']) => checks.filter((c) => c.outcome === outcome).map((c) => c.reason);
  if (of('fail').length) return { verdict: 'not-eligible', reasons: of('fail') };
  if (of('unknown').length) return { verdict: 'possibly', reasons: [...of('unknown'), ...of('pass')] };
  return { verdict: 'eligible', reasons: of('pass') };
}

/** Age in whole years on a date (both YYYY-MM-DD). */
export function ageOn(birthDate: string, date: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = date.split('-').map(Number);
  return y! - by! - (m! < bm! || (m === bm && d! < bd!) ? 1 : 0);
}
