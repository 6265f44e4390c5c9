// The benchmark's data: the demo department's generator (server/db/demo/) at hospital size, loaded once.
// A marker table records the seed, the sizes and a digest of the generator and the migrations; a bench
// database that holds the same set is reused, anything else is dropped and generated again.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { DatabaseTarget } from '../server/config.ts';
import { type Database, MIGRATIONS_DIR, openDatabase } from '../server/db/client.ts';
import { type DemoSizes, generateDemo, HOSPITAL_SIZES } from '../server/db/demo/generate.ts';
import { lockEmbeddedDatabase } from '../server/db/embedded-lock.ts';

export const BENCH_PASSWORD = 'bench-password-riverside';
export const BENCH_SEED = Number(process.env.BENCH_SEED ?? 2026);
const DEMO_DIR = join(import.meta.dirname, '..', 'server', 'db', 'demo');

/**
 * The set to load: the hospital sizes, unless BENCH_PATIENTS / BENCH_EVENTS / BENCH_WORKERS / BENCH_SERVICES
 * (directory services) say otherwise.
 */
export function benchSizes(env: NodeJS.ProcessEnv = process.env): DemoSizes {
  const patients = Number(env.BENCH_PATIENTS ?? HOSPITAL_SIZES.patients);
  const scale = patients / HOSPITAL_SIZES.patients;
  const socialWorkers = Number(
    env.BENCH_WORKERS ?? Math.max(6, Math.round(HOSPITAL_SIZES.socialWorkers * scale)),
  );
  return {
    ...HOSPITAL_SIZES,
    patients,
    socialWorkers,
    supervisors: Math.max(1, Math.round(HOSPITAL_SIZES.supervisors * scale)),
    clinicians: Math.max(2, Math.round(HOSPITAL_SIZES.clinicians * scale)),
    units: Math.max(3, Math.round(HOSPITAL_SIZES.units * (socialWorkers / HOSPITAL_SIZES.socialWorkers))),
    timelineEvents: Number(env.BENCH_EVENTS ?? Math.round(HOSPITAL_SIZES.timelineEvents! * scale)),
    directoryServices: Number(env.BENCH_SERVICES ?? HOSPITAL_SIZES.directoryServices),
  };
}

/** What identifies a loaded set: change the generator, the schema, the seed or the sizes and it reloads. */
export function fingerprint(seed: number, sizes: DemoSizes): string {
  const hash = createHash('sha256').update(JSON.stringify({ seed, sizes, password: BENCH_PASSWORD }));
  const files = (dir: string) =>
    readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => !f.endsWith('.test.ts'))
      .sort()
      .map((f) => join(dir, f))
      .filter((f) => statSync(f).isFile());
  for (const file of [...files(DEMO_DIR), ...files(MIGRATIONS_DIR)])
    hash.update(file).update(readFileSync(file));
  return hash.digest('hex');
}

export interface BenchTarget {
  kind: 'postgres' | 'pglite';
  database: DatabaseTarget;
  /** PGlite: the KITH_DATA_DIR that holds `pgdata` (and the lock). */
  kithDataDir?: string;
  /** PostgreSQL: the server's URL to create and drop the bench database through. */
  adminUrl?: string;
  dbName?: string;
}

/** PostgreSQL (a `kith_bench` database on the server of BENCH_DATABASE_URL or DATABASE_URL), else PGlite. */
export function benchTarget(env: NodeJS.ProcessEnv = process.env): BenchTarget {
  const url = env.BENCH_DATABASE_URL ?? env.DATABASE_URL;
  if (!url) {
    const kithDataDir = env.BENCH_DATA_DIR ?? join(import.meta.dirname, '..', 'data', 'bench-pglite');
    return {
      kind: 'pglite',
      database: { kind: 'pglite', dataDir: join(kithDataDir, 'pgdata') },
      kithDataDir,
    };
  }
  const dbName = env.BENCH_DATABASE_NAME ?? 'kith_bench';
  const bench = new URL(url);
  bench.pathname = `/${dbName}`;
  return { kind: 'postgres', database: { kind: 'postgres', url: bench.toString() }, adminUrl: url, dbName };
}

async function withAdmin<T>(target: BenchTarget, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: target.adminUrl });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

