import type { JobDefinition } from '../../platform/jobs.ts';

export const referralJobs: readonly JobDefinition<never>[] = [];
