import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import {
  NEWSLETTER_CONSENT_TEXT,
  SIGNUP_MAILS_PER_DAY,
  type UnsubscribeSource,
} from '../../../domain/newsletter.ts';
import type { Config } from '../../config.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { invalid } from '../../platform/errors.ts';
import type { OutgoingMail } from '../../platform/mail.ts';
import { listsOffered } from './lists.service.ts';
import { alreadySubscribedEmail, confirmationEmail, type MailOrganization } from './newsletter.mail.ts';
import {
  newsletterLists,
  newsletterSubscribers,
  newsletterSubscriptions,
  newsletterSuppressions,
} from './newsletter.tables.ts';

/*
 * The life of an address (issue 7): signed up (pending, with its consent record) → confirmed through the link
 * in its confirmation mail (active, on the lists chosen) → unsubscribed (at once, by a link, a mail client's
 * one-click or its preferences; the address's hash goes on the suppression list). Whatever state an address
 * is in, signing it up answers the same; only the mailbox's owner learns more, through the links mailed to it.
 */

export type Subscriber = typeof newsletterSubscribers.$inferSelect;

/** The suppression list's key: SHA-256 of the trimmed, lower-cased address. */
export const emailHash = (email: string): string =>
  createHash('sha256').update(email.trim().toLowerCase()).digest('hex');

const DAY_MS = 86_400_000;

export interface SignupConsent {
  ip: string | null;
  page: string | null;
}

/** What a sign-up did, for the caller to mail and for tests; never shown to whoever signed up. */
export type SignupOutcome = 'new' | 'pending' | 'active' | 'unsubscribed' | 'rate-limited';

/** The lists named by slug, or a 422 naming the ones not offered (this reveals nothing about the address). */
async function offeredBySlug(db: DbOrTx, organizationId: string, slugs: string[]) {
  const offered = await listsOffered(db, organizationId);
  const unknown = slugs.filter((s) => !offered.some((l) => l.slug === s));
  if (unknown.length) {
    throw invalid(unknown.map((s) => ({ field: 'lists', message: `no list is called "${s}"` })));
  }
  return offered.filter((l) => slugs.includes(l.slug));
}

/** Another sign-up mail may go to this address now (at most SIGNUP_MAILS_PER_DAY in 24 hours). */
function mailBudget(row: Subscriber, now: Date): { allowed: boolean; sent: number } {
  const recent = row.confirmationSentAt && now.getTime() - row.confirmationSentAt.getTime() < DAY_MS;
  const sent = recent ? row.confirmationsSent : 0;
  return { allowed: sent < SIGNUP_MAILS_PER_DAY, sent };
}

/**
 * Signs an address up for lists. A new address (or one erased before) becomes pending with its consent
 * record and gets a confirmation mail; a pending or unsubscribed one gets a new confirmation mail (its
 * status does not change until the link is followed); an active one is not changed: it is mailed a link to
 * its preferences, where the new lists are ticked ready to save. At most SIGNUP_MAILS_PER_DAY mails per
 * address in 24 hours, then nothing. Returns the mail to send after the commit.
 */
