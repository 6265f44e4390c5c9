import type { NotificationKind } from '../../../domain/notifications.ts';
import type { DbOrTx } from '../../db/client.ts';
import { notifications } from './notifications.tables.ts';

/** A notification to one or more users. The title must not name the patient: it may travel by email. */
export interface NotificationInput {
  organizationId: string;
  userIds: readonly string[];
  kind: NotificationKind;
  title: string;
  link?: string | null;
  patientId?: string | null;
}

/**
 * The one notification path: the bell, and email for the kinds a user chose. Call it inside the
 * transaction of the change that causes it, so that a rolled-back change notifies no one.
 */
export async function notify(db: DbOrTx, input: NotificationInput): Promise<void> {
  const userIds = [...new Set(input.userIds)];
  if (!userIds.length) return;
  await db.insert(notifications).values(
    userIds.map((userId) => ({
      organizationId: input.organizationId,
      userId,
      kind: input.kind,
      title: input.title,
      link: input.link ?? null,
      patientId: input.patientId ?? null,
    })),
  );
}
