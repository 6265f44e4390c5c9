import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PageQuery, pageOf, Uuid } from '../../../domain/schemas/common.ts';
import {
  PatientMerge,
  PatientMergePreview,
  PatientMergePreviewQuery,
  PatientMergeRequest,
  PatientMergeUndoRequest,
} from '../../../domain/schemas/patients.ts';
import { requirePatient } from '../../platform/access.ts';
import { auditActor } from '../../platform/actor.ts';
import { appendAudit } from '../../platform/audit/audit.service.ts';
import { notFound } from '../../platform/errors.ts';
import { actorOf } from '../../platform/http.ts';
import { linkedCounts, listMerges, patientIdByMrn } from './merge.queries.ts';
import { mergePatients, undoMerge } from './merge.service.ts';
import { presentPatient } from './patients.service.ts';

const admins = { roles: ['admin'] as const };
const MergeParams = z.object({ mergeId: Uuid });

/** Admin: join two records of one person, and undo it within the undo window. */
export const mergeRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.kith.database.db;

  const oneMerge = async (organizationId: string, mergeId: string) => {
    const [merge] = (await listMerges(db, organizationId, { page: 1, pageSize: 1, mergeId })).items;
    if (!merge) throw notFound('merge');
    return merge;
  };

  app.get(
    '/api/admin/patient-merges',
    {
      config: { access: admins },
      schema: { tags: ['admin'], querystring: PageQuery, response: { 200: pageOf(PatientMerge) } },
    },
    async (request) => {
      const actor = actorOf(request);
      const { items, total } = await listMerges(db, actor.organizationId, request.query);
      // The list names both records of every merge: a read of those patients, audited as lists are.
      if (items.length) {
        await appendAudit(db, {
          ...auditActor(actor),
          action: 'patient-merge.list',
          outcome: 'success',
          recordKind: 'patient-merge',
          ip: request.origin.ip,
          userAgent: request.origin.userAgent,
          detail: { patientIds: [...new Set(items.flatMap((m) => [m.survivor.id, m.merged.id]))] },
        });
      }
      return { items, total, page: request.query.page, pageSize: request.query.pageSize };
    },
  );

  app.get(
    '/api/admin/patient-merges/preview',
    {
      config: { access: admins },
      schema: {
        tags: ['admin'],
        querystring: PatientMergePreviewQuery,
        response: { 200: PatientMergePreview },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const side = async (mrn: string) => {
        const id = await patientIdByMrn(db, actor.organizationId, mrn);
        const access = await requirePatient(db, actor, request.origin, id, 'read', {
          action: 'patient.merge-preview',
          recordKind: 'patient',
          recordId: id,
        });
        return presentPatient(db, actor, access);
      };
      const survivor = await side(request.query.survivorMrn);
      const merged = await side(request.query.mergedMrn);
      return { survivor, merged, linked: await linkedCounts(db, merged.id) };
    },
  );

  app.post(
    '/api/admin/patient-merges',
    {
      config: { access: admins },
      schema: { tags: ['admin'], body: PatientMergeRequest, response: { 201: PatientMerge } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const mergeId = await mergePatients(db, actor, request.origin, request.body);
      return reply.status(201).send(await oneMerge(actor.organizationId, mergeId));
    },
  );

  app.post(
    '/api/admin/patient-merges/:mergeId/undo',
    {
      config: { access: admins },
      schema: {
        tags: ['admin'],
        params: MergeParams,
        body: PatientMergeUndoRequest,
        response: { 200: PatientMerge },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      await undoMerge(db, actor, request.origin, request.params.mergeId, request.body.reason);
      return oneMerge(actor.organizationId, request.params.mergeId);
    },
  );
};
