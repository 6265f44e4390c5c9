import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type TestSmtp = Awaited<ReturnType<typeof startSmtp>>;

/**
 * A real SMTP server on loopback that keeps what it receives. `refuse` answers every recipient 550;
 * `answer` may refuse one recipient with a reply of its choosing (e.g. 451 to test retries).
 */
export async function startSmtp(
  opts: {
    refuse?: boolean;
    answer?: (address: string) => { code: number; message: string } | undefined;
  } = {},
) {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const answer = opts.refuse
        ? { code: 550, message: 'mailbox unavailable' }
        : opts.answer?.(address.address.toLowerCase());
      callback(answer ? Object.assign(new Error(answer.message), { responseCode: answer.code }) : undefined);
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    received,
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
