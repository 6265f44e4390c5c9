import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { EmbeddedDatabaseBusy } from './db/embedded-lock.ts';
import { openConfiguredDatabase } from './db/open.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, isEmpty, seedDemo } from './db/seed-demo.ts';
import { startMllpListener } from './modules/hl7/mllp.listener.ts';
import type { MllpServer } from './modules/hl7/mllp.server.ts';
import { createLogger } from './platform/logger.ts';
import { runWorker } from './worker.ts';

/**
 * `node server/main.ts serve`: config, database, migrations, demo data on first start, the job workers,
 * listen, graceful stop.
 */
async function serve(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const database = await openConfiguredDatabase(config);
  const seedDemoData = config.seedDemo && config.database.kind === 'pglite';
  let seeded = false;
  let app: Awaited<ReturnType<typeof buildApp>>;
  try {
    seeded = seedDemoData && (await isEmpty(database));
    if (seeded) await seedDemo(database);
    app = await buildApp({ config, database, logger });
    // The web server works the job queues too; `worker` processes can be added beside it on PostgreSQL.
    await app.kith.jobs.start({ work: true });
  } catch (error) {
    await database.close(); // releases the embedded lock too
    throw error;
  }
  let stopping = false;
  let mllp: MllpServer | undefined;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing requests in flight');
    const force = setTimeout(() => process.exit(1), 20_000);
    force.unref();
    try {
      // The ADT feed first: messages in hand are stored and acknowledged, then its connections close.
      await mllp?.stop();
      await app.close();
      app.kith.mailer.close();
      await database.close();
      logger.info('stopped cleanly');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'unclean stop');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  const address = await app.listen({ port: config.port, host: config.host }).catch(async (error: unknown) => {
    await database.close();
    throw error;
  });
  const port = new URL(address).port;
  // The ADT feed's listener: a port it cannot take (another Kith on this machine) leaves the web server up,
  // says so on start and in the log, rather than taking the department's screens down with it.
  let mllpProblem = '';
  if (config.hl7.enabled) {
    mllp = await startMllpListener({ config, database, logger }).catch((error: unknown) => {
      const code = (error as { code?: string }).code ?? 'error';
      logger.error({ err: { code }, port: config.hl7.port }, 'hl7 mllp listener could not start');
      mllpProblem = `NOT listening: port ${config.hl7.port} ${code === 'EADDRINUSE' ? 'is in use' : `(${code})`}`;
      return undefined;
    });
  }
  const url = config.publicUrl.includes(`:${config.port}`)
    ? config.publicUrl.replace(`:${config.port}`, `:${port}`)
    : config.publicUrl;
  const lines = [
    '',
    `  Kith is running at ${url}`,
    `  HL7 v2 ADT feed (MLLP): ${mllp ? `port ${mllp.port}` : mllpProblem || 'off (HL7_ENABLED=no)'}`,
    `  database: ${config.database.kind === 'pglite' ? `embedded PGlite in ${config.database.dataDir} (for trying Kith, not for production)` : 'PostgreSQL'}`,
  ];
  if (seedDemoData) {
    lines.push(
      `  demo accounts (password for all: ${DEMO_PASSWORD})${seeded ? '' : ' — created on first start'}:`,
    );
    for (const a of DEMO_ACCOUNTS)
      lines.push(`    ${a.role.padEnd(18)} ${a.email}${a.note ? `  (${a.note})` : ''}`);
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

const command = process.argv[2] ?? 'serve';
try {
  if (command === 'worker') {
    await runWorker();
    process.exit();
  }
  if (command !== 'serve') throw new Error(`unknown command "${command}": use "serve" or "worker"`);
  await serve();
} catch (error) {
  if (error instanceof ConfigError || error instanceof EmbeddedDatabaseBusy) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(
      `Kith could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
}
