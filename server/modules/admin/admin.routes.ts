import { Readable } from 'node:stream';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Role } from '../../../domain/roles.ts';
import {
  ApiTokenCreateRequest,
  ApiTokenCreateResponse,
  ApiTokenSummary,
  AuditEvent,
  AuditSearchQuery,
  EmergencyAccessReview,
  EmergencyAccessReviewRequest,
  OrganizationSettings,
  OrganizationUpdateRequest,
  OutboxPage,
  OutboxQuery,
  UserCreateRequest,
  UserListQuery,
  UserSummary,
  UserUpdateRequest,
} from '../../../domain/schemas/admin.ts';
import { pageOf, Uuid } from '../../../domain/schemas/common.ts';
import { emergencyAccessFilter } from '../../platform/access.ts';
import { auditActor } from '../../platform/actor.ts';
import { auditCsvHeader, auditCsvLine, presentAuditEvent } from '../../platform/audit/audit.present.ts';
import { appendAudit, searchAudit, streamAudit } from '../../platform/audit/audit.service.ts';
import { notFound } from '../../platform/errors.ts';
import { actorOf } from '../../platform/http.ts';
import { listOutbox } from '../../platform/mail.ts';
import { emergencyAccess, organizations, users } from '../../platform/platform.tables.ts';
import {
  createUser,
  getOrganization,
  issueApiToken,
  listApiTokens,
  listUsers,
  resetMfa,
  revokeApiToken,
  type UserRow,
  updateUser,
} from '../../platform/users.service.ts';
import { invalidateHl7Routing } from '../hl7/routing.cache.ts';
import { patients } from '../patients/patients.tables.ts';

const admins = { roles: ['admin'] as const };
const reviewers = { roles: ['admin', 'supervisor'] as const };
const UserParams = z.object({ userId: Uuid });

const presentUser = (u: UserRow): UserSummary => ({
  id: u.id,
  email: u.email,
  displayName: u.displayName,
  role: u.role as Role,
  kind: u.kind as 'person' | 'service',
  mfaEnabled: Boolean(u.mfaEnabledAt),
  disabled: Boolean(u.disabledAt),
  lastSignInAt: u.lastSignInAt?.toISOString() ?? null,
  createdAt: u.createdAt.toISOString(),
});

const auditQuery = (q: z.infer<typeof AuditSearchQuery>, organizationId: string) => ({
  organizationId,
  userId: q.userId,
  patientId: q.patientId,
  action: q.action,
  emergency: q.emergency === undefined ? undefined : q.emergency === 'true',
  from: q.from,
  to: q.to,
  page: q.page,
  pageSize: q.pageSize,
});

