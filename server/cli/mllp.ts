import { loadConfig } from '../config.ts';
import { openConfiguredDatabase } from '../db/open.ts';
import { startMllpListener } from '../modules/hl7/mllp.listener.ts';
import { createLogger } from '../platform/logger.ts';

/**
 * `npm run kith -- mllp`: the ADT feed's MLLP listener alone (HL7_PORT), beside the web server on the same
 * PostgreSQL database. On SIGTERM/SIGINT it stops accepting, answers the messages in hand, and closes.
 */
export async function runMllp(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const database = await openConfiguredDatabase(config);
  let server: Awaited<ReturnType<typeof startMllpListener>>;
  try {
    server = await startMllpListener({ config, database, logger });
  } catch (error) {
    await database.close();
    throw error;
  }
  process.stdout.write(`Kith HL7 v2 MLLP listener on port ${server.port}; stop it with Ctrl-C or SIGTERM\n`);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping: answering the messages in hand');
      const force = setTimeout(() => process.exit(1), 20_000);
      force.unref();
      try {
        await server.stop();
        await database.close();
      } catch (error) {
        logger.error({ err: { type: (error as Error).name } }, 'unclean stop');
        process.exitCode = 1;
      }
      resolve();
    };
    process.on('SIGTERM', () => void stop('SIGTERM'));
    process.on('SIGINT', () => void stop('SIGINT'));
  });
}
