import { z } from 'zod';
import { SDOH_DOMAINS } from '../needs.ts';
import {
  CANCEL_REASONS,
  CONSENT_METHODS,
  CONTACT_METHODS,
  FAIL_REASONS,
  REJECT_REASONS,
  SHARE_ITEM_KEYS,
} from '../referrals.ts';
import { REFERRAL_ACTIONS, REFERRAL_STATUSES } from '../workflows/referral.ts';
import { IsoDate, PageQuery, pageOf, Uuid } from './common.ts';

const Note = z.string().trim().max(2000, 'must be at most 2000 characters');
const Person = z.object({ id: Uuid, displayName: z.string() });

export const ReferralParams = z.object({ referralId: Uuid });
export const ConsentParams = z.object({ consentId: Uuid });
export const NeedReferralParams = z.object({ needId: Uuid });
/** A partner link's token: 43 random characters, a dot, 43 of signature (base64url). */
export const PartnerTokenParams = z.object({ token: z.string().min(1).max(200) });

/** `POST /api/patients/:patientId/referral-consents`: recorded before anything is sent. */
export const ConsentRequest = z.object({
  directoryOrganizationId: Uuid,
  shares: z.array(z.enum(SHARE_ITEM_KEYS)).min(1, 'choose what may be shared').max(SHARE_ITEM_KEYS.length),
  method: z.enum(CONSENT_METHODS),
  givenBy: z.string().trim().min(1, 'is required').max(200),
  expiresOn: IsoDate,
});

export const Consent = z.object({
  id: Uuid,
  patientId: Uuid,
  directoryOrganization: z.object({ id: Uuid, name: z.string() }),
  shares: z.array(z.enum(SHARE_ITEM_KEYS)),
  method: z.enum(CONSENT_METHODS),
  givenBy: z.string(),
  givenAt: z.string(),
  expiresOn: z.string(),
  recordedBy: Person,
  revokedAt: z.string().nullable(),
  inForce: z.boolean(),
});

/** `POST /api/referral-consents/:consentId/revoke`: the patient withdraws consent; links to the organisation stop. */
export const ConsentRevokeRequest = z.object({
  reason: z.string().trim().min(1, 'is required').max(500, 'must be at most 500 characters'),
});
export const ConsentList = z.object({ items: z.array(Consent) });

export const ContactPreferences = z.object({
  methods: z.array(z.enum(CONTACT_METHODS)).min(1, 'choose at least one way to reach the patient'),
  phone: z.string().trim().max(40).nullish(),
  email: z.email({ error: 'must be a valid email address' }).nullish(),
  bestTimes: z.string().trim().max(200).nullish(),
  language: z.string().trim().max(35).nullish(),
  interpreterNeeded: z.boolean().nullish(),
});

/**
 * `POST /api/needs/:needId/referrals`: one referral per chosen service (several at once), each to a service
 * of the directory, each needing a consent in force for the service's organisation that covers the
 * required shares. `send: false` keeps them as drafts.
 */
export const ReferralCreateRequest = z.object({
  services: z
    .array(z.object({ serviceId: Uuid, locationId: Uuid.nullish() }))
    .min(1, 'choose at least one service')
    .max(10, 'at most 10 services at once'),
  note: Note.nullish(),
  priority: z.enum(['routine', 'urgent']).default('routine'),
  contactPreferences: ContactPreferences,
  send: z.boolean().default(true),
});

export const ReferralOutcome = z.object({
  delivered: z.boolean(),
  deliveredOn: IsoDate.nullish(),
  what: z.string().trim().min(1, 'is required').max(2000),
});

/** `POST /api/referrals/:referralId/transition` (staff and community partners). */
export const ReferralTransitionRequest = z.object({
  action: z.enum(REFERRAL_ACTIONS),
  version: z.number().int().min(1),
  reason: z.string().trim().max(100).nullish(),
  note: Note.nullish(),
  outcome: ReferralOutcome.nullish(),
  /** A placement provider accepting: the day it can take the patient (required then). */
  bedOfferedOn: IsoDate.nullish(),
});

export const REASONS_BY_ACTION = {
  reject: REJECT_REASONS,
  fail: FAIL_REASONS,
  cancel: CANCEL_REASONS,
  hold: { 'waiting-list': 'Waiting list', 'patient-request': 'At the patient’s request', other: 'Other' },
} as const;

