import { and, asc, count, desc, eq, gt, ilike, or, type SQL, sql } from 'drizzle-orm';
import type { SubscriberStatus, UnsubscribeSource } from '../../../domain/newsletter.ts';
import type {
  NewsletterListCreateRequest,
  NewsletterListUpdateRequest,
  NewsletterListView,
  NewsletterSubscriber,
  NewsletterSubscriberPage,
  NewsletterSubscriberQuery,
} from '../../../domain/schemas/newsletter.ts';
import type { Db } from '../../db/client.ts';
import type { Actor, RequestOrigin } from '../../platform/actor.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { escapeLike } from '../../platform/users.service.ts';
import { listsOffered } from './lists.service.ts';
import { auditNewsletter as audit } from './newsletter.audit.ts';
import { eraseSubscriberRow } from './newsletter.privacy.ts';
import { newsletterLists, newsletterSubscribers, newsletterSubscriptions } from './newsletter.tables.ts';

/*
 * What admins do with the newsletter's people and lists: look subscribers up, export them (CSV), erase one,
 * and create, rename, reorder and retire lists. Every action is audited with ids and counts, never an address.
 */

/** The slugs of the lists a subscriber receives, in list order. */
const listSlugs = sql<string[]>`array(
  select l.slug from ${newsletterSubscriptions} s join ${newsletterLists} l on l.id = s.list_id
  where s.subscriber_id = newsletter_subscribers.id order by l.position, l.name)`;

function subscriberFilter(
  organizationId: string,
  q: Pick<NewsletterSubscriberQuery, 'status' | 'list' | 'q'>,
) {
  const where: SQL[] = [eq(newsletterSubscribers.organizationId, organizationId)];
  if (q.status) where.push(eq(newsletterSubscribers.status, q.status));
  if (q.list) {
    where.push(
      or(
        sql`exists (select 1 from ${newsletterSubscriptions} s join ${newsletterLists} l on l.id = s.list_id
          where s.subscriber_id = newsletter_subscribers.id and l.slug = ${q.list})`,
        sql`${q.list} = any(${newsletterSubscribers.pendingLists})`,
      )!,
    );
  }
  if (q.q) where.push(ilike(newsletterSubscribers.email, `%${escapeLike(q.q)}%`));
  return and(...where)!;
}

const subscriberColumns = {
  id: newsletterSubscribers.id,
  email: newsletterSubscribers.email,
  status: newsletterSubscribers.status,
  lists: listSlugs,
  pendingLists: newsletterSubscribers.pendingLists,
  consentText: newsletterSubscribers.consentText,
  consentAt: newsletterSubscribers.consentAt,
  consentIp: newsletterSubscribers.consentIp,
  consentPage: newsletterSubscribers.consentPage,
  confirmedAt: newsletterSubscribers.confirmedAt,
  confirmIp: newsletterSubscribers.confirmIp,
  unsubscribedAt: newsletterSubscribers.unsubscribedAt,
  unsubscribeSource: newsletterSubscribers.unsubscribeSource,
  createdAt: newsletterSubscribers.createdAt,
};

type SubscriberRow = Pick<
  typeof newsletterSubscribers.$inferSelect,
  Exclude<keyof typeof subscriberColumns, 'lists'>
> & { lists: string[] };

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

const presentSubscriber = (r: SubscriberRow): NewsletterSubscriber => ({
  id: r.id,
  email: r.email,
  status: r.status as SubscriberStatus,
  lists: r.lists,
  pendingLists: r.pendingLists,
  consentAt: iso(r.consentAt)!,
  consentPage: r.consentPage,
  confirmedAt: iso(r.confirmedAt),
  unsubscribedAt: iso(r.unsubscribedAt),
  unsubscribeSource: (r.unsubscribeSource as UnsubscribeSource | null) ?? null,
  createdAt: iso(r.createdAt)!,
});

