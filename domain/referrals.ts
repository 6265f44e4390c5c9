/**
 * Closed-loop referrals (domain.md "Closed-loop referral", the Gravity SDOH Clinical Care IG): what may be
 * shared with a community organisation, the reasons a referral ends without service, and the contact
 * preferences it carries. The lifecycle is domain/workflows/referral.ts.
 */

/** What a patient may agree to share with an organisation; the partner page shows only these. */
export const SHARE_ITEMS = {
  name: 'Name',
  contact: 'Phone and email',
  'birth-date': 'Date of birth',
  address: 'Address',
  language: 'Preferred language',
  need: 'The need the referral is for',
  note: "The worker's note",
} as const;
export type ShareItem = keyof typeof SHARE_ITEMS;
export const SHARE_ITEM_KEYS = Object.keys(SHARE_ITEMS) as [ShareItem, ...ShareItem[]];
/** The least a referral can carry: without a name and a way to reach the patient nobody can act on it. */
export const REQUIRED_SHARES: readonly ShareItem[] = ['name', 'contact', 'need'];

export const CONSENT_METHODS = ['verbal', 'written', 'electronic'] as const;

/** Why an organisation declines (FHIR Task.statusReason), as the partner page offers them. */
export const REJECT_REASONS = {
  'not-eligible': 'Patient is not eligible',
  'no-capacity': 'No capacity or waiting list full',
  'out-of-area': 'Outside our service area',
  'service-not-offered': 'We do not offer this service',
  'could-not-reach': 'Could not reach the patient',
  other: 'Other',
} as const;
export type RejectReason = keyof typeof REJECT_REASONS;

/** Why a referral failed after it was accepted, or was cancelled by the department. */
export const FAIL_REASONS = {
  'patient-declined': 'Patient declined the service',
  'could-not-reach': 'Could not reach the patient',
  'no-show': 'Patient did not attend',
  'not-eligible': 'Patient turned out not to be eligible',
  'service-ended': 'Service ended or closed',
  other: 'Other',
} as const;
export const CANCEL_REASONS = {
  'need-resolved': 'The need was met another way',
  'patient-withdrew': 'Patient withdrew consent or changed their mind',
  'wrong-service': 'Sent to the wrong service',
  'patient-died': 'Patient died',
  'another-provider-chosen': 'Another provider was chosen',
  other: 'Other',
} as const;

export const CONTACT_METHODS = ['phone', 'text', 'email', 'mail', 'in-person'] as const;

/** How long a partner's link works, and the default days before a referral counts as stalled. */
export const PARTNER_LINK_DAYS = 30;
export const DEFAULT_STALL_DAYS = 7;
