import { and, eq, inArray, sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { Db, DbOrTx } from '../db/client.ts';
import { mailOutbox } from './platform.tables.ts';

export interface OutgoingMail {
  organizationId?: string | null;
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
}

export interface Mailer {
  /** Keeps the message in the outbox, then hands it to SMTP when one is configured. */
  send(mail: OutgoingMail): Promise<{ id: string; status: 'sent' | 'queued' | 'failed' }>;
  close(): void;
}

/** Mail through SMTP_URL with nodemailer; with no SMTP_URL every message stays in the outbox table. */
export function createMailer(db: Db, smtpUrl: string | undefined, from: string, log: Logger): Mailer {
  const transport = smtpUrl ? nodemailer.createTransport(smtpUrl) : null;
  return {
    async send(mail) {
      const [row] = await db
        .insert(mailOutbox)
        .values({
          organizationId: mail.organizationId ?? null,
          toAddress: mail.to,
          subject: mail.subject,
          textBody: mail.text,
          htmlBody: mail.html ?? null,
          headers: mail.headers ?? null,
        })
        .returning({ id: mailOutbox.id });
      const id = row!.id;
      if (!transport) return { id, status: 'queued' };
      try {
        await transport.sendMail({
          from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          headers: mail.headers,
        });
        await db
          .update(mailOutbox)
          .set({ status: 'sent', sentAt: new Date(), attempts: 1 })
          .where(eq(mailOutbox.id, id));
        return { id, status: 'sent' };
      } catch (error) {
        const reply = error instanceof Error ? error.message.slice(0, 500) : 'unknown error';
        log.warn({ mailId: id }, 'SMTP delivery failed; the message stays in the outbox');
        await db
          .update(mailOutbox)
          .set({ status: 'failed', attempts: 1, lastError: reply })
          .where(eq(mailOutbox.id, id));
        return { id, status: 'failed' };
      }
    },
    close() {
      transport?.close();
    },
  };
}

/**
 * Replaces an organisation's outbox copies of these addresses (compared lower-cased) with `placeholder`: an
 * address someone asked to be forgotten must not stay behind in the mail that was sent to it.
 */
export async function redactOutboxAddresses(
  tx: DbOrTx,
  organizationId: string,
  addresses: string[],
  placeholder: string,
): Promise<void> {
  if (addresses.length === 0) return;
  await tx
    .update(mailOutbox)
    .set({ toAddress: placeholder })
    .where(
      and(
        eq(mailOutbox.organizationId, organizationId),
        inArray(
          sql`lower(${mailOutbox.toAddress})`,
          addresses.map((a) => a.trim().toLowerCase()),
        ),
      ),
    );
}
