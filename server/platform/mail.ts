import { and, count, desc, eq, inArray, sql } from 'drizzle-orm';
import nodemailer, { type Transporter } from 'nodemailer';
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

/**
 * What became of one message of a bulk send:
 * - `sent`: the SMTP server accepted it (its reply, e.g. `250 2.0.0 Ok: queued`);
 * - `kept`: no SMTP_URL is set, so it was kept in the outbox;
 * - `refused`: the server said no, or could not be reached before the message left, so it certainly did not
 *   arrive. `scope: 'recipient'` is about this recipient (at RCPT TO or after the content): `temporary` for a
 *   4xx reply. `scope: 'relay'` is about the relay itself (unreachable, greeting, TLS, AUTH, MAIL FROM): the
 *   next message would fare no better;
 * - `unknown`: the connection failed or timed out with no reply, possibly after the message's content was
 *   sent: it may or may not have arrived.
 */
export type DeliveryOutcome =
  | { status: 'sent'; reply: string }
  | { status: 'kept'; outboxId: string }
  | { status: 'refused'; scope: 'recipient' | 'relay'; temporary: boolean; reply: string }
  | { status: 'unknown'; reply: string };

export interface Mailer {
  /** Keeps the message in the outbox, then hands it to SMTP when one is configured. */
  send(mail: OutgoingMail): Promise<{ id: string; status: 'sent' | 'queued' | 'failed' }>;
  /**
   * Hands one message of a bulk send (a newsletter issue) to SMTP over a small pool of connections, with
   * its own Message-ID. The caller keeps the record of it (no outbox copy), except with no SMTP_URL, when the
   * outbox keeps it so that nothing is lost. Never throws for what the server answered.
   */
  deliver(mail: OutgoingMail & { messageId: string }): Promise<DeliveryOutcome>;
  close(): void;
}

/** Connections a bulk send keeps open to the relay, and how long it waits on one before giving up. */
const BULK_CONNECTIONS = 4;
const BULK_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/** Commands whose refusal is about the relay or this client, not about one recipient. */
const RELAY_COMMANDS = /^(CONN|EHLO|HELO|LHLO|STARTTLS|AUTH\b|MAIL FROM|RSET)/;
/** Timeouts before any message was handed over (nodemailer's `timeoutType`). */
const SETUP_TIMEOUTS = new Set(['CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT']);
/** System errors of a connection that was never made. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Reads nodemailer's error (see DeliveryOutcome). Without a reply, only a failure known to come before the
 * message was handed over (no connection, a set-up time-out, a refusal by the client itself) is a refusal;
 * anything else may have come after the content was sent, so it is `unknown`.
 */
export function smtpOutcome(error: unknown): Exclude<DeliveryOutcome, { status: 'sent' | 'kept' }> {
  const e = error as {
    responseCode?: number;
    response?: string;
    code?: string;
    originalCode?: string;
    command?: string;
    timeoutType?: string;
    message?: string;
  };
  const command = e.command ?? '';
  if (typeof e.responseCode === 'number') {
    const reply = (e.response ?? `${e.responseCode}`).replace(/\s+/g, ' ').trim().slice(0, 500);
    const scope = RELAY_COMMANDS.test(command) ? 'relay' : 'recipient';
    // 503 (bad sequence of commands) says the session was in the wrong state, not that the mail is refused.
    const temporary = e.responseCode < 500 || e.responseCode === 503;
    return { status: 'refused', scope, temporary, reply };
  }
  const what = ([e.code, e.originalCode, e.message].filter(Boolean).join(': ') || 'unknown error').slice(
    0,
    500,
  );
  if (command === 'API') {
    // Refused by nodemailer before anything was sent: an unusable address or message, or a closed transport.
    const recipient = e.code === 'EENVELOPE' || e.code === 'EMESSAGE';
    return {
      status: 'refused',
      scope: recipient ? 'recipient' : 'relay',
      temporary: !recipient,
      reply: what,
    };
  }
  if (
    e.code === 'EDNS' ||
    e.code === 'ETLS' ||
    (e.timeoutType && SETUP_TIMEOUTS.has(e.timeoutType)) ||
    (e.originalCode && NOT_CONNECTED.has(e.originalCode))
  ) {
    return { status: 'refused', scope: 'relay', temporary: true, reply: what };
  }
  return { status: 'unknown', reply: what };
}

/** Mail through SMTP_URL with nodemailer; with no SMTP_URL every message stays in the outbox table. */
export function createMailer(db: Db, smtpUrl: string | undefined, from: string, log: Logger): Mailer {
  const transport = smtpUrl ? nodemailer.createTransport(smtpUrl) : null;
  let bulk: Transporter | null = null;
  /** Keeps a copy in the outbox (status `queued`) and returns its id. */
  const keep = async (mail: OutgoingMail): Promise<string> => {
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
    return row!.id;
  };
  return {
    async send(mail) {
      const id = await keep(mail);
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
    async deliver(mail) {
      if (!smtpUrl) {
        const outboxId = await keep({ ...mail, headers: { ...mail.headers, 'Message-ID': mail.messageId } });
        return { status: 'kept', outboxId };
      }
      bulk ??= nodemailer.createTransport({
        url: smtpUrl,
        pool: true,
        maxConnections: BULK_CONNECTIONS,
        ...BULK_TIMEOUTS,
      });
      try {
        const info = await bulk.sendMail({
          from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          headers: mail.headers,
          messageId: mail.messageId,
        });
        return { status: 'sent', reply: String(info.response ?? '').slice(0, 500) };
      } catch (error) {
        return smtpOutcome(error);
      }
    },
    close() {
      transport?.close();
      bulk?.close();
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

/** A page of an organisation's outbox, newest first (what admins look at when mail did not leave). */
export async function listOutbox(
  db: DbOrTx,
  organizationId: string,
  q: { status?: string; page: number; pageSize: number },
) {
  const where = and(
    eq(mailOutbox.organizationId, organizationId),
    q.status ? eq(mailOutbox.status, q.status) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: mailOutbox.id,
        to: mailOutbox.toAddress,
        subject: mailOutbox.subject,
        status: mailOutbox.status,
        attempts: mailOutbox.attempts,
        lastError: mailOutbox.lastError,
        createdAt: mailOutbox.createdAt,
        sentAt: mailOutbox.sentAt,
      })
      .from(mailOutbox)
      .where(where)
      .orderBy(desc(mailOutbox.createdAt), desc(mailOutbox.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(mailOutbox).where(where),
  ]);
  return {
    items: rows.map((r) => ({
      ...r,
      createdAt: r.createdAt.toISOString(),
      sentAt: r.sentAt ? r.sentAt.toISOString() : null,
    })),
    page: q.page,
    pageSize: q.pageSize,
    total: total?.n ?? 0,
  };
}
