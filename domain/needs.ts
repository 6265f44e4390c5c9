import { SDOH_CATEGORY_SYSTEM, SDOH_DOMAINS, type SdohDomain } from './instruments/types.ts';

/**
 * Identified needs: the hub that referrals and counseling goals hang on. A need is one SDOH domain
 * (domain.md "Needs: SDOH domains") for one patient; its lifecycle is domain/workflows/need.ts.
 */
export { SDOH_CATEGORY_SYSTEM, SDOH_DOMAINS, type SdohDomain };

/** Human labels of the SDOH domains, as the department says them. */
export const SDOH_DOMAIN_LABELS: Record<SdohDomain, string> = {
  'food-insecurity': 'Food insecurity',
  'housing-instability': 'Housing instability',
  homelessness: 'Homelessness',
  'inadequate-housing': 'Inadequate housing',
  'transportation-insecurity': 'Transportation insecurity',
  'utility-insecurity': 'Utility insecurity',
  'financial-insecurity': 'Financial insecurity',
  'material-hardship': 'Material hardship',
  'employment-status': 'Employment',
  'educational-attainment': 'Education',
  'veteran-status': 'Veteran status',
  'social-connection': 'Social connection',
  stress: 'Stress',
  'intimate-partner-violence': 'Interpersonal safety',
  'elder-abuse': 'Elder abuse',
  'digital-literacy': 'Digital literacy',
  'health-insurance-coverage-status': 'Health insurance coverage',
  'personal-health-literacy': 'Health literacy',
  'medical-cost-burden': 'Medical cost burden',
};

/** What can be linked to a need to address it: referrals (resources) and counseling goals. */
export const NEED_LINK_KINDS = ['referral', 'goal'] as const;
export type NeedLinkKind = (typeof NEED_LINK_KINDS)[number];

/** The five domains of the AHC core screen that SDOH-1 and SDOH-2 count (domain.md "Measures"). */
export const SDOH_MEASURE_DOMAINS = [
  'food-insecurity',
  'housing-instability',
  'transportation-insecurity',
  'utility-insecurity',
  'intimate-partner-violence',
] as const satisfies readonly SdohDomain[];
