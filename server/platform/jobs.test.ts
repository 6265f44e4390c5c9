import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { type Database, openDatabase } from '../db/client.ts';
import { createPostgresDatabase, testEngine } from '../test/database.ts';
import { createJobQueue, defineJob, type JobDefinition } from './jobs.ts';
import { createLogger } from './logger.ts';
import { createMailer } from './mail.ts';

/** A database this test can close and open again, like a server restarting: a PGlite directory or a PostgreSQL database. */
async function restartableDatabase() {
  if (testEngine === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'kith-jobs-'));
    return {
      open: () => openDatabase({ kind: 'pglite', dataDir: join(dir, 'pgdata') }),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const { url, drop } = await createPostgresDatabase();
  return {
    open: async () => Object.assign(await openDatabase({ kind: 'postgres', url }, { poolSize: 2 }), { url }),
    drop,
  };
}

const config = loadConfig({
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  KITH_DATA_DIR: mkdtempSync(join(tmpdir(), 'kith-jobs-config-')),
  SESSION_SECRET: 'test-session-secret-that-is-long-enough-0123456789',
});
const logger = createLogger('silent');

/** A queue over the database with one job that records the batches it is handed. */
function echoQueue(database: Database, extra: JobDefinition<never>[] = []) {
  const batches: { note: string }[][] = [];
  const echo = defineJob<{ note: string }>({
    name: 'test.echo',
    handler: async (jobs) => {
      batches.push(jobs.map((j) => j.data));
    },
  });
  const mailer = createMailer(database.db, undefined, config.mailFrom, logger);
  const queue = createJobQueue({ config, database, mailer, logger }, [
    echo as JobDefinition<never>,
    ...extra,
  ]);
  return { queue, batches };
}

const jobRows = async (database: Database) =>
  (
    await database.query<{ n: number }>(`select count(*)::int as n from pgboss.job where name = 'test.echo'`)
  )[0]!.n;

describe(`the job queue on ${testEngine}`, () => {
  let engine: Awaited<ReturnType<typeof restartableDatabase>>;
  beforeAll(async () => {
    engine = await restartableDatabase();
  });
  afterAll(() => engine.drop());

  it('keeps jobs sent before a restart, and the next runner works them in one batch', async () => {
    // A web process sends three jobs and stops before any worker has run.
    const before = await engine.open();
    const sender = echoQueue(before);
    for (const note of ['one', 'two', 'three']) await sender.queue.send('test.echo', { note });
    expect(sender.queue.working).toBe(false);
    await sender.queue.stop();
    await before.close();
    expect(sender.batches).toEqual([]);

    // After the restart, a worker picks all three up in a single fetch.
    const after = await engine.open();
    const worker = echoQueue(after);
    try {
      await worker.queue.start({ work: true, pollingIntervalSeconds: 0.5 });
      await expect.poll(() => worker.batches.flat().length, { timeout: 15_000 }).toBe(3);
      expect(worker.batches).toHaveLength(1);
      expect(worker.batches[0]!.map((j) => j.note).sort()).toEqual(['one', 'three', 'two']);
    } finally {
      await worker.queue.stop();
      await after.close();
    }
  });

  it('enqueues inside a transaction: a rolled-back job never exists, a committed one is worked', async () => {
    const database = await engine.open();
    const { queue, batches } = echoQueue(database);
    try {
      await queue.start({ work: false });
      const existing = await jobRows(database);
      await database.db
        .transaction(async (tx) => {
          await queue.send('test.echo', { note: 'rolled back' }, { tx });
          tx.rollback();
        })
        .catch(() => {});
      await database.db.transaction(async (tx) => {
        await queue.send('test.echo', { note: 'committed' }, { tx });
      });
      expect(await jobRows(database)).toBe(existing + 1);
      await queue.stop();
      await queue.start({ work: true, pollingIntervalSeconds: 0.5 });
      await expect.poll(() => batches.flat().map((j) => j.note), { timeout: 15_000 }).toEqual(['committed']);
    } finally {
      await queue.stop();
      await database.close();
    }
  });

  it('registers the cron schedule of a recurring job only where jobs are worked', async () => {
    const database = await engine.open();
    const sweep = defineJob({ name: 'test.sweep', cron: '*/5 * * * *', handler: async () => {} });
    const { queue } = echoQueue(database, [sweep as JobDefinition<never>]);
    const schedules = () =>
      database.query<{ name: string; cron: string }>('select name, cron from pgboss.schedule');
    try {
      await queue.start({ work: false });
      expect(await schedules()).toEqual([]);
      await queue.stop();
      await queue.start({ work: true });
      expect(await schedules()).toEqual([{ name: 'test.sweep', cron: '*/5 * * * *' }]);
    } finally {
      await queue.stop();
      await database.close();
    }
  });

  it('refuses a job with no definition, and a first send inside a transaction', async () => {
    const database = await engine.open();
    const { queue } = echoQueue(database);
    try {
      await expect(queue.send('test.unknown')).rejects.toThrow(/no job is defined/);
      await expect(
        database.db.transaction((tx) => queue.send('test.echo', { note: 'x' }, { tx })),
      ).rejects.toThrow(/start the job queue/);
      expect(queue.started).toBe(false);
    } finally {
      await queue.stop();
      await database.close();
    }
  });
});
