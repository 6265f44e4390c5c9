import { z } from 'zod';
import { EMAIL_MAX_LENGTH, SUBSCRIBER_STATUSES, UNSUBSCRIBE_SOURCES } from '../newsletter.ts';
import { PageQuery, pageOf, Uuid } from './common.ts';

/** An address as typed (trimmed), checked for syntax; stored so and compared lower-cased. */
export const NewsletterAddress = z
  .string({ error: 'is required' })
  .trim()
  .min(1, 'is required')
  .max(EMAIL_MAX_LENGTH, `must be at most ${EMAIL_MAX_LENGTH} characters`)
  .pipe(z.email({ error: 'must be a valid email address' }));

/** A list's short name in addresses and forms: lower-case letters, digits and dashes. */
export const NewsletterListSlug = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes');

/** The lists a person chose (slugs), each once. */
const ChosenLists = z
  .array(NewsletterListSlug)
  .min(1, 'choose at least one list')
  .max(20, 'must be at most 20 lists')
  .transform((lists) => [...new Set(lists)]);

/** The page a sign-up came from (a path on the public site), kept with the consent. */
const SignupPage = z.string().trim().max(500, 'must be at most 500 characters');

/**
 * `POST /api/newsletter/subscriptions`: an address and its lists; `organization` (slug) may be left out when
 * Kith serves one organisation. `website` is the form's honeypot: people leave it empty.
 */
export const NewsletterSubscribeRequest = z.object({
  email: NewsletterAddress,
  lists: ChosenLists,
  organization: z.string().trim().min(1).max(100).optional(),
  page: SignupPage.optional(),
  website: z.string().max(1000).optional(),
});
export type NewsletterSubscribeRequest = z.infer<typeof NewsletterSubscribeRequest>;

/** The one answer to a sign-up, whatever the address's state. */
export const NewsletterSubscribeAccepted = z.object({ status: z.literal('accepted') });

/** The public form's post (application/x-www-form-urlencoded: one `lists` arrives as a string). */
export const NewsletterSubscribeForm = z.object({
  email: NewsletterAddress,
  lists: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), ChosenLists),
  page: SignupPage.optional(),
  website: z.string().max(1000).optional(),
});

/** The preferences form: the lists kept (none checked means unsubscribe), or `action=unsubscribe`. */
export const NewsletterPreferencesForm = z.object({
  lists: z.preprocess(
    (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
    z.array(NewsletterListSlug).max(50),
  ),
  action: z.enum(['save', 'unsubscribe']).default('save'),
});

// Admin API

export const NewsletterSubscriberQuery = PageQuery.extend({
  status: z.enum(SUBSCRIBER_STATUSES).optional(),
  list: NewsletterListSlug.optional(),
  /** A part of the address (case-insensitive). */
  q: z.string().trim().min(1).max(EMAIL_MAX_LENGTH).optional(),
});
export type NewsletterSubscriberQuery = z.infer<typeof NewsletterSubscriberQuery>;

export const NewsletterExportQuery = NewsletterSubscriberQuery.pick({ status: true, list: true });

export const NewsletterSubscriber = z.object({
  id: Uuid,
  email: z.string(),
  status: z.enum(SUBSCRIBER_STATUSES),
  /** Slugs of the lists received (active) or asked for and not confirmed yet. */
  lists: z.array(z.string()),
  pendingLists: z.array(z.string()),
  consentAt: z.string(),
  consentPage: z.string().nullable(),
  confirmedAt: z.string().nullable(),
  unsubscribedAt: z.string().nullable(),
  unsubscribeSource: z.enum(UNSUBSCRIBE_SOURCES).nullable(),
  createdAt: z.string(),
});
export type NewsletterSubscriber = z.infer<typeof NewsletterSubscriber>;

export const NewsletterSubscriberPage = pageOf(NewsletterSubscriber);
export type NewsletterSubscriberPage = z.infer<typeof NewsletterSubscriberPage>;

export const NewsletterSubscriberParams = z.object({ subscriberId: Uuid });
export const NewsletterListParams = z.object({ listId: Uuid });

/** A list as admins see it, with its active subscribers. */
export const NewsletterListView = z.object({
  id: Uuid,
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  position: z.number().int(),
  retiredAt: z.string().nullable(),
  subscribers: z.number().int(),
});
export type NewsletterListView = z.infer<typeof NewsletterListView>;

const ListName = z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters');
const ListDescription = z.string().trim().max(500, 'must be at most 500 characters');

export const NewsletterListCreateRequest = z.object({
  slug: NewsletterListSlug,
  name: ListName,
  description: ListDescription.default(''),
  position: z.number().int().min(0).max(1000).optional(),
});
export type NewsletterListCreateRequest = z.infer<typeof NewsletterListCreateRequest>;

/** Rename, describe, reorder, retire (`retired: true`) or offer again (`retired: false`). */
export const NewsletterListUpdateRequest = z
  .object({
    name: ListName.optional(),
    description: ListDescription.optional(),
    position: z.number().int().min(0).max(1000).optional(),
    retired: z.boolean().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'change at least one field');
export type NewsletterListUpdateRequest = z.infer<typeof NewsletterListUpdateRequest>;
