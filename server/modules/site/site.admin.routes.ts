import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  SitePage,
  SitePageParams,
  SitePagesResponse,
  SitePageUpdateRequest,
  SitePreviewRequest,
  SitePreviewResponse,
} from '../../../domain/schemas/site.ts';
import { actorOf } from '../../platform/http.ts';
import { renderMarkdown } from '../../platform/markdown.ts';
import { siteBase } from './layout.ts';
import { organizationById, readSitePages, saveSitePage } from './site.service.ts';

const admins = { roles: ['admin'] as const };

/**
 * The admin API of the public site (issue 7): every page (defaults merged with saved ones), saving one with
 * its version (409 on a stale one; audited), and a preview that renders markdown exactly as the site does.
 */
export const siteAdminRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.kith.database.db;

  app.get(
    '/api/site/pages',
    {
      config: { access: admins },
      schema: { tags: ['site'], response: { 200: SitePagesResponse } },
    },
    async (request) => {
      const actor = actorOf(request);
      const [pages, org] = await Promise.all([
        readSitePages(db, actor.organizationId),
        organizationById(db, actor.organizationId),
      ]);
      return { items: pages, siteUrl: `${siteBase(org?.slug ?? '')}/` };
    },
  );

  app.put(
    '/api/site/pages/:slug',
    {
      config: { access: admins },
      schema: {
        tags: ['site'],
        params: SitePageParams,
        body: SitePageUpdateRequest,
        response: { 200: SitePage },
      },
    },
    async (request) => saveSitePage(db, actorOf(request), request.origin, request.params.slug, request.body),
  );

  app.post(
    '/api/site/preview',
    {
      config: { access: admins },
      schema: { tags: ['site'], body: SitePreviewRequest, response: { 200: SitePreviewResponse } },
    },
    async (request) => ({
      html: renderMarkdown(request.body.markdown, { topHeadingLevel: 2, siteOrigin: '' }),
    }),
  );
};