export const ReferralEvent = z.object({
  id: Uuid,
  fromStatus: z.enum(REFERRAL_STATUSES).nullable(),
  toStatus: z.enum(REFERRAL_STATUSES),
  reason: z.string().nullable(),
  note: z.string().nullable(),
  actor: z.string(),
  at: z.string(),
});

export const Referral = z.object({
  id: Uuid,
  patientId: Uuid,
  /** Null for a post-acute placement referral, which comes from a discharge choice list instead. */
  needId: Uuid.nullable(),
  needDomain: z.enum(SDOH_DOMAINS).nullable(),
  choiceListId: Uuid.nullable(),
  /** A placement provider's answer: the day it can take the patient. */
  bedOfferedOn: IsoDate.nullable(),
  service: z.object({ id: Uuid, name: z.string() }),
  organization: z.object({ id: Uuid, name: z.string() }),
  location: z.object({ id: Uuid, address: z.string().nullable() }).nullable(),
  status: z.enum(REFERRAL_STATUSES),
  statusLabel: z.string(),
  statusReason: z.string().nullable(),
  priority: z.enum(['routine', 'urgent']),
  note: z.string().nullable(),
  contactPreferences: ContactPreferences,
  outcome: ReferralOutcome.nullable(),
  consentId: Uuid.nullable(),
  requestedBy: Person,
  requestedAt: z.string().nullable(),
  statusChangedAt: z.string(),
  stalled: z.boolean(),
  /** What the caller may do next. */
  actions: z.array(z.enum(REFERRAL_ACTIONS)),
  /** When a partner link went out, to where, until when. */
  link: z.object({ sentTo: z.string(), expiresAt: z.string(), lastUsedAt: z.string().nullable() }).nullable(),
  events: z.array(ReferralEvent),
  version: z.number().int(),
});
export type Referral = z.infer<typeof Referral>;
export const ReferralList = z.object({ items: z.array(Referral) });

/**
 * The answer to a transition: the referral, and `resolveProposed` when it completed and its need has no
 * other active referral (the requester was given a task to resolve the need).
 */
export const ReferralTransitionResponse = Referral.extend({ resolveProposed: z.boolean() });

/** A referral as the needs page lists it under its need. */
export const NeedReferralSummary = z.object({
  id: Uuid,
  service: z.object({ id: Uuid, name: z.string() }),
  organization: z.object({ id: Uuid, name: z.string() }),
  status: z.enum(REFERRAL_STATUSES),
  statusLabel: z.string(),
  /** Active and unchanged for longer than the department's stall days. */
  stalled: z.boolean(),
  statusChangedAt: z.string(),
});

/** `GET/PUT /api/admin/referral-settings`: days a referral may sit unchanged before a follow-up task. */
export const ReferralSettings = z.object({
  stallDays: z.number().int().min(1, 'must be 1 or more').max(90, 'must be at most 90'),
});

/** What a community organisation sees of a referral (link page and partner inbox): only what was shared. */
export const PartnerReferralView = z.object({
  id: Uuid,
  department: z.string(),
  /** The organisation it was sent to (a partner account may answer for several). */
  organization: z.string().optional(),
  service: z.string(),
  status: z.enum(REFERRAL_STATUSES),
  statusLabel: z.string(),
  sentAt: z.string().nullable(),
  priority: z.enum(['routine', 'urgent']),
  shared: z.object({
    name: z.string().optional(),
    phone: z.string().nullable().optional(),
    email: z.string().nullable().optional(),
    birthDate: z.string().optional(),
    address: z.string().nullable().optional(),
    language: z.string().optional(),
    need: z.string().optional(),
    note: z.string().nullable().optional(),
    contactPreferences: ContactPreferences.optional(),
  }),
  actions: z.array(z.enum(REFERRAL_ACTIONS)),
  outcome: ReferralOutcome.nullable(),
  /** A post-acute placement: accepting asks for the bed date. */
  placement: z.boolean().optional(),
  bedOfferedOn: IsoDate.nullable().optional(),
  version: z.number().int(),
});
export type PartnerReferralView = z.infer<typeof PartnerReferralView>;

/** `GET /api/partner/referrals`: the community partner's inbox, newest first. */
export const PartnerReferralListQuery = PageQuery.extend({
  /** One status, or `active` for every status still being worked; drafts are never the partner's. */
  status: z.union([z.literal('active'), z.enum(REFERRAL_STATUSES).exclude(['draft'])]).optional(),
});
export const PartnerReferralList = pageOf(PartnerReferralView);