export async function subscribe(
  db: Db,
  config: Config,
  organization: MailOrganization,
  input: { email: string; lists: string[]; consent: SignupConsent },
  now = new Date(),
): Promise<{ outcome: SignupOutcome; mail: OutgoingMail | null }> {
  const chosen = await offeredBySlug(db, organization.id, input.lists);
  const slugs = chosen.map((l) => l.slug);
  const email = input.email.trim();
  const consent = {
    consentText: NEWSLETTER_CONSENT_TEXT,
    consentAt: now,
    consentIp: input.consent.ip,
    consentPage: input.consent.page,
  };
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(newsletterSubscribers)
      .values({
        organizationId: organization.id,
        email,
        status: 'pending',
        ...consent,
        pendingLists: slugs,
        confirmationsSent: 1,
        confirmationSentAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (created) {
      const names = chosen.map((l) => l.name);
      return { outcome: 'new', mail: confirmationEmail(config, organization, created, names) };
    }
    const [row] = await tx
      .select()
      .from(newsletterSubscribers)
      .where(
        and(
          eq(newsletterSubscribers.organizationId, organization.id),
          sql`lower(${newsletterSubscribers.email}) = lower(${email})`,
        ),
      )
      .for('update');
    if (!row) throw new Error('the subscriber vanished between insert and select');
    const budget = mailBudget(row, now);
    if (!budget.allowed) return { outcome: 'rate-limited', mail: null };
    const counted = { confirmationsSent: budget.sent + 1, confirmationSentAt: now, updatedAt: now };

    if (row.status === 'active') {
      const current = await subscribedLists(tx, row.id);
      const asked = slugs.filter((s) => !current.some((l) => l.slug === s));
      const [updated] = await tx
        .update(newsletterSubscribers)
        .set({ ...counted, pendingLists: asked })
        .where(eq(newsletterSubscribers.id, row.id))
        .returning();
      const mail = alreadySubscribedEmail(
        config,
        organization,
        updated!,
        current.map((l) => l.name),
        chosen.map((l) => l.name),
      );
      return { outcome: 'active', mail };
    }
    // Pending or unsubscribed: a new confirmation link, and the earlier ones stop working.
    const [updated] = await tx
      .update(newsletterSubscribers)
      .set({
        ...counted,
        ...consent,
        pendingLists: slugs,
        tokenVersion: row.tokenVersion + 1,
      })
      .where(eq(newsletterSubscribers.id, row.id))
      .returning();
    const mail = confirmationEmail(
      config,
      organization,
      updated!,
      chosen.map((l) => l.name),
    );
    return { outcome: row.status === 'pending' ? 'pending' : 'unsubscribed', mail };
  });
}

/** The lists an address receives, in the order they are offered. */
export async function subscribedLists(db: DbOrTx, subscriberId: string) {
  return db
    .select({
      id: newsletterLists.id,
      slug: newsletterLists.slug,
      name: newsletterLists.name,
      retiredAt: newsletterLists.retiredAt,
    })
    .from(newsletterSubscriptions)
    .innerJoin(newsletterLists, eq(newsletterLists.id, newsletterSubscriptions.listId))
    .where(eq(newsletterSubscriptions.subscriberId, subscriberId))
    .orderBy(newsletterLists.position, newsletterLists.name);
}

/**
 * Unsubscribes at once: no list any more, the address on the suppression list, and its links retired (a
 * newer version), except unsubscribe links, which keep working so that an older email's one-click still
 * does what it says. A subscriber already gone (forgotten, erased) or unsubscribed changes nothing.
 */
export async function unsubscribe(
  db: Db,
  organizationId: string,
  subscriberId: string,
  source: UnsubscribeSource,
  now = new Date(),
): Promise<{ changed: boolean }> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(newsletterSubscribers)
      .where(
        and(
          eq(newsletterSubscribers.id, subscriberId),
          eq(newsletterSubscribers.organizationId, organizationId),
        ),
      )
      .for('update');
    if (!row) return { changed: false };
    await tx
      .insert(newsletterSuppressions)
      .values({ organizationId, emailHash: emailHash(row.email), reason: 'unsubscribed', createdAt: now })
      .onConflictDoNothing();
    if (row.status === 'unsubscribed') return { changed: false };
    await tx.delete(newsletterSubscriptions).where(eq(newsletterSubscriptions.subscriberId, row.id));
    await tx
      .update(newsletterSubscribers)
      .set({
        status: 'unsubscribed',
        unsubscribedAt: now,
        unsubscribeSource: source,
        pendingLists: [],
        tokenVersion: row.tokenVersion + 1,
        updatedAt: now,
      })
      .where(eq(newsletterSubscribers.id, row.id));
    return { changed: true };
  });
}

/** Whether a newsletter may be sent to this subscriber now: active, and the address not suppressed. */
export async function mayReceiveNewsletter(db: DbOrTx, subscriber: Subscriber): Promise<boolean> {
  if (subscriber.status !== 'active') return false;
  const [suppressed] = await db
    .select({ id: newsletterSuppressions.id })
    .from(newsletterSuppressions)
    .where(
      and(
        eq(newsletterSuppressions.organizationId, subscriber.organizationId),
        eq(newsletterSuppressions.emailHash, emailHash(subscriber.email)),
      ),
    );
  return !suppressed;
}
