import type { Role } from '../../domain/roles.ts';

export interface TestUser {
  /** The display name the runner created the account with. */
  name: string;
  email: string;
  password: string;
  role: Role;
}

/** The people scripts/e2e.mjs created with the CLI before starting the server, by part they play. */
export interface TestUsers {
  /** Signs in for the first time in the sign-in story and enrols MFA there. */
  newAdmin: TestUser;
  /** An admin for the accessibility checks; enrols MFA through the API. */
  auditAdmin: TestUser;
  socialWorker: TestUser;
  /** A social worker who is not on the care team of the seeded patients. */
  otherWorker: TestUser;
  /** An admin for the API token story; enrols MFA through the API. */
  tokenAdmin: TestUser;
  /** Reviews emergency access; no MFA (only admins must have it). */
  supervisor: TestUser;
  /** A social worker whose MFA and password the account story changes; no other story signs in as them. */
  accountWorker: TestUser;
  /** Requests social work consults for their patients. */
  clinician: TestUser;
  /** The worker the supervisor assigns in the consult story; no other story uses them. */
  caseWorker: TestUser;
  /** Edits the resource directory in the directory story; enrols MFA through the API. */
  directoryAdmin: TestUser;
  /** Sets up the directory of the referral story (and links the partner to it); enrols MFA through the API. */
  referralAdmin: TestUser;
  /** Sets up the directory of the handout story; enrols MFA through the API. */
  handoutAdmin: TestUser;
  /** Sets up the post-acute providers of the placement story; enrols MFA through the API. */
  placementAdmin: TestUser;
  /** Looks after the ADT feed in the HL7 story; enrols MFA through the API. */
  hl7Admin: TestUser;
  /** Adds a home health agency to the directory in the ADT-to-follow-up story; enrols MFA through the API. */
  adtStoryAdmin: TestUser;
  /** Edits the admission triggers in their story; enrols MFA through the API. */
  triggersAdmin: TestUser;
  /** Edits the public site's pages and sets up its resource finder's directory; enrols MFA through the API. */
  siteAdmin: TestUser;
  /** Writes and sends newsletter issues (the campaign story). */
  newsletterAdmin: TestUser;
  /** A community partner who answers referrals in their Kith inbox. */
  partner: TestUser;
}

export function testUsers(): TestUsers {
  const raw = process.env.KITH_E2E_USERS;
  if (!raw) throw new Error('KITH_E2E_USERS is not set: run the suite with `npm run test:e2e`');
  return JSON.parse(raw) as TestUsers;
}
