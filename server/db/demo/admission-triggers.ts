import type { AdmissionTrigger } from '../../../domain/schemas/admissions.ts';

/** Riverside's admission triggers: what a new inpatient admission sets off in the demo. */
export const DEMO_ADMISSION_TRIGGERS: AdmissionTrigger[] = [
  {
    id: 'age-75',
    name: 'Aged 75 or more',
    enabled: true,
    condition: { kind: 'age', atLeast: 75 },
    action: { kind: 'task', title: 'Psychosocial screening (aged 75+)', dueInHours: 24, priority: 'routine' },
  },
  {
    id: 'readmitted-30',
    name: 'Readmitted within 30 days',
    enabled: true,
    condition: { kind: 'readmission', withinDays: 30 },
    action: { kind: 'case', urgency: 'urgent', reasonCode: 'discharge-planning' },
  },
  {
    id: 'medicaid-or-none',
    name: 'Medicaid or no payer',
    enabled: true,
    condition: { kind: 'payer', payers: ['medicaid', 'none', 'self-pay'] },
    action: { kind: 'task', title: 'Financial and benefits screening', dueInHours: 48, priority: 'routine' },
  },
];
