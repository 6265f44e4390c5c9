import { z } from 'zod';
import {
  CHOICE_RADIUS_MILES,
  CHOOSERS,
  POST_ACUTE_CAPABILITY_CODES,
  POST_ACUTE_KIND_CODES,
  RATING_MEASURE_CODES,
} from '../placement.ts';
import { IsoDate, Uuid } from './common.ts';
import { PayerType } from './patients.ts';
import { ConsentRequest, ContactPreferences, Referral } from './referrals.ts';

export const PostAcuteKind = z.enum(POST_ACUTE_KIND_CODES, { error: 'must be one of the post-acute kinds' });
export const PostAcuteCapability = z.enum(POST_ACUTE_CAPABILITY_CODES, {
  error: 'must be one of the post-acute capabilities',
});

export const PlanParams = z.object({ planId: Uuid });
export const ChoiceListParams = z.object({ choiceListId: Uuid });
export const ServiceParams = z.object({ serviceId: Uuid });

/** `POST /api/discharge-plans/:planId/choice-lists`: draw a list of providers of one kind for the patient. */
export const ChoiceListCreateRequest = z.object({
  kind: PostAcuteKind,
  /** Where to measure from; the patient's home ZIP when left out. */
  zip: z
    .string()
    .trim()
    .regex(/^\d{5}$/, 'must be a 5-digit ZIP code')
    .nullish(),
  radiusMiles: z
    .number()
    .int()
    .min(1, 'must be 1 or more')
    .max(CHOICE_RADIUS_MILES.max, `must be at most ${CHOICE_RADIUS_MILES.max}`)
    .nullish(),
  /** The coverage to check providers against; the patient's recorded coverage when left out. */
  insurance: z.array(PayerType).max(7).nullish(),
  /** Capabilities every provider must have. */
  needs: z.array(PostAcuteCapability).max(POST_ACUTE_CAPABILITY_CODES.length).default([]),
});

export const ProviderRating = z.object({
  measure: z.string(),
  value: z.string(),
  scale: z.string(),
  source: z.string(),
  asOf: z.string(),
});

export const ChoiceEntry = z.object({
  serviceId: Uuid,
  name: z.string(),
  organizationName: z.string(),
  directoryOrganizationId: Uuid,
  address: z.string().nullable(),
  phone: z.string().nullable(),
  distanceMiles: z.number().nullable(),
  ratings: z.array(ProviderRating),
  capabilities: z.array(z.string()),
  coverage: z.object({ verdict: z.string(), reasons: z.array(z.string()) }),
  financialInterest: z.string().nullable(),
});
export type ChoiceEntry = z.infer<typeof ChoiceEntry>;

export const ChoiceCriteria = z.object({
  kind: PostAcuteKind,
  zip: z.string().nullable(),
  /** Where the distances were measured from ("Boston, MA"). */
  origin: z.string().nullable(),
  radiusMiles: z.number().nullable(),
  insurance: z.array(PayerType).nullable(),
  needs: z.array(z.string()),
  excluded: z.record(z.string(), z.number()),
});

/** A placement referral as the side-by-side table shows it. */
export const PlacementReferral = z.object({
  id: Uuid,
  serviceId: Uuid,
  serviceName: z.string(),
  organizationName: z.string(),
  status: Referral.shape.status,
  statusLabel: z.string(),
  statusReason: z.string().nullable(),
  statusReasonLabel: z.string().nullable(),
  bedOfferedOn: IsoDate.nullable(),
  requestedAt: z.string().nullable(),
  answeredAt: z.string().nullable(),
  /** Rank in the patient's choices (1 first), null when not chosen. */
  choiceRank: z.number().int().nullable(),
  version: z.number().int(),
});

export const ChoiceList = z.object({
  id: Uuid,
  planId: Uuid,
  patientId: Uuid,
  kind: PostAcuteKind,
  kindLabel: z.string(),
  criteria: ChoiceCriteria,
  providers: z.array(ChoiceEntry),
  givenAt: z.string().nullable(),
  choices: z.array(Uuid),
  chosenBy: z.string().nullable(),
  chosenByName: z.string().nullable(),
  choicesRecordedAt: z.string().nullable(),
  declinedToChoose: z.boolean(),
  note: z.string().nullable(),
  confirmedReferralId: Uuid.nullable(),
  confirmedAt: z.string().nullable(),
  referrals: z.array(PlacementReferral),
  createdAt: z.string(),
  version: z.number().int(),
});
export type ChoiceList = z.infer<typeof ChoiceList>;
export const ChoiceListList = z.object({ items: z.array(ChoiceList) });

/** `POST /api/choice-lists/:choiceListId/choices`: what the patient or family chose, in order, or that they declined. */
export const ChoicesRequest = z.object({
  choices: z.array(Uuid).max(50).default([]),
  chosenBy: z.enum(Object.keys(CHOOSERS) as [keyof typeof CHOOSERS, ...(keyof typeof CHOOSERS)[]]).nullish(),
  chosenByName: z.string().trim().max(200).nullish(),
  declinedToChoose: z.boolean().default(false),
  note: z.string().trim().max(2000).nullish(),
  version: z.number().int().min(1),
});

/** `POST /api/choice-lists/:choiceListId/given`: the list was handed to the patient (printed or read out). */
export const ChoiceListGivenRequest = z.object({ version: z.number().int().min(1) });

/**
 * `POST /api/choice-lists/:choiceListId/referrals`: one placement referral per provider, through the referral
 * machinery. `consent`, when given, records the patient's consent for every provider's organisation that has
 * none in force before sending.
 */
export const PlacementReferralRequest = z.object({
  serviceIds: z.array(Uuid).min(1, 'choose at least one provider').max(10, 'at most 10 providers at once'),
  note: z.string().trim().max(2000).nullish(),
  priority: z.enum(['routine', 'urgent']).default('routine'),
  contactPreferences: ContactPreferences,
  consent: ConsentRequest.omit({ directoryOrganizationId: true }).nullish(),
});

/** `POST /api/choice-lists/:choiceListId/confirm`: the accepted referral the patient goes with. */
export const ConfirmRequest = z.object({ referralId: Uuid });

/** A post-acute provider's profile as an admin edits it. */
export const PostAcuteRatingInput = z.object({
  measure: z.enum(RATING_MEASURE_CODES),
  value: z
    .string()
    .trim()
    .regex(/^[1-5]$/, 'must be 1 to 5 stars'),
  source: z.string().trim().min(1, 'is required').max(200),
  asOf: IsoDate,
});

/** `PUT /api/directory/services/:serviceId/post-acute`. */
export const PostAcuteProfileWrite = z.object({
  kind: PostAcuteKind.nullable(),
  capabilities: z.array(PostAcuteCapability).default([]),
  financialInterest: z.string().trim().max(500).nullish(),
  ratings: z.array(PostAcuteRatingInput).max(RATING_MEASURE_CODES.length).default([]),
});

export const PostAcuteProfile = z.object({
  serviceId: Uuid,
  name: z.string(),
  organizationName: z.string(),
  status: z.string(),
  kind: PostAcuteKind.nullable(),
  capabilities: z.array(z.string()),
  financialInterest: z.string().nullable(),
  ratings: z.array(ProviderRating),
});
export const PostAcuteProfileList = z.object({ items: z.array(PostAcuteProfile) });
/** `GET /api/directory/post-acute`: the post-acute providers (of a kind), or any service by name (`q`) to make one. */
export const PostAcuteListQuery = z.object({
  kind: PostAcuteKind.optional(),
  q: z.string().trim().max(100).optional(),
});
