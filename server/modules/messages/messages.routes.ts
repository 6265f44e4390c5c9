import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Uuid } from '../../../domain/schemas/common.ts';
import {
  EnteredInErrorRequest,
  Message,
  MessageCreateRequest,
  MessageListQuery,
  MessageListResponse,
  MessageParams,
} from '../../../domain/schemas/messages.ts';
import { can, requirePatient } from '../../platform/access.ts';
import { actorOf } from '../../platform/http.ts';
import { listThreads, markEnteredInError, postMessage } from './messages.service.ts';

const PatientParams = z.object({ patientId: Uuid });
const staff = { roles: ['admin', 'supervisor', 'social_worker', 'clinician', 'read_only'] as const };
const writers = { roles: ['admin', 'supervisor', 'social_worker', 'clinician'] as const };

/** Secure staff messages about a patient: threads, replies, @mentions that notify. */
export const messagesRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.kith.database.db;

  app.get(
    '/api/patients/:patientId/messages',
    {
      config: { access: staff },
      schema: {
        tags: ['messages'],
        params: PatientParams,
        querystring: MessageListQuery,
        response: { 200: MessageListResponse },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { patientId } = request.params;
      const access = await requirePatient(db, actor, request.origin, patientId, 'read', {
        action: 'message.list',
        recordKind: 'message',
        detail: { page: request.query.page },
      });
      const { items, total } = await listThreads(db, access, actor, request.query);
      return {
        items,
        page: request.query.page,
        pageSize: request.query.pageSize,
        total,
        abilities: { post: can(actor, 'patient', 'update', access.relation) },
      };
    },
  );

  app.post(
    '/api/patients/:patientId/messages',
    {
      config: { access: writers },
      schema: {
        tags: ['messages'],
        params: PatientParams,
        body: MessageCreateRequest,
        response: { 201: Message },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const access = await requirePatient(db, actor, request.origin, request.params.patientId, 'update');
      return reply.status(201).send(await postMessage(db, access, actor, request.body));
    },
  );

  app.post(
    '/api/patients/:patientId/messages/:messageId/entered-in-error',
    {
      config: { access: writers },
      schema: {
        tags: ['messages'],
        params: MessageParams,
        body: EnteredInErrorRequest,
        response: { 200: Message },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { patientId, messageId } = request.params;
      const access = await requirePatient(db, actor, request.origin, patientId, 'update');
      return markEnteredInError(db, access, actor, messageId, request.body.reason);
    },
  );
};
