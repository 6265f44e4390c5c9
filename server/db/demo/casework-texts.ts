import type { ConsultReason } from '../../../domain/casework.ts';

/*
 * What the demo department's staff write: consult details, task titles and message texts. Fixed and ordered
 * lists, as in vocab.ts: the seeded random choices index into them.
 */

/** The detail a clinician types after the coded reason, by reason. */
export const REASON_TEXTS: Record<ConsultReason, readonly string[]> = {
  'discharge-planning': [
    'Lives alone, new mobility limits after fall; needs a safe discharge plan.',
    'Family asks about home services before discharge.',
    'Expected discharge in 48 hours; needs home oxygen and follow-up arranged.',
  ],
  'post-acute-placement': [
    'PT recommends short-term rehab; please start SNF referrals.',
    'Needs long-term care placement; family cannot provide 24-hour care.',
  ],
  'psychosocial-assessment': [
    'New diagnosis of metastatic cancer; please assess supports.',
    'Frequent admissions; please assess barriers to care at home.',
  ],
  'adjustment-to-illness': [
    'Tearful since new amputation, struggling to cope.',
    'New dialysis start, overwhelmed by the schedule.',
  ],
  'suicide-risk': [
    'Endorsed passive SI on admission screening; psychiatry also consulted.',
    'Admitted after intentional overdose; medically cleared soon.',
  ],
  'abuse-neglect': [
    'Unexplained bruising, daughter is caregiver; concern for elder neglect.',
    'Found at home in poor hygiene, possible self-neglect.',
  ],
  'intimate-partner-violence': [
    'Disclosed partner violence to nursing; partner visits daily.',
    'Injuries inconsistent with the account given; please screen privately.',
  ],
  'substance-use': [
    'Alcohol withdrawal on CIWA protocol; open to treatment referral.',
    'Opioid use disorder, interested in starting buprenorphine.',
  ],
  'housing-homelessness': [
    'Currently staying in a shelter; needs respite bed at discharge.',
    'Facing eviction next month; lives with two children.',
  ],
  'financial-insurance': [
    'Uninsured, needs help applying for MassHealth.',
    'Cannot afford discharge medications; copays too high.',
  ],
  'caregiver-support': [
    'Wife is sole caregiver and reports exhaustion.',
    'Son provides care and works full time; asks about adult day health.',
  ],
  'advance-care-planning': [
    'No health care proxy on file; goals-of-care conversation planned.',
    'Family disagrees about code status; please help with a family meeting.',
  ],
  'capacity-guardianship': [
    'Lacks capacity per psychiatry; no health care agent named.',
    'Advanced dementia, no family involved; may need guardianship petition.',
  ],
  'grief-bereavement': [
    'Spouse died in the ICU last night; family needs support.',
    'Patient grieving recent loss of adult child.',
  ],
  'resource-needs': [
    'Food insecurity reported on screening.',
    'No transportation to dialysis three times a week.',
  ],
  other: ['Please see; will discuss with social work at rounds.'],
};

/** Tasks a worker sets for a case, by reason; general ones apply to any case. */
export const TASK_TITLES: Partial<Record<ConsultReason, readonly string[]>> & { general: readonly string[] } =
  {
    general: [
      'Complete psychosocial assessment',
      'Call family with update',
      'Attend interdisciplinary rounds',
      'Document plan in chart',
      'Arrange interpreter for family meeting',
      'Follow up with care manager',
    ],
    'discharge-planning': [
      'Confirm VNA start of care',
      'Arrange home equipment delivery',
      'Set up PCP follow-up',
    ],
    'post-acute-placement': [
      'Send referral packets to three SNFs',
      'Obtain insurance authorization for rehab',
      'Confirm bed offer with facility',
    ],
    'housing-homelessness': ['Call shelter about respite bed', 'Submit housing application'],
    'financial-insurance': ['Help file MassHealth application', 'Apply for free care pool'],
    'advance-care-planning': ['Schedule family meeting', 'Give health care proxy form to patient'],
    'capacity-guardianship': ['Contact probate court liaison', 'Gather documents for guardianship petition'],
    'substance-use': ['Refer to bridge clinic', 'Give treatment resources list'],
    'abuse-neglect': ['File report with Adult Protective Services'],
    'intimate-partner-violence': ['Safety plan with patient privately', 'Connect with DV advocate'],
    'suicide-risk': ['Safety plan before discharge', 'Confirm outpatient psychiatry appointment'],
    'resource-needs': ['Enroll in SNAP', 'Arrange The RIDE paratransit'],
  };

export const MESSAGE_SUBJECTS = [
  'Discharge plan',
  'Family meeting',
  'Placement update',
  'Insurance',
  'Safety concern',
  'Rounds follow-up',
] as const;

export const MESSAGE_OPENINGS = [
  'PT now recommends rehab. Can we start referrals today?',
  'Daughter called the unit asking for an update; can you call her back?',
  'Patient asked to speak with social work again this afternoon.',
  'Family meeting is set for tomorrow at 2 pm in the unit conference room.',
  'Insurance denied the rehab authorization; peer-to-peer requested.',
  'Patient is medically ready for discharge tomorrow if the plan is in place.',
] as const;

export const MESSAGE_REPLIES = [
  'Thanks, I will see them after rounds.',
  'Spoke with the family; they agree with the plan.',
  'Referrals sent to three facilities, waiting to hear back.',
  'Interpreter booked for the meeting.',
  'Noted. I will update the plan in the chart.',
  'Bed offer received, pending insurance authorization.',
] as const;
