import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Uuid } from '../../../domain/schemas/common.ts';
import { Flag, FlagClearRequest, FlagListQuery, FlagRaiseRequest } from '../../../domain/schemas/patients.ts';
import { requirePatient } from '../../platform/access.ts';
import { actorOf } from '../../platform/http.ts';
import { clearFlag, getFlag, listFlags, raiseFlag } from './flags.service.ts';

const PatientParams = z.object({ patientId: Uuid });
const staff = { roles: ['admin', 'supervisor', 'social_worker', 'clinician', 'read_only'] as const };
const writers = { roles: ['admin', 'supervisor', 'social_worker', 'clinician'] as const };

/** What staff must see first about a patient: raised by people or services, cleared with a note. */
export const flagsRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.kith.database.db;

  app.get(
    '/api/patients/:patientId/flags',
    {
      config: { access: staff },
      schema: {
        tags: ['flags'],
        params: PatientParams,
        querystring: FlagListQuery,
        response: { 200: z.object({ items: z.array(Flag) }) },
      },
    },
    async (request) => {
      const { patientId } = request.params;
      await requirePatient(db, actorOf(request), request.origin, patientId, 'read', {
        action: 'flag.list',
        recordKind: 'flag',
      });
      return { items: await listFlags(db, patientId, request.query.all) };
    },
  );

  app.post(
    '/api/patients/:patientId/flags',
    {
      config: { access: writers },
      schema: {
        tags: ['flags'],
        params: PatientParams,
        body: FlagRaiseRequest,
        response: { 200: Flag, 201: Flag },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const access = await requirePatient(db, actor, request.origin, request.params.patientId, 'update');
      const { flag, raised } = await db.transaction((tx) =>
        raiseFlag(
          tx,
          {
            organizationId: actor.organizationId,
            patientId: access.patient.id,
            kind: request.body.kind,
            note: request.body.note ?? null,
            raisedBy: actor.userId,
          },
          access.entry,
        ),
      );
      // An active flag of the kind already up is answered as it is (200), a new one with 201.
      return reply.status(raised ? 201 : 200).send(await getFlag(db, flag.id));
    },
  );

  app.post(
    '/api/patients/:patientId/flags/:flagId/clear',
    {
      config: { access: writers },
      schema: {
        tags: ['flags'],
        params: PatientParams.extend({ flagId: Uuid }),
        body: FlagClearRequest,
        response: { 200: Flag },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { patientId, flagId } = request.params;
      const access = await requirePatient(db, actor, request.origin, patientId, 'update');
      await db.transaction((tx) =>
        clearFlag(
          tx,
          {
            organizationId: actor.organizationId,
            patientId,
            flagId,
            clearedBy: actor.userId,
            note: request.body.note,
          },
          access.entry,
        ),
      );
      return getFlag(db, flagId);
    },
  );
};
