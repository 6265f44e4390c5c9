/**
 * Discharge planning: what a patient will need at home, what holds a medically ready patient in hospital
 * (barriers, and the avoidable days they cost), the LACE readmission risk of the stay, and the follow-up call.
 * Pure: the services bring the rows, the organisation's time zone and "now".
 */

import { TZDate } from '@date-fns/tz';
import { addDays, differenceInCalendarDays, format } from 'date-fns';
import { scoreResponse } from './instruments/engine.ts';
import {
  CHARLSON_CONDITIONS,
  type CharlsonCondition,
  charlsonToLacePoints,
  LACE,
  laceAnswers,
} from './instruments/lace.ts';

/** What the patient is expected to need on leaving hospital (the plan's anticipated needs). */
export const DISCHARGE_NEEDS = {
  'durable-medical-equipment': 'Durable medical equipment',
  'home-oxygen': 'Home oxygen',
  transport: 'Transport home or to appointments',
  'caregiver-support': 'Caregiver support or training',
  'medication-access': 'Medication access or affordability',
  'home-care': 'Home care or personal care aide',
  'home-health': 'Skilled home health (nursing, therapy)',
  housing: 'Housing or a safe place to go',
  financial: 'Financial help or benefits',
  'meals-food': 'Meals or food',
  'follow-up-appointment': 'Follow-up appointment',
  'interpreter-services': 'Interpreter services',
  'legal-guardianship': 'Legal help or guardianship',
  'post-acute-placement': 'Post-acute placement',
} as const;
export type DischargeNeed = keyof typeof DISCHARGE_NEEDS;
export const DISCHARGE_NEED_CODES = Object.keys(DISCHARGE_NEEDS) as [DischargeNeed, ...DischargeNeed[]];

/**
 * Barriers to discharge. Each is a non-medical reason a medically ready patient stays: the days it holds the
 * patient are avoidable days. A patient who is not medically ready has no barrier here (decision 011).
 */
export const BARRIERS = {
  'awaiting-placement': 'Awaiting post-acute placement (bed offer)',
  'insurance-authorization': 'Insurance authorization pending',
  guardianship: 'Guardianship or decision-maker pending',
  equipment: 'Awaiting equipment delivery',
  transport: 'Awaiting transport',
  'caregiver-unavailable': 'Caregiver unavailable',
  housing: 'No safe housing to go to',
  'patient-family-decision': 'Patient or family decision pending',
  'home-services-start': 'Awaiting start of home services',
  'financial-benefits': 'Benefits or funding application pending',
  'legal-immigration': 'Legal or immigration issue',
  'documentation-pending': 'Paperwork or documentation pending',
  other: 'Other non-medical delay',
} as const;
export type BarrierCode = keyof typeof BARRIERS;
export const BARRIER_CODES = Object.keys(BARRIERS) as [BarrierCode, ...BarrierCode[]];

/** Kinds of post-acute care a placement is for (directory_services.post_acute_kind). */
export const POST_ACUTE_KINDS = {
  snf: 'Skilled nursing facility',
  'home-health': 'Home health agency',
  'inpatient-rehab': 'Inpatient rehabilitation facility',
  ltach: 'Long-term acute care hospital',
  hospice: 'Hospice',
  dme: 'Durable medical equipment supplier',
} as const;
export type PostAcuteKind = keyof typeof POST_ACUTE_KINDS;

/** Answers recorded on the follow-up call about the services arranged at discharge. */
export const SERVICES_STARTED = {
  yes: 'Yes, all started',
  partly: 'Some started',
  no: 'Not started',
  'not-applicable': 'None were arranged',
} as const;
export type ServicesStarted = keyof typeof SERVICES_STARTED;

// --- Avoidable days -------------------------------------------------------------------------------------

export interface BarrierSpan {
  code: string;
  startedAt: Date;
  /** null: still holding the patient (counted up to `until`). */
  endedAt: Date | null;
}

