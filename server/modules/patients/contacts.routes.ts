import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Uuid } from '../../../domain/schemas/common.ts';
import {
  Contact,
  ContactCreateRequest,
  ContactList,
  ContactRetireQuery,
  ContactUpdateRequest,
} from '../../../domain/schemas/contacts.ts';
import { can, requirePatient } from '../../platform/access.ts';
import { actorOf } from '../../platform/http.ts';
import {
  createContact,
  listContacts,
  organizationToday,
  presentContact,
  retireContact,
  updateContact,
} from './contacts.service.ts';

const PatientParams = z.object({ patientId: Uuid });
const ContactParams = PatientParams.extend({ contactId: Uuid });
const staff = { roles: ['admin', 'supervisor', 'social_worker', 'clinician', 'read_only'] as const };
const writers = { roles: ['admin', 'supervisor', 'social_worker', 'clinician'] as const };

/** Family and other contacts of a patient, with what the patient allowed staff to tell each of them. */
export const contactsRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.kith.database.db;

  app.get(
    '/api/patients/:patientId/contacts',
    {
      config: { access: staff },
      schema: { tags: ['contacts'], params: PatientParams, response: { 200: ContactList } },
    },
    async (request) => {
      const actor = actorOf(request);
      const { patientId } = request.params;
      const access = await requirePatient(db, actor, request.origin, patientId, 'read', {
        action: 'contact.list',
        recordKind: 'contact',
      });
      const [rows, today] = await Promise.all([
        listContacts(db, patientId),
        organizationToday(db, actor.organizationId),
      ]);
      return {
        items: rows.map((row) => presentContact(row, today)),
        abilities: { update: can(actor, 'patient', 'update', access.relation) },
      };
    },
  );

  app.post(
    '/api/patients/:patientId/contacts',
    {
      config: { access: writers },
      schema: {
        tags: ['contacts'],
        params: PatientParams,
        body: ContactCreateRequest,
        response: { 201: Contact },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const access = await requirePatient(db, actor, request.origin, request.params.patientId, 'update');
      const contact = await createContact(db, access, actor, request.body);
      return reply
        .status(201)
        .send(presentContact(contact, await organizationToday(db, actor.organizationId)));
    },
  );

  app.patch(
    '/api/patients/:patientId/contacts/:contactId',
    {
      config: { access: writers },
      schema: {
        tags: ['contacts'],
        params: ContactParams,
        body: ContactUpdateRequest,
        response: { 200: Contact },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { patientId, contactId } = request.params;
      const access = await requirePatient(db, actor, request.origin, patientId, 'update');
      const contact = await updateContact(db, access, actor, contactId, request.body);
      return presentContact(contact, await organizationToday(db, actor.organizationId));
    },
  );

  app.delete(
    '/api/patients/:patientId/contacts/:contactId',
    {
      config: { access: writers },
      schema: { tags: ['contacts'], params: ContactParams, querystring: ContactRetireQuery },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { patientId, contactId } = request.params;
      const access = await requirePatient(db, actor, request.origin, patientId, 'update');
      await retireContact(db, access, actor, contactId, request.query.version);
      return reply.status(204).send();
    },
  );
};
