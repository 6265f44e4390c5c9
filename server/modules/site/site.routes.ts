import { readFileSync } from 'node:fs';
import type { FastifyError, FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PublicResourceQuery } from '../../../domain/schemas/site.ts';
import { AppError, type FieldError } from '../../platform/errors.ts';
import { sentIssue, sentIssues } from '../newsletter/archive.service.ts';
import { listsOffered } from '../newsletter/lists.service.ts';
import { searchPublicDirectory } from '../resources/search.service.ts';
import { siteBase } from './layout.ts';
import { siteAdminRoutes } from './site.admin.routes.ts';
import { FINDER_DEFAULT_MILES, FINDER_PAGE_SIZE, type FinderValues, finderPage } from './site.finder.ts';
import {
  contentPage,
  errorPage,
  homePage,
  issuePage,
  newsletterPage,
  notFoundPage,
  type SiteContext,
  siteListPage,
  unknownSitePage,
} from './site.pages.ts';
import { organizationBySlug, publishedSitePages, siteOrganizations } from './site.service.ts';

/** Public pages may be kept by browsers and proxies for a minute: they carry nothing personal. */
const PUBLIC_CACHE = 'public, max-age=60';
/**
 * The public pages' own policy, stricter than the app's: no script at all, the one stylesheet, and images
 * from this site or any https site (pages and issues may show images from the web; markdown.ts keeps only
 * http(s) images).
 */
const PUBLIC_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self' https:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const FINDER_FIELDS = ['q', 'need', 'zip', 'miles', 'language', 'free', 'open'] as const;

type OrgParams = { org: string };
const pathOf = (url: string) => url.split('?')[0]!;

/** Searches per minute and address on the finder: a person never needs more; a scraper is slowed down. */
const FINDER_RATE_LIMIT = { max: 60, timeWindow: '1 minute' };

/**
 * The department's public site (issue 7) and the admin API that edits it, each in its own context: the public
 * pages answer errors as HTML pages, the API as problem+json.
 */
export const siteRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(publicSiteRoutes);
  await app.register(siteAdminRoutes);
};

/**
 * The public pages, server-rendered, readable without JavaScript and without signing in: home, the services,
 * how to ask for a social worker, contacts and hours, the resource finder over the directory's public
 * services, and the newsletter's archive; a sign-up form on every page. No route declares an access rule
 * (they are outside /api), so the access gate reads no session here.
 */
const publicSiteRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.kith.database.db;
  const css = readFileSync(new URL('./assets/site.css', import.meta.url), 'utf8');

  // A failure on a public page is a page too (never JSON): "too many searches", or "something went wrong".
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status =
      error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) {
      // As the app's own handler: where it failed, never what it said (it may quote what it failed on).
      request.log.error({ err: { type: error.name, code: error.code } }, 'public site page failed');
    }
    return reply
      .status(status)
      .header('cache-control', 'no-store')
      .header('content-security-policy', PUBLIC_CSP)
      .type('text/html; charset=utf-8')
      .send(errorPage(status));
  });

  const html = (reply: FastifyReply, body: string, status = 200) =>
    reply
      .status(status)
      .header('cache-control', PUBLIC_CACHE)
      .header('content-language', 'en')
      .header('content-security-policy', PUBLIC_CSP)
      .type('text/html; charset=utf-8')
      .send(body);

  /** The organisation's site with its published pages and the sign-up form's lists, or null. */
  async function loadSite(slug: string): Promise<SiteContext | null> {
    const organization = await organizationBySlug(db, slug);
    if (!organization) return null;
    const pages = await publishedSitePages(db, organization.id);
    const lists = await listsOffered(db, organization.id);
    return { organization, pages, lists: lists.map((l) => ({ slug: l.slug, name: l.name })) };
  }

  const missing = (reply: FastifyReply, ctx: SiteContext | null, path: string) =>
    html(reply, ctx ? notFoundPage(ctx, path) : unknownSitePage(), 404);

  app.get('/site/assets/site.css', async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=3600').type('text/css; charset=utf-8').send(css),
  );

  const index = async (_request: unknown, reply: FastifyReply) => {
    const orgs = await siteOrganizations(db);
    if (orgs.length === 1) {
      return reply.header('cache-control', PUBLIC_CACHE).redirect(`${siteBase(orgs[0]!.slug)}/`, 302);
    }
    return html(reply, siteListPage(orgs));
  };
  app.get('/site', index);
  app.get('/site/', index);

  app.get<{ Params: OrgParams }>('/site/:org', async (request, reply) =>
    reply.header('cache-control', PUBLIC_CACHE).redirect(`${siteBase(request.params.org)}/`, 301),
  );

  app.get<{ Params: OrgParams }>('/site/:org/', async (request, reply) => {
    const ctx = await loadSite(request.params.org);
    return ctx ? html(reply, homePage(ctx)) : missing(reply, null, pathOf(request.url));
  });

  app.get<{ Params: OrgParams & { slug: string } }>('/site/:org/services/:slug', async (request, reply) => {
    const ctx = await loadSite(request.params.org);
    const base = ctx && siteBase(ctx.organization.slug);
    const page = ctx?.pages.find((p) => p.kind === 'service' && p.slug === request.params.slug);
    if (!ctx || !page) return missing(reply, ctx, pathOf(request.url));
    return html(reply, contentPage(ctx, page, `${base}/services/${page.slug}`));
  });

  for (const slug of ['request', 'contact'] as const) {
    app.get<{ Params: OrgParams }>(`/site/:org/${slug}`, async (request, reply) => {
      const ctx = await loadSite(request.params.org);
      const page = ctx?.pages.find((p) => p.slug === slug);
      if (!ctx || !page) return missing(reply, ctx, pathOf(request.url));
      return html(reply, contentPage(ctx, page, `${siteBase(ctx.organization.slug)}/${slug}`));
    });
  }

  app.get<{ Params: OrgParams; Querystring: Record<string, unknown> }>(
    '/site/:org/resources',
    { config: { rateLimit: FINDER_RATE_LIMIT } },
    async (request, reply) => {
      const ctx = await loadSite(request.params.org);
      if (!ctx) return missing(reply, null, pathOf(request.url));
      const raw = request.query ?? {};
      const values: FinderValues = {};
      for (const field of FINDER_FIELDS) {
        const given = Array.isArray(raw[field]) ? raw[field][0] : raw[field];
        if (typeof given === 'string' && given !== '') values[field] = given;
      }
      // The first visit shows the form only; any submitted field (even all empty) is a search.
      if (![...FINDER_FIELDS, 'page'].some((f) => f in raw)) {
        return html(reply, finderPage(ctx, { values, errors: [], found: null }));
      }
      const parsed = PublicResourceQuery.safeParse(raw);
      if (!parsed.success) {
        const errors = parsed.error.issues.map((i) => ({
          field: String(i.path[0] ?? 'q'),
          message: i.message,
        }));
        return html(reply, finderPage(ctx, { values, errors, found: null }), 400);
      }
      const q = parsed.data;
      try {
        const found = await searchPublicDirectory(db, ctx.organization.id, {
          q: q.q,
          domain: q.need ? [q.need] : undefined,
          zip: q.zip,
          radiusMiles: q.zip ? (q.miles ?? FINDER_DEFAULT_MILES) : undefined,
          openNow: q.open || undefined,
          language: q.language ? [q.language] : undefined,
          cost: q.free ? 'free' : undefined,
          page: q.page,
          pageSize: FINDER_PAGE_SIZE,
        });
        return html(reply, finderPage(ctx, { values, errors: [], found }));
      } catch (error) {
        // The search's own refusals (a ZIP code it cannot place) are shown on the form.
        if (!(error instanceof AppError) || error.status !== 422) throw error;
        const errors = ((error.extra.errors ?? []) as FieldError[]).map((x) => ({
          field: x.field === 'query.radiusMiles' ? 'miles' : x.field.replace(/^query\./, ''),
          message: x.message,
        }));
        return html(reply, finderPage(ctx, { values, errors, found: null }), 400);
      }
    },
  );

  app.get<{ Params: OrgParams }>('/site/:org/newsletter', async (request, reply) => {
    const ctx = await loadSite(request.params.org);
    if (!ctx) return missing(reply, null, pathOf(request.url));
    return html(reply, newsletterPage(ctx, await sentIssues(db, ctx.organization.id)));
  });

  app.get<{ Params: OrgParams & { issueId: string } }>(
    '/site/:org/newsletter/issues/:issueId',
    async (request, reply) => {
      const ctx = await loadSite(request.params.org);
      const id = z.uuid().safeParse(request.params.issueId);
      const issue = ctx && id.success ? await sentIssue(db, ctx.organization.id, id.data) : null;
      if (!ctx || !issue) return missing(reply, ctx, pathOf(request.url));
      return html(reply, issuePage(ctx, issue));
    },
  );

  // Any other address under /site: an HTML 404, in the organisation's site when the address names one.
  app.get<{ Params: { '*': string } }>('/site/*', async (request, reply) => {
    const slug = request.params['*'].split('/')[0] ?? '';
    const ctx = slug ? await loadSite(slug) : null;
    return missing(reply, ctx, pathOf(request.url));
  });
};
