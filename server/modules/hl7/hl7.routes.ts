import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  Hl7Feed,
  Hl7FeedParams,
  Hl7FeedRequest,
  Hl7MessageDetail,
  Hl7MessagePage,
  Hl7MessageParams,
  Hl7MessageQuery,
  Hl7ReplayManyRequest,
  Hl7ReplayManyResult,
  Hl7ReplayResult,
} from '../../../domain/schemas/hl7.ts';
import { AppError, forbidden } from '../../platform/errors.ts';
import { actorOf } from '../../platform/http.ts';
import {
  createFeed,
  deleteFeed,
  getHl7Message,
  listFeeds,
  listHl7Messages,
  updateFeed,
} from './hl7.admin.service.ts';
import { ingestHl7, MAX_MESSAGE_CHARS } from './ingest.service.ts';
import { replayHl7Message } from './replay.service.ts';

const admins = { roles: ['admin'] as const };
/** Who may post messages: an admin, or a service account through its API token (checked in the handler). */
const senders = { roles: ['admin', 'supervisor', 'social_worker', 'clinician'] as const };

/** The HL7 v2 feed over HTTP, and its administration (messages, replay, feeds). */
export const hl7Routes: FastifyPluginAsyncZod = async (app) => {
  const db = app.kith.database.db;

  // HL7 v2 bodies as text, under its own media type too (text/plain is Fastify's own).
  app.addContentTypeParser(
    ['application/hl7-v2', 'x-application/hl7-v2+er7'],
    { parseAs: 'string', bodyLimit: MAX_MESSAGE_CHARS * 4 },
    (_request, body, done) => done(null, body),
  );

  app.post(
    '/api/hl7/v2',
    {
      config: { access: senders },
      bodyLimit: MAX_MESSAGE_CHARS * 4,
      schema: {
        tags: ['hl7'],
        summary: 'Receive one HL7 v2 ADT message; answers its ACK (AA, AE or AR) as text',
        body: z.string().min(1, 'is required'),
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      if (actor.role !== 'admin' && actor.via !== 'token') {
        throw forbidden('HL7 messages are posted by an administrator or an integration with an API token');
      }
      const result = await ingestHl7(db, request.body, { transport: 'http' });
      const hl7 = String(request.headers['content-type'] ?? '').includes('hl7-v2');
      return reply
        .status(200)
        .header('x-hl7-ack-code', result.ackCode)
        .type(hl7 ? 'application/hl7-v2; charset=utf-8' : 'text/plain; charset=utf-8')
        .send(result.ack);
    },
  );

  app.get(
    '/api/hl7/messages',
    {
      config: { access: admins },
      schema: { tags: ['hl7'], querystring: Hl7MessageQuery, response: { 200: Hl7MessagePage } },
    },
    async (request) => listHl7Messages(db, actorOf(request), request.query),
  );

  app.get(
    '/api/hl7/messages/:messageId',
    {
      config: { access: admins },
      schema: { tags: ['hl7'], params: Hl7MessageParams, response: { 200: Hl7MessageDetail } },
    },
    async (request) => getHl7Message(db, actorOf(request), request.origin, request.params.messageId),
  );

  app.post(
    '/api/hl7/messages/:messageId/replay',
    {
      config: { access: admins },
      schema: { tags: ['hl7'], params: Hl7MessageParams, response: { 200: Hl7ReplayResult } },
    },
    async (request) => replayHl7Message(db, actorOf(request), request.params.messageId),
  );

  app.post(
    '/api/hl7/messages/replay',
    {
      config: { access: admins },
      schema: { tags: ['hl7'], body: Hl7ReplayManyRequest, response: { 200: Hl7ReplayManyResult } },
    },
    async (request) => {
      const actor = actorOf(request);
      const results: z.infer<typeof Hl7ReplayManyResult>['results'] = [];
      // One transaction each, in the order received: a later message may depend on an earlier one.
      for (const id of request.body.ids) {
        try {
          results.push(await replayHl7Message(db, actor, id));
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          results.push({ id, refused: error.title });
        }
      }
      return { results };
    },
  );

  app.get(
    '/api/hl7/feeds',
    {
      config: { access: admins },
      schema: { tags: ['hl7'], response: { 200: z.object({ items: z.array(Hl7Feed) }) } },
    },
    async (request) => ({ items: await listFeeds(db, actorOf(request)) }),
  );

  app.post(
    '/api/hl7/feeds',
    {
      config: { access: admins },
      schema: { tags: ['hl7'], body: Hl7FeedRequest, response: { 201: Hl7Feed } },
    },
    async (request, reply) =>
      reply.status(201).send(await createFeed(db, actorOf(request), request.origin, request.body)),
  );

  app.patch(
    '/api/hl7/feeds/:feedId',
    {
      config: { access: admins },
      schema: { tags: ['hl7'], params: Hl7FeedParams, body: Hl7FeedRequest, response: { 200: Hl7Feed } },
    },
    async (request) => updateFeed(db, actorOf(request), request.origin, request.params.feedId, request.body),
  );

  app.delete(
    '/api/hl7/feeds/:feedId',
    {
      config: { access: admins },
      schema: { tags: ['hl7'], params: Hl7FeedParams },
    },
    async (request, reply) => {
      await deleteFeed(db, actorOf(request), request.origin, request.params.feedId);
      return reply.status(204).send();
    },
  );
};