/** The local midnights (as calendar dates "YYYY-MM-DD", the day that begins) in [from, to) in `zone`. */
export function midnightsBetween(from: Date, to: Date, zone: string): string[] {
  if (to.getTime() <= from.getTime()) return [];
  const local = new TZDate(from.getTime(), zone);
  // The first midnight at or after `from`.
  let day = new TZDate(local.getFullYear(), local.getMonth(), local.getDate(), zone);
  if (day.getTime() < from.getTime()) day = addDays(day, 1);
  const out: string[] = [];
  // A stay of a few years is the most any barrier can hold; the cap only guards against nonsense dates.
  for (let n = 0; day.getTime() < to.getTime() && n < 3700; n++) {
    out.push(format(day, 'yyyy-MM-dd'));
    day = addDays(day, 1);
  }
  return out;
}

export interface AvoidableDays {
  /** Days per barrier (by barrier index, in input order). */
  perBarrier: number[];
  /** Days per barrier code, each code counted once per midnight even when two barriers of it overlap. */
  byCode: Record<string, number>;
  /** Days in total: a midnight held by any barrier counts once. */
  total: number;
}

/**
 * Avoidable days by the midnight census: a day counts when a barrier held the patient at midnight in the
 * hospital's zone (started at or before the midnight, not yet ended at it). Open barriers count up to
 * `until` (the discharge, or now); everything is clipped to the stay [admittedAt, until).
 */
export function countAvoidableDays(
  barriers: readonly BarrierSpan[],
  opts: { zone: string; until: Date; admittedAt?: Date | null },
): AvoidableDays {
  const union = new Set<string>();
  const codes = new Map<string, Set<string>>();
  const perBarrier = barriers.map((b) => {
    const from = opts.admittedAt && opts.admittedAt > b.startedAt ? opts.admittedAt : b.startedAt;
    const end = b.endedAt && b.endedAt < opts.until ? b.endedAt : opts.until;
    const nights = midnightsBetween(from, end, opts.zone);
    const ofCode = codes.get(b.code) ?? new Set<string>();
    for (const n of nights) {
      union.add(n);
      ofCode.add(n);
    }
    codes.set(b.code, ofCode);
    return nights.length;
  });
  return {
    perBarrier,
    byCode: Object.fromEntries([...codes].map(([code, set]) => [code, set.size])),
    total: union.size,
  };
}

// --- Length of stay and the follow-up window -------------------------------------------------------------

/** Length of stay in days: calendar days from the admission day to the discharge day (or today), in `zone`. */
export function lengthOfStayDays(admittedAt: Date, until: Date, zone: string): number {
  return Math.max(
    0,
    differenceInCalendarDays(new TZDate(until.getTime(), zone), new TZDate(admittedAt.getTime(), zone)),
  );
}

const HOUR = 3_600_000;

/** The follow-up call is due 48 hours after discharge and should be made by 72 hours. */
export function followUpWindow(dischargedAt: Date): { opensAt: Date; closesAt: Date } {
  return {
    opensAt: new Date(dischargedAt.getTime() + 48 * HOUR),
    closesAt: new Date(dischargedAt.getTime() + 72 * HOUR),
  };
}

// --- LACE from the stay ----------------------------------------------------------------------------------

/** PV1-4 admission types (HL7 table 0007) that are emergent: E emergency, U urgent, T trauma. */
export const EMERGENT_ADMISSION_TYPES: readonly string[] = ['E', 'U', 'T'];
/** PV1-14 admit source (HL7 table 0023) 7: emergency room. */
export const EMERGENCY_ROOM_ADMIT_SOURCE = '7';

/** What the plan holds for LACE: Charlson conditions entered, and overrides where the record is silent or wrong. */
export interface LaceInputs {
  comorbidities?: CharlsonCondition[];
  /** Overrides whether the admission was emergent. */
  emergent?: boolean | null;
  /** Overrides the count of emergency department visits in the 6 months before admission. */
  edVisits?: number | null;
}