/** A page of subscribers, newest first (audited: who looked, with which filters, how many matched). */
export async function listSubscribers(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  q: NewsletterSubscriberQuery,
): Promise<NewsletterSubscriberPage> {
  const filter = subscriberFilter(actor.organizationId, q);
  const [rows, [total]] = await Promise.all([
    db
      .select(subscriberColumns)
      .from(newsletterSubscribers)
      .where(filter)
      .orderBy(desc(newsletterSubscribers.createdAt), desc(newsletterSubscribers.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(newsletterSubscribers).where(filter),
  ]);
  await audit(db, actor, origin, {
    action: 'newsletter.subscribers.list',
    recordKind: 'newsletter_subscriber',
    detail: {
      status: q.status ?? null,
      list: q.list ?? null,
      search: Boolean(q.q),
      page: q.page,
      total: total?.n ?? 0,
    },
  });
  return { items: rows.map(presentSubscriber), page: q.page, pageSize: q.pageSize, total: total?.n ?? 0 };
}

const CSV_COLUMNS = [
  'email',
  'status',
  'lists',
  'pending_lists',
  'consent_text',
  'consent_at',
  'consent_ip',
  'consent_page',
  'confirmed_at',
  'confirm_ip',
  'unsubscribed_at',
  'unsubscribe_source',
  'created_at',
] as const;

/** RFC 4180 quoting, and a leading quote on values a spreadsheet would run as a formula. */
function csvCell(value: string | null): string {
  let s = value ?? '';
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const csvLine = (r: SubscriberRow) =>
  `${[
    r.email,
    r.status,
    r.lists.join(' '),
    r.pendingLists.join(' '),
    r.consentText,
    iso(r.consentAt),
    r.consentIp,
    r.consentPage,
    iso(r.confirmedAt),
    r.confirmIp,
    iso(r.unsubscribedAt),
    r.unsubscribeSource,
    iso(r.createdAt),
  ]
    .map(csvCell)
    .join(',')}\r\n`;

/**
 * The subscribers matching the filters as CSV lines (header first), read in batches by id. The export is
 * audited before the first line, with its filters and how many rows it holds.
 */
export async function exportSubscribers(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  q: Pick<NewsletterSubscriberQuery, 'status' | 'list'>,
  batchSize = 500,
): Promise<AsyncGenerator<string>> {
  const filter = subscriberFilter(actor.organizationId, q);
  const [total] = await db.select({ n: count() }).from(newsletterSubscribers).where(filter);
  await audit(db, actor, origin, {
    action: 'newsletter.subscribers.export',
    recordKind: 'newsletter_subscriber',
    detail: { status: q.status ?? null, list: q.list ?? null, rows: total?.n ?? 0 },
  });
  async function* lines() {
    yield `${CSV_COLUMNS.join(',')}\r\n`;
    let after: string | null = null;
    for (;;) {
      const rows: SubscriberRow[] = await db
        .select(subscriberColumns)
        .from(newsletterSubscribers)
        .where(after ? and(filter, gt(newsletterSubscribers.id, after)) : filter)
        .orderBy(asc(newsletterSubscribers.id))
        .limit(batchSize);
      for (const row of rows) yield csvLine(row);
      if (rows.length < batchSize) return;
      after = rows.at(-1)!.id;
    }
  }
  return lines();
}

/** Erases a subscriber, leaving only the suppression hash (newsletter.privacy.ts); audited by id. */
export async function eraseSubscriber(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  subscriberId: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    if (!(await eraseSubscriberRow(tx, actor.organizationId, subscriberId))) throw notFound('subscriber');
    await audit(tx, actor, origin, {
      action: 'newsletter.subscriber.erase',
      recordKind: 'newsletter_subscriber',
      recordId: subscriberId,
    });
  });
}

/** Every list, retired ones last, with its active subscribers (the defaults are made on first use). */
export async function listLists(db: Db, organizationId: string): Promise<NewsletterListView[]> {
  await listsOffered(db, organizationId);
  const rows = await db
    .select({
      id: newsletterLists.id,
      slug: newsletterLists.slug,
      name: newsletterLists.name,
      description: newsletterLists.description,
      position: newsletterLists.position,
      retiredAt: newsletterLists.retiredAt,
      subscribers: sql<number>`(select count(*)::int from ${newsletterSubscriptions} s
        join ${newsletterSubscribers} b on b.id = s.subscriber_id
        where s.list_id = newsletter_lists.id and b.status = 'active')`,
    })
    .from(newsletterLists)
    .where(eq(newsletterLists.organizationId, organizationId))
    .orderBy(
      sql`${newsletterLists.retiredAt} is not null`,
      asc(newsletterLists.position),
      asc(newsletterLists.name),
    );
  return rows.map((r) => ({ ...r, retiredAt: iso(r.retiredAt), subscribers: Number(r.subscribers) }));
}

async function oneList(db: Db, organizationId: string, listId: string) {
  const found = (await listLists(db, organizationId)).find((l) => l.id === listId);
  if (!found) throw notFound('list');
  return found;
}

/** A new list, offered on the sign-up form at once. */
export async function createList(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  input: NewsletterListCreateRequest,
): Promise<NewsletterListView> {
  await listsOffered(db, actor.organizationId);
  const id = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(newsletterLists)
      .values({
        organizationId: actor.organizationId,
        slug: input.slug,
        name: input.name,
        description: input.description,
        position:
          input.position ??
          sql`(select coalesce(max(position), -1) + 1 from ${newsletterLists} where organization_id = ${actor.organizationId})`,
      })
      .onConflictDoNothing()
      .returning({ id: newsletterLists.id });
    if (!created) throw conflict('list-slug-taken', `A list is already called "${input.slug}"`);
    await audit(tx, actor, origin, {
      action: 'newsletter.list.create',
      recordKind: 'newsletter_list',
      recordId: created.id,
    });
    return created.id;
  });
  return oneList(db, actor.organizationId, id);
}

/** Renames, describes, reorders, retires or offers again a list. Its slug stays (links and forms use it). */
export async function updateList(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  listId: string,
  input: NewsletterListUpdateRequest,
): Promise<NewsletterListView> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: newsletterLists.id, retiredAt: newsletterLists.retiredAt })
      .from(newsletterLists)
      .where(and(eq(newsletterLists.id, listId), eq(newsletterLists.organizationId, actor.organizationId)))
      .for('update');
    if (!row) throw notFound('list');
    await tx
      .update(newsletterLists)
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.position !== undefined ? { position: input.position } : {}),
        ...(input.retired !== undefined
          ? { retiredAt: input.retired ? (row.retiredAt ?? new Date()) : null }
          : {}),
      })
      .where(eq(newsletterLists.id, listId));
    await audit(tx, actor, origin, {
      action: 'newsletter.list.update',
      recordKind: 'newsletter_list',
      recordId: listId,
      detail: {
        fields: Object.keys(input).filter((k) => input[k as keyof typeof input] !== undefined),
        ...(input.retired !== undefined ? { retired: input.retired } : {}),
      },
    });
  });
  return oneList(db, actor.organizationId, listId);
}
