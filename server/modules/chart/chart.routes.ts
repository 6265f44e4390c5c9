import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  PatientChart,
  TIMELINE_PAGE_SIZE,
  TimelinePage,
  TimelineQuery,
} from '../../../domain/schemas/chart.ts';
import { Uuid } from '../../../domain/schemas/common.ts';
import { requirePatient } from '../../platform/access.ts';
import { actorOf } from '../../platform/http.ts';
import { readChart, readPatientTimeline } from './chart.service.ts';

const PatientParams = z.object({ patientId: Uuid });
const staff = { roles: ['admin', 'supervisor', 'social_worker', 'clinician', 'read_only'] as const };

/** The patient chart: its header and its one timeline. */
export const chartRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.kith.database.db;

  app.get(
    '/api/patients/:patientId/chart',
    {
      config: { access: staff },
      schema: { tags: ['chart'], params: PatientParams, response: { 200: PatientChart } },
    },
    async (request) => {
      const actor = actorOf(request);
      const { patientId } = request.params;
      const access = await requirePatient(db, actor, request.origin, patientId, 'read', {
        action: 'patient.chart.read',
        recordKind: 'patient',
        recordId: patientId,
      });
      return readChart(db, actor, access, { page: 1, pageSize: TIMELINE_PAGE_SIZE });
    },
  );

  app.get(
    '/api/patients/:patientId/timeline',
    {
      config: { access: staff },
      schema: {
        tags: ['chart'],
        params: PatientParams,
        querystring: TimelineQuery,
        response: { 200: TimelinePage },
      },
    },
    async (request) => {
      const { patientId } = request.params;
      await requirePatient(db, actorOf(request), request.origin, patientId, 'read', {
        action: 'patient.timeline.read',
        recordKind: 'timeline',
        recordId: patientId,
        detail: { page: request.query.page, kinds: request.query.kinds ?? [] },
      });
      return readPatientTimeline(db, patientId, request.query);
    },
  );
};
