/**
 * The department's newsletter (issue 7): what a person agrees to when signing up, and the rules every part
 * (the public form, the API, the mails) shares. Pure data: no I/O.
 */

/** Shown next to the sign-up form and stored word for word with each sign-up (the consent record). */
export const NEWSLETTER_CONSENT_TEXT =
  'Send me the newsletter of the lists I chose. I can change my lists or unsubscribe at any time from a link in every email. My address is used for nothing else.';

/** Lists a new organisation starts with (admins rename, add and retire them). */
export const DEFAULT_NEWSLETTER_LISTS = [
  {
    slug: 'caregivers',
    name: 'Caregivers',
    description: 'Support groups, caregiver resources and respite.',
  },
  {
    slug: 'community-partners',
    name: 'Community partners',
    description: 'For agencies we refer to: programmes, referrals and training.',
  },
  { slug: 'events', name: 'Events', description: 'Workshops, clinics and support group dates.' },
] as const;

/** A pending (unconfirmed) address is forgotten after this many days. */
export const PENDING_RETENTION_DAYS = 7;

/** Signed links in newsletter mails stay valid this long (confirmation: 7 days; the others: a year). */
export const CONFIRM_LINK_DAYS = 7;
export const MANAGE_LINK_DAYS = 365;

/** The honeypot field of the public form: people leave it empty (it is hidden); bots fill it in. */
export const HONEYPOT_FIELD = 'website';

/** Where an address stands: not confirmed yet, receiving its lists, or no longer receiving anything. */
export const SUBSCRIBER_STATUSES = ['pending', 'active', 'unsubscribed'] as const;
export type SubscriberStatus = (typeof SUBSCRIBER_STATUSES)[number];

/** How an address left: the link's page, a mail client's one-click (RFC 8058), its preferences, an admin. */
export const UNSUBSCRIBE_SOURCES = ['link', 'one-click', 'preferences', 'admin'] as const;
export type UnsubscribeSource = (typeof UNSUBSCRIBE_SOURCES)[number];

/** Mails one address may be sent because someone signed it up, per 24 hours; after that, silently nothing. */
export const SIGNUP_MAILS_PER_DAY = 3;

/** Sign-ups one IP address may post per minute, on the API and on the public form each. */
export const SIGNUP_RATE_PER_MINUTE = 10;

/** The longest address SMTP carries (RFC 5321 path limit). */
export const EMAIL_MAX_LENGTH = 254;

/** Where an issue stands: being written, waiting for its time, going out, all handled, or stopped. */
export const ISSUE_STATUSES = ['draft', 'scheduled', 'sending', 'sent', 'cancelled'] as const;
export type IssueStatus = (typeof ISSUE_STATUSES)[number];

/**
 * One recipient's delivery of an issue:
 * - `pending`: not handed over yet (or waiting for a retry after a temporary failure, see `nextAttemptAt`);
 * - `sending`: being handed to SMTP right now;
 * - `sent`: the SMTP server accepted it (its reply and message id are kept);
 * - `kept`: no SMTP_URL is set, so it was kept in the mail outbox instead;
 * - `failed`: refused for good (5xx), or still refused after every retry; the SMTP reply is kept;
 * - `skipped`: not sent because the person unsubscribed or was suppressed after sending began, or the issue
 *   was cancelled;
 * - `unknown`: a worker stopped while handing it to SMTP, so whether it arrived cannot be known; it is not
 *   sent again, so that nobody receives the same issue twice.
 */
export const DELIVERY_STATUSES = [
  'pending',
  'sending',
  'sent',
  'kept',
  'failed',
  'skipped',
  'unknown',
] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Messages per minute an issue goes out at, unless the admin chooses otherwise. */
export const DEFAULT_SEND_RATE_PER_MINUTE = 600;
export const MAX_SEND_RATE_PER_MINUTE = 60_000;

/** Tries of one recipient after temporary SMTP failures (4xx, lost connection), and the waits between. */
export const DELIVERY_MAX_ATTEMPTS = 4;
export const DELIVERY_RETRY_MINUTES = [1, 10, 60] as const;

/** Images an issue may carry (uploaded; served on the public site so that mail clients can load them). */
export const ISSUE_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export type IssueImageType = (typeof ISSUE_IMAGE_TYPES)[number];
export const ISSUE_IMAGE_MAX_BYTES = 2 * 1024 * 1024;
