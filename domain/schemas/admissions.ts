import { z } from 'zod';
import { CONSULT_REASON_CODES, URGENCIES } from '../casework.ts';
import { TASK_PRIORITY_CODES } from '../tasks.ts';
import { Uuid } from './common.ts';
import { PAYER_TYPES, type PayerType } from './patients.ts';

/** A payer kind a rule can name: a payer type of the record, or `none` for a patient with no coverage. */
export const TRIGGER_PAYERS = { ...PAYER_TYPES, none: 'No coverage recorded' } as const;
export type TriggerPayer = PayerType | 'none';
export const TriggerPayer = z.enum(Object.keys(TRIGGER_PAYERS) as [TriggerPayer, ...TriggerPayer[]], {
  error: 'must be a payer type or none',
});

/** What about an admission makes it match. */
export const AdmissionCondition = z.discriminatedUnion(
  'kind',
  [
    z.object({
      kind: z.literal('age'),
      /** Age in whole years on the day of admission, in the organisation's time zone. */
      atLeast: z.number({ error: 'must be a number' }).int('must be whole years').min(0).max(120),
    }),
    z.object({
      kind: z.literal('readmission'),
      /** Days between the previous inpatient discharge and this admission. */
      withinDays: z.number({ error: 'must be a number' }).int('must be whole days').min(1).max(365),
    }),
    z.object({
      kind: z.literal('unit'),
      /** Unit names as the feed sends them (PV1-3.1), matched ignoring case and surrounding spaces. */
      units: z
        .array(z.string().trim().min(1, 'must not be empty').max(50, 'must be at most 50 characters'))
        .min(1, 'must name at least one unit')
        .max(50),
    }),
    z.object({
      kind: z.literal('payer'),
      /** Matches when any coverage of the patient is of one of these kinds (`none`: no coverage at all). */
      payers: z.array(TriggerPayer).min(1, 'must name at least one payer kind'),
    }),
  ],
  { error: 'must be age, readmission, unit or payer' },
);
export type AdmissionCondition = z.infer<typeof AdmissionCondition>;

/** What a matching admission sets off: a case waiting for triage, or a screening task. */
export const AdmissionAction = z.discriminatedUnion(
  'kind',
  [
    z.object({
      kind: z.literal('case'),
      urgency: z.enum(URGENCIES, { error: 'must be emergent, urgent or routine' }),
      reasonCode: z.enum(CONSULT_REASON_CODES, { error: 'must be one of the consult reasons' }),
    }),
    z.object({
      kind: z.literal('task'),
      title: z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
      dueInHours: z.number({ error: 'must be a number' }).int('must be whole hours').min(1).max(720),
      priority: z.enum(TASK_PRIORITY_CODES, { error: 'must be routine, high or urgent' }),
      /** Who gets the task; when absent, the patient's primary worker, else the first supervisor. */
      assigneeId: Uuid.nullable().optional(),
    }),
  ],
  { error: 'must open a case or create a task' },
);
export type AdmissionAction = z.infer<typeof AdmissionAction>;

export const AdmissionTrigger = z.object({
  /** A short stable code, recorded on the timeline and in the audit detail when the rule matches. */
  id: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be lowercase letters, digits and hyphens (at most 40)'),
  name: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  enabled: z.boolean().default(true),
  condition: AdmissionCondition,
  action: AdmissionAction,
});
export type AdmissionTrigger = z.infer<typeof AdmissionTrigger>;

export const AdmissionTriggerList = z
  .array(AdmissionTrigger)
  .max(30, 'must hold at most 30 rules')
  .refine((rules) => new Set(rules.map((r) => r.id)).size === rules.length, 'rule ids must be unique');

/** `GET /api/admin/admission-triggers` */
export const AdmissionTriggersResponse = z.object({
  rules: z.array(AdmissionTrigger),
  /** The units the organisation's open and recent visits were on, to pick from. */
  knownUnits: z.array(z.string()),
});
export type AdmissionTriggersResponse = z.infer<typeof AdmissionTriggersResponse>;

/** `PUT /api/admin/admission-triggers` */
export const AdmissionTriggersUpdateRequest = z.object({ rules: AdmissionTriggerList });
export type AdmissionTriggersUpdateRequest = z.infer<typeof AdmissionTriggersUpdateRequest>;
