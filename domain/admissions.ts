import { TZDate } from '@date-fns/tz';
import { differenceInCalendarDays, format } from 'date-fns';
import type { AdmissionCondition, AdmissionTrigger, TriggerPayer } from './schemas/admissions.ts';
import { TRIGGER_PAYERS } from './schemas/admissions.ts';

/** A discharge this many days or fewer before an inpatient admission makes it a readmission (CMS HRRP). */
export const READMISSION_WINDOW_DAYS = 30;

/** What the admission triggers look at, gathered from the record at admission. */
export interface AdmissionFacts {
  /** Age in whole years on the admission day; null when the birth date is unknown. */
  age: number | null;
  /** Calendar days from the previous inpatient discharge to this admission; null when there is none. */
  daysSincePreviousDischarge: number | null;
  unit: string | null;
  /** The payer types of the patient's coverages; empty when none is recorded. */
  payerTypes: readonly string[];
}

/** A rule that matched, with why, in words fit for the timeline (no patient data beyond the rule's own). */
export interface TriggerMatch {
  rule: AdmissionTrigger;
  because: string;
}

/** The calendar day of an instant in a time zone, YYYY-MM-DD. */
export const dayIn = (zone: string, at: Date): string => format(new TZDate(at.getTime(), zone), 'yyyy-MM-dd');

/** Age in whole years on a day (both YYYY-MM-DD); someone born on 29 February turns a year older on 1 March. */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const hadBirthday = m > bm || (m === bm && d >= bd);
  return y - by - (hadBirthday ? 0 : 1);
}

/** Calendar days between a discharge and a later admission, counted in the organisation's time zone. */
export function daysBetween(zone: string, dischargedAt: Date, admittedAt: Date): number {
  return differenceInCalendarDays(
    new Date(`${dayIn(zone, admittedAt)}T00:00:00Z`),
    new Date(`${dayIn(zone, dischargedAt)}T00:00:00Z`),
  );
}

/** True when a stay discharged then and one admitted now make a readmission. */
export function isReadmission(
  zone: string,
  dischargedAt: Date,
  admittedAt: Date,
  windowDays = READMISSION_WINDOW_DAYS,
) {
  if (dischargedAt.getTime() > admittedAt.getTime()) return false;
  return daysBetween(zone, dischargedAt, admittedAt) <= windowDays;
}

const sameUnit = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Why a condition holds for these facts, or null when it does not. */
export function conditionMet(condition: AdmissionCondition, facts: AdmissionFacts): string | null {
  switch (condition.kind) {
    case 'age':
      return facts.age !== null && facts.age >= condition.atLeast
        ? `aged ${condition.atLeast} or more`
        : null;
    case 'readmission':
      return facts.daysSincePreviousDischarge !== null &&
        facts.daysSincePreviousDischarge <= condition.withinDays
        ? `readmitted within ${condition.withinDays} days`
        : null;
    case 'unit': {
      const unit = facts.unit;
      const hit = unit ? condition.units.find((u) => sameUnit(u, unit)) : undefined;
      return hit ? `admitted to ${hit}` : null;
    }
    case 'payer': {
      const kinds: TriggerPayer[] = facts.payerTypes.length
        ? (facts.payerTypes.filter((t) => t in TRIGGER_PAYERS) as TriggerPayer[])
        : ['none'];
      const hit = condition.payers.find((p) => kinds.includes(p));
      return hit ? `payer: ${TRIGGER_PAYERS[hit]}` : null;
    }
  }
}

/** The enabled rules that match an admission, in the order the organisation listed them. */
export function matchingTriggers(rules: readonly AdmissionTrigger[], facts: AdmissionFacts): TriggerMatch[] {
  const matches: TriggerMatch[] = [];
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const because = conditionMet(rule.condition, facts);
    if (because) matches.push({ rule, because });
  }
  return matches;
}

/** The units named by any rule, for the admin page. */
export const unitsNamed = (rules: readonly AdmissionTrigger[]): string[] =>
  rules.flatMap((r) => (r.condition.kind === 'unit' ? r.condition.units : []));
