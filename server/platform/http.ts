import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../../domain/roles.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import type { Actor, RequestOrigin } from './actor.ts';
import { actorForApiToken, actorFromSession } from './auth/auth.service.ts';
import { type LiveSession, touchSession } from './auth/sessions.ts';
import { AppError } from './errors.ts';
import type { JobQueue } from './jobs.ts';
import type { Mailer } from './mail.ts';

/** Who may call a route: anyone, any signed-in user, or only some roles. Every /api route must say. */
export type Access = 'public' | 'authenticated' | { roles: readonly Role[] };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** Open to a user who still has to enrol a second factor (the enrolment routes themselves). */
    allowDuringMfaEnrolment?: boolean;
    /** A background poll (the bell's count): the session is checked, but the request is not activity. */
    passive?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | null;
    origin: RequestOrigin;
    /** The CSRF token of the cookie session, when there is one. */
    csrfToken: string | null;
    /** The cookie session with its user and organisation, as the gate found them. */
    session: LiveSession | null;
  }
  interface FastifyInstance {
    kith: AppContext;
  }
}

export interface AppContext {
  config: Config;
  database: Database;
  mailer: Mailer;
  /** The durable job queue: `send` enqueues (inside a transaction with `{ tx }`). */
  jobs: JobQueue;
}

export const SESSION_COOKIE = 'kith_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The signed-in actor of a route that is not public. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError(401, 'unauthenticated', 'Sign in to continue');
  return request.actor;
}

export function setSessionCookie(reply: FastifyReply, config: Config, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.secureCookies,
    path: '/',
    signed: true,
  });
}

export function clearSessionCookie(reply: FastifyReply, config: Config): void {
  reply.clearCookie(SESSION_COOKIE, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.secureCookies,
  });
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The one gate every request passes: resolves the actor (bearer token or session cookie), checks CSRF on
 * cookie writes, then the route's declared access. A route that declares no access cannot be registered.
 */
export function installAccessGate(app: FastifyInstance): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('csrfToken', null);
  app.decorateRequest('session', null);
  app.decorateRequest('origin', null as unknown as RequestOrigin);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return;
    if (!route.config?.access) throw new Error(`route ${route.method} ${route.url} declares no access rule`);
  });

  app.addHook('onRequest', async (request) => {
    request.origin = { ip: request.ip ?? null, userAgent: request.headers['user-agent'] ?? null };
    const config = request.routeOptions.config;
    const access = config?.access;
    if (!access) return; // static files, docs, not-found
    const { database, config: appConfig } = app.kith;
    const authorization = request.headers.authorization;
    try {
      if (authorization) {
        const match = /^Bearer\s+(\S+)$/i.exec(authorization);
        if (!match) throw new AppError(401, 'unauthenticated', 'Authorization must be "Bearer <token>"');
        request.actor = await actorForApiToken(database.db, match[1]!);
      } else {
        const raw = request.cookies[SESSION_COOKIE];
        if (raw) {
          const unsigned = request.unsignCookie(raw);
          if (!unsigned.valid || !unsigned.value)
            throw new AppError(401, 'unauthenticated', 'Sign in to continue');
          const live = await touchSession(database.db, appConfig.session, unsigned.value, new Date(), {
            passive: config.passive,
          });
          const { session } = live;
          request.session = live;
          request.csrfToken = session.csrfToken;
          if (!SAFE_METHODS.has(request.method)) {
            const sent = request.headers['x-csrf-token'];
            if (typeof sent !== 'string' || !sameToken(sent, session.csrfToken)) {
              throw new AppError(
                403,
                'csrf',
                'This request is missing its CSRF token; reload the page and try again',
              );
            }
          }
          request.actor = actorFromSession(session, live.user, live.organization);
        }
      }
    } catch (error) {
      // A stale cookie must not stop anyone from reaching public routes such as sign-in.
      if (access !== 'public' || (error instanceof AppError && error.code === 'csrf')) throw error;
      request.actor = null;
    }
    if (access === 'public') return;
    if (!request.actor) throw new AppError(401, 'unauthenticated', 'Sign in to continue');
    if (request.actor.mfaEnrolmentRequired && !config.allowDuringMfaEnrolment) {
      throw new AppError(403, 'mfa-enrolment-required', 'Set up two-step sign-in before you continue');
    }
    if (typeof access === 'object' && !access.roles.includes(request.actor.role)) {
      throw new AppError(403, 'forbidden', 'Your role does not allow this');
    }
  });
}