export type LaceSource = 'record' | 'entered' | 'missing';

export interface LacePart {
  points: number;
  /** What the points were counted from: days, yes/no, Charlson total, visits. */
  value: number | boolean | null;
  source: LaceSource;
}

export interface LaceResult {
  l: LacePart;
  a: LacePart;
  c: LacePart & { conditions: CharlsonCondition[] };
  e: LacePart;
  total: number;
  band: 'low' | 'moderate' | 'high';
  /** True when the stay is still open: L grows each day. */
  provisional: boolean;
}

export interface LaceStay {
  admittedAt: Date;
  dischargedAt: Date | null;
  now: Date;
  zone: string;
  admissionType: string | null;
  admitSource: string | null;
  /** Emergency encounters in the record in the 6 months before admission (the service counts them). */
  edVisitsInRecord: number;
}

/** Whether the record says the admission was emergent, or null when it does not say. */
export function emergentFromRecord(admissionType: string | null, admitSource: string | null): boolean | null {
  if (admitSource && admitSource.trim() === EMERGENCY_ROOM_ADMIT_SOURCE) return true;
  if (!admissionType?.trim()) return admitSource?.trim() ? false : null;
  return EMERGENT_ADMISSION_TYPES.includes(admissionType.trim().toUpperCase());
}

/**
 * The LACE index of a stay, each part from the record where it knows and from the plan where entered (an
 * entry wins over the record), scored by the LACE instrument itself (domain/instruments/lace.ts).
 */
export function laceForStay(stay: LaceStay, inputs: LaceInputs): LaceResult {
  const until = stay.dischargedAt ?? stay.now;
  const days = lengthOfStayDays(stay.admittedAt, until, stay.zone);
  const recordEmergent = emergentFromRecord(stay.admissionType, stay.admitSource);
  const emergentEntered = inputs.emergent !== undefined && inputs.emergent !== null;
  const emergent = emergentEntered ? Boolean(inputs.emergent) : (recordEmergent ?? false);
  const conditions = [...new Set(inputs.comorbidities ?? [])].filter((c) => c in CHARLSON_CONDITIONS);
  const edEntered = inputs.edVisits !== undefined && inputs.edVisits !== null;
  const edVisits = edEntered ? Number(inputs.edVisits) : stay.edVisitsInRecord;
  const answers = laceAnswers({
    lengthOfStayDays: days,
    emergent,
    comorbidities: conditions,
    edVisitsPrevious6Months: edVisits,
  });
  const scored = scoreResponse(LACE, answers);
  const points = (linkId: string) => {
    const code = answers[linkId] as string;
    return LACE.items.find((i) => i.linkId === linkId)?.options?.find((o) => o.code === code)?.points ?? 0;
  };
  const charlson = conditions.reduce((sum, c) => sum + CHARLSON_CONDITIONS[c][1], 0);
  return {
    l: { points: points('lace-l'), value: days, source: 'record' },
    a: {
      points: points('lace-a'),
      value: emergent,
      source: emergentEntered ? 'entered' : recordEmergent === null ? 'missing' : 'record',
    },
    c: {
      points: charlsonToLacePoints(charlson),
      value: charlson,
      source: inputs.comorbidities ? 'entered' : 'missing',
      conditions,
    },
    e: {
      points: Math.min(4, Math.max(0, Math.floor(edVisits))),
      value: edVisits,
      source: edEntered ? 'entered' : 'record',
    },
    total: scored.score ?? 0,
    band: scored.band as LaceResult['band'],
    provisional: !stay.dischargedAt,
  };
}

/** The day a time falls on in `zone` (YYYY-MM-DD). */
export const dayIn = (at: Date, zone: string) => format(new TZDate(at.getTime(), zone), 'yyyy-MM-dd');
