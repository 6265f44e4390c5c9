/** How a contact is related to the patient (the coded list the family screen picks from). */
export const RELATIONSHIPS = {
  spouse: 'Spouse',
  partner: 'Partner',
  parent: 'Parent',
  child: 'Child',
  sibling: 'Sibling',
  'other-relative': 'Other relative',
  friend: 'Friend',
  neighbour: 'Neighbour',
  guardian: 'Guardian',
  caregiver: 'Caregiver',
  other: 'Other',
} as const;
export type Relationship = keyof typeof RELATIONSHIPS;
export const RELATIONSHIP_CODES = Object.keys(RELATIONSHIPS) as [Relationship, ...Relationship[]];

/** What the patient allowed staff to discuss with a contact (HIPAA 45 CFR 164.510(b)). */
export const SHARING_SCOPES = {
  'all-health-information': 'All health information',
  'care-and-discharge-planning': 'Care and discharge planning only',
  'appointments-and-logistics': 'Appointments and logistics only',
  none: 'Nothing',
} as const;
export type SharingScope = keyof typeof SHARING_SCOPES;
export const SHARING_SCOPE_CODES = Object.keys(SHARING_SCOPES) as [SharingScope, ...SharingScope[]];

export const DISCLOSURE_STATUSES = [
  'authorised',
  'expired',
  'not-authorised',
  'personal-representative',
] as const;
export type DisclosureStatus = (typeof DISCLOSURE_STATUSES)[number];

/** Who may be told what: computed, never stored, so that an expiry takes effect on its day. */
export interface Disclosure {
  status: DisclosureStatus;
  scope: SharingScope | null;
  /** The last day of an authorisation (or the day it ran out, when expired). */
  until: string | null;
}

export interface ContactSharing {
  isLegalGuardian: boolean;
  isPersonalRepresentative: boolean;
  sharingAuthorized: boolean;
  sharingScope: string | null;
  sharingExpiresOn: string | null;
}

/**
 * What staff may tell a contact today (YYYY-MM-DD in the organisation's zone). A legal guardian or personal
 * representative stands in the patient's shoes and may be told what the patient could be told.
 */
export function disclosureOf(contact: ContactSharing, today: string): Disclosure {
  if (contact.isLegalGuardian || contact.isPersonalRepresentative) {
    return { status: 'personal-representative', scope: null, until: null };
  }
  const scope = (contact.sharingScope as SharingScope | null) ?? null;
  if (!contact.sharingAuthorized || !scope || scope === 'none') {
    return { status: 'not-authorised', scope: null, until: null };
  }
  const until = contact.sharingExpiresOn;
  if (until && until < today) return { status: 'expired', scope, until };
  return { status: 'authorised', scope, until };
}

/** The words every screen shows next to a contact: "May be told: ...". */
export function disclosureText(d: Disclosure, formatDate: (isoDate: string) => string = (x) => x): string {
  switch (d.status) {
    case 'personal-representative':
      return 'May be told: what the patient could be told (legal representative)';
    case 'authorised':
      return `May be told: ${SHARING_SCOPES[d.scope ?? 'none'].toLowerCase()}${d.until ? `, until ${formatDate(d.until)}` : ''}`;
    case 'expired':
      return `May be told: nothing (the authorisation ended${d.until ? ` ${formatDate(d.until)}` : ''})`;
    case 'not-authorised':
      return 'May be told: nothing (no authorisation)';
  }
}
