import { z } from 'zod';
import {
  DELIVERY_STATUSES,
  EMAIL_MAX_LENGTH,
  ISSUE_STATUSES,
  MAX_SEND_RATE_PER_MINUTE,
  SUBSCRIBER_STATUSES,
  UNSUBSCRIBE_SOURCES,
} from '../newsletter.ts';
import { IsoDateTime, PageQuery, pageOf, Uuid } from './common.ts';

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

// Campaigns: issues of the newsletter, composed, previewed, tested and sent to lists.

const IssueSubject = z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters');
const IssueBody = z.string().max(100_000, 'must be at most 100000 characters');
const SendRate = z
  .number()
  .int('must be a whole number')
  .min(1, 'must be 1 or more')
  .max(MAX_SEND_RATE_PER_MINUTE, `must be at most ${MAX_SEND_RATE_PER_MINUTE}`);

/** `POST /api/newsletter/issues`: a new draft. Lists may be chosen now or before sending. */
export const NewsletterIssueCreateRequest = z.object({
  subject: IssueSubject,
  bodyMarkdown: IssueBody.default(''),
  listIds: z.array(Uuid).max(50).default([]),
  ratePerMinute: SendRate.optional(),
});
export type NewsletterIssueCreateRequest = z.infer<typeof NewsletterIssueCreateRequest>;

/** `PUT /api/newsletter/issues/:issueId`: the whole draft, with the version it was read at (409 if stale). */
export const NewsletterIssueUpdateRequest = z.object({
  subject: IssueSubject,
  bodyMarkdown: IssueBody,
  listIds: z.array(Uuid).max(50),
  ratePerMinute: SendRate,
  version: z.number().int().min(1),
});
export type NewsletterIssueUpdateRequest = z.infer<typeof NewsletterIssueUpdateRequest>;

/** How far sending went: recipients (fixed when sending starts) by delivery status. */
export const NewsletterIssueProgress = z.object({
  recipients: z.number().int(),
  ...(Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, z.number().int()])) as Record<
    (typeof DELIVERY_STATUSES)[number],
    z.ZodNumber
  >),
});
export type NewsletterIssueProgress = z.infer<typeof NewsletterIssueProgress>;

export const NewsletterIssueView = z.object({
  id: Uuid,
  subject: z.string(),
  bodyMarkdown: z.string(),
  listIds: z.array(Uuid),
  status: z.enum(ISSUE_STATUSES),
  ratePerMinute: z.number().int(),
  scheduledAt: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  progress: NewsletterIssueProgress,
  /** Active subscribers of the chosen lists now (before sending: who would receive it). */
  audience: z.number().int(),
  /** The public archive's page of this issue, once it was sent. */
  archiveUrl: z.string().nullable(),
  createdBy: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type NewsletterIssueView = z.infer<typeof NewsletterIssueView>;

export const NewsletterIssueSummary = NewsletterIssueView.omit({ bodyMarkdown: true });
export type NewsletterIssueSummary = z.infer<typeof NewsletterIssueSummary>;

export const NewsletterIssueQuery = PageQuery.extend({ status: z.enum(ISSUE_STATUSES).optional() });
export const NewsletterIssuePage = pageOf(NewsletterIssueSummary);
export type NewsletterIssuePage = z.infer<typeof NewsletterIssuePage>;

export const NewsletterIssueParams = z.object({ issueId: Uuid });

/** `POST /api/newsletter/issues/:issueId/preview`: the email as a subscriber gets it (both parts). */
export const NewsletterIssuePreviewRequest = z.object({
  subject: IssueSubject,
  bodyMarkdown: IssueBody,
});
export const NewsletterIssuePreview = z.object({
  subject: z.string(),
  /** The whole HTML document of the email (images on this site addressed from the staff app's origin). */
  html: z.string(),
  text: z.string(),
});
export type NewsletterIssuePreview = z.infer<typeof NewsletterIssuePreview>;

/** `POST /api/newsletter/issues/:issueId/test`: sends the saved draft to the signed-in admin's address. */
export const NewsletterIssueTestSent = z.object({
  to: z.string(),
  /** sent: SMTP accepted it; queued: kept in the outbox (no SMTP_URL); failed: SMTP refused it. */
  status: z.enum(['sent', 'queued', 'failed']),
});
export type NewsletterIssueTestSent = z.infer<typeof NewsletterIssueTestSent>;

/** `POST /api/newsletter/issues/:issueId/send`: now (no `at`) or at a future time, at the version read. */
export const NewsletterIssueSendRequest = z.object({
  version: z.number().int().min(1),
  at: IsoDateTime.optional(),
});
export type NewsletterIssueSendRequest = z.infer<typeof NewsletterIssueSendRequest>;

/** `POST /api/newsletter/issues/:issueId/cancel`: a scheduled issue goes back to draft; a sending one stops. */
export const NewsletterIssueCancelRequest = z.object({ version: z.number().int().min(1) });

export const NewsletterDeliveryQuery = PageQuery.extend({
  status: z.enum(DELIVERY_STATUSES).optional(),
  q: z.string().trim().min(1).max(EMAIL_MAX_LENGTH).optional(),
});
export type NewsletterDeliveryQuery = z.infer<typeof NewsletterDeliveryQuery>;

export const NewsletterDelivery = z.object({
  id: Uuid,
  email: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  /** The SMTP reply of the last failure (code and text), or why it was skipped or is unknown. */
  lastError: z.string().nullable(),
  sentAt: z.string().nullable(),
  updatedAt: z.string(),
});
export type NewsletterDelivery = z.infer<typeof NewsletterDelivery>;
export const NewsletterDeliveryPage = pageOf(NewsletterDelivery);
export type NewsletterDeliveryPage = z.infer<typeof NewsletterDeliveryPage>;

/** `POST /api/newsletter/images` (the body is the image itself): where it is served. */
export const NewsletterImageUploaded = z.object({
  id: Uuid,
  /** The path on this server (public, for mail clients): use it in markdown as `![text](url)`. */
  url: z.string(),
  contentType: z.string(),
  bytes: z.number().int(),
});
export type NewsletterImageUploaded = z.infer<typeof NewsletterImageUploaded>;
