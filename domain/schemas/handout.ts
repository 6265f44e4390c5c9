import { z } from 'zod';
import { HANDOUT_LANGUAGES } from '../handout.ts';
import { IsoDate, Uuid } from './common.ts';

/** Ids given as `a,b`, as repeated parameters, or both; each must be an id. */
const IdList = z.preprocess(
  (v) =>
    v === undefined
      ? []
      : (Array.isArray(v) ? v : [v]).flatMap((s) =>
          String(s)
            .split(',')
            .map((id) => id.trim())
            .filter(Boolean),
        ),
  z.array(Uuid).max(20, 'must list at most 20'),
);

export const HandoutParams = z.object({ patientId: Uuid });

/**
 * `GET /api/patients/:patientId/resource-handout`: the services (of the tenant's directory) and the patient's
 * referrals whose services the handout lists. `lang` overrides the patient's preferred language.
 */
export const HandoutQuery = z
  .object({
    serviceIds: IdList,
    referralIds: IdList,
    lang: z
      .string()
      .trim()
      .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'must be a language tag such as en or es')
      .optional(),
    format: z.enum(['pdf', 'json']).default('pdf'),
  })
  .refine((q) => q.serviceIds.length + q.referralIds.length > 0, {
    path: ['serviceIds'],
    message: 'choose at least one service or referral',
  })
  .refine((q) => q.serviceIds.length + q.referralIds.length <= 20, {
    path: ['serviceIds'],
    message: 'at most 20 services on one handout',
  });
export type HandoutQuery = z.infer<typeof HandoutQuery>;

/** One place where a service is offered, as the patient needs it to get there. */
export const HandoutPlace = z.object({
  name: z.string().nullable(),
  address: z.string().nullable(),
  phones: z.array(z.string()),
  /** Opening hours as lines to read, in the handout's language; empty when the directory lists none. */
  hours: z.array(z.string()),
});

export const HandoutService = z.object({
  id: Uuid,
  name: z.string(),
  organization: z.string(),
  /** HSDS status: anything but `active` is printed as a warning to call first. */
  status: z.string(),
  description: z.string().nullable(),
  applicationProcess: z.string().nullable(),
  fees: z.string().nullable(),
  url: z.string().nullable(),
  email: z.string().nullable(),
  places: z.array(HandoutPlace).min(1),
  /** Locations not printed (a service offered in many places shows the first few). */
  morePlaces: z.number().int(),
  /** "What to bring": HSDS required documents. */
  requiredDocuments: z.array(z.string()),
});
export type HandoutService = z.infer<typeof HandoutService>;

/** The handout as data: what the print page shows and the PDF prints. */
export const Handout = z.object({
  language: z.enum(HANDOUT_LANGUAGES),
  /** The language asked for (or the patient's), when the handout had to fall back to English. */
  fallbackFrom: z.string().nullable(),
  title: z.string(),
  preparedFor: z.string(),
  preparedOn: IsoDate,
  /** The date as the handout prints it, in its language. */
  preparedOnText: z.string(),
  department: z.string(),
  socialWorker: z.object({ name: z.string(), email: z.string() }),
  services: z.array(HandoutService),
});
export type Handout = z.infer<typeof Handout>;
