import { and, eq, inArray, sql } from 'drizzle-orm';
import { PENDING_RETENTION_DAYS } from '../../../domain/newsletter.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { defineJob } from '../../platform/jobs.ts';
import { redactOutboxAddresses } from '../../platform/mail.ts';
import { newsletterDeliveries, newsletterSubscribers, newsletterSuppressions } from './newsletter.tables.ts';
import { emailHash } from './subscriptions.service.ts';

/*
 * Keeping subscribers' addresses no longer than needed: a pending address nobody confirmed is forgotten after
 * PENDING_RETENTION_DAYS, and an erased one leaves only its suppression hash. Either way the copies of the
 * address in the mail outbox (the confirmation mails) and in the issues' delivery rows are blanked too.
 */

/** What stands in the outbox and delivery rows for an address that was forgotten or erased. */
export const REDACTED_ADDRESS = '(address removed)';

/** Blanks an organisation's outbox and delivery copies of these addresses (compared lower-cased). */
export async function redactAddressCopies(
  tx: DbOrTx,
  organizationId: string,
  addresses: string[],
  subscriberIds: string[],
): Promise<void> {
  if (addresses.length === 0) return;
  const lowered = addresses.map((a) => a.trim().toLowerCase());
  await redactOutboxAddresses(tx, organizationId, lowered, REDACTED_ADDRESS);
  if (subscriberIds.length) {
    await tx
      .update(newsletterDeliveries)
      // An SMTP reply often quotes the address it refused: it goes with it.
      .set({
        email: REDACTED_ADDRESS,
        lastError: sql`case when ${newsletterDeliveries.lastError} is null then null else '(reply removed with the address)' end`,
      })
      .where(inArray(newsletterDeliveries.subscriberId, subscriberIds));
  }
}

/**
 * Forgets pending addresses whose last sign-up is older than the retention (their consent record goes with
 * them), and drops the unconfirmed lists of unsubscribed addresses that signed up again and never confirmed.
 * Returns how many of each.
 */
export async function forgetPendingSubscribers(
  db: Db,
  now = new Date(),
  batchSize = 500,
): Promise<{ forgotten: number; expiredRequests: number }> {
  const cutoff = new Date(now.getTime() - PENDING_RETENTION_DAYS * 86_400_000);
  let forgotten = 0;
  for (;;) {
    const done = await db.transaction(async (tx) => {
      // consent_at ≥ created_at, so the first condition lets the partial index on pending rows find them.
      const gone = await tx
        .delete(newsletterSubscribers)
        .where(
          sql`${newsletterSubscribers.id} in (
            select id from newsletter_subscribers
            where status = 'pending' and created_at < ${cutoff.toISOString()}::timestamptz
              and consent_at < ${cutoff.toISOString()}::timestamptz
            order by created_at limit ${batchSize} for update skip locked)`,
        )
        .returning({
          id: newsletterSubscribers.id,
          organizationId: newsletterSubscribers.organizationId,
          email: newsletterSubscribers.email,
        });
      const byOrganization = new Map<string, typeof gone>();
      for (const g of gone)
        byOrganization.set(g.organizationId, [...(byOrganization.get(g.organizationId) ?? []), g]);
      for (const [organizationId, rows] of byOrganization) {
        await redactAddressCopies(
          tx,
          organizationId,
          rows.map((r) => r.email),
          rows.map((r) => r.id),
        );
      }
      return gone.length;
    });
    forgotten += done;
    if (done < batchSize) break;
  }
  const expired = await db
    .update(newsletterSubscribers)
    .set({ pendingLists: [], updatedAt: now })
    .where(
      and(
        eq(newsletterSubscribers.status, 'unsubscribed'),
        sql`cardinality(${newsletterSubscribers.pendingLists}) > 0`,
        sql`${newsletterSubscribers.consentAt} < ${cutoff.toISOString()}::timestamptz`,
      ),
    )
    .returning({ id: newsletterSubscribers.id });
  return { forgotten, expiredRequests: expired.length };
}

/**
 * Erases one subscriber: the row and its subscriptions go, the copies of its address are blanked, and only
 * the SHA-256 of the address stays on the suppression list (reason `erased`), so that nothing is ever sent
 * to it again unless it signs up and confirms anew. Returns false when there is no such subscriber.
 */
export async function eraseSubscriberRow(
  tx: DbOrTx,
  organizationId: string,
  subscriberId: string,
  now = new Date(),
): Promise<boolean> {
  const [row] = await tx
    .select({ id: newsletterSubscribers.id, email: newsletterSubscribers.email })
    .from(newsletterSubscribers)
    .where(
      and(
        eq(newsletterSubscribers.id, subscriberId),
        eq(newsletterSubscribers.organizationId, organizationId),
      ),
    )
    .for('update');
  if (!row) return false;
  await tx
    .insert(newsletterSuppressions)
    .values({ organizationId, emailHash: emailHash(row.email), reason: 'erased', createdAt: now })
    .onConflictDoUpdate({
      target: [newsletterSuppressions.organizationId, newsletterSuppressions.emailHash],
      set: { reason: 'erased' },
    });
  await redactAddressCopies(tx, organizationId, [row.email], [row.id]);
  await tx.delete(newsletterSubscribers).where(eq(newsletterSubscribers.id, row.id));
  return true;
}

/** Every day at 03:41 UTC, on one worker at a time. */
export const forgetPendingJob = defineJob({
  name: 'newsletter.forget-pending',
  cron: '41 3 * * *',
  policy: 'singleton',
  batchSize: 1,
  // A missed day is caught by the next one.
  retryLimit: 0,
  handler: async (_jobs, ctx) => {
    const { forgotten, expiredRequests } = await forgetPendingSubscribers(ctx.database.db);
    if (forgotten || expiredRequests) {
      ctx.logger.info({ forgotten, expiredRequests }, 'unconfirmed newsletter sign-ups forgotten');
    }
  },
});
