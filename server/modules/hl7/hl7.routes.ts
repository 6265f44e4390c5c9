import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

// Issue 6 registration point; routes are added by the module's owner.
export const hl7Routes: FastifyPluginAsyncZod = async (_app) => {};
