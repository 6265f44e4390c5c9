import type { Role } from '../../../domain/roles.ts';

/** Who reads the department's measures: supervisors and administrators. No patient appears in a report. */
export const REPORT_READERS = ['admin', 'supervisor'] as const satisfies readonly Role[];
