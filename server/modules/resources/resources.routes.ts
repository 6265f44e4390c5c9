import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const resourcesRoutes: FastifyPluginAsyncZod = async () => {};
