import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/client.ts';
import { defineJob } from '../jobs.ts';
import type { Mailer } from '../mail.ts';
import { users } from '../platform.tables.ts';
import { notificationPreferences, notifications } from './notifications.tables.ts';

/** A notification older than this is not worth an email any more (the worker was down that long). */
const EMAIL_WINDOW_MS = 24 * 60 * 60_000;

interface Pending {
  id: string;
  userId: string;
  organizationId: string;
  title: string;
  email: string;
}

/** One email per user for what arrived since the last sweep. It names no patient and links to the app. */
function composeEmail(config: Config, items: Pending[]) {
  const inbox = `${config.publicUrl}/notifications`;
  const subject = items.length === 1 ? `Kith: ${items[0]!.title}` : `Kith: ${items.length} new notifications`;
  const text = [
    'You have new notifications in Kith:',
    '',
    ...items.map((i) => `- ${i.title}`),
    '',
    `Open Kith to see them: ${inbox}`,
    '',
    `You receive these emails because you chose them on your account page (${config.publicUrl}/account).`,
  ].join('\n');
  return { subject, text };
}

/**
 * Emails the unread notifications of the kinds each user chose, then marks them emailed. Runs as a job on
 * one worker at a time, so a slow SMTP relay never holds up a request; a message the relay refuses stays in
 * the mail outbox with the relay's answer. A crash between sending and marking sends that email again:
 * better twice than never.
 */
export async function emailNotifications(
  db: Db,
  mailer: Mailer,
  config: Config,
  now = new Date(),
  batchSize = 200,
): Promise<{ emails: number; notifications: number }> {
  let emails = 0;
  let sent = 0;
  for (;;) {
    const pending: Pending[] = await db
      .select({
        id: notifications.id,
        userId: notifications.userId,
        organizationId: notifications.organizationId,
        title: notifications.title,
        email: users.email,
      })
      // From the few users who chose email, into their recent notifications by the user index.
      .from(notificationPreferences)
      .innerJoin(
        notifications,
        and(
          eq(notifications.userId, notificationPreferences.userId),
          gt(notifications.createdAt, new Date(now.getTime() - EMAIL_WINDOW_MS)),
        ),
      )
      .innerJoin(users, eq(users.id, notifications.userId))
      .where(
        and(
          sql`cardinality(${notificationPreferences.emailKinds}) > 0`,
          sql`${notifications.kind} = any(${notificationPreferences.emailKinds})`,
          eq(notifications.emailed, false),
          isNull(notifications.readAt),
          isNull(users.disabledAt),
        ),
      )
      .orderBy(asc(notifications.createdAt), asc(notifications.id))
      .limit(batchSize);
    const byUser = new Map<string, Pending[]>();
    for (const p of pending) byUser.set(p.userId, [...(byUser.get(p.userId) ?? []), p]);
    for (const items of byUser.values()) {
      const first = items[0]!;
      await mailer.send({
        organizationId: first.organizationId,
        to: first.email,
        ...composeEmail(config, items),
      });
      await db
        .update(notifications)
        .set({ emailed: true })
        .where(
          inArray(
            notifications.id,
            items.map((i) => i.id),
          ),
        );
      emails += 1;
      sent += items.length;
    }
    if (pending.length < batchSize) return { emails, notifications: sent };
  }
}

/** Every minute, on one worker at a time. */
export const notificationJobs = [
  defineJob({
    name: 'notifications.email',
    cron: '* * * * *',
    policy: 'singleton',
    batchSize: 10,
    retryLimit: 0,
    handler: async (_jobs, ctx) => {
      await emailNotifications(ctx.database.db, ctx.mailer, ctx.config);
    },
  }),
];