/** Users, API tokens, organisation settings, the audit log and emergency access review. */
export const adminRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.kith.database.db;

  app.get(
    '/api/admin/users',
    {
      config: { access: admins },
      schema: { tags: ['admin'], querystring: UserListQuery, response: { 200: pageOf(UserSummary) } },
    },
    async (request) => {
      const { items, total } = await listUsers(db, actorOf(request).organizationId, request.query);
      return {
        items: items.map(presentUser),
        page: request.query.page,
        pageSize: request.query.pageSize,
        total,
      };
    },
  );

  app.post(
    '/api/admin/users',
    {
      config: { access: admins },
      schema: { tags: ['admin'], body: UserCreateRequest, response: { 201: UserSummary } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const body = request.body;
      const user = await createUser(
        db,
        {
          ...body,
          organizationId: actor.organizationId,
          password: body.kind === 'person' ? body.password : undefined,
        },
        { actor, origin: request.origin },
      );
      return reply.status(201).send(presentUser(user));
    },
  );

  app.patch(
    '/api/admin/users/:userId',
    {
      config: { access: admins },
      schema: {
        tags: ['admin'],
        params: UserParams,
        body: UserUpdateRequest,
        response: { 200: UserSummary },
      },
    },
    async (request) =>
      presentUser(
        await updateUser(db, actorOf(request), request.origin, request.params.userId, request.body),
      ),
  );

  app.post(
    '/api/admin/users/:userId/reset-mfa',
    { config: { access: admins }, schema: { tags: ['admin'], params: UserParams } },
    async (request, reply) => {
      await resetMfa(db, actorOf(request), request.origin, request.params.userId);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/admin/tokens',
    { config: { access: admins }, schema: { tags: ['admin'], response: { 200: z.array(ApiTokenSummary) } } },
    async (request) => {
      const rows = await listApiTokens(db, actorOf(request).organizationId);
      return rows.map(({ token: t, userEmail }) => ({
        id: t.id,
        userId: t.userId,
        userEmail,
        name: t.name,
        prefix: t.prefix,
        createdAt: t.createdAt.toISOString(),
        expiresAt: t.expiresAt?.toISOString() ?? null,
        lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
        revokedAt: t.revokedAt?.toISOString() ?? null,
      }));
    },
  );

  app.post(
    '/api/admin/tokens',
    {
      config: { access: admins },
      schema: { tags: ['admin'], body: ApiTokenCreateRequest, response: { 201: ApiTokenCreateResponse } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { token, row } = await issueApiToken(
        db,
        { organizationId: actor.organizationId, ...request.body },
        { actor, origin: request.origin },
      );
      const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, row.userId));
      return reply.status(201).send({
        token,
        apiToken: {
          id: row.id,
          userId: row.userId,
          userEmail: user!.email,
          name: row.name,
          prefix: row.prefix,
          createdAt: row.createdAt.toISOString(),
          expiresAt: row.expiresAt?.toISOString() ?? null,
          lastUsedAt: null,
          revokedAt: null,
        },
      });
    },
  );

  app.delete(
    '/api/admin/tokens/:tokenId',
    { config: { access: admins }, schema: { tags: ['admin'], params: z.object({ tokenId: Uuid }) } },
    async (request, reply) => {
      await revokeApiToken(db, actorOf(request), request.origin, request.params.tokenId);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/admin/organization',
    { config: { access: admins }, schema: { tags: ['admin'], response: { 200: OrganizationSettings } } },
    async (request) => {
      const org = await getOrganization(db, actorOf(request).organizationId);
      return { name: org.name, timeZone: org.timeZone, requireMfa: org.requireMfa };
    },
  );

  app.patch(
    '/api/admin/organization',
    {
      config: { access: admins },
      schema: { tags: ['admin'], body: OrganizationUpdateRequest, response: { 200: OrganizationSettings } },
    },
    async (request) => {
      const actor = actorOf(request);
      const org = await db.transaction(async (tx) => {
        const [updated] = await tx
          .update(organizations)
          .set(request.body)
          .where(eq(organizations.id, actor.organizationId))
          .returning();
        await appendAudit(tx, {
          ...auditActor(actor),
          action: 'organization.update',
          outcome: 'success',
          recordKind: 'organization',
          recordId: actor.organizationId,
          ip: request.origin.ip,
          userAgent: request.origin.userAgent,
          detail: { fields: Object.keys(request.body) },
        });
        return updated!;
      });
      invalidateHl7Routing(db); // the ADT feed caches the organisation's time zone with its routing
      return { name: org.name, timeZone: org.timeZone, requireMfa: org.requireMfa };
    },
  );

  app.get(
    '/api/admin/audit',
    {
      config: { access: admins },
      schema: { tags: ['admin'], querystring: AuditSearchQuery, response: { 200: pageOf(AuditEvent) } },
    },
    async (request) => {
      const actor = actorOf(request);
      const q = auditQuery(request.query, actor.organizationId);
      const { items, total } = await searchAudit(db, q);
      await appendAudit(db, {
        ...auditActor(actor),
        action: 'audit.search',
        outcome: 'success',
        patientId: q.patientId ?? null,
        recordKind: 'audit-log',
        ip: request.origin.ip,
        userAgent: request.origin.userAgent,
        detail: { userId: q.userId ?? null, from: q.from ?? null, to: q.to ?? null },
      });
      return { items: items.map(presentAuditEvent), page: q.page, pageSize: q.pageSize, total };
    },
  );

  app.get(
    '/api/admin/outbox',
    {
      config: { access: admins },
      schema: {
        tags: ['admin'],
        summary: 'The mail outbox: every email sent, kept (no SMTP_URL) or refused by SMTP',
        querystring: OutboxQuery,
        response: { 200: OutboxPage },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const page = await listOutbox(db, actor.organizationId, request.query);
      await appendAudit(db, {
        ...auditActor(actor),
        action: 'mail.outbox.list',
        outcome: 'success',
        recordKind: 'mail_outbox',
        ip: request.origin.ip,
        userAgent: request.origin.userAgent,
        detail: { status: request.query.status ?? null, page: request.query.page, total: page.total },
      });
      return page;
    },
  );

  app.get(
    '/api/admin/audit.csv',
    { config: { access: admins }, schema: { tags: ['admin'], querystring: AuditSearchQuery } },
    async (request, reply) => {
      const actor = actorOf(request);
      const q = auditQuery(request.query, actor.organizationId);
      await appendAudit(db, {
        ...auditActor(actor),
        action: 'audit.export',
        outcome: 'success',
        patientId: q.patientId ?? null,
        recordKind: 'audit-log',
        ip: request.origin.ip,
        userAgent: request.origin.userAgent,
        detail: { userId: q.userId ?? null, from: q.from ?? null, to: q.to ?? null },
      });
      async function* lines() {
        yield auditCsvHeader();
        for await (const row of streamAudit(db, q)) yield auditCsvLine(row);
      }
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="kith-audit-${new Date().toISOString().slice(0, 10)}.csv"`,
        )
        .send(Readable.from(lines()));
    },
  );

  app.get(
    '/api/admin/emergency-access',
    {
      config: { access: reviewers },
      schema: {
        tags: ['admin'],
        querystring: z.object({ status: z.enum(['pending', 'all']).default('pending') }),
        response: { 200: z.array(EmergencyAccessReview) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const rows = await db
        .select({
          grant: emergencyAccess,
          email: users.email,
          family: patients.familyName,
          given: patients.givenName,
        })
        .from(emergencyAccess)
        .innerJoin(users, eq(users.id, emergencyAccess.userId))
        .innerJoin(patients, eq(patients.id, emergencyAccess.patientId))
        .where(emergencyAccessFilter(actor.organizationId, request.query.status === 'pending'))
        .orderBy(desc(emergencyAccess.grantedAt))
        .limit(500);
      await appendAudit(db, {
        ...auditActor(actor),
        action: 'emergency-access.review-list',
        outcome: 'success',
        recordKind: 'emergency-access',
        ip: request.origin.ip,
        userAgent: request.origin.userAgent,
        detail: { patientIds: [...new Set(rows.map((r) => r.grant.patientId))] },
      });
      return rows.map(({ grant: g, email, family, given }) => ({
        id: g.id,
        userId: g.userId,
        userEmail: email,
        patientId: g.patientId,
        patientName: `${family}, ${given}`,
        reason: g.reason,
        grantedAt: g.grantedAt.toISOString(),
        expiresAt: g.expiresAt.toISOString(),
        reviewedAt: g.reviewedAt?.toISOString() ?? null,
        reviewNote: g.reviewNote,
      }));
    },
  );

  app.post(
    '/api/admin/emergency-access/:grantId/review',
    {
      config: { access: reviewers },
      schema: { tags: ['admin'], params: z.object({ grantId: Uuid }), body: EmergencyAccessReviewRequest },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      await db.transaction(async (tx) => {
        const [grant] = await tx
          .update(emergencyAccess)
          .set({ reviewedAt: new Date(), reviewedBy: actor.userId, reviewNote: request.body.note })
          .where(
            and(
              eq(emergencyAccess.id, request.params.grantId),
              eq(emergencyAccess.organizationId, actor.organizationId),
              isNull(emergencyAccess.reviewedAt),
            ),
          )
          .returning();
        if (!grant) throw notFound('unreviewed emergency access');
        await appendAudit(tx, {
          ...auditActor(actor),
          action: 'emergency-access.review',
          outcome: 'success',
          patientId: grant.patientId,
          recordKind: 'emergency-access',
          recordId: grant.id,
          ip: request.origin.ip,
          userAgent: request.origin.userAgent,
        });
      });
      return reply.status(204).send();
    },
  );
};
