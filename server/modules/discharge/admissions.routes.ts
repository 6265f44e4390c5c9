import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  AdmissionTriggersResponse,
  AdmissionTriggersUpdateRequest,
} from '../../../domain/schemas/admissions.ts';
import { actorOf } from '../../platform/http.ts';
import { readAdmissionTriggers, saveAdmissionTriggers } from './admissions.service.ts';

const admins = { roles: ['admin'] as const };
const readers = { roles: ['admin', 'supervisor'] as const };

/** The organisation's admission triggers: what a new inpatient admission sets off. */
export const admissionsRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.kith.database.db;

  app.get(
    '/api/admin/admission-triggers',
    {
      config: { access: readers },
      schema: { tags: ['discharge'], response: { 200: AdmissionTriggersResponse } },
    },
    async (request) => readAdmissionTriggers(db, actorOf(request).organizationId),
  );

  app.put(
    '/api/admin/admission-triggers',
    {
      config: { access: admins },
      schema: {
        tags: ['discharge'],
        body: AdmissionTriggersUpdateRequest,
        response: { 200: AdmissionTriggersResponse },
      },
    },
    async (request) => saveAdmissionTriggers(db, actorOf(request), request.origin, request.body),
  );
};
