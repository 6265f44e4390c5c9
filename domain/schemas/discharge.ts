import { z } from 'zod';
import { BARRIER_CODES, DISCHARGE_NEED_CODES, SERVICES_STARTED, type ServicesStarted } from '../discharge.ts';
import { CHARLSON_CONDITIONS, type CharlsonCondition } from '../instruments/lace.ts';
import { SDOH_DOMAINS } from '../needs.ts';
import { IsoDate, IsoDateTime, Uuid } from './common.ts';
import { Disposition } from './encounters.ts';

const Version = z.number().int().min(1, 'must be 1 or more');
const Note = z.string().trim().max(4000, 'must be at most 4000 characters');
const Person = z.object({ id: Uuid, displayName: z.string() });

export const PlanParams = z.object({ planId: Uuid });
export const BarrierParams = z.object({ barrierId: Uuid });
export const PatientParams = z.object({ patientId: Uuid });

const CharlsonCode = z.enum(Object.keys(CHARLSON_CONDITIONS) as [CharlsonCondition, ...CharlsonCondition[]], {
  error: 'must be Charlson conditions of the LACE index',
});

/** What LACE needs that the record may not hold: Charlson conditions and overrides (null: from the record). */
export const LaceInputs = z.object({
  comorbidities: z.array(CharlsonCode).max(20).optional(),
  emergent: z.boolean().nullable().optional(),
  edVisits: z.number().int().min(0, 'must be 0 or more').max(99).nullable().optional(),
});
export type LaceInputs = z.infer<typeof LaceInputs>;

/** `PATCH /api/discharge-plans/:planId`: the fields to change, at the version read. */
export const PlanUpdateRequest = z.object({
  version: Version,
  targetDisposition: Disposition.nullable().optional(),
  anticipatedNeeds: z.array(z.enum(DISCHARGE_NEED_CODES)).max(DISCHARGE_NEED_CODES.length).optional(),
  note: Note.nullable().optional(),
  laceInputs: LaceInputs.optional(),
  /** Kept on the encounter (changed through the encounters service). */
  expectedDischargeOn: IsoDate.nullable().optional(),
});
export type PlanUpdateRequest = z.infer<typeof PlanUpdateRequest>;

/** `POST /api/discharge-plans/:planId/barriers` */
export const BarrierCreateRequest = z
  .object({
    code: z.enum(BARRIER_CODES, { error: 'must be one of the barrier codes' }),
    note: Note.nullish(),
    startedAt: IsoDateTime,
    endedAt: IsoDateTime.nullish(),
  })
  .refine((b) => !b.endedAt || Date.parse(b.endedAt) >= Date.parse(b.startedAt), {
    path: ['endedAt'],
    message: 'must not be before the start',
  });

/** `PATCH /api/discharge-barriers/:barrierId`: `endedAt` ends it (null opens it again). */
export const BarrierUpdateRequest = z.object({
  version: Version,
  code: z.enum(BARRIER_CODES, { error: 'must be one of the barrier codes' }).optional(),
  note: Note.nullable().optional(),
  startedAt: IsoDateTime.optional(),
  endedAt: IsoDateTime.nullable().optional(),
});

/** `DELETE /api/discharge-barriers/:barrierId?version=`: a barrier entered by mistake. */
export const BarrierDeleteQuery = z.object({ version: z.coerce.number().int().min(1) });

/** `POST /api/discharge-plans/:planId/follow-up-calls` */
export const FollowUpCallRequest = z.object({
  reached: z.boolean(),
  calledAt: IsoDateTime,
  servicesStarted: z.enum(Object.keys(SERVICES_STARTED) as [ServicesStarted, ...ServicesStarted[]]).nullish(),
  /** SDOH domains of needs found on the call: each opens a need (unless one of the domain is open). */
  newNeeds: z.array(z.enum(SDOH_DOMAINS)).max(SDOH_DOMAINS.length).default([]),
  note: Note.nullish(),
});

/** `POST /api/discharge-plans/:planId/tasks`: a task of the plan, linked to the patient. */
export const PlanTaskRequest = z.object({
  title: z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
  assigneeId: Uuid,
  dueAt: IsoDateTime.nullish(),
});

const LaceSource = z.enum(['record', 'entered', 'missing']);
const LacePart = z.object({
  points: z.number().int(),
  value: z.union([z.number(), z.boolean()]).nullable(),
  source: LaceSource,
});
export const Lace = z.object({
  l: LacePart,
  a: LacePart,
  c: LacePart.extend({ conditions: z.array(z.string()) }),
  e: LacePart,
  total: z.number().int(),
  band: z.enum(['low', 'moderate', 'high']),
  provisional: z.boolean(),
});

export const Barrier = z.object({
  id: Uuid,
  code: z.string(),
  label: z.string(),
  note: z.string().nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  avoidableDays: z.number().int(),
  recordedBy: Person.nullable(),
  version: z.number().int(),
});

