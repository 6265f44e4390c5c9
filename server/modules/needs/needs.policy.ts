import type { Role } from '../../../domain/roles.ts';

/**
 * Who does what with needs. The lifecycle (which action from which status, by whom) is domain/workflows/need.ts;
 * patient access (care team, emergency grant) is always checked first by `requirePatient`.
 */
export const NEED_READERS = [
  'admin',
  'supervisor',
  'social_worker',
  'clinician',
  'read_only',
] as const satisfies readonly Role[];

/** Who records needs by hand and moves them through their lifecycle: social work, not clinicians. */
export const NEED_WORKERS = ['admin', 'supervisor', 'social_worker'] as const satisfies readonly Role[];
