import { z } from 'zod';
import { CLOSE_REASON_CODES, CONSULT_REASON_CODES, URGENCIES } from '../casework.ts';
import { CASE_ACTIONS, CASE_SOURCES, CASE_STATUSES } from '../workflows/case.ts';
import { IsoDate, IsoDateTime, PageQuery, Uuid } from './common.ts';

export const Urgency = z.enum(URGENCIES, { error: 'must be routine, urgent or emergent' });
export const ConsultReasonCode = z.enum(CONSULT_REASON_CODES, { error: 'must be a reason from the list' });
export const CloseReasonCode = z.enum(CLOSE_REASON_CODES, { error: 'must be a close reason from the list' });
export const CaseStatus = z.enum(CASE_STATUSES);
export const CaseAction = z.enum(CASE_ACTIONS, { error: 'must be an action of the case lifecycle' });
export const Acuity = z.number().int().min(1, 'must be 1 to 4').max(4, 'must be 1 to 4');

const Details = z.string().trim().max(4000, 'must be at most 4000 characters');
/** A note that must say something when it is required: blank counts as missing. */
const Note = z.string().trim().max(4000, 'must be at most 4000 characters');

/** How far back a consult phoned in earlier may be entered, for downtime and paper consults. */
export const BACKDATE_LIMIT_DAYS = 30;

/** What a consult or a worker's own case is about. */
const CaseOpeningFields = z.object({
  patientId: Uuid,
  encounterId: Uuid.optional(),
  reasonCode: ConsultReasonCode,
  reasonText: Details.optional(),
  urgency: Urgency,
});

/** POST /api/consults: a clinician asks for social work. */
export const ConsultCreateRequest = CaseOpeningFields.extend({
  /** When the consult was asked for, if it was phoned in earlier: not in the future, at most 30 days back. */
  requestedAt: IsoDateTime.optional(),
});

/** POST /api/cases: a social worker (or supervisor) opens a case they found themselves. */
export const CaseCreateRequest = CaseOpeningFields.extend({
  /** The worker keeps the case: it opens assigned to them instead of waiting in the triage queue. */
  assignToMe: z.boolean().default(false),
});

/** POST /api/cases/:caseId/transitions */
export const CaseTransitionRequest = z.object({
  action: CaseAction,
  version: z.number().int().min(1),
  assigneeId: Uuid.optional(),
  closeReason: CloseReasonCode.optional(),
  note: Note.optional(),
});

/** PATCH /api/cases/:caseId */
export const CaseUpdateRequest = z.object({
  version: z.number().int().min(1),
  urgency: Urgency.optional(),
  acuity: Acuity.nullable().optional(),
  reasonText: Details.nullable().optional(),
});

export const PersonRef = z.object({ id: Uuid, displayName: z.string() });

export const FirstContact = z.object({
  dueAt: IsoDateTime,
  metAt: IsoDateTime.nullable(),
  state: z.enum(['pending', 'overdue', 'met', 'late', 'none']),
  overdue: z.boolean(),
  late: z.boolean(),
  minutesToFirstContact: z.number().int().nullable(),
  /** The target of the case's urgency in words, e.g. "4 hours". */
  target: z.string(),
});

export const Case = z.object({
  id: Uuid,
  version: z.number().int(),
  patientId: Uuid,
  encounterId: Uuid.nullable(),
  status: CaseStatus,
  source: z.enum(CASE_SOURCES),
  urgency: Urgency,
  acuity: z.number().int().nullable(),
  reasonCode: ConsultReasonCode,
  reasonLabel: z.string(),
  reasonText: z.string().nullable(),
  requestedBy: PersonRef.nullable(),
  requestedAt: IsoDateTime,
  assignee: PersonRef.nullable(),
  assignedAt: IsoDateTime.nullable(),
  firstContact: FirstContact,
  closedAt: IsoDateTime.nullable(),
  closeReason: CloseReasonCode.nullable(),
  closeReasonLabel: z.string().nullable(),
  /** The note of the hand-off that gave the case to its current worker. */
  handOff: z
    .object({ note: z.string(), from: PersonRef.nullable(), by: PersonRef, at: IsoDateTime })
    .nullable(),
  /** The lifecycle actions the signed-in user may take now. */
  allowedActions: z.array(CaseAction),
  abilities: z.object({ update: z.boolean() }),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});

