import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Role } from '../../../domain/roles.ts';
import {
  ChangePasswordRequest,
  LoginRequest,
  LogoutAllResponse,
  MeResponse,
  MfaDisableRequest,
  MfaEnrolConfirmRequest,
  MfaEnrolConfirmResponse,
  MfaEnrolStartResponse,
  SessionSummary,
} from '../../../domain/schemas/auth.ts';
import type { Actor } from '../actor.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { actorOf, clearSessionCookie, setSessionCookie } from '../http.ts';
import { getOrganization, getUserInOrg, type OrganizationRow, type UserRow } from '../users.service.ts';
import {
  actorFromSession,
  changePassword,
  confirmMfaEnrolment,
  disableMfa,
  notifyLockout,
  signIn,
  startMfaEnrolment,
} from './auth.service.ts';
import {
  endSession,
  endUserSessions,
  liveSessions,
  type SessionPolicy,
  type SessionRow,
} from './sessions.ts';

function presentMe(
  user: UserRow,
  org: OrganizationRow,
  session: SessionRow | null,
  actor: Actor,
  policy: SessionPolicy,
): MeResponse {
  const now = new Date();
  return {
    user: {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      role: user.role as Role,
      organization: {
        id: org.id,
        slug: org.slug,
        name: org.name,
        timeZone: org.timeZone,
        requireMfa: org.requireMfa,
      },
      mfaEnabled: Boolean(user.mfaEnabledAt),
      mfaEnrolmentRequired: actor.mfaEnrolmentRequired,
    },
    // An API token needs no CSRF token and has no session of its own.
    csrfToken: session?.csrfToken ?? '',
    session: {
      idleTimeoutSeconds: Math.round(policy.idleMs / 1000),
      expiresAt: (session?.expiresAt ?? now).toISOString(),
      lastSeenAt: (session?.lastSeenAt ?? now).toISOString(),
    },
  };
}

/** Sign-in, sign-out, the current user, second factor and password. */
export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const { database, config } = app.kith;
  const signInLimit = { max: config.signInRateLimit, timeWindow: '1 minute' };
  const db = database.db;

  app.post(
    '/api/auth/login',
    {
      config: { access: 'public', rateLimit: signInLimit },
      schema: { tags: ['auth'], body: LoginRequest, response: { 200: MeResponse } },
    },
    async (request, reply) => {
      const { user, token, session } = await signIn(db, config.session, request.body, request.origin, {
        onLockout: (locked) =>
          notifyLockout(app.kith.mailer, locked, config.publicUrl).catch((error: unknown) =>
            request.log.warn(
              { err: { message: error instanceof Error ? error.message : String(error) } },
              'lock-out notice not queued',
            ),
          ),
      });
      setSessionCookie(reply, config, token);
      const organization = await getOrganization(db, user.organizationId);
      return presentMe(
        user,
        organization,
        session,
        actorFromSession(session, user, organization),
        config.session,
      );
    },
  );

  app.post(
    '/api/auth/logout',
    { config: { access: 'authenticated', allowDuringMfaEnrolment: true }, schema: { tags: ['auth'] } },
    async (request, reply) => {
      const actor = actorOf(request);
      if (actor.sessionId) await endSession(db, actor.sessionId, 'sign-out');
      await appendAudit(db, {
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        actorRole: actor.role,
        actorLabel: actor.email,
        action: 'auth.sign-out',
        outcome: 'success',
        recordKind: 'session',
        recordId: actor.sessionId,
        ip: request.origin.ip,
        userAgent: request.origin.userAgent,
      });
      clearSessionCookie(reply, config);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/auth/logout-all',
    {
      config: { access: 'authenticated', allowDuringMfaEnrolment: true },
      schema: { tags: ['auth'], response: { 200: LogoutAllResponse } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const ended = await endUserSessions(db, actor.userId, 'sign-out-everywhere');
      await appendAudit(db, {
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        actorRole: actor.role,
        actorLabel: actor.email,
        action: 'auth.sign-out-everywhere',
        outcome: 'success',
        ip: request.origin.ip,
        userAgent: request.origin.userAgent,
        detail: { ended },
      });
      clearSessionCookie(reply, config);
      return { ended };
    },
  );

  app.get(
    '/api/auth/me',
    {
      config: { access: 'authenticated', allowDuringMfaEnrolment: true },
      schema: { tags: ['auth'], response: { 200: MeResponse } },
    },
    async (request) => {
      const actor = actorOf(request);
      if (request.session) {
        const { user, organization, session } = request.session;
        return presentMe(user, organization, session, actor, config.session);
      }
      const user = await getUserInOrg(db, actor.organizationId, actor.userId);
      return presentMe(user, await getOrganization(db, actor.organizationId), null, actor, config.session);
    },
  );

  app.post(
    '/api/auth/keepalive',
    { config: { access: 'authenticated', allowDuringMfaEnrolment: true }, schema: { tags: ['auth'] } },
    async (_request, reply) => reply.status(204).send(),
  );

  app.get(
    '/api/auth/sessions',
    {
      config: { access: 'authenticated' },
      schema: { tags: ['auth'], response: { 200: z.array(SessionSummary) } },
    },
    async (request) => {
      const actor = actorOf(request);
      const rows = await liveSessions(db, actor.userId, config.session);
      return rows.map((s) => ({
        id: s.id,
        current: s.id === actor.sessionId,
        createdAt: s.createdAt.toISOString(),
        lastSeenAt: s.lastSeenAt.toISOString(),
        ip: s.ip,
        userAgent: s.userAgent,
      }));
    },
  );

  app.post(
    '/api/auth/mfa/enrol',
    {
      config: { access: 'authenticated', allowDuringMfaEnrolment: true },
      schema: { tags: ['auth'], response: { 200: MfaEnrolStartResponse } },
    },
    async (request) => startMfaEnrolment(db, actorOf(request)),
  );

  app.post(
    '/api/auth/mfa/confirm',
    {
      config: { access: 'authenticated', allowDuringMfaEnrolment: true, rateLimit: signInLimit },
      schema: { tags: ['auth'], body: MfaEnrolConfirmRequest, response: { 200: MfaEnrolConfirmResponse } },
    },
    async (request) => ({
      recoveryCodes: await confirmMfaEnrolment(db, actorOf(request), request.origin, request.body.code),
    }),
  );

  app.post(
    '/api/auth/mfa/disable',
    {
      config: { access: 'authenticated', rateLimit: signInLimit },
      schema: { tags: ['auth'], body: MfaDisableRequest },
    },
    async (request, reply) => {
      await disableMfa(db, actorOf(request), request.origin, request.body.password);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/auth/password',
    {
      config: { access: 'authenticated', rateLimit: signInLimit },
      schema: { tags: ['auth'], body: ChangePasswordRequest },
    },
    async (request, reply) => {
      await changePassword(
        db,
        actorOf(request),
        request.origin,
        request.body.currentPassword,
        request.body.newPassword,
      );
      return reply.status(204).send();
    },
  );
};
