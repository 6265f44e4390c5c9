import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Uuid } from '../../../domain/schemas/common.ts';
import {
  Need,
  NeedCreateRequest,
  NeedList,
  NeedListQuery,
  NeedParams,
  NeedTransitionRequest,
} from '../../../domain/schemas/needs.ts';
import { requirePatient } from '../../platform/access.ts';
import { actorOf } from '../../platform/http.ts';
import { NEED_READERS, NEED_WORKERS } from './needs.policy.ts';
import { listNeeds, loadNeed, presentNeed } from './needs.present.ts';
import { recordNeedByHand, transitionNeed } from './transitions.service.ts';

const PatientParams = z.object({ patientId: Uuid });

/** Identified needs: list, record by hand, lifecycle transitions. */
export const needsRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.kith.database.db;

  app.get(
    '/api/patients/:patientId/needs',
    {
      config: { access: { roles: NEED_READERS } },
      schema: {
        tags: ['needs'],
        params: PatientParams,
        querystring: NeedListQuery,
        response: { 200: NeedList },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { patientId } = request.params;
      await requirePatient(db, actor, request.origin, patientId, 'read', {
        action: 'need.list',
        recordKind: 'need',
        detail: { status: request.query.status },
      });
      return { items: await listNeeds(db, actor, patientId, request.query.status) };
    },
  );

  app.post(
    '/api/patients/:patientId/needs',
    {
      config: { access: { roles: NEED_WORKERS } },
      schema: { tags: ['needs'], params: PatientParams, body: NeedCreateRequest, response: { 201: Need } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const access = await requirePatient(db, actor, request.origin, request.params.patientId, 'update');
      const need = await recordNeedByHand(db, actor, access, request.body);
      return reply.status(201).send(await presentNeed(db, actor, need));
    },
  );

  app.post(
    '/api/needs/:needId/transition',
    {
      config: { access: { roles: NEED_WORKERS } },
      schema: { tags: ['needs'], params: NeedParams, body: NeedTransitionRequest, response: { 200: Need } },
    },
    async (request) => {
      const actor = actorOf(request);
      const need = await loadNeed(db, actor, request.params.needId);
      const access = await requirePatient(db, actor, request.origin, need.patientId, 'update');
      const updated = await transitionNeed(db, actor, access, need.id, request.body);
      return presentNeed(db, actor, updated);
    },
  );
};