export const CaseTransitionEntry = z.object({
  id: Uuid,
  action: z.string(),
  label: z.string(),
  fromStatus: CaseStatus.nullable(),
  toStatus: CaseStatus,
  at: IsoDateTime,
  by: PersonRef,
  fromAssignee: PersonRef.nullable(),
  toAssignee: PersonRef.nullable(),
  note: z.string().nullable(),
  /** On a close: the reason given then (a reopened and closed-again case keeps each). */
  closeReason: CloseReasonCode.nullable(),
  closeReasonLabel: z.string().nullable(),
});

export const TriageQueueQuery = PageQuery.extend({ urgency: Urgency.optional() });

export const TriageQueueItem = z.object({
  id: Uuid,
  version: z.number().int(),
  status: CaseStatus,
  patient: z.object({ id: Uuid, name: z.string(), mrn: z.string() }),
  unit: z.string().nullable(),
  room: z.string().nullable(),
  reasonCode: ConsultReasonCode,
  reasonLabel: z.string(),
  reasonText: z.string().nullable(),
  urgency: Urgency,
  acuity: z.number().int().nullable(),
  requestedBy: PersonRef.nullable(),
  requestedAt: IsoDateTime,
  dueAt: IsoDateTime,
  overdue: z.boolean(),
  allowedActions: z.array(CaseAction),
});

export const Caseload = z.object({
  userId: Uuid,
  displayName: z.string(),
  role: z.string(),
  /** Assigned and active cases. */
  openCases: z.number().int(),
  assigned: z.number().int(),
  active: z.number().int(),
  acuitySum: z.number().int(),
  byUrgency: z.object({ emergent: z.number().int(), urgent: z.number().int(), routine: z.number().int() }),
  overdueFirstContact: z.number().int(),
});
export const CaseloadsResponse = z.object({ items: z.array(Caseload) });

/** An organisation's consult-to-first-contact targets. */
export const ConsultTargets = z.object({
  emergentMinutes: z.number().int().min(1, 'must be at least 1 minute').max(1440, 'must be at most 24 hours'),
  urgentMinutes: z.number().int().min(1, 'must be at least 1 minute').max(10080, 'must be at most 7 days'),
  routineBusinessDays: z.number().int().min(0, 'must be 0 to 10').max(10, 'must be 0 to 10'),
});
export const ConsultTargetsResponse = ConsultTargets.extend({
  /** True while the organisation uses the department defaults. */
  isDefault: z.boolean(),
  descriptions: z.object({ emergent: z.string(), urgent: z.string(), routine: z.string() }),
});

export const FirstContactReportQuery = z
  .object({ from: IsoDate, to: IsoDate })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'must not be before from' })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 366 * 86_400_000, {
    path: ['to'],
    message: 'the period must be at most a year',
  });

export const FirstContactReportRow = z.object({
  urgency: Urgency,
  target: z.string(),
  /** Consults requested in the period. */
  requested: z.number().int(),
  contacted: z.number().int(),
  withinTarget: z.number().int(),
  /** No contact and past due (open or closed). */
  missed: z.number().int(),
  /** No contact yet, not yet due. */
  pending: z.number().int(),
  medianMinutes: z.number().nullable(),
  /** Within target out of those whose outcome is known (contacted or missed); null when none. */
  percentWithinTarget: z.number().nullable(),
});
export const FirstContactReport = z.object({
  from: IsoDate,
  to: IsoDate,
  timeZone: z.string(),
  rows: z.array(FirstContactReportRow),
});
