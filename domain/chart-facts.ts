import { FLAG_KIND_CODES, FLAG_KINDS, type FlagKind } from './flags.ts';

/* What the chart header and the worklist derive from the records: ages, days in hospital, the order of flags. */

const DAY_MS = 86_400_000;

/** Age in whole years on the given day, from a YYYY-MM-DD birth date. */
export function ageInYears(birthDate: string, now: Date = new Date()): number {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const today = { y: now.getUTCFullYear(), m: now.getUTCMonth() + 1, d: now.getUTCDate() };
  const hadBirthday = today.m > m || (today.m === m && today.d >= d);
  return today.y - y - (hadBirthday ? 0 : 1);
}

/** A calendar day (YYYY-MM-DD, e.g. the organisation's today) as the Date `ageInYears` reads it. */
export const localDay = (day: string): Date => new Date(`${day}T12:00:00Z`);

/** Whole days since admission (24-hour periods): 0 on the day a patient arrives. */
export function daysSinceAdmission(admittedAt: Date | string, now: Date = new Date()): number {
  return Math.max(0, Math.floor((now.getTime() - new Date(admittedAt).getTime()) / DAY_MS));
}

const SEVERITY_RANK = { high: 0, moderate: 1, info: 2 } as const;
const FLAG_POSITION = new Map(FLAG_KIND_CODES.map((kind, i) => [kind, i]));

/** Flag kinds without repeats, most severe first, then in the order domain/flags.ts lists them. */
export function flagsBySeverity(kinds: Iterable<string>): FlagKind[] {
  const known = [...new Set(kinds)].filter((k): k is FlagKind => k in FLAG_KINDS);
  return known.sort(
    (a, b) =>
      SEVERITY_RANK[FLAG_KINDS[a].severity] - SEVERITY_RANK[FLAG_KINDS[b].severity] ||
      FLAG_POSITION.get(a)! - FLAG_POSITION.get(b)!,
  );
}