async function storedFingerprint(target: BenchTarget): Promise<string | null> {
  if (target.kind === 'postgres') {
    const exists = await withAdmin(
      target,
      async (c) => (await c.query('select 1 from pg_database where datname = $1', [target.dbName])).rowCount,
    );
    if (!exists) return null;
  }
  const database = await openBench(target, { migrate: false });
  try {
    const [row] = await database.query<{ fingerprint: string }>('select fingerprint from bench_dataset');
    return row?.fingerprint ?? null;
  } catch {
    return null;
  } finally {
    await database.close();
  }
}

/** Opens the bench database (taking the embedded lock on PGlite), migrating it unless told not to. */
export async function openBench(
  target: BenchTarget,
  opts: { migrate?: boolean; onQuery?: (text: string, params: unknown[]) => void } = {},
): Promise<Database> {
  const release = target.kithDataDir ? lockEmbeddedDatabase(target.kithDataDir) : () => {};
  const database = await openDatabase(target.database, { poolSize: 4, onQuery: opts.onQuery });
  if (opts.migrate !== false) await database.migrate();
  const close = database.close;
  database.close = async () => {
    try {
      await close();
    } finally {
      release();
    }
  };
  return database;
}

/**
 * Makes sure the bench database holds the set for this seed and these sizes: reuses it when the marker
 * matches, else starts from an empty database, generates, analyses and marks it.
 */
export async function ensureBenchData(
  target: BenchTarget,
  seed: number,
  sizes: DemoSizes,
  log: (line: string) => void = console.log,
): Promise<{ generated: boolean; seconds: number }> {
  const wanted = fingerprint(seed, sizes);
  if ((await storedFingerprint(target)) === wanted) return { generated: false, seconds: 0 };

  if (target.kind === 'postgres') {
    await withAdmin(target, async (c) => {
      await c.query(`drop database if exists ${target.dbName} with (force)`);
      await c.query(`create database ${target.dbName}`);
    });
  } else if (target.database.kind === 'pglite') {
    rmSync(target.database.dataDir, { recursive: true, force: true });
  }
  const started = performance.now();
  const database = await openBench(target);
  try {
    log(
      `generating ${sizes.patients.toLocaleString()} patients, ${sizes.timelineEvents?.toLocaleString()} timeline events, ${sizes.socialWorkers} social workers, ${sizes.directoryServices?.toLocaleString()} directory services (seed ${seed}) on ${target.kind}...`,
    );
    let lastLog = 0;
    const summary = await generateDemo(database, {
      seed,
      now: new Date(),
      sizes,
      password: BENCH_PASSWORD,
      patientsPerTransaction: 2000,
      onProgress: (done, rows) => {
        if (performance.now() - lastLog < 10_000) return;
        lastLog = performance.now();
        log(
          `  ${done.toLocaleString()} patients, ${rows.toLocaleString()} rows, ${((performance.now() - started) / 1000).toFixed(0)} s`,
        );
      },
    });
    const loadSeconds = (performance.now() - started) / 1000;
    log(
      `  directory: written in ${summary.directorySeconds.write.toFixed(1)} s, search read model built in ${summary.directorySeconds.reindex.toFixed(1)} s`,
    );
    log(
      `  loaded in ${loadSeconds.toFixed(1)} s: ${Object.entries(summary.rows)
        .map(([t, n]) => `${t} ${n.toLocaleString()}`)
        .join(', ')}`,
    );
    // Planner statistics and a settled visibility map, as a live database has.
    await database.query('vacuum analyze');
    await database.query(
      'create table if not exists bench_dataset (fingerprint text not null, seed integer not null, sizes jsonb not null, loaded_at timestamptz not null default now(), load_seconds real not null)',
    );
    await database.query('delete from bench_dataset');
    await database.query(
      'insert into bench_dataset (fingerprint, seed, sizes, load_seconds) values ($1, $2, $3, $4)',
      [wanted, seed, JSON.stringify(sizes), loadSeconds],
    );
    // Write the loaded pages out now, so that the first scenario is not measured beside the checkpointer
    // flushing two million fresh rows (it made the first scenario's figures the worst of every run).
    if (target.kind === 'postgres') await database.query('checkpoint').catch(() => undefined);
    const seconds = (performance.now() - started) / 1000;
    log(`  with VACUUM ANALYZE: ${seconds.toFixed(1)} s`);
    return { generated: true, seconds };
  } finally {
    await database.close();
  }
}

// `node bench/generate.ts`: load (or confirm) the set without running the benchmark.
if (import.meta.main) {
  const target = benchTarget();
  const result = await ensureBenchData(target, BENCH_SEED, benchSizes());
  console.log(result.generated ? 'generated' : 'already loaded: same seed, sizes and generator');
}
