import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AuditEvent } from '../../../domain/schemas/admin.ts';
import { PageQuery, pageOf, Uuid } from '../../../domain/schemas/common.ts';
import {
  CareTeamAddRequest,
  DuplicateCheckRequest,
  DuplicateCheckResponse,
  EmergencyAccessRequest,
  EmergencyAccessResponse,
  Mrn,
  Patient,
  PatientCreateRequest,
  PatientListItem,
  PatientListQuery,
  PatientUpdateRequest,
} from '../../../domain/schemas/patients.ts';
import { breakTheGlass, requirePatient } from '../../platform/access.ts';
import { presentAuditEvent } from '../../platform/audit/audit.present.ts';
import { searchAudit } from '../../platform/audit/audit.service.ts';
import { actorOf } from '../../platform/http.ts';
import { contactsRoutes } from './contacts.routes.ts';
import { checkDuplicates } from './duplicates.service.ts';
import { flagsRoutes } from './flags.routes.ts';
import { mergeRoutes } from './merge.routes.ts';
import {
  addCareTeamMember,
  createPatient,
  directoryUsers,
  lookupByMrn,
  presentPatient,
  removeCareTeamMember,
  updatePatient,
} from './patients.service.ts';
import { listPatients } from './search.service.ts';

const PatientParams = z.object({ patientId: Uuid });
const staff = { roles: ['admin', 'supervisor', 'social_worker', 'clinician', 'read_only'] as const };
const writers = { roles: ['admin', 'supervisor', 'social_worker', 'clinician'] as const };

/** The patient record, its care team and emergency access; its contacts, flags and merges. */
export const patientsRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.kith.database.db;
  await app.register(contactsRoutes);
  await app.register(flagsRoutes);
  await app.register(mergeRoutes);

  app.get(
    '/api/patients',
    {
      config: { access: staff },
      schema: {
        tags: ['patients'],
        querystring: PatientListQuery,
        response: { 200: pageOf(PatientListItem) },
      },
    },
    async (request) => {
      const { items, total } = await listPatients(db, actorOf(request), request.origin, request.query);
      return {
        items: items.map((p) => ({
          id: p.id,
          mrn: p.mrn,
          familyName: p.familyName,
          givenName: p.givenName,
          birthDate: p.birthDate,
          sex: p.sex as 'female',
          preferredLanguage: p.preferredLanguage,
          interpreterNeeded: p.interpreterNeeded,
        })),
        page: request.query.page,
        pageSize: request.query.pageSize,
        total,
      };
    },
  );

  app.post(
    '/api/patients',
    {
      config: { access: writers },
      schema: { tags: ['patients'], body: PatientCreateRequest, response: { 201: Patient } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const created = await createPatient(db, actor, request.origin, request.body);
      const access = await requirePatient(db, actor, request.origin, created.id, 'read');
      return reply.status(201).send(await presentPatient(db, actor, access));
    },
  );

  app.post(
    '/api/patients/duplicate-check',
    {
      config: { access: writers },
      schema: { tags: ['patients'], body: DuplicateCheckRequest, response: { 200: DuplicateCheckResponse } },
    },
    async (request) => ({
      candidates: await checkDuplicates(db, actorOf(request), request.origin, request.body),
    }),
  );

  app.get(
    '/api/patients/lookup',
    {
      config: { access: staff },
      schema: {
        tags: ['patients'],
        querystring: z.object({ mrn: Mrn }),
        response: { 200: z.object({ patientId: Uuid }) },
      },
    },
    async (request) => ({
      patientId: await lookupByMrn(db, actorOf(request), request.origin, request.query.mrn),
    }),
  );

  app.get(
    '/api/patients/:patientId',
    {
      config: { access: staff },
      schema: { tags: ['patients'], params: PatientParams, response: { 200: Patient } },
    },
    async (request) => {
      const actor = actorOf(request);
      const { patientId } = request.params;
      const access = await requirePatient(db, actor, request.origin, patientId, 'read', {
        action: 'patient.read',
        recordKind: 'patient',
        recordId: patientId,
      });
      return presentPatient(db, actor, access);
    },
  );

  app.patch(
    '/api/patients/:patientId',
    {
      config: { access: writers },
      schema: {
        tags: ['patients'],
        params: PatientParams,
        body: PatientUpdateRequest,
        response: { 200: Patient },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const access = await requirePatient(db, actor, request.origin, request.params.patientId, 'update');
      const patient = await updatePatient(db, access, request.body);
      return presentPatient(db, actor, { ...access, patient });
    },
  );

  app.post(
    '/api/patients/:patientId/care-team',
    {
      config: { access: writers },
      schema: {
        tags: ['patients'],
        params: PatientParams,
        body: CareTeamAddRequest,
        response: { 200: Patient },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const access = await requirePatient(
        db,
        actor,
        request.origin,
        request.params.patientId,
        'manageCareTeam',
      );
      await addCareTeamMember(db, access, actor, request.body.userId, request.body.teamRole);
      return presentPatient(db, actor, access);
    },
  );

  app.delete(
    '/api/patients/:patientId/care-team/:memberId',
    {
      config: { access: writers },
      schema: { tags: ['patients'], params: PatientParams.extend({ memberId: Uuid }) },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const access = await requirePatient(
        db,
        actor,
        request.origin,
        request.params.patientId,
        'manageCareTeam',
      );
      await removeCareTeamMember(db, access, actor, request.params.memberId);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/patients/:patientId/emergency-access',
    {
      config: { access: staff },
      schema: {
        tags: ['patients'],
        params: PatientParams,
        body: EmergencyAccessRequest,
        response: { 201: EmergencyAccessResponse },
      },
    },
    async (request, reply) => {
      const grant = await breakTheGlass(
        db,
        actorOf(request),
        request.origin,
        request.params.patientId,
        request.body.reason,
      );
      return reply.status(201).send({ id: grant.id, expiresAt: grant.expiresAt.toISOString() });
    },
  );

  app.get(
    '/api/patients/:patientId/access-log',
    {
      config: { access: staff },
      schema: {
        tags: ['patients'],
        params: PatientParams,
        querystring: PageQuery,
        response: { 200: pageOf(AuditEvent) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { patientId } = request.params;
      await requirePatient(db, actor, request.origin, patientId, 'read', {
        action: 'patient.access-log.read',
        recordKind: 'access-log',
        recordId: patientId,
      });
      const { items, total } = await searchAudit(db, {
        organizationId: actor.organizationId,
        patientId,
        ...request.query,
      });
      return {
        items: items.map(presentAuditEvent),
        page: request.query.page,
        pageSize: request.query.pageSize,
        total,
      };
    },
  );

  app.get(
    '/api/directory/users',
    {
      config: { access: writers },
      schema: {
        tags: ['patients'],
        response: { 200: z.array(z.object({ id: Uuid, displayName: z.string(), role: z.string() })) },
      },
    },
    async (request) => directoryUsers(db, actorOf(request).organizationId),
  );
};
