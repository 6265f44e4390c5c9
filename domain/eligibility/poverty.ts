/**
 * HHS federal poverty guidelines, the yardstick of most financial-assistance eligibility ("income at or below
 * 200 % of poverty"). Kept as data by year and area so that a new year is one entry; the resources module
 * will let admins edit them in the database, seeded from here.
 * Source: ../shared/docs/domain.md "Community resources" (HHS, 2025, 48 contiguous states and DC: 1 person
 * $15,650, each additional person +$5,500). Alaska and Hawaii have their own, higher guidelines; they are not
 * entered until checked against the HHS notice, and asking for them answers null (decide by hand).
 */

export const POVERTY_AREAS = ['contiguous', 'alaska', 'hawaii'] as const;
export type PovertyArea = (typeof POVERTY_AREAS)[number];

export interface PovertyGuideline {
  year: number;
  area: PovertyArea;
  /** Annual income in whole US dollars for a household of one. */
  firstPerson: number;
  /** Added for each further person in the household. */
  eachAdditional: number;
  source: string;
}

export const POVERTY_GUIDELINES: readonly PovertyGuideline[] = [
  {
    year: 2025,
    area: 'contiguous',
    firstPerson: 15_650,
    eachAdditional: 5_500,
    source: 'HHS poverty guidelines 2025 (domain.md)',
  },
];

/** The area whose guideline applies to a US state or territory code (two letters). */
export function povertyAreaOf(state: string): PovertyArea {
  const code = state.trim().toUpperCase();
  if (code === 'AK') return 'alaska';
  if (code === 'HI') return 'hawaii';
  return 'contiguous';
}

/** The guideline of a year and area; null when Kith does not hold it. */
export function povertyGuideline(
  year: number,
  area: PovertyArea,
  guidelines: readonly PovertyGuideline[] = POVERTY_GUIDELINES,
): PovertyGuideline | null {
  return guidelines.find((g) => g.year === year && g.area === area) ?? null;
}

/** The poverty line in dollars for a household size (1 or more); null when the guideline is not held. */
export function povertyLine(
  householdSize: number,
  year: number,
  area: PovertyArea = 'contiguous',
  guidelines?: readonly PovertyGuideline[],
): number | null {
  if (!Number.isInteger(householdSize) || householdSize < 1) {
    throw new RangeError('household size must be a whole number of 1 or more');
  }
  const g = povertyGuideline(year, area, guidelines);
  return g ? g.firstPerson + (householdSize - 1) * g.eachAdditional : null;
}

/** Annual household income as a percentage of the poverty line (unrounded); null when the guideline is not held. */
export function percentOfPoverty(
  annualIncome: number,
  householdSize: number,
  year: number,
  area: PovertyArea = 'contiguous',
  guidelines?: readonly PovertyGuideline[],
): number | null {
  assertIncome(annualIncome);
  const line = povertyLine(householdSize, year, area, guidelines);
  return line === null ? null : (annualIncome * 100) / line;
}

/**
 * Whether income is at or below a percentage of the poverty line ("200 % FPL"), compared exactly (in whole
 * cents against the line times the percentage), never on a rounded percentage: a household one dollar over
 * the limit is over it. Null when the guideline is not held.
 */
export function withinPercentOfPoverty(
  annualIncome: number,
  householdSize: number,
  percent: number,
  year: number,
  area: PovertyArea = 'contiguous',
  guidelines?: readonly PovertyGuideline[],
): boolean | null {
  assertIncome(annualIncome);
  const line = povertyLine(householdSize, year, area, guidelines);
  if (line === null) return null;
  return Math.round(annualIncome * 100) * 100 <= Math.round(percent * 100) * line;
}

function assertIncome(annualIncome: number): void {
  if (!Number.isFinite(annualIncome) || annualIncome < 0) {
    throw new RangeError('income must be a number of 0 or more');
  }
}
