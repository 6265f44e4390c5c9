import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ASSESSMENT_READER_ROLES, ASSESSMENT_WRITER_ROLES } from '../../../domain/assessments.ts';
import { getInstrument } from '../../../domain/instruments/index.ts';
import {
  Assessment,
  AssessmentAmendRequest,
  AssessmentCompleteRequest,
  AssessmentDeclineRequest,
  AssessmentDraftRequest,
  AssessmentListQuery,
  AssessmentParams,
  AssessmentStartRequest,
  AssessmentSummary,
  AssessmentVersionRequest,
  HandoffRequest,
  HandoffResponse,
  PatientAssessmentsParams,
  Trend,
  TrendQuery,
} from '../../../domain/schemas/assessments.ts';
import { pageOf } from '../../../domain/schemas/common.ts';
import type { Db } from '../../db/client.ts';
import { requirePatient } from '../../platform/access.ts';
import type { Actor, RequestOrigin } from '../../platform/actor.ts';
import { actorOf } from '../../platform/http.ts';
import { presentAssessment, presentSummaries } from './assessments.present.ts';
import { listPatientAssessments, loadAssessment, trendRows } from './assessments.queries.ts';
import {
  declineAssessment,
  discardAssessment,
  readAssessment,
  saveDraft,
  staffAuthor,
  startAssessment,
} from './assessments.service.ts';
import { amendAssessment, completeAssessment } from './completion.service.ts';
import { createHandoff } from './handoff.service.ts';
import { presentTrend } from './trend.ts';

const readers = { roles: ASSESSMENT_READER_ROLES };
const writers = { roles: ASSESSMENT_WRITER_ROLES };

/** An assessment of the actor's organisation with write access to its patient (403 off the care team). */
async function loadForWrite(db: Db, actor: Actor, origin: RequestOrigin, assessmentId: string) {
  const row = await loadAssessment(db, actor.organizationId, assessmentId);
  const access = await requirePatient(db, actor, origin, row.patientId, 'update');
  return { row, access, author: staffAuthor(actor, access) };
}

/** Giving assessments: drafts, completion, amendments, declined screens, tablet hand-over (issue 4). */
export const assessmentsRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.kith.database.db;

  app.post(
    '/api/patients/:patientId/assessments',
    {
      config: { access: writers },
      schema: {
        tags: ['assessments'],
        params: PatientAssessmentsParams,
        body: AssessmentStartRequest,
        response: { 201: Assessment },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const access = await requirePatient(db, actor, request.origin, request.params.patientId, 'update');
      const row = await startAssessment(db, actor, access, request.body);
      return reply.status(201).send(await presentAssessment(db, actor, access.relation, row));
    },
  );

  app.get(
    '/api/patients/:patientId/assessments',
    {
      config: { access: readers },
      schema: {
        tags: ['assessments'],
        params: PatientAssessmentsParams,
        querystring: AssessmentListQuery,
        response: { 200: pageOf(AssessmentSummary) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { patientId } = request.params;
      await requirePatient(db, actor, request.origin, patientId, 'read', {
        action: 'assessment.list',
        recordKind: 'assessment',
      });
      const { rows, total } = await listPatientAssessments(db, patientId, request.query);
      const items = await presentSummaries(db, rows);
      return { items, total, page: request.query.page, pageSize: request.query.pageSize };
    },
  );

  app.get(
    '/api/patients/:patientId/assessments/trend',
    {
      config: { access: readers },
      schema: {
        tags: ['assessments'],
        params: PatientAssessmentsParams,
        querystring: TrendQuery,
        response: { 200: Trend },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { patientId } = request.params;
      const { instrument: id, from } = request.query;
      await requirePatient(db, actor, request.origin, patientId, 'read', {
        action: 'assessment.trend.read',
        recordKind: 'assessment',
        detail: { instrument: id },
      });
      return presentTrend(getInstrument(id)!, await trendRows(db, patientId, id, from));
    },
  );

  app.get(
    '/api/assessments/:assessmentId',
    {
      config: { access: readers },
      schema: { tags: ['assessments'], params: AssessmentParams, response: { 200: Assessment } },
    },
    async (request) => {
      const actor = actorOf(request);
      const row = await loadAssessment(db, actor.organizationId, request.params.assessmentId);
      const access = await requirePatient(db, actor, request.origin, row.patientId, 'read', {
        action: 'assessment.read',
        recordKind: 'assessment',
        recordId: row.id,
      });
      return readAssessment(db, actor, access, row);
    },
  );

  app.put(
    '/api/assessments/:assessmentId/draft',
    {
      config: { access: writers },
      schema: {
        tags: ['assessments'],
        params: AssessmentParams,
        body: AssessmentDraftRequest,
        response: { 200: Assessment },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { row, access, author } = await loadForWrite(
        db,
        actor,
        request.origin,
        request.params.assessmentId,
      );
      const saved = await saveDraft(db, author, row, request.body);
      return presentAssessment(db, actor, access.relation, saved);
    },
  );

  app.post(
    '/api/assessments/:assessmentId/complete',
    {
      config: { access: writers },
      schema: {
        tags: ['assessments'],
        params: AssessmentParams,
        body: AssessmentCompleteRequest,
        response: { 200: Assessment },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { row, access, author } = await loadForWrite(
        db,
        actor,
        request.origin,
        request.params.assessmentId,
      );
      const completed = await completeAssessment(db, author, row, request.body);
      return presentAssessment(db, actor, access.relation, completed);
    },
  );

  app.post(
    '/api/assessments/:assessmentId/amend',
    {
      config: { access: writers },
      schema: {
        tags: ['assessments'],
        params: AssessmentParams,
        body: AssessmentAmendRequest,
        response: { 201: Assessment },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { row, access, author } = await loadForWrite(
        db,
        actor,
        request.origin,
        request.params.assessmentId,
      );
      const amendment = await amendAssessment(db, author, row, request.body);
      return reply.status(201).send(await presentAssessment(db, actor, access.relation, amendment));
    },
  );

  app.post(
    '/api/assessments/:assessmentId/decline',
    {
      config: { access: writers },
      schema: {
        tags: ['assessments'],
        params: AssessmentParams,
        body: AssessmentDeclineRequest,
        response: { 200: Assessment },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { row, access } = await loadForWrite(db, actor, request.origin, request.params.assessmentId);
      const declined = await declineAssessment(db, actor, access, row, request.body);
      return presentAssessment(db, actor, access.relation, declined);
    },
  );

  app.post(
    '/api/assessments/:assessmentId/discard',
    {
      config: { access: writers },
      schema: {
        tags: ['assessments'],
        params: AssessmentParams,
        body: AssessmentVersionRequest,
        response: { 200: Assessment },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { row, access } = await loadForWrite(db, actor, request.origin, request.params.assessmentId);
      const discarded = await discardAssessment(db, access, row, request.body.version);
      return presentAssessment(db, actor, access.relation, discarded);
    },
  );

  app.post(
    '/api/assessments/:assessmentId/handoff',
    {
      config: { access: writers },
      schema: {
        tags: ['assessments'],
        params: AssessmentParams,
        body: HandoffRequest,
        response: { 201: HandoffResponse },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { row, access } = await loadForWrite(db, actor, request.origin, request.params.assessmentId);
      return reply.status(201).send(await createHandoff(db, access, actor.userId, row, request.body));
    },
  );
};
