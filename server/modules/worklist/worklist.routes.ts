import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { pageOf } from '../../../domain/schemas/common.ts';
import { WorklistItem, WorklistQuery, WorklistUnits } from '../../../domain/schemas/worklist.ts';
import { actorOf } from '../../platform/http.ts';
import { readWorklist, worklistUnits } from './worklist.service.ts';

/** Social workers, and the supervisors and admins who also see the unassigned queue and every caseload. */
const caseworkers = { roles: ['admin', 'supervisor', 'social_worker'] as const };

/** The worklist: the social worker's home screen. */
export const worklistRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.kith.database.db;

  app.get(
    '/api/worklist',
    {
      config: { access: caseworkers },
      schema: { tags: ['worklist'], querystring: WorklistQuery, response: { 200: pageOf(WorklistItem) } },
    },
    async (request) => {
      const { items, total } = await readWorklist(db, actorOf(request), request.origin, request.query);
      return { items, page: request.query.page, pageSize: request.query.pageSize, total };
    },
  );

  app.get(
    '/api/worklist/units',
    {
      config: { access: caseworkers },
      schema: { tags: ['worklist'], response: { 200: WorklistUnits } },
    },
    async (request) => worklistUnits(db, actorOf(request)),
  );
};
