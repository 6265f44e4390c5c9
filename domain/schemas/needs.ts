import { z } from 'zod';
import { NEED_LINK_KINDS, SDOH_DOMAINS } from '../needs.ts';
import { NEED_ACTIONS, NEED_STATUSES } from '../workflows/need.ts';
import { IsoDate, Uuid } from './common.ts';
import { NeedReferralSummary } from './referrals.ts';

const Version = z.number().int().min(1, 'must be 1 or more');
const Note = z.string().trim().max(2000, 'must be at most 2000 characters');
const Person = z.object({ id: Uuid, displayName: z.string() });

export const NeedParams = z.object({ needId: Uuid });

/** `GET /api/patients/:patientId/needs` */
export const NeedListQuery = z.object({ status: z.enum(['open', 'closed', 'all']).default('all') });

/** `POST /api/patients/:patientId/needs`: a need the worker found outside a screen (e.g. in the psychosocial). */
export const NeedCreateRequest = z.object({ domain: z.enum(SDOH_DOMAINS), note: Note.nullish() });

/** `POST /api/needs/:needId/transition` */
export const NeedTransitionRequest = z.object({
  action: z.enum(NEED_ACTIONS.filter((a) => a !== 'address') as ['resolve', 'decline', 'reopen']),
  version: Version,
  note: Note.nullish(),
});

export const Need = z.object({
  id: Uuid,
  patientId: Uuid,
  domain: z.enum(SDOH_DOMAINS),
  label: z.string(),
  /** Gravity SDOH category coding of the domain. */
  coding: z.object({ system: z.string(), code: z.string() }),
  status: z.enum(NEED_STATUSES),
  open: z.boolean(),
  identifiedAt: z.string(),
  identifiedBy: Person.nullable(),
  lastFoundAt: z.string(),
  note: z.string().nullable(),
  statusChangedAt: z.string(),
  statusChangedBy: Person.nullable(),
  /** The assessments that found it, newest first. */
  findings: z.array(
    z.object({ assessmentId: Uuid, instrument: z.string(), title: z.string(), foundAt: z.string() }),
  ),
  links: z.array(z.object({ kind: z.enum(NEED_LINK_KINDS), targetId: Uuid, linkedAt: z.string() })),
  history: z.array(
    z.object({
      action: z.string(),
      fromStatus: z.string().nullable(),
      toStatus: z.string(),
      by: Person.nullable(),
      at: z.string(),
      note: z.string().nullable(),
    }),
  ),
  /** The need's referrals at a glance, newest first (those entered in error left out). */
  referrals: z.array(NeedReferralSummary),
  version: z.number().int(),
  allowedActions: z.array(z.enum(NEED_ACTIONS)),
});
export const NeedList = z.object({ items: z.array(Need) });

const bothDates = (q: { from: string; to: string }) =>
  IsoDate.safeParse(q.from).success && IsoDate.safeParse(q.to).success;

/**
 * `GET /api/reports/screening-coverage`: SDOH-1 and SDOH-2 by month of admission and unit. Dates are calendar
 * days in the organisation's time zone, both included; at most a year. `format=csv` (or `Accept: text/csv`)
 * answers the same rows as CSV.
 */
export const CoverageQuery = z
  .object({
    from: IsoDate,
    to: IsoDate,
    unit: z.string().trim().min(1, 'must not be empty').max(100).optional(),
    format: z.enum(['json', 'csv']).optional(),
  })
  // Each rule speaks only when both dates are real dates; a malformed one has its own message.
  .refine((q) => !bothDates(q) || q.from <= q.to, { path: ['to'], message: 'must not be before from' })
  .refine((q) => !bothDates(q) || Date.parse(q.to) - Date.parse(q.from) <= 366 * 86_400_000, {
    path: ['to'],
    message: 'the period must be at most a year',
  });

const Rate = z.number().nullable();
const DomainRates = z.object(
  Object.fromEntries(
    [
      'food-insecurity',
      'housing-instability',
      'transportation-insecurity',
      'utility-insecurity',
      'intimate-partner-violence',
    ].map((d) => [d, z.object({ positive: z.number().int(), rate: Rate })]),
  ) as Record<string, z.ZodObject<{ positive: z.ZodNumber; rate: typeof Rate }>>,
);
export const CoverageRow = z.object({
  /** YYYY-MM of admission */
  month: z.string(),
  unit: z.string().nullable(),
  /** Adults (18+ at admission) admitted as inpatients. */
  admitted: z.number().int(),
  /** Of those, opted out or unable with no proxy (and not fully screened). */
  excluded: z.number().int(),
  /** SDOH-1 denominator: admitted minus excluded. */
  eligible: z.number().int(),
  /** SDOH-1 numerator: screened for all five domains during the stay. */
  screened: z.number().int(),
  /** SDOH-1: screened / eligible (a fraction, 4 decimals), null when nobody is eligible. */
  screeningRate: Rate,
  /** SDOH-2: among those screened, positive per domain; rate = positive / screened, null when none screened. */
  positive: DomainRates,
});
export const CoverageReport = z.object({
  from: z.string(),
  to: z.string(),
  /** The organisation's time zone: the days of the period and the months of admission are its own. */
  timeZone: z.string(),
  rows: z.array(CoverageRow),
  total: CoverageRow.omit({ month: true, unit: true }),
});