export const FollowUpCall = z.object({
  id: Uuid,
  calledAt: z.string(),
  reached: z.boolean(),
  servicesStarted: z.string().nullable(),
  newNeeds: z.array(z.string()),
  note: z.string().nullable(),
  calledBy: Person,
});

const PlanTask = z.object({
  id: Uuid,
  title: z.string(),
  kind: z.string(),
  status: z.string(),
  dueAt: z.string().nullable(),
  assignee: Person,
});

export const DischargePlan = z.object({
  id: Uuid,
  patientId: Uuid,
  status: z.enum(['open', 'closed', 'cancelled']),
  targetDisposition: z.string().nullable(),
  anticipatedNeeds: z.array(z.string()),
  laceInputs: LaceInputs,
  note: z.string().nullable(),
  actualDisposition: z.string().nullable(),
  closedAt: z.string().nullable(),
  encounter: z.object({
    id: Uuid,
    unit: z.string().nullable(),
    room: z.string().nullable(),
    bed: z.string().nullable(),
    admittedAt: z.string(),
    dischargedAt: z.string().nullable(),
    expectedDischargeOn: z.string().nullable(),
    admissionType: z.string().nullable(),
    admitSource: z.string().nullable(),
    daysIn: z.number().int(),
    version: z.number().int(),
  }),
  lace: Lace,
  barriers: z.array(Barrier),
  avoidableDays: z.object({ total: z.number().int(), byCode: z.record(z.string(), z.number().int()) }),
  followUpTask: PlanTask.nullable(),
  followUpCalls: z.array(FollowUpCall),
  tasks: z.array(PlanTask),
  choiceLists: z.array(
    z.object({ id: Uuid, kind: z.string(), createdAt: z.string(), confirmed: z.boolean() }),
  ),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  abilities: z.object({ update: z.boolean() }),
});
export type DischargePlan = z.infer<typeof DischargePlan>;

export const DischargePlanList = z.object({ items: z.array(DischargePlan) });

/** `GET /api/discharge/unit-list?unit=` */
export const UnitListQuery = z.object({ unit: z.string().trim().min(1).max(100).optional() });

export const PLACEMENT_STATUSES = ['none', 'list-given', 'referred', 'accepted', 'confirmed'] as const;

export const UnitListItem = z.object({
  patient: z.object({ id: Uuid, name: z.string(), mrn: z.string() }),
  encounterId: Uuid,
  planId: Uuid.nullable(),
  unit: z.string().nullable(),
  room: z.string().nullable(),
  bed: z.string().nullable(),
  admittedAt: z.string(),
  daysIn: z.number().int(),
  expectedDischargeOn: z.string().nullable(),
  /** The expected date has passed (in the organisation's zone). */
  pastExpected: z.boolean(),
  targetDisposition: z.string().nullable(),
  barriers: z.array(z.object({ code: z.string(), label: z.string(), since: z.string() })),
  avoidableDays: z.number().int(),
  placementStatus: z.enum(PLACEMENT_STATUSES),
  lace: z.object({ total: z.number().int(), band: z.enum(['low', 'moderate', 'high']) }).nullable(),
});
export const UnitList = z.object({ units: z.array(z.string()), items: z.array(UnitListItem) });
export type UnitList = z.infer<typeof UnitList>;

/** `GET /api/reports/discharge?from=&to=&unit=`: stays discharged on a day of [from, to] (organisation zone). */
export const DischargeFiguresQuery = z
  .object({
    from: IsoDate,
    to: IsoDate,
    unit: z.string().trim().min(1, 'must not be empty').max(100).optional(),
  })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'must not be before from' })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 366 * 86_400_000, {
    path: ['to'],
    message: 'the period must be at most a year',
  });

const Stat = z.number().nullable();
export const DischargeFigures = z.object({
  from: z.string(),
  to: z.string(),
  unit: z.string().nullable(),
  discharges: z.number().int(),
  lengthOfStay: z.object({
    mean: Stat,
    median: Stat,
    expectedMean: Stat,
    expectedMedian: Stat,
    /** Stays that had an expected date, and the share of them discharged on or before it. */
    withExpected: z.number().int(),
    dischargedByExpected: z.number().int(),
    shareByExpected: Stat,
  }),
  avoidableDays: z.object({
    total: z.number().int(),
    byBarrier: z.array(z.object({ code: z.string(), label: z.string(), days: z.number().int() })),
  }),
  placement: z.object({
    referrals: z.number().int(),
    accepted: z.number().int(),
    /** Hours from the placement referral to the provider's first acceptance. */
    medianHoursToAcceptance: Stat,
  }),
  readmissions: z.object({ count: z.number().int(), rate: Stat }),
});
export type DischargeFigures = z.infer<typeof DischargeFigures>;
