import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  CaseloadsResponse,
  ConsultTargets,
  ConsultTargetsResponse,
  FirstContactReport,
  FirstContactReportQuery,
  TriageQueueItem,
  TriageQueueQuery,
} from '../../../domain/schemas/cases.ts';
import { pageOf } from '../../../domain/schemas/common.ts';
import { actorOf } from '../../platform/http.ts';
import { CASE_LEADS, CASE_READERS, TARGET_EDITORS } from './cases.policy.ts';
import {
  caseloads,
  firstContactReport,
  readConsultTargets,
  saveConsultTargets,
  triageQueue,
} from './triage.service.ts';

/** The supervisor's side: the triage queue, caseloads, first-contact targets and how well they are met. */
export const triageRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.kith.database.db;

  app.get(
    '/api/triage/queue',
    {
      config: { access: { roles: CASE_LEADS } },
      schema: { tags: ['cases'], querystring: TriageQueueQuery, response: { 200: pageOf(TriageQueueItem) } },
    },
    async (request) => {
      const { items, total } = await triageQueue(db, actorOf(request), request.origin, request.query);
      return { items, total, page: request.query.page, pageSize: request.query.pageSize };
    },
  );

  app.get(
    '/api/caseloads',
    {
      config: { access: { roles: CASE_LEADS } },
      schema: { tags: ['cases'], response: { 200: CaseloadsResponse } },
    },
    async (request) => ({ items: await caseloads(db, actorOf(request).organizationId) }),
  );

  app.get(
    '/api/organization/consult-targets',
    {
      config: { access: { roles: CASE_READERS } },
      schema: { tags: ['cases'], response: { 200: ConsultTargetsResponse } },
    },
    async (request) => readConsultTargets(db, actorOf(request).organizationId),
  );

  app.put(
    '/api/organization/consult-targets',
    {
      config: { access: { roles: TARGET_EDITORS } },
      schema: { tags: ['cases'], body: ConsultTargets, response: { 200: ConsultTargetsResponse } },
    },
    async (request) => {
      const actor = actorOf(request);
      await saveConsultTargets(db, actor, request.origin, request.body);
      return readConsultTargets(db, actor.organizationId);
    },
  );

  app.get(
    '/api/reports/first-contact',
    {
      config: { access: { roles: CASE_LEADS } },
      schema: {
        tags: ['cases'],
        querystring: FirstContactReportQuery,
        response: { 200: FirstContactReport },
      },
    },
    async (request) => firstContactReport(db, actorOf(request).organizationId, request.query),
  );
};
