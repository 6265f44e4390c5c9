import { z } from 'zod';
import { TASK_PRIORITY_CODES, TASK_STATUSES } from '../tasks.ts';
import { IsoDateTime, PageQuery, Uuid } from './common.ts';

const Title = z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters');
const Detail = z.string().trim().max(4000, 'must be at most 4000 characters');
const Version = z.number().int().min(1, 'must be 1 or more');

/** `GET /api/tasks`: my open tasks by default; a patient's or a case's tasks with their id. */
export const TaskListQuery = PageQuery.extend({
  scope: z.enum(['mine', 'patient', 'case']).default('mine'),
  patientId: Uuid.optional(),
  caseId: Uuid.optional(),
  status: z.enum(['open', 'done', 'all']).default('open'),
  due: z.enum(['overdue', 'today']).optional(),
}).superRefine((q, ctx) => {
  if (q.scope === 'patient' && !q.patientId)
    ctx.addIssue({ code: 'custom', path: ['patientId'], message: 'is required with scope=patient' });
  if (q.scope === 'case' && !q.caseId)
    ctx.addIssue({ code: 'custom', path: ['caseId'], message: 'is required with scope=case' });
});

/** `POST /api/tasks`. A case link implies its patient. */
export const TaskCreateRequest = z.object({
  title: Title,
  detail: Detail.nullish(),
  assigneeId: Uuid,
  dueAt: IsoDateTime.nullish(),
  priority: z.enum(TASK_PRIORITY_CODES).default('routine'),
  patientId: Uuid.optional(),
  caseId: Uuid.optional(),
});

/** `PATCH /api/tasks/:taskId`: the fields to change, with the version they were read at. */
export const TaskUpdateRequest = z.object({
  version: Version,
  title: Title.optional(),
  detail: Detail.nullish(),
  assigneeId: Uuid.optional(),
  dueAt: IsoDateTime.nullish(),
  priority: z.enum(TASK_PRIORITY_CODES).optional(),
});

/** `POST /api/tasks/:taskId/complete` and `/cancel`. */
export const TaskVersionRequest = z.object({ version: Version });

const Person = z.object({ id: Uuid, displayName: z.string() });

export const Task = z.object({
  id: Uuid,
  title: z.string(),
  detail: z.string().nullable(),
  kind: z.string(),
  priority: z.string(),
  status: z.enum(TASK_STATUSES),
  dueAt: z.string().nullable(),
  overdue: z.boolean(),
  assignee: Person,
  createdBy: Person.nullable(),
  /** The patient's name only when the user may see the patient. */
  patient: z.object({ id: Uuid, name: z.string().nullable() }).nullable(),
  caseId: Uuid.nullable(),
  completedAt: z.string().nullable(),
  completedBy: Person.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
  abilities: z.object({ update: z.boolean() }),
});
