import { z } from 'zod';
import { PayerType } from './schemas/patients.ts';

/**
 * The community resource directory (Open Referral HSDS 3.0, domain.md "Community resources") and what Kith
 * adds to it: the SDOH domains a service addresses, financial-assistance programs and machine-checkable
 * eligibility.
 */

/** HSDS service.status. Only `active` services are found by search or can be referred to. */
export const SERVICE_STATUSES = ['active', 'inactive', 'defunct', 'temporarily closed'] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

/** The financial-assistance programs a department helps patients apply to. */
export const ASSISTANCE_KINDS = {
  'charity-care': 'Hospital charity care',
  'medicaid-application': 'Medicaid application help',
  'snap-application': 'SNAP application help',
  'utility-assistance': 'Utility assistance',
  'prescription-assistance': 'Prescription assistance',
  'transport-assistance': 'Transport assistance',
} as const;
export type AssistanceKind = keyof typeof ASSISTANCE_KINDS;
export const AssistanceKind = z.enum(Object.keys(ASSISTANCE_KINDS) as [AssistanceKind, ...AssistanceKind[]]);

/** What a search result costs the patient, from HSDS cost_option and fees_description. */
export const COST_KINDS = ['free', 'fee', 'unknown'] as const;
export type CostKind = (typeof COST_KINDS)[number];

/**
 * Machine-checkable eligibility of a service or program. Every rule is optional; a patient is eligible when
 * no rule that the record can check fails. A rule the record cannot check (no income recorded) leaves the
 * patient "possibly eligible", never excluded.
 */
export const EligibilityRules = z
  .object({
    /** Household income at or below this percentage of the federal poverty guideline for its size. */
    maxPovertyPercent: z.number().int().min(1).max(1000).optional(),
    minAge: z.number().int().min(0).max(130).optional(),
    maxAge: z.number().int().min(0).max(130).optional(),
    /** Any of these coverages (patients' payer types); `self-pay` means uninsured. */
    payers: z.array(PayerType).min(1).optional(),
    /** Residents of these ZIP codes (5 digits). */
    postalCodes: z
      .array(z.string().regex(/^\d{5}$/, 'must be a 5-digit ZIP code'))
      .min(1)
      .optional(),
    /** Residents of these counties ("Suffolk County, MA"), matched on the patient's recorded county. */
    counties: z.array(z.string().trim().min(1).max(100)).min(1).optional(),
  })
  .strict()
  .refine((r) => r.minAge === undefined || r.maxAge === undefined || r.minAge <= r.maxAge, {
    message: 'minAge must not be above maxAge',
    path: ['maxAge'],
  });
export type EligibilityRules = z.infer<typeof EligibilityRules>;

/** Search distance limits in miles. */
export const SEARCH_RADIUS_MILES = { default: 10, max: 100 } as const;
/** Results per page of a directory search. */
export const SEARCH_PAGE_SIZE = { default: 20, max: 50 } as const;
