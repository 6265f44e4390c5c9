import { and, asc, eq, sql } from 'drizzle-orm';
import type { SitePageUpdateRequest } from '../../../domain/schemas/site.ts';
import {
  isSitePageSlug,
  mergeSitePages,
  type SitePage,
  type SitePageSlug,
  type StoredSitePage,
} from '../../../domain/site.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { type Actor, auditActor, type RequestOrigin } from '../../platform/actor.ts';
import { appendAudit } from '../../platform/audit/audit.service.ts';
import { notFound, staleVersion } from '../../platform/errors.ts';
import { organizations } from '../../platform/platform.tables.ts';
import { sitePages } from './site.tables.ts';

/**
 * The public site's pages (issue 7): the defaults of domain/site.ts with what admins saved over them, read by
 * the public routes and edited through the admin API with an optimistic version, every change audited as an
 * admin action (the page's slug and fields changed; nothing about any patient exists here).
 */

export interface SiteOrganization {
  id: string;
  slug: string;
  name: string;
  timeZone: string;
}

const orgColumns = {
  id: organizations.id,
  slug: organizations.slug,
  name: organizations.name,
  timeZone: organizations.timeZone,
};

/** The organisation whose site this is, by its slug (as in `/site/<slug>/`), or null. */
export async function organizationBySlug(db: DbOrTx, slug: string): Promise<SiteOrganization | null> {
  const [org] = await db.select(orgColumns).from(organizations).where(eq(organizations.slug, slug));
  return org ?? null;
}

/** The organisation by its id, or null. */
export async function organizationById(db: DbOrTx, id: string): Promise<SiteOrganization | null> {
  const [org] = await db.select(orgColumns).from(organizations).where(eq(organizations.id, id));
  return org ?? null;
}

/** The organisations with a public site (every one), for `/site`: at most `limit`, by name. */
export async function siteOrganizations(db: DbOrTx, limit = 500): Promise<SiteOrganization[]> {
  return db.select(orgColumns).from(organizations).orderBy(asc(organizations.name)).limit(limit);
}

async function storedPages(db: DbOrTx, organizationId: string): Promise<StoredSitePage[]> {
  return db
    .select({
      slug: sitePages.slug,
      title: sitePages.title,
      summary: sitePages.summary,
      bodyMarkdown: sitePages.bodyMarkdown,
      position: sitePages.position,
      published: sitePages.published,
      version: sitePages.version,
      updatedAt: sitePages.updatedAt,
    })
    .from(sitePages)
    .where(eq(sitePages.organizationId, organizationId));
}

/** Every page of the site (published or not), defaults merged with what admins saved, in position order. */
export async function readSitePages(db: DbOrTx, organizationId: string): Promise<SitePage[]> {
  return mergeSitePages(await storedPages(db, organizationId));
}

/** The pages the public sees. */
export async function publishedSitePages(db: DbOrTx, organizationId: string): Promise<SitePage[]> {
  return (await readSitePages(db, organizationId)).filter((p) => p.published);
}

const FIELDS = ['title', 'summary', 'bodyMarkdown', 'position', 'published'] as const;

/**
 * Saves a page: the first save of a default page (version 0) inserts it, a later one updates the version it
 * was read at. Someone else's save in between answers 409 with the current version; nothing is overwritten.
 */
export async function saveSitePage(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  slug: string,
  body: SitePageUpdateRequest,
): Promise<SitePage> {
  const key = slug.toLowerCase();
  if (!isSitePageSlug(key)) throw notFound('page');
  const values = {
    title: body.title,
    summary: body.summary,
    bodyMarkdown: body.bodyMarkdown,
    position: body.position,
    published: body.published,
  };
  await db.transaction(async (tx) => {
    const before = (await readSitePages(tx, actor.organizationId)).find((p) => p.slug === key)!;
    const [saved] =
      body.version === 0
        ? await tx
            .insert(sitePages)
            .values({ organizationId: actor.organizationId, slug: key, ...values, updatedBy: actor.userId })
            .onConflictDoNothing()
            .returning({ id: sitePages.id, version: sitePages.version })
        : await tx
            .update(sitePages)
            .set({
              ...values,
              version: sql`${sitePages.version} + 1`,
              updatedAt: new Date(),
              updatedBy: actor.userId,
            })
            .where(
              and(
                eq(sitePages.organizationId, actor.organizationId),
                sql`lower(${sitePages.slug}) = ${key}`,
                eq(sitePages.version, body.version),
              ),
            )
            .returning({ id: sitePages.id, version: sitePages.version });
    if (!saved) {
      // Read again: the save that won may have committed after `before` was read.
      const current = (await readSitePages(tx, actor.organizationId)).find((p) => p.slug === key)!;
      throw staleVersion(current.version);
    }
    await appendAudit(tx, {
      ...auditActor(actor),
      action: 'site.page.update',
      outcome: 'success',
      recordKind: 'site_page',
      recordId: saved.id,
      ip: origin.ip,
      userAgent: origin.userAgent,
      detail: {
        slug: key,
        version: saved.version,
        published: body.published,
        changed: FIELDS.filter((f) => before[f] !== values[f]),
      },
    });
  });
  return (await readSitePages(db, actor.organizationId)).find((p) => p.slug === (key as SitePageSlug))!;
}
