import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Uuid } from '../../../domain/schemas/common.ts';
import {
  Encounter,
  EncounterAdmitRequest,
  EncounterDischargeRequest,
  EncounterList,
  EncounterUpdateRequest,
} from '../../../domain/schemas/encounters.ts';
import { can, requirePatient } from '../../platform/access.ts';
import { actorOf } from '../../platform/http.ts';
import { encounterInOrganization, listEncounters, presentEncounter } from './encounters.queries.ts';
import { admitEncounter, dischargeEncounter, updateEncounter } from './encounters.service.ts';

const PatientParams = z.object({ patientId: Uuid });
const EncounterParams = z.object({ encounterId: Uuid });
const staff = { roles: ['admin', 'supervisor', 'social_worker', 'clinician', 'read_only'] as const };
const writers = { roles: ['admin', 'supervisor', 'social_worker', 'clinician'] as const };

/** Hospital visits, entered by hand here; the ADT feed calls the same service functions. */
export const encountersRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.kith.database.db;

  app.get(
    '/api/patients/:patientId/encounters',
    {
      config: { access: staff },
      schema: { tags: ['encounters'], params: PatientParams, response: { 200: EncounterList } },
    },
    async (request) => {
      const actor = actorOf(request);
      const access = await requirePatient(db, actor, request.origin, request.params.patientId, 'read', {
        action: 'encounter.list',
        recordKind: 'encounter',
      });
      return {
        items: (await listEncounters(db, access.patient.id)).map(presentEncounter),
        abilities: { update: can(actor, 'patient', 'update', access.relation) },
      };
    },
  );

  app.post(
    '/api/patients/:patientId/encounters',
    {
      config: { access: writers },
      schema: {
        tags: ['encounters'],
        params: PatientParams,
        body: EncounterAdmitRequest,
        response: { 201: Encounter },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const access = await requirePatient(db, actor, request.origin, request.params.patientId, 'update');
      const encounter = await admitEncounter(db, { actor, access }, access.patient.id, request.body);
      return reply.status(201).send(presentEncounter(encounter));
    },
  );

  app.patch(
    '/api/encounters/:encounterId',
    {
      config: { access: writers },
      schema: {
        tags: ['encounters'],
        params: EncounterParams,
        body: EncounterUpdateRequest,
        response: { 200: Encounter },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const found = await encounterInOrganization(db, actor.organizationId, request.params.encounterId);
      const access = await requirePatient(db, actor, request.origin, found.patientId, 'update');
      return presentEncounter(await updateEncounter(db, { actor, access }, found.id, request.body));
    },
  );

  app.post(
    '/api/encounters/:encounterId/discharge',
    {
      config: { access: writers },
      schema: {
        tags: ['encounters'],
        params: EncounterParams,
        body: EncounterDischargeRequest,
        response: { 200: Encounter },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const found = await encounterInOrganization(db, actor.organizationId, request.params.encounterId);
      const access = await requirePatient(db, actor, request.origin, found.patientId, 'update');
      return presentEncounter(await dischargeEncounter(db, { actor, access }, found.id, request.body));
    },
  );
};
