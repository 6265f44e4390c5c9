import { TZDate } from '@date-fns/tz';
import { addDays, isWeekend, startOfDay } from 'date-fns';

/** How soon a consult needs a social worker. */
export const URGENCIES = ['emergent', 'urgent', 'routine'] as const;
export type Urgency = (typeof URGENCIES)[number];
export const URGENCY_LABELS: Record<Urgency, string> = {
  emergent: 'Emergent',
  urgent: 'Urgent',
  routine: 'Routine',
};

/** Why a clinician asks for social work: the coded list a consult picks from (free text adds detail). */
export const CONSULT_REASONS = {
  'discharge-planning': 'Discharge planning',
  'post-acute-placement': 'Post-acute placement',
  'psychosocial-assessment': 'Psychosocial assessment',
  'adjustment-to-illness': 'Adjustment to illness, coping',
  'suicide-risk': 'Suicidal ideation or self-harm',
  'abuse-neglect': 'Suspected abuse, neglect or exploitation',
  'intimate-partner-violence': 'Intimate partner violence',
  'substance-use': 'Substance use',
  'housing-homelessness': 'Housing instability or homelessness',
  'financial-insurance': 'Financial or insurance concerns',
  'caregiver-support': 'Caregiver support or strain',
  'advance-care-planning': 'Advance care planning, health care proxy',
  'capacity-guardianship': 'Capacity concerns, guardianship',
  'grief-bereavement': 'Grief and bereavement',
  'resource-needs': 'Community resources (food, transport, utilities)',
  other: 'Other',
} as const;
export type ConsultReason = keyof typeof CONSULT_REASONS;
export const CONSULT_REASON_CODES = Object.keys(CONSULT_REASONS) as [ConsultReason, ...ConsultReason[]];

/** Why a case closed. */
export const CLOSE_REASONS = {
  'goals-met': 'Goals met',
  discharged: 'Patient discharged, plan complete',
  transferred: 'Transferred to another service or facility',
  'declined-services': 'Patient declined services',
  'no-needs-identified': 'No social work needs identified',
  'patient-deceased': 'Patient died',
  duplicate: 'Duplicate consult',
  'entered-in-error': 'Entered in error',
  other: 'Other',
} as const;
export type CloseReason = keyof typeof CLOSE_REASONS;
export const CLOSE_REASON_CODES = Object.keys(CLOSE_REASONS) as [CloseReason, ...CloseReason[]];

/** Consult-to-first-contact targets of an organisation. */
export interface ConsultTargets {
  emergentMinutes: number;
  urgentMinutes: number;
  routineBusinessDays: number;
}

/** The department standard the issue names: emergent 1 hour, urgent 4 hours, routine 1 business day. */
export const DEFAULT_CONSULT_TARGETS: ConsultTargets = {
  emergentMinutes: 60,
  urgentMinutes: 240,
  routineBusinessDays: 1,
};

/**
 * Adds business days (Monday to Friday) in the organisation's time zone, keeping the time of day. A
 * request made on a weekend counts from the start of the next business day, so a Saturday consult with a
 * one-business-day target is due at the end of Monday.
 */
export function addBusinessDays(from: Date, days: number, timeZone: string): Date {
  let local = new TZDate(from.getTime(), timeZone);
  if (isWeekend(local)) {
    while (isWeekend(local)) local = addDays(local, 1);
    local = startOfDay(local);
  }
  let added = 0;
  while (added < days) {
    local = addDays(local, 1);
    if (!isWeekend(local)) added += 1;
  }
  return new Date(local.getTime());
}

/** When first contact is due for a consult requested at `requestedAt`. */
export function firstContactDue(
  requestedAt: Date,
  urgency: Urgency,
  targets: ConsultTargets,
  timeZone: string,
): Date {
  switch (urgency) {
    case 'emergent':
      return new Date(requestedAt.getTime() + targets.emergentMinutes * 60_000);
    case 'urgent':
      return new Date(requestedAt.getTime() + targets.urgentMinutes * 60_000);
    case 'routine':
      // Zero business days means "the same business day": due when that day ends.
      return targets.routineBusinessDays === 0
        ? endOfBusinessDay(requestedAt, timeZone)
        : addBusinessDays(requestedAt, targets.routineBusinessDays, timeZone);
  }
}

/** Midnight at the end of the business day of `from` (the next Monday's when `from` is on a weekend). */
export function endOfBusinessDay(from: Date, timeZone: string): Date {
  const day = startOfDay(new TZDate(addBusinessDays(from, 0, timeZone).getTime(), timeZone));
  return new Date(addDays(day, 1).getTime());
}

/** Acuity: the weight of a case in a caseload, 1 (low) to 4 (very high). */
export const ACUITY_LABELS: Record<number, string> = { 1: 'Low', 2: 'Moderate', 3: 'High', 4: 'Very high' };

/** Where a case stands against its first-contact target. */
export type FirstContactState = 'pending' | 'overdue' | 'met' | 'late' | 'none';

export interface FirstContactTiming {
  dueAt: Date;
  metAt: Date | null;
  /** pending (not yet due), overdue (no contact, past due), met (on time), late (met after due), none (closed without contact). */
  state: FirstContactState;
  overdue: boolean;
  late: boolean;
  /** From the request to first contact, in whole minutes; null until contact. */
  minutesToFirstContact: number | null;
}

/** How a case stands against its first-contact target at `now`. */
export function firstContactTiming(
  c: { requestedAt: Date; firstContactDueAt: Date; firstContactAt: Date | null; closedAt: Date | null },
  now: Date,
): FirstContactTiming {
  const dueAt = c.firstContactDueAt;
  const metAt = c.firstContactAt;
  if (metAt) {
    const late = metAt.getTime() > dueAt.getTime();
    return {
      dueAt,
      metAt,
      state: late ? 'late' : 'met',
      overdue: false,
      late,
      minutesToFirstContact: Math.max(0, Math.round((metAt.getTime() - c.requestedAt.getTime()) / 60_000)),
    };
  }
  if (c.closedAt) {
    return { dueAt, metAt: null, state: 'none', overdue: false, late: false, minutesToFirstContact: null };
  }
  const overdue = now.getTime() > dueAt.getTime();
  return {
    dueAt,
    metAt: null,
    state: overdue ? 'overdue' : 'pending',
    overdue,
    late: false,
    minutesToFirstContact: null,
  };
}

/** The target of an urgency in words: "1 hour", "4 hours", "1 business day". */
export function describeTarget(urgency: Urgency, targets: ConsultTargets): string {
  const minutes = (m: number) =>
    m % 60 === 0 ? `${m / 60} hour${m === 60 ? '' : 's'}` : `${m} minute${m === 1 ? '' : 's'}`;
  switch (urgency) {
    case 'emergent':
      return minutes(targets.emergentMinutes);
    case 'urgent':
      return minutes(targets.urgentMinutes);
    case 'routine':
      return targets.routineBusinessDays === 0
        ? 'the same business day'
        : `${targets.routineBusinessDays} business day${targets.routineBusinessDays === 1 ? '' : 's'}`;
  }
}
