import type { z } from 'zod';
import type * as Resources from '../../../domain/schemas/resources.ts';

/** A page of `GET /api/resources/search`. */
export type SearchResponse = z.infer<typeof Resources.ResourceSearchResponse>;
/** One result: a service at a location, with why it matched, its distance and today's hours. */
export type SearchResult = z.infer<typeof Resources.ResourceSearchResult>;
export type EligibilityVerdict = z.infer<typeof Resources.EligibilityVerdict>;
/** A service as an admin edits it and the detail page shows it. */
export type ServiceDetail = z.infer<typeof Resources.ServiceDetail>;
/** What the service form sends (before the server's defaults). */
export type ServiceWriteBody = z.input<typeof Resources.ServiceWrite>;
export type ScheduleRow = z.input<typeof Resources.Schedule>;
export type OrganizationSummary = z.infer<typeof Resources.DirectoryOrganizationSummary>;
export type ImportReport = z.infer<typeof Resources.ImportReport>;

/** A directory organisation as the admin page edits it, with its `version` for concurrent edits. */
export type DirectoryOrganization = z.infer<typeof Resources.DirectoryOrganization>;
/** Creating or changing a directory organisation. */
export type OrganizationWriteBody = z.input<typeof Resources.DirectoryOrganizationWrite>;
/** A place of a directory organisation, to offer a service at. */
export type DirectoryLocation = z.infer<typeof Resources.DirectoryLocation>;
export type LocationWriteBody = z.input<typeof Resources.DirectoryLocationWrite>;
/** A user who answers referrals for a directory organisation (role community_partner). */
export type PartnerAccount = z.infer<typeof Resources.PartnerAccount>;
/** One run of `resources import`, with its report. */
export type ImportRun = z.infer<typeof Resources.ImportRun>;
