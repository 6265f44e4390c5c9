import type { z } from 'zod';
import type * as Notifications from '../../../domain/schemas/notifications.ts';

export type NotificationItem = z.infer<typeof Notifications.Notification>;
export type NotificationPreferencesView = z.infer<typeof Notifications.NotificationPreferences>;
