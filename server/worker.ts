import { JOB_DEFINITIONS } from './app.ts';
import { loadConfig } from './config.ts';
import { openConfiguredDatabase } from './db/open.ts';
import { createJobQueue } from './platform/jobs.ts';
import { createLogger } from './platform/logger.ts';
import { createMailer } from './platform/mail.ts';

/**
 * `kith worker`: works the job queues (reminders, notification emails) without serving HTTP, beside one or
 * more `serve` processes on the same PostgreSQL database. Resolves once SIGTERM or SIGINT has stopped it.
 */
export async function runWorker(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const database = await openConfiguredDatabase(config);
  const mailer = createMailer(database.db, config.smtpUrl, config.mailFrom, logger);
  const jobs = createJobQueue({ config, database, mailer, logger }, JOB_DEFINITIONS);
  try {
    await jobs.start({ work: true });
  } catch (error) {
    await database.close();
    throw error;
  }
  logger.info({ queues: JOB_DEFINITIONS.map((d) => d.name) }, 'worker started');
  process.stdout.write(
    `Kith worker is running (${JOB_DEFINITIONS.length} queues); stop it with Ctrl-C or SIGTERM\n`,
  );
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping: finishing jobs in hand');
      const force = setTimeout(() => process.exit(1), 20_000);
      force.unref();
      try {
        await jobs.stop();
        mailer.close();
        await database.close();
        logger.info('stopped cleanly');
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
