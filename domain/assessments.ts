import type { FlagKind } from './flags.ts';
import type { AlarmCode } from './instruments/types.ts';
import type { Role } from './roles.ts';

/**
 * Assessments: a screening instrument given to a patient (scored by domain/instruments), or the psychosocial
 * assessment (the worker's structured narrative). Both keep the same lifecycle: a draft saved as the worker
 * goes; `completed`, which locks it; corrected only by an amendment, a new completed assessment that points
 * at the one it corrects (`amendsId`) while the original is kept, marked superseded. A screen the patient
 * would not or could not do is recorded as `declined` with its reason, which the SDOH-1 measure excludes.
 */
export const ASSESSMENT_STATUSES = ['draft', 'completed', 'declined', 'discarded'] as const;
export type AssessmentStatus = (typeof ASSESSMENT_STATUSES)[number];

/** The id under which the psychosocial assessment is stored next to instrument ids. */
export const PSYCHOSOCIAL = 'psychosocial' as const;
export const PSYCHOSOCIAL_VERSION = '1.0.0';

/** Who filled it in: the worker on screen, or the patient on a handed-over tablet page. */
export const ASSESSMENT_MODES = ['staff', 'patient'] as const;
export type AssessmentMode = (typeof ASSESSMENT_MODES)[number];

/** Languages a patient can be given an instrument in (the instrument must have the wording). */
export const ASSESSMENT_LANGUAGES = ['en', 'es'] as const;
export type AssessmentLanguage = (typeof ASSESSMENT_LANGUAGES)[number];

/** Why a screen was not done: the two exclusions of SDOH-1 (domain.md "Measures"). */
export const DECLINE_REASONS = {
  'opted-out': 'The patient declined the screen',
  'unable-no-proxy': 'The patient could not complete it and no proxy was available',
} as const;
export type DeclineReason = keyof typeof DECLINE_REASONS;
export const DECLINE_REASON_CODES = Object.keys(DECLINE_REASONS) as [DeclineReason, ...DeclineReason[]];

/** Roles that give, complete and amend assessments. Clinicians read results; they do not give screens here. */
export const ASSESSMENT_WRITER_ROLES = [
  'admin',
  'supervisor',
  'social_worker',
] as const satisfies readonly Role[];
export const ASSESSMENT_READER_ROLES = [
  'admin',
  'supervisor',
  'social_worker',
  'clinician',
  'read_only',
] as const satisfies readonly Role[];

/** How long a tablet hand-over link lives; it is also spent by the patient's submission. */
export const HANDOFF_MINUTES = 60;

/**
 * The psychosocial assessment, section by section. `sensitive` sections (substance use) are shown only to
 * social work roles and each reading of them is audited on its own; other readers see that the section
 * exists and is restricted.
 */
export const PSYCHOSOCIAL_SECTIONS = [
  { key: 'livingSituation', label: 'Living situation', sensitive: false },
  { key: 'supportSystem', label: 'Support system and caregiving', sensitive: false },
  { key: 'employmentFinances', label: 'Employment and finances', sensitive: false },
  { key: 'insurance', label: 'Insurance', sensitive: false },
  { key: 'legal', label: 'Legal issues', sensitive: false },
  { key: 'substanceUse', label: 'Substance use', sensitive: true },
  { key: 'traumaSafety', label: 'Trauma and safety', sensitive: false },
  { key: 'mentalHealthHistory', label: 'Mental health history', sensitive: false },
  { key: 'spiritualCultural', label: 'Spiritual and cultural factors', sensitive: false },
  { key: 'strengths', label: 'Strengths', sensitive: false },
  { key: 'patientGoals', label: "The patient's own goals", sensitive: false },
  { key: 'summary', label: 'Summary and impression', sensitive: false },
] as const;
export type PsychosocialSectionKey = (typeof PSYCHOSOCIAL_SECTIONS)[number]['key'];

/** Roles that may read a sensitive section (substance use) of a psychosocial assessment. */
export const SENSITIVE_SECTION_ROLES = [
  'admin',
  'supervisor',
  'social_worker',
] as const satisfies readonly Role[];

/** Sections that must be written before a psychosocial assessment can be completed. */
export const PSYCHOSOCIAL_REQUIRED: readonly PsychosocialSectionKey[] = ['summary'];

/** What each screening alarm does: the flag it raises on the patient, and how titles name it. */
export const ALARM_EFFECTS: Record<AlarmCode, { flag: FlagKind; label: string }> = {
  'suicide-risk': { flag: 'crisis-risk', label: 'suicide risk' },
  'safety-review': { flag: 'safety-concern', label: 'interpersonal safety' },
};

/** The urgent task an alarm gives the assigned worker. */
export const alarmTaskTitle = (code: AlarmCode) => `Screening alarm: review ${ALARM_EFFECTS[code].label} now`;

/** The supervisors' notification; it may travel by email, so it never names the patient. */
export const alarmNotificationTitle = (code: AlarmCode, instrumentShortTitle: string) =>
  `Screening alarm: ${ALARM_EFFECTS[code].label} (${instrumentShortTitle})`;
