import type { JobDefinition } from '../../platform/jobs.ts';
import { campaignJobs } from './campaign.sender.ts';
import { forgetPendingJob } from './newsletter.privacy.ts';

/** The newsletter's background work: sending issues (and finding those due), and forgetting stale sign-ups. */
export const newsletterJobs: readonly JobDefinition<never>[] = [...campaignJobs, forgetPendingJob];
