import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  DirectoryLocation,
  DirectoryLocationWrite,
  DirectoryOrganization,
  DirectoryOrganizationParams,
  DirectoryOrganizationSummary,
  DirectoryOrganizationWrite,
  ImportRun,
  PartnerAccount,
  PartnerAddRequest,
  PartnerParams,
  ServiceDetail,
  ServiceParams,
  ServiceWrite,
} from '../../../domain/schemas/resources.ts';
import { actorOf } from '../../platform/http.ts';
import {
  createDirectoryOrganization,
  createLocation,
  getDirectoryOrganization,
  listDirectoryOrganizations,
  listLocations,
  updateDirectoryOrganization,
} from './directory.service.ts';
import { listImports } from './hsds/import-runs.ts';
import { addPartner, listPartners, removePartner } from './partners.service.ts';
import { DIRECTORY_EDITORS, DIRECTORY_READERS } from './resources.policy.ts';
import { serviceDetail } from './service-detail.ts';
import { createService, updateService } from './service-editor.service.ts';

const readers = { roles: DIRECTORY_READERS };
const editors = { roles: DIRECTORY_EDITORS };
const tags = ['resources'];
const items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

/**
 * The directory admin API: a service in full (staff), and what admins change by hand (services,
 * organisations, their locations and partner accounts) or look at (import reports). Search is search.routes.ts.
 */
export const resourcesRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.kith.database.db;

  app.get(
    '/api/resources/services/:serviceId',
    {
      config: { access: readers },
      schema: { tags, params: ServiceParams, response: { 200: ServiceDetail } },
    },
    async (request) => serviceDetail(db, actorOf(request).organizationId, request.params.serviceId),
  );

  app.post(
    '/api/resources/services',
    { config: { access: editors }, schema: { tags, body: ServiceWrite, response: { 201: ServiceDetail } } },
    async (request, reply) => {
      const actor = actorOf(request);
      const id = await createService(db, actor, request.origin, request.body);
      return reply.status(201).send(await serviceDetail(db, actor.organizationId, id));
    },
  );

  app.put(
    '/api/resources/services/:serviceId',
    {
      config: { access: editors },
      schema: { tags, params: ServiceParams, body: ServiceWrite, response: { 200: ServiceDetail } },
    },
    async (request) => {
      const actor = actorOf(request);
      await updateService(db, actor, request.origin, request.params.serviceId, request.body);
      return serviceDetail(db, actor.organizationId, request.params.serviceId);
    },
  );

  app.get(
    '/api/resources/organizations',
    { config: { access: readers }, schema: { tags, response: { 200: items(DirectoryOrganizationSummary) } } },
    async (request) => ({ items: await listDirectoryOrganizations(db, actorOf(request).organizationId) }),
  );

  app.get(
    '/api/resources/organizations/:organizationId',
    {
      config: { access: readers },
      schema: { tags, params: DirectoryOrganizationParams, response: { 200: DirectoryOrganization } },
    },
    async (request) =>
      getDirectoryOrganization(db, actorOf(request).organizationId, request.params.organizationId),
  );

  app.post(
    '/api/resources/organizations',
    {
      config: { access: editors },
      schema: { tags, body: DirectoryOrganizationWrite, response: { 201: DirectoryOrganization } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const id = await createDirectoryOrganization(db, actor, request.origin, request.body);
      return reply.status(201).send(await getDirectoryOrganization(db, actor.organizationId, id));
    },
  );

  app.put(
    '/api/resources/organizations/:organizationId',
    {
      config: { access: editors },
      schema: {
        tags,
        params: DirectoryOrganizationParams,
        body: DirectoryOrganizationWrite,
        response: { 200: DirectoryOrganization },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { organizationId } = request.params;
      await updateDirectoryOrganization(db, actor, request.origin, organizationId, request.body);
      return getDirectoryOrganization(db, actor.organizationId, organizationId);
    },
  );

  app.get(
    '/api/resources/organizations/:organizationId/locations',
    {
      config: { access: readers },
      schema: { tags, params: DirectoryOrganizationParams, response: { 200: items(DirectoryLocation) } },
    },
    async (request) => ({
      items: await listLocations(db, actorOf(request).organizationId, request.params.organizationId),
    }),
  );

  app.post(
    '/api/resources/organizations/:organizationId/locations',
    {
      config: { access: editors },
      schema: {
        tags,
        params: DirectoryOrganizationParams,
        body: DirectoryLocationWrite,
        response: { 201: DirectoryLocation },
      },
    },
    async (request, reply) => {
      const location = await createLocation(
        db,
        actorOf(request),
        request.origin,
        request.params.organizationId,
        request.body,
      );
      return reply.status(201).send(location);
    },
  );

  app.get(
    '/api/resources/organizations/:organizationId/partners',
    {
      config: { access: editors },
      schema: { tags, params: DirectoryOrganizationParams, response: { 200: items(PartnerAccount) } },
    },
    async (request) => ({
      items: await listPartners(db, actorOf(request).organizationId, request.params.organizationId),
    }),
  );

  app.post(
    '/api/resources/organizations/:organizationId/partners',
    {
      config: { access: editors },
      schema: { tags, params: DirectoryOrganizationParams, body: PartnerAddRequest },
    },
    async (request, reply) => {
      await addPartner(
        db,
        actorOf(request),
        request.origin,
        request.params.organizationId,
        request.body.userId,
      );
      return reply.status(204).send();
    },
  );

  app.delete(
    '/api/resources/organizations/:organizationId/partners/:userId',
    { config: { access: editors }, schema: { tags, params: PartnerParams } },
    async (request, reply) => {
      const { organizationId, userId } = request.params;
      await removePartner(db, actorOf(request), request.origin, organizationId, userId);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/resources/imports',
    { config: { access: editors }, schema: { tags, response: { 200: items(ImportRun) } } },
    async (request) => ({ items: await listImports(db, actorOf(request).organizationId) }),
  );
};
