import type { Role } from '../../../domain/roles.ts';

/**
 * Who does what with referrals. The lifecycle (which step from which status, by the department or the
 * organisation) is domain/workflows/referral.ts; patient access (care team, emergency grant) is always checked
 * first by `requirePatient`.
 */

/** Who sees a patient's referrals and consents: whoever reads the patient's needs. */
export const REFERRAL_READERS = [
  'admin',
  'supervisor',
  'social_worker',
  'clinician',
  'read_only',
] as const satisfies readonly Role[];

/** Who records consent, refers, and moves referrals for the department: social work. */
export const REFERRAL_WORKERS = ['admin', 'supervisor', 'social_worker'] as const satisfies readonly Role[];

/** Community organisations with a Kith account answer their referrals from their inbox. */
export const PARTNER_ROLES = ['community_partner'] as const satisfies readonly Role[];

/** Who sets the department's follow-up rules. */
export const REFERRAL_SETTINGS_ROLES = ['admin'] as const satisfies readonly Role[];
