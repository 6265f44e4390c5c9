import type { Logger } from 'pino';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/client.ts';
import { ingestHl7 } from './ingest.service.ts';
import { MllpServer } from './mllp.server.ts';

/**
 * The ADT feed's MLLP listener as the server runs it: every frame goes through the ingest service (stored,
 * applied, committed) before its ACK is written. Logs carry counts and codes, never message content.
 */
export async function startMllpListener(opts: {
  config: Config;
  database: Database;
  logger: Logger;
}): Promise<MllpServer> {
  const { config, database, logger } = opts;
  const server = new MllpServer({
    port: config.hl7.port,
    host: config.host,
    logger,
    handle: async (raw) => {
      const result = await ingestHl7(database.db, raw, { transport: 'mllp' });
      if (result.ackCode !== 'AA') {
        logger.info(
          {
            hl7MessageId: result.messageId,
            outcome: result.outcome,
            codes: result.errors.map((e) => e.code),
          },
          'hl7 message not applied',
        );
      }
      return result.ack;
    },
  });
  await server.start();
  logger.info({ port: server.port }, 'hl7 mllp listener started');
  return server;
}
