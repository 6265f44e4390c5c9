import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import type { AuditEntry } from '../../platform/audit/audit.service.ts';
import { users } from '../../platform/platform.tables.ts';

export const FEED_USER_NAME = 'ADT feed';

/**
 * The organisation's "ADT feed" account, made on first need: the records that must name a user (who merged
 * two patients, who opened a case) name it when the hospital's feed did it. It is a disabled service account,
 * so it can never sign in or hold a token, and it shows as "ADT feed" wherever a name is shown.
 */
export async function feedUserId(tx: Tx, organizationId: string, audit: AuditEntry[]): Promise<string> {
  const email = `adt-feed.${organizationId}@kith.invalid`;
  const find = async () =>
    (
      await tx
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.organizationId, organizationId), sql`lower(${users.email}) = ${email}`))
    )[0];
  const found = await find();
  if (found) return found.id;
  const [created] = await tx
    .insert(users)
    .values({
      organizationId,
      email,
      displayName: FEED_USER_NAME,
      role: 'read_only',
      kind: 'service',
      disabledAt: new Date(),
    })
    .onConflictDoNothing()
    .returning({ id: users.id });
  if (!created) return (await find())!.id;
  audit.push({
    organizationId,
    actorUserId: null,
    actorRole: null,
    actorLabel: FEED_USER_NAME,
    action: 'user.create',
    outcome: 'success',
    recordKind: 'user',
    recordId: created.id,
    detail: { role: 'read_only', kind: 'service', reason: 'adt-feed-account' },
  });
  return created.id;
}
