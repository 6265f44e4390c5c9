import { z } from 'zod';
import { URGENCIES } from '../casework.ts';
import { FLAG_KIND_CODES } from '../flags.ts';
import { CASE_STATUSES } from '../workflows/case.ts';
import { IsoDate, IsoDateTime, PageQuery, Uuid } from './common.ts';

/** Whose cases: mine (any worker), or, for supervisors and admins, the unassigned queue, one worker's, all. */
export const WORKLIST_SCOPES = ['mine', 'unassigned', 'worker', 'all'] as const;
export type WorklistScope = (typeof WORKLIST_SCOPES)[number];

/** The open case states each scope lists. */
export const SCOPE_STATUSES = {
  mine: ['assigned', 'active'],
  unassigned: ['new', 'triaged'],
  worker: ['assigned', 'active'],
  all: ['new', 'triaged', 'assigned', 'active'],
} as const satisfies Record<WorklistScope, readonly (typeof CASE_STATUSES)[number][]>;

export const WORKLIST_SORTS = ['priority', 'admitted', 'expectedDischarge', 'name', 'tasksDue'] as const;
export type WorklistSort = (typeof WORKLIST_SORTS)[number];

/** The direction each sort takes when none is asked for: most pressing first. */
export const DEFAULT_SORT_DIRECTION: Record<WorklistSort, 'asc' | 'desc'> = {
  priority: 'asc',
  admitted: 'asc',
  expectedDischarge: 'asc',
  name: 'asc',
  tasksDue: 'desc',
};

export const WorklistQuery = PageQuery.extend({
  scope: z.enum(WORKLIST_SCOPES).default('mine'),
  workerId: Uuid.optional(),
  unit: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').optional(),
  urgency: z.enum(URGENCIES).optional(),
  status: z.enum(['new', 'triaged', 'assigned', 'active']).optional(),
  flag: z.enum(FLAG_KIND_CODES).optional(),
  sort: z.enum(WORKLIST_SORTS).default('priority'),
  dir: z.enum(['asc', 'desc']).optional(),
}).superRefine((q, ctx) => {
  if (q.scope === 'worker' && !q.workerId) {
    ctx.addIssue({ code: 'custom', path: ['workerId'], message: 'is required for a worker’s caseload' });
  }
  if (q.scope !== 'worker' && q.workerId) {
    ctx.addIssue({ code: 'custom', path: ['workerId'], message: 'goes only with scope=worker' });
  }
  const statuses: readonly string[] = SCOPE_STATUSES[q.scope];
  if (q.status && !statuses.includes(q.status)) {
    ctx.addIssue({
      code: 'custom',
      path: ['status'],
      message: `must be one of ${statuses.join(', ')} in this scope`,
    });
  }
});
export type WorklistQuery = z.infer<typeof WorklistQuery>;

/** One case on the worklist, with what the worker decides the day by. */
export const WorklistItem = z.object({
  case: z.object({
    id: Uuid,
    version: z.number().int(),
    status: z.enum(CASE_STATUSES),
    urgency: z.enum(URGENCIES),
    acuity: z.number().int().nullable(),
    reasonCode: z.string(),
    requestedAt: IsoDateTime,
    firstContactDueAt: IsoDateTime,
    firstContactAt: IsoDateTime.nullable(),
    /** No first contact yet and the target time has passed. */
    firstContactOverdue: z.boolean(),
  }),
  patient: z.object({
    id: Uuid,
    mrn: z.string(),
    familyName: z.string(),
    givenName: z.string(),
    preferredName: z.string().nullable(),
    birthDate: IsoDate,
    age: z.number().int(),
  }),
  /** The patient's current (not discharged) encounter, when there is one. */
  encounter: z
    .object({
      unit: z.string().nullable(),
      room: z.string().nullable(),
      bed: z.string().nullable(),
      admittedAt: IsoDateTime,
      daysSinceAdmission: z.number().int(),
      expectedDischargeOn: IsoDate.nullable(),
    })
    .nullable(),
  assignee: z.object({ id: Uuid, displayName: z.string() }).nullable(),
  /** Open tasks about the patient due by the end of today (the organisation's day), overdue included. */
  tasksDue: z.number().int(),
  /** The patient's open needs (identified or being addressed). */
  openNeeds: z.number().int(),
  /** The patient's active referrals that have not moved for the department's stall days. */
  stalledReferrals: z.number().int(),
  /** Active flags, most severe first (domain/flags.ts); interpreter-needed comes from the patient record. */
  flags: z.array(z.enum(FLAG_KIND_CODES)),
});
export type WorklistItem = z.infer<typeof WorklistItem>;

/** The units of current encounters, for the worklist's unit filter. */
export const WorklistUnits = z.array(z.string());
