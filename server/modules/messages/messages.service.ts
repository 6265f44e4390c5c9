import { and, asc, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Role } from '../../../domain/roles.ts';
import type { Message, MessageCreateRequest, MessageThread } from '../../../domain/schemas/messages.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { can, type PatientAccess } from '../../platform/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { appendAudit } from '../../platform/audit/audit.service.ts';
import { conflict, type FieldError, forbidden, invalid, notFound } from '../../platform/errors.ts';
import { notify } from '../../platform/notifications/notifications.service.ts';
import { users } from '../../platform/platform.tables.ts';
import { recordOnTimeline } from '../../platform/timeline/timeline.service.ts';
import { careTeamOf } from '../patients/patients.service.ts';
import { presentMessages, threadOf } from './messages.present.ts';
import { messageMentions, messages } from './messages.tables.ts';

type CreateInput = z.output<typeof MessageCreateRequest>;
type MessageRow = typeof messages.$inferSelect;

/** Where a notification about this patient's messages opens. */
export const messagesLink = (patientId: string) => `/patients/${patientId}/messages`;

/**
 * One page of a patient's threads, newest activity first, each with every message oldest first. Paging is by
 * thread, so that a thread is never cut in two.
 */
export async function listThreads(
  db: Db,
  access: PatientAccess,
  actor: Actor,
  q: { page: number; pageSize: number },
): Promise<{ items: MessageThread[]; total: number }> {
  const patientId = access.patient.id;
  const ofPatient = and(
    eq(messages.organizationId, access.patient.organizationId),
    eq(messages.patientId, patientId),
  );
  const threadKey = sql<string>`coalesce(${messages.threadId}, ${messages.id})`;
  const lastActivity = sql`max(${messages.createdAt})`;
  // Ids are time-ordered (UUID v7): the latest message's id breaks ties between equal clock readings.
  const lastMessageId = sql`max(${messages.id}::text)`;
  const [page, [count]] = await Promise.all([
    db
      .select({ threadId: threadKey })
      .from(messages)
      .where(ofPatient)
      .groupBy(threadKey)
      .orderBy(desc(lastActivity), desc(lastMessageId))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(messages)
      .where(and(ofPatient, isNull(messages.threadId))),
  ]);
  const threadIds = page.map((p) => p.threadId);
  if (!threadIds.length) return { items: [], total: count?.n ?? 0 };

  const rows = await db
    .select({ message: messages })
    .from(messages)
    .where(and(ofPatient, or(inArray(messages.id, threadIds), inArray(messages.threadId, threadIds))))
    .orderBy(asc(messages.createdAt), asc(messages.id));
  const presented = await presentMessages(
    db,
    access,
    actor,
    rows.map((r) => r.message),
  );
  const byThread = new Map<string, { start?: MessageRow; messages: Message[] }>();
  rows.forEach(({ message }, i) => {
    const thread = byThread.get(threadOf(message)) ?? { messages: [] };
    if (!message.threadId) thread.start = message;
    thread.messages.push(presented[i]!);
    byThread.set(threadOf(message), thread);
  });
  const items = threadIds.map((id) => {
    const thread = byThread.get(id)!;
    return {
      id,
      subject: thread.start?.subject ?? '',
      startedAt: thread.messages[0]!.createdAt,
      lastActivityAt: thread.messages.at(-1)!.createdAt,
      messages: thread.messages,
    };
  });
  return { items, total: count?.n ?? 0 };
}

/**
 * Posts a message: a new thread, or a reply. The message, its mentions, the timeline entry, the audit record
 * and the notifications to the mentioned colleagues commit together. Only mentions notify: a reply does not
 * notify the thread's earlier authors unless they are mentioned.
 */
export async function postMessage(
  db: Db,
  access: PatientAccess,
  actor: Actor,
  input: CreateInput,
): Promise<Message> {
  const patientId = access.patient.id;
  const organizationId = access.patient.organizationId;
  const created = await db.transaction(async (tx) => {
    const thread = input.threadId ? await loadThreadStart(tx, access, input.threadId) : null;
    const subject = thread?.subject ?? input.subject!;
    const mentioned = await checkMentions(tx as unknown as Db, access, actor, input.mentions);

    const [message] = await tx
      .insert(messages)
      .values({
        organizationId,
        patientId,
        threadId: thread?.id ?? null,
        subject: thread ? null : subject,
        body: input.body,
        authorId: actor.userId,
      })
      .returning();
    if (mentioned.length) {
      await tx
        .insert(messageMentions)
        .values(mentioned.map((userId) => ({ messageId: message!.id, userId })));
    }
    await recordOnTimeline(tx, {
      organizationId,
      patientId,
      kind: 'message',
      // The subject and the author, never the body: the timeline is read by more people than the thread.
      summary: thread
        ? `${actor.displayName} replied in the message thread "${subject}"`
        : `${actor.displayName} started a message thread: "${subject}"`,
      actorId: actor.userId,
      occurredAt: message!.createdAt,
      recordKind: 'message',
      recordId: message!.id,
      detail: { threadId: threadOf(message!) },
    });
    await appendAudit(
      tx,
      access.entry('message.create', {
        recordKind: 'message',
        recordId: message!.id,
        detail: { threadId: threadOf(message!), mentionedUserIds: mentioned },
      }),
    );
    await notify(tx, {
      organizationId,
      userIds: mentioned.filter((id) => id !== actor.userId),
      kind: 'mention',
      // Titles may travel by email: they name the author, never the patient.
      title: `${actor.displayName} mentioned you in a message`,
      link: messagesLink(patientId),
      patientId,
    });
    return message!;
  });
  const [presented] = await presentMessages(db, access, actor, [created]);
  return presented!;
}

