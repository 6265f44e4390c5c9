import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  Case,
  CaseCreateRequest,
  CaseTransitionEntry,
  CaseTransitionRequest,
  CaseUpdateRequest,
  ConsultCreateRequest,
} from '../../../domain/schemas/cases.ts';
import { PageQuery, pageOf, Uuid } from '../../../domain/schemas/common.ts';
import { requirePatient } from '../../platform/access.ts';
import { actorOf } from '../../platform/http.ts';
import { CASE_OPENERS, CASE_READERS, CONSULT_REQUESTERS } from './cases.policy.ts';
import { listPatientCases, listTransitions, presentCase } from './cases.present.ts';
import { loadCase, openCase, updateCase } from './cases.service.ts';
import { transitionCase } from './transitions.service.ts';

const CaseParams = z.object({ caseId: Uuid });
/** Roles that may ask for a transition; the state machine answers who may take which (409 otherwise). */
const CASE_ACTORS = { roles: ['admin', 'supervisor', 'social_worker', 'clinician'] as const };

/** Consults, cases and their lifecycle. */
export const casesRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.kith.database.db;

  app.post(
    '/api/consults',
    {
      config: { access: { roles: CONSULT_REQUESTERS } },
      schema: { tags: ['cases'], body: ConsultCreateRequest, response: { 201: Case } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { requestedAt, ...body } = request.body;
      const access = await requirePatient(db, actor, request.origin, body.patientId, 'update');
      const created = await openCase(db, actor, access, {
        ...body,
        source: 'consult',
        requestedAt: requestedAt ? new Date(requestedAt) : undefined,
      });
      return reply.status(201).send(await presentCase(db, actor, created));
    },
  );

  app.post(
    '/api/cases',
    {
      config: { access: { roles: CASE_OPENERS } },
      schema: { tags: ['cases'], body: CaseCreateRequest, response: { 201: Case } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { assignToMe, ...body } = request.body;
      const access = await requirePatient(db, actor, request.origin, body.patientId, 'update');
      const created = await openCase(db, actor, access, {
        ...body,
        source: 'worker',
        assignTo: assignToMe ? actor.userId : undefined,
      });
      return reply.status(201).send(await presentCase(db, actor, created));
    },
  );

  app.get(
    '/api/cases/:caseId',
    {
      config: { access: { roles: CASE_READERS } },
      schema: { tags: ['cases'], params: CaseParams, response: { 200: Case } },
    },
    async (request) => {
      const actor = actorOf(request);
      const c = await loadCase(db, actor, request.params.caseId);
      await requirePatient(db, actor, request.origin, c.patientId, 'read', {
        action: 'case.read',
        recordKind: 'case',
        recordId: c.id,
      });
      return presentCase(db, actor, c);
    },
  );

  app.patch(
    '/api/cases/:caseId',
    {
      config: { access: { roles: CASE_OPENERS } },
      schema: { tags: ['cases'], params: CaseParams, body: CaseUpdateRequest, response: { 200: Case } },
    },
    async (request) => {
      const actor = actorOf(request);
      const c = await loadCase(db, actor, request.params.caseId);
      const access = await requirePatient(db, actor, request.origin, c.patientId, 'update');
      const updated = await updateCase(db, actor, access, c, request.body);
      return presentCase(db, actor, updated);
    },
  );

  app.post(
    '/api/cases/:caseId/transitions',
    {
      config: { access: CASE_ACTORS },
      schema: {
        tags: ['cases'],
        params: CaseParams,
        body: CaseTransitionRequest,
        response: { 200: Case },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const c = await loadCase(db, actor, request.params.caseId);
      const access = await requirePatient(db, actor, request.origin, c.patientId, 'update');
      const updated = await transitionCase(db, actor, access, c, request.body);
      return presentCase(db, actor, updated);
    },
  );

  app.get(
    '/api/cases/:caseId/transitions',
    {
      config: { access: { roles: CASE_READERS } },
      schema: {
        tags: ['cases'],
        params: CaseParams,
        response: { 200: z.object({ items: z.array(CaseTransitionEntry) }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const c = await loadCase(db, actor, request.params.caseId);
      await requirePatient(db, actor, request.origin, c.patientId, 'read', {
        action: 'case.history.read',
        recordKind: 'case',
        recordId: c.id,
      });
      return { items: await listTransitions(db, c.id) };
    },
  );

  app.get(
    '/api/patients/:patientId/cases',
    {
      config: { access: { roles: CASE_READERS } },
      schema: {
        tags: ['cases'],
        params: z.object({ patientId: Uuid }),
        querystring: PageQuery,
        response: { 200: pageOf(Case) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { patientId } = request.params;
      await requirePatient(db, actor, request.origin, patientId, 'read', {
        action: 'case.list',
        recordKind: 'case',
      });
      const { items, total } = await listPatientCases(db, actor, patientId, request.query);
      return { items, total, page: request.query.page, pageSize: request.query.pageSize };
    },
  );
};
