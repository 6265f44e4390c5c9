import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { AppError } from '../../platform/errors.ts';
import { listsOffered } from './lists.service.ts';
import {
  newsletterLists,
  newsletterSubscribers,
  newsletterSubscriptions,
  newsletterSuppressions,
} from './newsletter.tables.ts';
import { emailHash, type Subscriber, subscribedLists, unsubscribe } from './subscriptions.service.ts';
import { checkNewsletterToken, type LinkPurpose, newsletterLinkKey } from './tokens.ts';

/*
 * What the links mailed to an address do (tokens.ts signs them): confirm a sign-up, read and save the
 * address's lists, unsubscribe it. Each checks its link first: altered (403), expired (410), for another
 * organisation or an address gone, or retired by a newer token version (410), as each purpose needs.
 */

export const linkInvalid = () =>
  new AppError(403, 'newsletter-link-invalid', 'This link is not valid', {
    detail:
      'The link may have been cut short or changed on its way. Copy it again in full from the email, or use the link in a more recent email.',
  });
export const linkExpired = () =>
  new AppError(410, 'newsletter-link-expired', 'This link has expired', {
    detail:
      'Links in our emails work for a limited time. Use the link in a more recent email, or sign up again.',
  });
export const linkSuperseded = () =>
  new AppError(410, 'newsletter-link-superseded', 'This link no longer works', {
    detail:
      'A newer email was sent since, or the subscription has changed. Use the link in the most recent email, or sign up again.',
  });

/**
 * The subscriber a link names, checked: signature, purpose and expiry (403, 410), and that it belongs to the
 * organisation of the page. `null` when the subscriber is gone (forgotten or erased): each page says what
 * that means for it. Versions are checked by the caller, as each purpose needs.
 */
export async function subscriberOfLink(
  db: DbOrTx,
  config: Config,
  organizationId: string,
  token: unknown,
  purpose: LinkPurpose,
  now = new Date(),
  lock = false,
): Promise<{ subscriber: Subscriber | null; tokenVersion: number }> {
  const check = checkNewsletterToken(newsletterLinkKey(config.sessionSecret), token, purpose, now);
  if (!check.ok) throw check.reason === 'expired' ? linkExpired() : linkInvalid();
  const query = db
    .select()
    .from(newsletterSubscribers)
    .where(
      and(
        eq(newsletterSubscribers.id, check.claims.subscriberId),
        eq(newsletterSubscribers.organizationId, organizationId),
      ),
    );
  const [subscriber] = lock ? await query.for('update') : await query;
  // A version the server never issued cannot be signed without the key: the link is forged.
  if (subscriber && check.claims.tokenVersion > subscriber.tokenVersion) throw linkInvalid();
  return { subscriber: subscriber ?? null, tokenVersion: check.claims.tokenVersion };
}

/** The confirm page: the pending subscription a link confirms, or that it is confirmed already. */
export async function readConfirmation(
  db: DbOrTx,
  config: Config,
  organizationId: string,
  token: unknown,
  now = new Date(),
  lock = false,
): Promise<{ subscriber: Subscriber; confirmed: boolean; lists: string[] }> {
  const { subscriber, tokenVersion } = await subscriberOfLink(
    db,
    config,
    organizationId,
    token,
    'confirm',
    now,
    lock,
  );
  if (!subscriber || subscriber.tokenVersion !== tokenVersion) throw linkSuperseded();
  if (subscriber.status === 'active') {
    return {
      subscriber,
      confirmed: true,
      lists: (await subscribedLists(db, subscriber.id)).map((l) => l.name),
    };
  }
  const lists = await pendingListRows(db, organizationId, subscriber.pendingLists);
  if (lists.length === 0) throw linkSuperseded();
  return { subscriber, confirmed: false, lists: lists.map((l) => l.name) };
}

const pendingListRows = (db: DbOrTx, organizationId: string, slugs: string[]) =>
  slugs.length === 0
    ? Promise.resolve([])
    : db
        .select({ id: newsletterLists.id, name: newsletterLists.name })
        .from(newsletterLists)
        .where(
          and(
            eq(newsletterLists.organizationId, organizationId),
            inArray(newsletterLists.slug, slugs),
            sql`${newsletterLists.retiredAt} is null`,
          ),
        )
        .orderBy(newsletterLists.position, newsletterLists.name);

/**
 * Confirms a sign-up (the confirm page's button, never the GET): the address becomes active on the lists it
 * chose, the confirmation's time and IP are kept, and a suppression from an earlier unsubscribe is lifted.
 * Confirming twice changes nothing the second time.
 */