/**
 * Marks one of the actor's own messages "entered in error". Nothing is erased: the text stays for the record,
 * with the reason, and the timeline and the audit log say who marked it.
 */
export async function markEnteredInError(
  db: Db,
  access: PatientAccess,
  actor: Actor,
  messageId: string,
  reason: string,
): Promise<Message> {
  const message = await loadMessage(db, access, messageId);
  if (message.authorId !== actor.userId) {
    await appendAudit(
      db,
      access.entry('message.entered-in-error', {
        outcome: 'denied',
        recordKind: 'message',
        recordId: message.id,
      }),
    );
    throw forbidden('Only the author of a message can mark it entered in error');
  }
  const marked = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(messages)
      .set({ enteredInErrorAt: new Date(), enteredInErrorReason: reason })
      .where(and(eq(messages.id, message.id), isNull(messages.enteredInErrorAt)))
      .returning();
    if (!row) throw conflict('already-entered-in-error', 'This message is already marked entered in error');
    const subject = row.threadId ? (await loadMessage(tx, access, row.threadId)).subject : row.subject;
    await recordOnTimeline(tx, {
      organizationId: row.organizationId,
      patientId: row.patientId,
      kind: 'message',
      summary: `${actor.displayName} marked a message in "${subject ?? ''}" as entered in error`,
      actorId: actor.userId,
      recordKind: 'message',
      recordId: row.id,
      detail: { threadId: threadOf(row) },
    });
    await appendAudit(
      tx,
      access.entry('message.entered-in-error', {
        recordKind: 'message',
        recordId: row.id,
        reason,
        detail: { threadId: threadOf(row) },
      }),
    );
    return row;
  });
  const [presented] = await presentMessages(db, access, actor, [marked]);
  return presented!;
}

/** A message of this patient (and so of the actor's organisation), else 404. */
async function loadMessage(db: DbOrTx, access: PatientAccess, messageId: string): Promise<MessageRow> {
  const [row] = await db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.id, messageId),
        eq(messages.organizationId, access.patient.organizationId),
        eq(messages.patientId, access.patient.id),
      ),
    );
  if (!row) throw notFound('message');
  return row;
}

/** The first message of a thread of this patient: 404 when there is none, 422 when the id names a reply. */
async function loadThreadStart(db: DbOrTx, access: PatientAccess, threadId: string): Promise<MessageRow> {
  const row = await loadMessage(db, access, threadId).catch(() => {
    throw notFound('message thread');
  });
  if (row.threadId) {
    throw invalid([{ field: 'threadId', message: 'must be the first message of a thread, not a reply' }]);
  }
  return row;
}

/**
 * The colleagues a message may mention, without repeats: active people of the organisation who may read this
 * patient under the patient policy (care team, supervisor or admin). An emergency grant does not count:
 * a message is not a need-to-know. Anyone else is a 422 on `mentions.N`, and nothing is saved.
 */
async function checkMentions(
  db: Db,
  access: PatientAccess,
  actor: Actor,
  userIds: readonly string[],
): Promise<string[]> {
  const wanted = [...new Set(userIds)];
  if (!wanted.length) return [];
  const [people, team] = await Promise.all([
    db
      .select({ id: users.id, role: users.role, kind: users.kind, disabledAt: users.disabledAt })
      .from(users)
      .where(and(eq(users.organizationId, access.patient.organizationId), inArray(users.id, wanted))),
    careTeamOf(db, access.patient.id),
  ]);
  const onTeam = new Set(team.map((t) => t.member.userId));
  const byId = new Map(people.map((p) => [p.id, p]));
  const errors: FieldError[] = [];
  userIds.forEach((userId, i) => {
    const person = byId.get(userId);
    if (person?.kind !== 'person' || person.disabledAt) {
      errors.push({ field: `mentions.${i}`, message: 'is not an active colleague in this organisation' });
      return;
    }
    const mayRead = can({ ...actor, userId: person.id, role: person.role as Role }, 'patient', 'read', {
      onCareTeam: onTeam.has(person.id),
      emergencyUntil: null,
    });
    if (!mayRead) {
      errors.push({
        field: `mentions.${i}`,
        message: "is not on this patient's care team, so cannot be told about this patient",
      });
    }
  });
  if (errors.length)
    throw invalid(errors, 'Some of the colleagues mentioned cannot be told about this patient');
  return wanted;
}
