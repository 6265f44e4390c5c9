import { z } from 'zod';
import { SDOH_DOMAINS } from '../needs.ts';
import { SEARCH_RADIUS_MILES } from '../resources.ts';
import { SITE_PAGE_LIMITS, SITE_PAGE_SLUGS } from '../site.ts';

/** The department's public site (issue 7): the admin API that edits its pages, and the public finder's form. */

export const SitePageSlug = z.enum(SITE_PAGE_SLUGS);

/** One page as the admin screen edits it: the default text until an admin saves it (version 0). */
export const SitePage = z.object({
  slug: SitePageSlug,
  kind: z.enum(['service', 'request', 'contact']),
  title: z.string(),
  summary: z.string(),
  bodyMarkdown: z.string(),
  position: z.number().int(),
  published: z.boolean(),
  /** 0 while the page shows its default text; send it back with the change. */
  version: z.number().int(),
  /** Saved by an admin (false: the default text). */
  customized: z.boolean(),
  updatedAt: z.string().nullable(),
});
export type SitePage = z.infer<typeof SitePage>;

/** `GET /api/site/pages`: every page in position order, and where the public site is. */
export const SitePagesResponse = z.object({
  items: z.array(SitePage),
  /** The public site's home page, e.g. `/site/riverside/`. */
  siteUrl: z.string(),
});
export type SitePagesResponse = z.infer<typeof SitePagesResponse>;

export const SitePageParams = z.object({ slug: z.string().max(100) });

const Text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);

/** `PUT /api/site/pages/:slug`: the whole page, with the version it was read at (0 for the default text). */
export const SitePageUpdateRequest = z.object({
  title: Text(SITE_PAGE_LIMITS.title).min(1, 'is required'),
  summary: Text(SITE_PAGE_LIMITS.summary),
  bodyMarkdown: z.string().max(SITE_PAGE_LIMITS.body, `must be at most ${SITE_PAGE_LIMITS.body} characters`),
  position: z
    .number()
    .int('must be a whole number')
    .min(0, 'must be 0 or more')
    .max(SITE_PAGE_LIMITS.position, `must be at most ${SITE_PAGE_LIMITS.position}`),
  published: z.boolean(),
  version: z.number().int().min(0, 'must be 0 or more'),
});
export type SitePageUpdateRequest = z.infer<typeof SitePageUpdateRequest>;

/** `POST /api/site/preview`: markdown rendered and sanitised exactly as the public site does. */
export const SitePreviewRequest = z.object({
  markdown: z.string().max(SITE_PAGE_LIMITS.body, `must be at most ${SITE_PAGE_LIMITS.body} characters`),
});
export const SitePreviewResponse = z.object({ html: z.string() });
export type SitePreviewResponse = z.infer<typeof SitePreviewResponse>;

// ---------------------------------------------------------------------------------------------------------
// The public resource finder's GET form

/** The distances the finder offers, in miles. */
export const SITE_FINDER_MILES = [1, 5, 10, 25, 50] as const;

/** An empty form field ("") is a field left out. */
const blank = (v: unknown) => (v === '' ? undefined : v);
const Checkbox = z
  .preprocess(blank, z.enum(['on', 'true', '1']).optional())
  .transform((v) => v !== undefined);

/**
 * `GET /site/<org>/resources`: what a member of the public may search by. Nothing here reads or names a
 * patient (no patient, no eligibility): the finder searches the directory's public, active services only.
 */
export const PublicResourceQuery = z.object({
  q: z.preprocess(blank, z.string().trim().max(200, 'must be at most 200 characters').optional()),
  need: z.preprocess(blank, z.enum(SDOH_DOMAINS, { error: 'is not a need this finder knows' }).optional()),
  zip: z.preprocess(
    blank,
    z
      .string()
      .trim()
      .regex(/^\d{5}$/, 'must be a 5-digit ZIP code')
      .optional(),
  ),
  miles: z.preprocess(
    blank,
    z.coerce
      .number()
      .refine((n) => (SITE_FINDER_MILES as readonly number[]).includes(n), 'is not a distance offered')
      .refine((n) => n <= SEARCH_RADIUS_MILES.max)
      .optional(),
  ),
  language: z.preprocess(
    blank,
    z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/, 'must be a language code such as en or es')
      .optional(),
  ),
  free: Checkbox,
  open: Checkbox,
  page: z.preprocess(blank, z.coerce.number().int().min(1).max(50).default(1)),
});
export type PublicResourceQuery = z.infer<typeof PublicResourceQuery>;
