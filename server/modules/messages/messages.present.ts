import { asc, eq, inArray } from 'drizzle-orm';
import type { Message } from '../../../domain/schemas/messages.ts';
import type { Db } from '../../db/client.ts';
import { can, type PatientAccess } from '../../platform/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { users } from '../../platform/platform.tables.ts';
import { messageMentions, type messages } from './messages.tables.ts';

type MessageRow = typeof messages.$inferSelect;

/** The thread a message belongs to: its own id when it starts one. */
export const threadOf = (m: Pick<MessageRow, 'id' | 'threadId'>) => m.threadId ?? m.id;

/** Messages as the API shows them, with author, mentions and what the actor may do with each. */
export async function presentMessages(
  db: Db,
  access: PatientAccess,
  actor: Actor,
  rows: readonly MessageRow[],
): Promise<Message[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const authorIds = [...new Set(rows.map((r) => r.authorId))];
  const [authors, mentions] = await Promise.all([
    db
      .select({ id: users.id, displayName: users.displayName, role: users.role })
      .from(users)
      .where(inArray(users.id, authorIds)),
    db
      .select({ messageId: messageMentions.messageId, userId: users.id, displayName: users.displayName })
      .from(messageMentions)
      .innerJoin(users, eq(users.id, messageMentions.userId))
      .where(inArray(messageMentions.messageId, ids))
      .orderBy(asc(users.displayName)),
  ]);
  const authorById = new Map(authors.map((a) => [a.id, a]));
  const mayUpdate = can(actor, 'patient', 'update', access.relation);
  return rows.map((m) => {
    const author = authorById.get(m.authorId);
    return {
      id: m.id,
      threadId: threadOf(m),
      body: m.body,
      author: { userId: m.authorId, displayName: author?.displayName ?? '', role: author?.role ?? '' },
      createdAt: m.createdAt.toISOString(),
      mentions: mentions
        .filter((x) => x.messageId === m.id)
        .map((x) => ({ userId: x.userId, displayName: x.displayName })),
      enteredInError: m.enteredInErrorAt
        ? { at: m.enteredInErrorAt.toISOString(), reason: m.enteredInErrorReason ?? '' }
        : null,
      abilities: {
        markEnteredInError: mayUpdate && m.authorId === actor.userId && !m.enteredInErrorAt,
      },
    };
  });
}
