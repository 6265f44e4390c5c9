import type { z } from 'zod';
import type * as Referrals from '../../../domain/schemas/referrals.ts';
import type * as Resources from '../../../domain/schemas/resources.ts';

/** A referral as the department sees it, with the actions the signed-in user may take. */
export type ReferralView = z.infer<typeof Referrals.Referral>;
/** What a community organisation sees of a referral: only what the patient agreed to share. */
export type PartnerView = z.infer<typeof Referrals.PartnerReferralView>;
export type ConsentView = z.infer<typeof Referrals.Consent>;
export type ConsentRequest = z.input<typeof Referrals.ConsentRequest>;
export type ReferralCreate = z.input<typeof Referrals.ReferralCreateRequest>;
export type ReferralTransition = z.input<typeof Referrals.ReferralTransitionRequest>;
export type ContactPreferences = z.infer<typeof Referrals.ContactPreferences>;
export type ReferralOutcome = z.infer<typeof Referrals.ReferralOutcome>;
export type SearchResult = z.infer<typeof Resources.ResourceSearchResult>;
export type SearchResponse = z.infer<typeof Resources.ResourceSearchResponse>;

/** A service chosen to refer to: what the dialog needs to show it and to ask for its organisation's consent. */
export interface ChosenService {
  serviceId: string;
  locationId: string | null;
  name: string;
  organization: { id: string; name: string };
  address: string | null;
}

/** The referral a need lists at a glance (the needs API's summary). */
export type ReferralSummary = z.infer<typeof Referrals.NeedReferralSummary>;
/** A transition's answer: the referral, and whether completing it proposes resolving its need. */
export type ReferralTransitionAnswer = z.infer<typeof Referrals.ReferralTransitionResponse>;
