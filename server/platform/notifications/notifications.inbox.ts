import { and, desc, eq, isNull, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { NOTIFICATION_KIND_CODES, type NotificationKind } from '../../../domain/notifications.ts';
import { ORGANISATION_WIDE_ROLES } from '../../../domain/roles.ts';
import type { Notification } from '../../../domain/schemas/notifications.ts';
import type { DbOrTx } from '../../db/client.ts';
import { patients } from '../../modules/patients/patients.tables.ts';
import { type Actor, auditActor, type RequestOrigin } from '../actor.ts';
import { appendAudit } from '../audit/audit.service.ts';
import { notFound } from '../errors.ts';
import { notificationPreferences, notifications } from './notifications.tables.ts';

const mine = (actor: Actor) =>
  and(eq(notifications.userId, actor.userId), eq(notifications.organizationId, actor.organizationId))!;

/**
 * One page of the actor's notifications, newest first. The patient is named only to a user who may see
 * the patient now (organisation-wide role or care team, as `patientScope` decides); the names shown are
 * audited as a list read.
 */
export async function listNotifications(
  db: DbOrTx,
  actor: Actor,
  origin: RequestOrigin,
  q: { unread: boolean; page: number; pageSize: number },
) {
  const where: SQL = and(mine(actor), q.unread ? isNull(notifications.readAt) : undefined)!;
  const orgWide = ORGANISATION_WIDE_ROLES.includes(actor.role);
  const [rows, [count]] = await Promise.all([
    db
      .select({
        n: notifications,
        familyName: patients.familyName,
        givenName: patients.givenName,
        mayName: orgWide
          ? sql<boolean>`${patients.id} is not null and ${patients.retiredAt} is null`
          : sql<boolean>`${patients.retiredAt} is null and exists(select 1 from care_team_members c where c.patient_id = ${patients.id} and c.user_id = ${actor.userId} and c.removed_at is null)`,
      })
      .from(notifications)
      .leftJoin(
        patients,
        and(eq(patients.id, notifications.patientId), eq(patients.organizationId, actor.organizationId)),
      )
      .where(where)
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: sql<number>`count(*)::int` }).from(notifications).where(where),
  ]);
  const items: z.infer<typeof Notification>[] = rows.map(({ n, familyName, givenName, mayName }) => ({
    id: n.id,
    kind: n.kind,
    title: n.title,
    link: n.link,
    patient: n.patientId && mayName ? { id: n.patientId, name: `${familyName}, ${givenName}` } : null,
    createdAt: n.createdAt.toISOString(),
    readAt: n.readAt?.toISOString() ?? null,
  }));
  const named = [...new Set(items.flatMap((i) => (i.patient ? [i.patient.id] : [])))];
  if (named.length) {
    await appendAudit(db, {
      ...auditActor(actor),
      action: 'notification.list',
      outcome: 'success',
      recordKind: 'notification',
      ip: origin.ip,
      userAgent: origin.userAgent,
      detail: { patientIds: named },
    });
  }
  return { items, total: count?.n ?? 0 };
}

/** How many of the actor's notifications are unread (the bell's badge). */
export async function unreadCount(db: DbOrTx, actor: Actor): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(mine(actor), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

/** Marks one of the actor's notifications read; someone else's is a 404. Reading twice keeps the first time. */
export async function markRead(db: DbOrTx, actor: Actor, notificationId: string): Promise<void> {
  const [row] = await db
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
    .where(and(eq(notifications.id, notificationId), mine(actor)))
    .returning({ id: notifications.id });
  if (!row) throw notFound('notification');
}

/** Marks every unread notification of the actor read; answers how many. */
export async function markAllRead(db: DbOrTx, actor: Actor): Promise<number> {
  const rows = await db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(mine(actor), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return rows.length;
}

/** The kinds the user also receives by email (none until chosen). */
export async function emailKindsOf(db: DbOrTx, userId: string): Promise<NotificationKind[]> {
  const [row] = await db
    .select({ emailKinds: notificationPreferences.emailKinds })
    .from(notificationPreferences)
    .where(eq(notificationPreferences.userId, userId));
  const known = new Set<string>(NOTIFICATION_KIND_CODES);
  return (row?.emailKinds ?? []).filter((k): k is NotificationKind => known.has(k));
}

export async function setEmailKinds(
  db: DbOrTx,
  userId: string,
  kinds: readonly NotificationKind[],
): Promise<NotificationKind[]> {
  const emailKinds = [...new Set(kinds)];
  await db
    .insert(notificationPreferences)
    .values({ userId, emailKinds })
    .onConflictDoUpdate({
      target: notificationPreferences.userId,
      set: { emailKinds, updatedAt: new Date() },
    });
  return emailKinds;
}
