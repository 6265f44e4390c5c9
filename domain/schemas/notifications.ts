import { z } from 'zod';
import { NOTIFICATION_KIND_CODES } from '../notifications.ts';
import { PageQuery, Uuid } from './common.ts';

/** `GET /api/notifications`: newest first, optionally unread only. */
export const NotificationListQuery = PageQuery.extend({
  unread: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .optional()
    .transform((v) => v === 'true'),
});

export const Notification = z.object({
  id: Uuid,
  kind: z.string(),
  title: z.string(),
  link: z.string().nullable(),
  /** The patient's name only when the user may see the patient; else just the title is shown. */
  patient: z.object({ id: Uuid, name: z.string() }).nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});

export const UnreadCount = z.object({ unread: z.number().int() });

export const NotificationReadAllResponse = z.object({ marked: z.number().int() });

/** `GET|PUT /api/account/notification-preferences`: the kinds the user also receives by email. */
export const NotificationPreferences = z.object({
  emailKinds: z.array(z.enum(NOTIFICATION_KIND_CODES)).max(NOTIFICATION_KIND_CODES.length),
});
