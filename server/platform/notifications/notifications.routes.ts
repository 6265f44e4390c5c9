import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageOf, Uuid } from '../../../domain/schemas/common.ts';
import {
  Notification,
  NotificationListQuery,
  NotificationPreferences,
  NotificationReadAllResponse,
  UnreadCount,
} from '../../../domain/schemas/notifications.ts';
import { actorOf } from '../http.ts';
import {
  emailKindsOf,
  listNotifications,
  markAllRead,
  markRead,
  setEmailKinds,
  unreadCount,
} from './notifications.inbox.ts';

const signedIn = 'authenticated' as const;

/** The bell: the signed-in user's own notifications, and which kinds they also get by email. */
export const notificationsRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.kith.database.db;

  app.get(
    '/api/notifications',
    {
      config: { access: signedIn },
      schema: {
        tags: ['notifications'],
        querystring: NotificationListQuery,
        response: { 200: pageOf(Notification) },
      },
    },
    async (request) => {
      const { items, total } = await listNotifications(db, actorOf(request), request.origin, request.query);
      return { items, total, page: request.query.page, pageSize: request.query.pageSize };
    },
  );

  app.get(
    '/api/notifications/unread-count',
    {
      // The bell polls it every 30 s: a poll must not keep an idle session alive.
      config: { access: signedIn, passive: true },
      schema: { tags: ['notifications'], response: { 200: UnreadCount } },
    },
    async (request) => ({ unread: await unreadCount(db, actorOf(request)) }),
  );

  app.post(
    '/api/notifications/:notificationId/read',
    {
      config: { access: signedIn },
      schema: { tags: ['notifications'], params: z.object({ notificationId: Uuid }) },
    },
    async (request, reply) => {
      await markRead(db, actorOf(request), request.params.notificationId);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/notifications/read-all',
    {
      config: { access: signedIn },
      schema: { tags: ['notifications'], response: { 200: NotificationReadAllResponse } },
    },
    async (request) => ({ marked: await markAllRead(db, actorOf(request)) }),
  );

  app.get(
    '/api/account/notification-preferences',
    {
      config: { access: signedIn },
      schema: { tags: ['notifications'], response: { 200: NotificationPreferences } },
    },
    async (request) => ({ emailKinds: await emailKindsOf(db, actorOf(request).userId) }),
  );

  app.put(
    '/api/account/notification-preferences',
    {
      config: { access: signedIn },
      schema: {
        tags: ['notifications'],
        body: NotificationPreferences,
        response: { 200: NotificationPreferences },
      },
    },
    async (request) => ({
      emailKinds: await setEmailKinds(db, actorOf(request).userId, request.body.emailKinds),
    }),
  );
};
