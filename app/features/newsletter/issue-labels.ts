import type { DeliveryStatus, IssueStatus } from '../../../domain/newsletter.ts';
import type { NewsletterIssueProgress } from '../../../domain/schemas/newsletter.ts';
import { ApiError } from '../../api/client.ts';
import { describeProblem } from '../../components/ProblemAlert.tsx';

/** Query keys: every issue query starts with ISSUES_KEY, so that one invalidation refreshes them all. */
export const ISSUES_KEY = ['newsletter', 'issues'] as const;
export const issueKey = (issueId: string) => [...ISSUES_KEY, 'one', issueId] as const;
export const issueListKey = [...ISSUES_KEY, 'list'] as const;

export const issuePath = (issueId: string) => `/admin/newsletter/issues/${issueId}`;

export const ISSUE_STATUS_LABELS: Record<IssueStatus, string> = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  sending: 'Sending',
  sent: 'Sent',
  cancelled: 'Cancelled',
};
export const ISSUE_STATUS_COLORS: Record<IssueStatus, string> = {
  draft: 'gray',
  scheduled: 'blue',
  sending: 'orange',
  sent: 'green',
  cancelled: 'red',
};

export const DELIVERY_STATUS_LABELS: Record<DeliveryStatus, string> = {
  pending: 'Waiting',
  sending: 'Being sent',
  sent: 'Sent',
  kept: 'Kept in the outbox',
  failed: 'Failed',
  skipped: 'Skipped',
  unknown: 'Unknown',
};
export const DELIVERY_STATUS_COLORS: Record<DeliveryStatus, string> = {
  pending: 'gray',
  sending: 'orange',
  sent: 'green',
  kept: 'blue',
  failed: 'red',
  skipped: 'gray',
  unknown: 'yellow',
};

const numbers = new Intl.NumberFormat('en-US');
/** 1,234 */
export const formatCount = (n: number) => numbers.format(n);

/** Recipients whose delivery is settled one way or another (nothing more will happen to them). */
export const handledOf = (p: NewsletterIssueProgress) => p.sent + p.kept + p.failed + p.skipped + p.unknown;

const HANDLED_PARTS: [keyof NewsletterIssueProgress, string][] = [
  ['sent', 'sent'],
  ['kept', 'kept in the outbox'],
  ['failed', 'failed'],
  ['skipped', 'skipped'],
  ['unknown', 'unknown'],
];

/** "1,234 of 5,000 handled: 1,200 sent, 30 failed, 4 skipped. 3,766 still to send." */
export function describeProgress(p: NewsletterIssueProgress): string {
  const parts = HANDLED_PARTS.filter(([key]) => key === 'sent' || p[key] > 0).map(
    ([key, label]) => `${formatCount(p[key])} ${label}`,
  );
  const waiting = p.pending + p.sending;
  return `${formatCount(handledOf(p))} of ${formatCount(p.recipients)} handled: ${parts.join(', ')}.${
    waiting > 0 ? ` ${formatCount(waiting)} still to send.` : ''
  }`;
}

/** "1 subscriber", "12 subscribers" */
export const subscribersText = (n: number) => `${formatCount(n)} ${n === 1 ? 'subscriber' : 'subscribers'}`;

const FIELD_LABELS: Record<string, string> = {
  subject: 'Subject',
  bodyMarkdown: 'Text',
  listIds: 'Lists',
  ratePerMinute: 'Send rate',
  at: 'Send at',
  version: 'Version',
};

/** A failed request in words, naming the fields the server refused (e.g. "Text: is empty"). */
export function explainProblem(error: unknown): string {
  const fields =
    error instanceof ApiError
      ? error.errors.map((e) => {
          const field = e.field.replace(/^body\./, '');
          return `${FIELD_LABELS[field] ?? field}: ${e.message}`;
        })
      : [];
  return fields.length > 0 ? fields.join('; ') : describeProblem(error);
}
