import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ResourceSearchQuery, ResourceSearchResponse } from '../../../domain/schemas/resources.ts';
import { actorOf } from '../../platform/http.ts';
import { searchDirectory } from './search.service.ts';

/** Who searches the directory: the staff who work referrals, and clinicians. */
export const DIRECTORY_SEARCHERS = ['admin', 'supervisor', 'social_worker', 'clinician'] as const;

/**
 * `GET /api/resources/search`: the community resource directory by text, need, taxonomy, distance, opening
 * hours, language, cost and the patient's eligibility. With `patientId` the patient's record is read (and
 * audited) to measure distance from home and to check eligibility. Query strings are never logged.
 */
export const searchRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.kith.database.db;

  app.get(
    '/api/resources/search',
    {
      config: { access: { roles: DIRECTORY_SEARCHERS } },
      schema: {
        tags: ['resources'],
        querystring: ResourceSearchQuery,
        response: { 200: ResourceSearchResponse },
      },
    },
    async (request) => searchDirectory(db, actorOf(request), request.origin, request.query),
  );
};