export async function confirm(
  db: Db,
  config: Config,
  organizationId: string,
  token: unknown,
  ip: string | null,
  now = new Date(),
): Promise<{ subscriber: Subscriber; lists: string[]; already: boolean }> {
  return db.transaction(async (tx) => {
    const read = await readConfirmation(tx, config, organizationId, token, now, true);
    if (read.confirmed) return { subscriber: read.subscriber, lists: read.lists, already: true };
    const row = read.subscriber;
    const lists = await pendingListRows(tx, organizationId, row.pendingLists);
    await tx
      .insert(newsletterSubscriptions)
      .values(lists.map((l) => ({ subscriberId: row.id, listId: l.id, createdAt: now })))
      .onConflictDoNothing();
    const [updated] = await tx
      .update(newsletterSubscribers)
      .set({
        status: 'active',
        pendingLists: [],
        confirmedAt: now,
        confirmIp: ip,
        unsubscribedAt: null,
        unsubscribeSource: null,
        updatedAt: now,
      })
      .where(eq(newsletterSubscribers.id, row.id))
      .returning();
    await tx
      .delete(newsletterSuppressions)
      .where(
        and(
          eq(newsletterSuppressions.organizationId, organizationId),
          eq(newsletterSuppressions.emailHash, emailHash(row.email)),
        ),
      );
    return { subscriber: updated!, lists: lists.map((l) => l.name), already: false };
  });
}

/** Unsubscribes the subscriber an unsubscribe link names (any version it was sent with). */
export async function unsubscribeByLink(
  db: Db,
  config: Config,
  organizationId: string,
  token: unknown,
  source: 'link' | 'one-click',
  now = new Date(),
): Promise<{ changed: boolean }> {
  const { subscriber } = await subscriberOfLink(db, config, organizationId, token, 'unsubscribe', now);
  if (!subscriber) return { changed: false };
  return unsubscribe(db, organizationId, subscriber.id, source, now);
}

export interface PreferencesView {
  subscriber: Subscriber;
  /** Offered lists, and retired ones the address still receives, with whether each is ticked. */
  lists: {
    slug: string;
    name: string;
    description: string;
    subscribed: boolean;
    asked: boolean;
    retired: boolean;
  }[];
}

/** The preferences page of an active subscriber (an older link, or one for an address since unsubscribed: 410). */
export async function readPreferences(
  db: DbOrTx,
  config: Config,
  organizationId: string,
  token: unknown,
  now = new Date(),
): Promise<PreferencesView> {
  const { subscriber, tokenVersion } = await subscriberOfLink(
    db,
    config,
    organizationId,
    token,
    'preferences',
    now,
  );
  if (!subscriber || subscriber.tokenVersion !== tokenVersion || subscriber.status !== 'active') {
    throw linkSuperseded();
  }
  const offered = await listsOffered(db, organizationId);
  const current = await subscribedLists(db, subscriber.id);
  const lists = [
    ...offered.map((l) => ({
      slug: l.slug,
      name: l.name,
      description: l.description,
      subscribed: current.some((c) => c.id === l.id),
      asked: subscriber.pendingLists.includes(l.slug),
      retired: false,
    })),
    ...current
      .filter((c) => c.retiredAt)
      .map((c) => ({
        slug: c.slug,
        name: c.name,
        description: '',
        subscribed: true,
        asked: false,
        retired: true,
      })),
  ];
  return { subscriber, lists };
}

/**
 * Saves an active subscriber's lists: exactly the ones ticked (of those offered, and retired ones kept). No
 * list ticked means unsubscribing (source `preferences`): an address on no list is kept for nothing.
 */
export async function updatePreferences(
  db: Db,
  config: Config,
  organizationId: string,
  token: unknown,
  slugs: string[],
  now = new Date(),
): Promise<{ unsubscribed: boolean; view: PreferencesView | null }> {
  const view = await readPreferences(db, config, organizationId, token, now);
  const allowed = view.lists.filter((l) => slugs.includes(l.slug) && (!l.retired || l.subscribed));
  if (allowed.length === 0) {
    await unsubscribe(db, organizationId, view.subscriber.id, 'preferences', now);
    return { unsubscribed: true, view: null };
  }
  await db.transaction(async (tx) => {
    // Locked and checked again: an unsubscribe that committed meanwhile wins.
    const { subscriber, tokenVersion } = await subscriberOfLink(
      tx,
      config,
      organizationId,
      token,
      'preferences',
      now,
      true,
    );
    if (!subscriber || subscriber.tokenVersion !== tokenVersion || subscriber.status !== 'active') {
      throw linkSuperseded();
    }
    const ids = (
      await tx
        .select({ id: newsletterLists.id })
        .from(newsletterLists)
        .where(
          and(
            eq(newsletterLists.organizationId, organizationId),
            inArray(
              newsletterLists.slug,
              allowed.map((l) => l.slug),
            ),
          ),
        )
    ).map((l) => l.id);
    await tx
      .delete(newsletterSubscriptions)
      .where(
        and(
          eq(newsletterSubscriptions.subscriberId, view.subscriber.id),
          notInArray(newsletterSubscriptions.listId, ids),
        ),
      );
    await tx
      .insert(newsletterSubscriptions)
      .values(ids.map((listId) => ({ subscriberId: view.subscriber.id, listId, createdAt: now })))
      .onConflictDoNothing();
    await tx
      .update(newsletterSubscribers)
      .set({ pendingLists: [], updatedAt: now })
      .where(eq(newsletterSubscribers.id, view.subscriber.id));
  });
  return { unsubscribed: false, view: await readPreferences(db, config, organizationId, token, now) };
}
