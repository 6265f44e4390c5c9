import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { FillParams, FillSaveRequest, FillState, FillView } from '../../../domain/schemas/assessments.ts';
import { readFill, saveFill, submitFill } from './handoff.service.ts';

/** Tokens are unguessable; the limit keeps a scripted client from hammering the database through them. */
const FILL_RATE_LIMIT = { max: 120, timeWindow: '1 minute' };

/**
 * The patient's tablet page API, authorised by a single-purpose hand-over token instead of a session. It
 * answers with questions and answers only: never a score, a band, an alarm or who the patient is.
 */
export const fillRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.kith.database.db;
  const config = { access: 'public' as const, rateLimit: FILL_RATE_LIMIT };

  app.get(
    '/api/fill/:token',
    { config, schema: { tags: ['fill'], params: FillParams, response: { 200: FillView } } },
    async (request) => readFill(db, request.params.token, request.origin),
  );

  app.put(
    '/api/fill/:token',
    {
      config,
      schema: { tags: ['fill'], params: FillParams, body: FillSaveRequest, response: { 200: FillState } },
    },
    async (request) => saveFill(db, request.params.token, request.origin, request.body.response),
  );

  app.post(
    '/api/fill/:token/submit',
    {
      config,
      schema: { tags: ['fill'], params: FillParams, body: FillSaveRequest, response: { 200: FillState } },
    },
    async (request) => submitFill(db, request.params.token, request.origin, request.body.response),
  );
};
