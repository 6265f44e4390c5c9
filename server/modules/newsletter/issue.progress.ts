import { count, inArray } from 'drizzle-orm';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../../domain/newsletter.ts';
import type { NewsletterIssueProgress } from '../../../domain/schemas/newsletter.ts';
import type { DbOrTx } from '../../db/client.ts';
import { newsletterDeliveries } from './newsletter.tables.ts';

const emptyProgress = (): NewsletterIssueProgress => ({
  recipients: 0,
  ...(Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as Record<DeliveryStatus, number>),
});

/** The issues' deliveries counted by status (all zero before sending starts), in one query. */
export async function progressOf(
  db: DbOrTx,
  issueIds: string[],
): Promise<Map<string, NewsletterIssueProgress>> {
  const byIssue = new Map(issueIds.map((id) => [id, emptyProgress()]));
  if (issueIds.length === 0) return byIssue;
  const rows = await db
    .select({ issueId: newsletterDeliveries.issueId, status: newsletterDeliveries.status, n: count() })
    .from(newsletterDeliveries)
    .where(inArray(newsletterDeliveries.issueId, issueIds))
    .groupBy(newsletterDeliveries.issueId, newsletterDeliveries.status);
  for (const row of rows) {
    const progress = byIssue.get(row.issueId)!;
    progress[row.status as DeliveryStatus] = row.n;
    progress.recipients += row.n;
  }
  return byIssue;
}
