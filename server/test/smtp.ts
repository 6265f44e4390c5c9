import type { AddressInfo, Socket } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export type TestSmtp = Awaited<ReturnType<typeof startSmtp>>;

type Reply = { code: number; message: string };

/**
 * A real SMTP server on loopback that keeps what it receives. `refuse` answers every recipient 550;
 * `answer` may refuse one recipient with a reply of its choosing (e.g. 451 to test retries); `mailFrom`
 * may refuse the sender (a relay-level refusal); `afterData` decides, once a message's content has arrived
 * (it is kept), whether the server answers at once, after a delay (ms), or drops the connection without
 * answering ('drop': the client cannot know whether the message arrived).
 */
export async function startSmtp(
  opts: {
    refuse?: boolean;
    answer?: (address: string) => Reply | undefined;
    mailFrom?: () => Reply | undefined;
    afterData?: (recipients: string[]) => 'drop' | number | undefined;
  } = {},
) {
  const received: ParsedMail[] = [];
  const refusal = (reply: Reply | undefined) =>
    reply ? Object.assign(new Error(reply.message), { responseCode: reply.code }) : undefined;
  const server: SMTPServer = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onMailFrom(_address, _session, callback) {
      callback(refusal(opts.mailFrom?.()));
    },
    onRcptTo(address, _session, callback) {
      const answer = opts.refuse
        ? { code: 550, message: 'mailbox unavailable' }
        : opts.answer?.(address.address.toLowerCase());
      callback(refusal(answer));
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push(mail);
          const then = opts.afterData?.(session.envelope.rcptTo.map((r) => r.address.toLowerCase()));
          if (then === 'drop') dropConnection(server, session);
          else if (typeof then === 'number') setTimeout(() => callback(), then);
          else callback();
        })
        .catch(callback);
    },
  });
  // A client that dies mid-session (a worker killed on purpose) resets its connection: expected here.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    received,
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Cuts the session's connection without a reply (smtp-server keeps its connections, with their sockets). */
function dropConnection(server: SMTPServer, session: SMTPServerSession) {
  const connections = (server as unknown as { connections: Set<{ id: string; _socket: Socket }> })
    .connections;
  for (const connection of connections) {
    if (connection.id === session.id) connection._socket.destroy();
  }
}
