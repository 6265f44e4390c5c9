import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

export const referralsRoutes: FastifyPluginAsyncZod = async () => {};
