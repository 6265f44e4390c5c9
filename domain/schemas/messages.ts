import { z } from 'zod';
import { IsoDateTime, PageQuery, pageOf, Uuid } from './common.ts';

export const MESSAGE_BODY_MAX = 5000;
export const MESSAGE_MENTIONS_MAX = 20;

export const MessageSubject = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(200, 'must be at most 200 characters');

export const MessageBody = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(MESSAGE_BODY_MAX, `must be at most ${MESSAGE_BODY_MAX} characters`);

/** Threads are paged; each thread comes with all its messages. */
export const MessageListQuery = PageQuery.extend({
  pageSize: PageQuery.shape.pageSize.default(20),
});

/** A new thread (with a subject) or a reply to one (with its `threadId`, no subject: it takes the thread's). */
export const MessageCreateRequest = z
  .object({
    subject: MessageSubject.optional(),
    body: MessageBody,
    threadId: Uuid.optional(),
    mentions: z
      .array(Uuid)
      .max(MESSAGE_MENTIONS_MAX, `may name at most ${MESSAGE_MENTIONS_MAX} colleagues`)
      .default([]),
  })
  .superRefine((value, ctx) => {
    if (!value.threadId && !value.subject) {
      ctx.addIssue({ code: 'custom', path: ['subject'], message: 'is required to start a thread' });
    }
    if (value.threadId && value.subject) {
      ctx.addIssue({
        code: 'custom',
        path: ['subject'],
        message: "must be empty: a reply takes its thread's subject",
      });
    }
  });

export const EnteredInErrorRequest = z.object({
  reason: z
    .string()
    .trim()
    .min(3, 'must say why, in at least 3 characters')
    .max(500, 'must be at most 500 characters'),
});

export const MessageParams = z.object({ patientId: Uuid, messageId: Uuid });

const Colleague = z.object({ userId: Uuid, displayName: z.string() });

export const Message = z.object({
  id: Uuid,
  /** The thread's first message; equal to `id` for that first message itself. */
  threadId: Uuid,
  body: z.string(),
  author: Colleague.extend({ role: z.string() }),
  createdAt: IsoDateTime,
  mentions: z.array(Colleague),
  /** Set when the author marked the message "entered in error": its text stays, for the record. */
  enteredInError: z.object({ at: IsoDateTime, reason: z.string() }).nullable(),
  abilities: z.object({ markEnteredInError: z.boolean() }),
});
export type Message = z.infer<typeof Message>;

export const MessageThread = z.object({
  id: Uuid,
  subject: z.string(),
  startedAt: IsoDateTime,
  lastActivityAt: IsoDateTime,
  /** Oldest first. */
  messages: z.array(Message),
});
export type MessageThread = z.infer<typeof MessageThread>;

/** Threads, newest activity first, with what the reader may do on this patient's messages. */
export const MessageListResponse = pageOf(MessageThread).extend({
  abilities: z.object({ post: z.boolean() }),
});
export type MessageListResponse = z.infer<typeof MessageListResponse>;
