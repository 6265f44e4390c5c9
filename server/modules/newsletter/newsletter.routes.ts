import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  NewsletterExportQuery,
  NewsletterListCreateRequest,
  NewsletterListParams,
  NewsletterListUpdateRequest,
  NewsletterListView,
  NewsletterSubscribeAccepted,
  NewsletterSubscribeRequest,
  NewsletterSubscriberPage,
  NewsletterSubscriberParams,
  NewsletterSubscriberQuery,
} from '../../../domain/schemas/newsletter.ts';
import { actorOf } from '../../platform/http.ts';
import { campaignRoutes } from './campaigns.routes.ts';
import {
  createList,
  eraseSubscriber,
  exportSubscribers,
  listLists,
  listSubscribers,
  updateList,
} from './newsletter.admin.service.ts';
import { noteHoneypot, SIGNUP_RATE_LIMIT, sendInBackground, signupOrganization } from './newsletter.http.ts';
import { newsletterSiteRoutes } from './newsletter.site.routes.ts';
import { subscribe } from './subscriptions.service.ts';

const admins = { roles: ['admin'] as const };
const ACCEPTED = { status: 'accepted' as const };

/** The newsletter's routes (issue 7): sign-up API, the public pages (newsletter.site.routes.ts), admin. */
export const newsletterRoutes: FastifyPluginAsyncZod = async (app) => {
  const { database, config, mailer } = app.kith;
  const db = database.db;

  await app.register(newsletterSiteRoutes);
  await app.register(campaignRoutes);

  app.post(
    '/api/newsletter/subscriptions',
    {
      config: { access: 'public', rateLimit: SIGNUP_RATE_LIMIT },
      schema: {
        tags: ['newsletter'],
        summary: 'Sign an address up (double opt-in); answers 202 whatever the address’s state',
        body: NewsletterSubscribeRequest,
        response: { 202: NewsletterSubscribeAccepted },
      },
    },
    async (request, reply) => {
      const body = request.body;
      if (body.website) {
        noteHoneypot(request.log);
        return reply.status(202).send(ACCEPTED);
      }
      const organization = await signupOrganization(db, body.organization);
      const referer = request.headers.referer;
      const { mail } = await subscribe(db, config, organization, {
        email: body.email,
        lists: body.lists,
        consent: {
          ip: request.ip ?? null,
          page: body.page ?? (typeof referer === 'string' ? referer.slice(0, 500) : null),
        },
      });
      sendInBackground(mailer, request.log, mail);
      return reply.status(202).send(ACCEPTED);
    },
  );

  app.get(
    '/api/newsletter/subscribers',
    {
      config: { access: admins },
      schema: {
        tags: ['newsletter'],
        querystring: NewsletterSubscriberQuery,
        response: { 200: NewsletterSubscriberPage },
      },
    },
    async (request) => listSubscribers(db, actorOf(request), request.origin, request.query),
  );

  app.get(
    '/api/newsletter/subscribers.csv',
    {
      config: { access: admins },
      schema: {
        tags: ['newsletter'],
        summary: 'Export subscribers as CSV',
        querystring: NewsletterExportQuery,
      },
    },
    async (request, reply) => {
      const lines = await exportSubscribers(db, actorOf(request), request.origin, request.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="kith-newsletter-subscribers-${new Date().toISOString().slice(0, 10)}.csv"`,
        )
        .send(Readable.from(lines));
    },
  );

  app.delete(
    '/api/newsletter/subscribers/:subscriberId',
    {
      config: { access: admins },
      schema: {
        tags: ['newsletter'],
        summary: 'Erase a subscriber: only the suppression hash of the address stays',
        params: NewsletterSubscriberParams,
      },
    },
    async (request, reply) => {
      await eraseSubscriber(db, actorOf(request), request.origin, request.params.subscriberId);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/newsletter/lists',
    {
      config: { access: admins },
      schema: { tags: ['newsletter'], response: { 200: z.array(NewsletterListView) } },
    },
    async (request) => listLists(db, actorOf(request).organizationId),
  );

  app.post(
    '/api/newsletter/lists',
    {
      config: { access: admins },
      schema: {
        tags: ['newsletter'],
        body: NewsletterListCreateRequest,
        response: { 201: NewsletterListView },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createList(db, actorOf(request), request.origin, request.body)),
  );

  app.patch(
    '/api/newsletter/lists/:listId',
    {
      config: { access: admins },
      schema: {
        tags: ['newsletter'],
        params: NewsletterListParams,
        body: NewsletterListUpdateRequest,
        response: { 200: NewsletterListView },
      },
    },
    async (request) => updateList(db, actorOf(request), request.origin, request.params.listId, request.body),
  );
};
