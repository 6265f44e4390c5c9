import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from './errors.ts';

const Health = z.object({ status: z.literal('ok') });
const Ready = z.object({ status: z.literal('ready'), database: z.enum(['pglite', 'postgres']) });

/** Liveness, readiness and the OpenAPI document. */
export const opsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/health',
    { config: { access: 'public' }, schema: { tags: ['ops'], response: { 200: Health } } },
    async () => ({
      status: 'ok' as const,
    }),
  );

  app.get(
    '/api/ready',
    { config: { access: 'public' }, schema: { tags: ['ops'], response: { 200: Ready } } },
    async () => {
      const { database } = app.kith;
      try {
        await database.query('select 1');
      } catch {
        throw new AppError(503, 'not-ready', 'The database cannot be reached');
      }
      if (!(await database.migrationsCurrent()))
        throw new AppError(503, 'not-ready', 'Database migrations are not current');
      return { status: 'ready' as const, database: database.kind };
    },
  );

  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
};
