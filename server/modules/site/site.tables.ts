import { sql } from 'drizzle-orm';
import { boolean, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { newId } from '../../platform/ids.ts';
import { organizations, users } from '../../platform/platform.tables.ts';

/**
 * The department's public pages (issue 7): its services, how to ask for a social worker, contacts and hours.
 * Admins write them in markdown; the public site renders them sanitised, server-side, readable without
 * JavaScript. Public data only: no patient data is ever stored or shown here.
 */
export const sitePages = pgTable(
  'site_pages',
  {
    id: uuid('id').primaryKey().$defaultFn(newId),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    /** The page's address under the site (domain/site.ts SITE_PAGES: assessment, counseling, ..., contact). */
    slug: text('slug').notNull(),
    title: text('title').notNull(),
    /** One or two sentences: the service's card on the home page and the page's description. */
    summary: text('summary').notNull().default(''),
    /** CommonMark without raw HTML; rendered and sanitised when served. */
    bodyMarkdown: text('body_markdown').notNull().default(''),
    /** Order on the home page and in the navigation. */
    position: integer('position').notNull().default(0),
    published: boolean('published').notNull().default(true),
    version: integer('version').notNull().default(1),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid('updated_by').references(() => users.id),
  },
  (t) => [uniqueIndex('site_pages_slug_key').on(t.organizationId, sql`lower(${t.slug})`)],
);
