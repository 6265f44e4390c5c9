import type { Role } from '../../../domain/roles.ts';

/**
 * Who does what with the community resource directory. It holds no patient data: staff who look for
 * resources read it (clinicians included), only admins change it, import it or link partner accounts.
 * A community partner sees none of it, only the referrals of their organisations (referrals module).
 */
export const DIRECTORY_READERS = [
  'admin',
  'supervisor',
  'social_worker',
  'clinician',
] as const satisfies readonly Role[];

/** Who edits services, organisations and locations, and sees the import reports. */
export const DIRECTORY_EDITORS = ['admin'] as const satisfies readonly Role[];

/** The role a user must hold to answer an organisation's referrals in the partner inbox. */
export const PARTNER_ROLE: Role = 'community_partner';
