import { sql } from 'drizzle-orm';
import { fromDrizzle, fromPglite, PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import type { Database, Tx } from '../db/client.ts';
import type { Mailer } from './mail.ts';

/** What a job's handler works with: the same database, configuration and mailer as the web server. */
export interface JobContext {
  config: Config;
  database: Database;
  mailer: Mailer;
  logger: Logger;
  jobs: JobQueue;
  /** Aborted when the queue is stopping (SIGTERM): a long handler ends its work in hand and returns. */
  signal: AbortSignal;
}

/** One job of the batch a handler receives. */
export interface QueuedJob<T> {
  id: string;
  data: T;
}

/**
 * A kind of background work a module defines: the runner creates its queue, works it in batches, and
 * sends it on its cron schedule. A handler that throws fails the batch, which pg-boss retries.
 */
export interface JobDefinition<T extends object = object> {
  /** `<module>.<what>`, e.g. `tasks.reminders`. */
  name: string;
  handler: (jobs: readonly QueuedJob<T>[], ctx: JobContext) => Promise<void>;
  /** A cron expression in UTC; the job is sent on it, once across every worker. */
  cron?: string;
  /** Jobs fetched per round trip (pg-boss is slow fetching one at a time). Default 20. */
  batchSize?: number;
  /** `singleton`: at most one job of the queue runs at a time, anywhere (sweeps). Default `standard`. */
  policy?: 'standard' | 'singleton';
  /** Retries after a failure. Default 3, with exponential backoff. */
  retryLimit?: number;
  /** How long a job may run before it is retried. Default 15 minutes. */
  expireInSeconds?: number;
  /** Also sent once whenever a worker starts (a sweep that resumes work a stopped worker left). */
  runAtStart?: boolean;
}

/** Declares a job with its data type checked at the handler. */
export const defineJob = <T extends object>(definition: JobDefinition<T>): JobDefinition<T> => definition;

export interface SendOptions {
  /** Enqueue inside this transaction: the job exists only if the transaction commits. */
  tx?: Tx;
  /** Do not run before this time. */
  startAfter?: Date;
  /** At most one queued job with this key. */
  singletonKey?: string;
}

export interface StartOptions {
  /** Work the queues and send the cron schedules; false only lets this process send jobs. */
  work: boolean;
  /** How often an idle worker looks for jobs; default 2 s (tests use less). */
  pollingIntervalSeconds?: number;
}

/** The durable job queue (pg-boss) on Kith's own database. */
export interface JobQueue {
  start(options: StartOptions): Promise<void>;
  /** Enqueues a job; it survives restarts and runs on whichever worker fetches it. */
  send(name: string, data?: object, options?: SendOptions): Promise<string | null>;
  /** Stops fetching, lets running handlers finish (up to 15 s), and releases pg-boss's connections. */
  stop(): Promise<void>;
  readonly started: boolean;
  readonly working: boolean;
}

/** Where pg-boss connects: PGlite through pg-boss's adapter, PostgreSQL through its own small pool. */
function bossFor(database: Database, config: Config, work: boolean): PgBoss {
  const roles = {
    // Maintenance and cron only where jobs are worked; a process that only sends needs neither.
    supervise: work,
    schedule: work,
    migrate: true,
    instanceName: work ? 'kith-worker' : 'kith-web',
  };
  if (database.kind === 'pglite') {
    if (!database.pglite) throw new Error('the embedded database is not open');
    // Statements without parameters can hold several statements (pg-boss's DDL and locked blocks): the
    // adapter runs those through PGlite's exec and returns every statement's rows, the rest through query.
    return new PgBoss({ db: fromPglite(database.pglite), backend: 'pglite', ...roles });
  }
  const url =
    (database as { url?: string }).url ?? (config.database.kind === 'postgres' ? config.database.url : '');
  if (!url) throw new Error('no PostgreSQL URL for the job queue');
  return new PgBoss({ connectionString: url, max: 4, application_name: 'kith-jobs', ...roles });
}

/** The job queue of one process, with the jobs its modules define. Nothing connects until `start`. */
export function createJobQueue(
  context: Omit<JobContext, 'jobs' | 'signal'>,
  definitions: readonly JobDefinition<never>[],
): JobQueue {
  const byName = new Map(definitions.map((d) => [d.name, d as unknown as JobDefinition<object>]));
  if (byName.size !== definitions.length) throw new Error('two jobs share a name');
  let boss: PgBoss | null = null;
  let starting: Promise<void> | null = null;
  let working = false;
  let stopping = new AbortController();

  const queue: JobQueue = {
    get started() {
      return boss !== null;
    },
    get working() {
      return working;
    },
    async start(options) {
      if (starting) return starting;
      starting = (async () => {
        stopping = new AbortController();
        const instance = bossFor(context.database, context.config, options.work);
        instance.on('error', (error: Error & { code?: string; queue?: string }) => {
          // The message can quote job data; say where it failed, not what it said.
          context.logger.error(
            { err: { type: error.name, code: error.code }, queue: error.queue },
            'job queue error',
          );
        });
        await instance.start();
        // Every queue exists before anything is sent, so that a send inside a transaction never has to
        // look a queue up outside it (on PGlite that would wait for the transaction it is part of).
        const existing = new Set((await instance.getQueues()).map((q) => q.name));
        for (const definition of byName.values()) {
          if (!existing.has(definition.name)) {
            await instance.createQueue(definition.name, {
              policy: definition.policy ?? 'standard',
              retryLimit: definition.retryLimit ?? 3,
              retryBackoff: true,
              retryDelay: 5,
              expireInSeconds: definition.expireInSeconds ?? 15 * 60,
            });
          }
        }
        if (options.work) {
          for (const definition of byName.values()) {
            if (definition.cron) await instance.schedule(definition.name, definition.cron, {}, { tz: 'UTC' });
            if (definition.runAtStart) await instance.send(definition.name, {});
            await instance.work<object>(
              definition.name,
              {
                batchSize: definition.batchSize ?? 20,
                pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2,
              },
              async (jobs) => {
                await definition.handler(
                  jobs.map((j) => ({ id: j.id, data: j.data })),
                  { ...context, jobs: queue, signal: stopping.signal },
                );
              },
            );
          }
        }
        boss = instance;
        working = options.work;
      })();
      try {
        await starting;
      } catch (error) {
        starting = null;
        throw error;
      }
    },
    async send(name, data = {}, options = {}) {
      if (!byName.has(name)) throw new Error(`no job is defined with the name ${name}`);
      if (!boss) {
        // A transaction on PGlite holds the only connection: starting pg-boss inside it would wait forever.
        if (options.tx) throw new Error('start the job queue before sending a job inside a transaction');
        await queue.start({ work: false });
      }
      return boss!.send(name, data, {
        ...(options.tx ? { db: fromDrizzle(options.tx as never, sql as never) } : {}),
        ...(options.startAfter ? { startAfter: options.startAfter } : {}),
        ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
      });
    },
    async stop() {
      stopping.abort();
      if (starting) await starting.catch(() => {});
      const running = boss;
      boss = null;
      starting = null;
      working = false;
      await running?.stop({ graceful: true, timeout: 15_000, close: true });
    },
  };
  return queue;
}
