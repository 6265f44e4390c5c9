import type { Role } from '../../../domain/roles.ts';

/**
 * Who reads discharge plans (patient access is checked first by `requirePatient`), and who plans discharges:
 * social work, not clinicians or read-only users.
 */
export const DISCHARGE_READERS = [
  'admin',
  'supervisor',
  'social_worker',
  'clinician',
  'read_only',
] as const satisfies readonly Role[];
export const DISCHARGE_WRITERS = ['admin', 'supervisor', 'social_worker'] as const satisfies readonly Role[];
