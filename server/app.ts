import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import { adminRoutes } from './modules/admin/admin.routes.ts';
import { assessmentsRoutes } from './modules/assessments/assessments.routes.ts';
import { fillRoutes } from './modules/assessments/fill.routes.ts';
import { casesRoutes } from './modules/cases/cases.routes.ts';
import { triageRoutes } from './modules/cases/triage.routes.ts';
import { chartRoutes } from './modules/chart/chart.routes.ts';
import { admissionsRoutes } from './modules/discharge/admissions.routes.ts';
import { dischargeRoutes } from './modules/discharge/discharge.routes.ts';
import { placementRoutes } from './modules/discharge/placement.routes.ts';
import { encountersRoutes } from './modules/encounters/encounters.routes.ts';
import { hl7Routes } from './modules/hl7/hl7.routes.ts';
import { instrumentsRoutes } from './modules/instruments/instruments.routes.ts';
import { messagesRoutes } from './modules/messages/messages.routes.ts';
import { needsRoutes } from './modules/needs/needs.routes.ts';
import { newsletterJobs } from './modules/newsletter/newsletter.jobs.ts';
import { newsletterRoutes } from './modules/newsletter/newsletter.routes.ts';
import { patientsRoutes } from './modules/patients/patients.routes.ts';
import { handoutRoutes } from './modules/referrals/handout.routes.ts';
import { partnerRoutes } from './modules/referrals/partner.routes.ts';
import { referralJobs } from './modules/referrals/referrals.followup.ts';
import { referralsRoutes } from './modules/referrals/referrals.routes.ts';
import { coverageRoutes } from './modules/reports/coverage.routes.ts';
import { resourcesRoutes } from './modules/resources/resources.routes.ts';
import { searchRoutes } from './modules/resources/search.routes.ts';
import { siteRoutes } from './modules/site/site.routes.ts';
import { taskJobs } from './modules/tasks/tasks.reminders.ts';
import { tasksRoutes } from './modules/tasks/tasks.routes.ts';
import { worklistRoutes } from './modules/worklist/worklist.routes.ts';
import { authRoutes } from './platform/auth/auth.routes.ts';
import { frameworkError, installProblemHandlers } from './platform/errors.ts';
import { installAccessGate } from './platform/http.ts';
import { newId } from './platform/ids.ts';
import { createJobQueue, type JobDefinition } from './platform/jobs.ts';
import { createLogger } from './platform/logger.ts';
import { createMailer, type Mailer } from './platform/mail.ts';
import { notificationJobs } from './platform/notifications/notifications.email.ts';
import { notificationsRoutes } from './platform/notifications/notifications.routes.ts';
import { opsRoutes } from './platform/ops.routes.ts';

const WEB_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'web');

/** Every module's background jobs, worked by `serve` and by `worker` (server/platform/jobs.ts). */
export const JOB_DEFINITIONS: readonly JobDefinition<never>[] = [
  ...taskJobs,
  ...notificationJobs,
  ...referralJobs,
  ...newsletterJobs,
];

export interface BuildOptions {
  config: Config;
  database: Database;
  logger?: Logger;
  mailer?: Mailer;
  /** Serve the built web app from dist/web when it exists (off in API tests). */
  serveWeb?: boolean;
}

/** Builds the Fastify application: platform plugins, then every module's routes. Used by main and by tests. */
export async function buildApp(opts: BuildOptions): Promise<FastifyInstance> {
  const { config, database } = opts;
  const logger = opts.logger ?? createLogger(config.logLevel);
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    trustProxy: config.trustProxy,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : newId();
    },
    requestIdHeader: false,
    return503OnClosing: true,
    frameworkErrors: frameworkError as never,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const mailer = opts.mailer ?? createMailer(database.db, config.smtpUrl, config.mailFrom, logger);
  // Created here, started by main (`serve` works the queues) or by a test that asks; closing the app stops it.
  const jobs = createJobQueue({ config, database, mailer, logger }, JOB_DEFINITIONS);
  app.decorate('kith', { config, database, mailer, jobs });
  app.addHook('onClose', () => jobs.stop());
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });

  const serveWeb = opts.serveWeb !== false && existsSync(join(WEB_DIR, 'index.html'));
  installProblemHandlers(app, { spaFallback: serveWeb });
  await app.register(cookie, { secret: config.sessionSecret, hook: 'onRequest' });
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(config.secureCookies ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: config.secureCookies ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(rateLimit, { global: false });
  // The public site's forms (sign-up, confirm, unsubscribe) post application/x-www-form-urlencoded.
  await app.register(formbody);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Kith API', version: '0.1.0', description: 'Hospital medical social services' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'kith_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  installAccessGate(app);

  await app.register(opsRoutes);
  await app.register(authRoutes);
  await app.register(patientsRoutes);
  await app.register(encountersRoutes);
  await app.register(instrumentsRoutes);
  await app.register(adminRoutes);
  await app.register(tasksRoutes);
  await app.register(notificationsRoutes);
  await app.register(casesRoutes);
  await app.register(triageRoutes);
  await app.register(worklistRoutes);
  await app.register(chartRoutes);
  await app.register(messagesRoutes);
  await app.register(assessmentsRoutes);
  await app.register(fillRoutes);
  await app.register(needsRoutes);
  await app.register(coverageRoutes);
  await app.register(resourcesRoutes);
  await app.register(searchRoutes);
  await app.register(referralsRoutes);
  await app.register(partnerRoutes);
  await app.register(handoutRoutes);
  await app.register(hl7Routes);
  await app.register(admissionsRoutes);
  await app.register(dischargeRoutes);
  await app.register(placementRoutes);
  await app.register(siteRoutes);
  await app.register(newsletterRoutes);

  if (serveWeb) await app.register(fastifyStatic, { root: WEB_DIR, wildcard: false, maxAge: '1h' });
  return app;
}
