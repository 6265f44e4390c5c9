import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import type { DatabaseTarget } from '../config.ts';
import * as schema from './schema.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle has the same query surface as the database. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Database {
  kind: DatabaseTarget['kind'];
  db: Db;
  /** Rows of one statement, for the few places that need plain SQL (health checks, tests, tools). */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  migrate(): Promise<void>;
  /** True when every committed migration has been applied. */
  migrationsCurrent(): Promise<boolean>;
  close(): Promise<void>;
  /** The embedded engine itself (backups); absent on PostgreSQL. */
  pglite?: PGlite;
}

/** Opens PGlite under a data directory, or a pooled connection to PostgreSQL. */
export async function openDatabase(
  target: DatabaseTarget,
  opts: { poolSize?: number; loadDataDir?: Blob; onQuery?: QueryListener } = {},
): Promise<Database> {
  if (target.kind === 'pglite') return openPglite(target.dataDir, opts.loadDataDir, opts.onQuery);
  return openPostgres(target.url, opts.poolSize ?? 8, opts.onQuery);
}

/** Told every statement (text and parameters) before it runs: the benchmark replays what a request sent. */
export type QueryListener = (text: string, params: unknown[]) => void;

async function openPglite(dataDir: string, loadDataDir?: Blob, onQuery?: QueryListener): Promise<Database> {
  if (dataDir !== 'memory://') mkdirSync(dataDir, { recursive: true });
  // pg_trgm: trigram indexes for name search (also on PostgreSQL, where the migration creates it).
  const client = await PGlite.create(dataDir, {
    extensions: { pg_trgm },
    ...(loadDataDir ? { loadDataDir } : {}),
  });
  // PGlite runs in this thread: one runaway query would stall every request.
  await client.exec(`SET statement_timeout = '30s'`);
  const db = drizzlePglite(client, {
    schema,
    logger: onQuery ? { logQuery: onQuery } : false,
  }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    pglite: client,
    query: async (text, params) => {
      onQuery?.(text, params ?? []);
      return (await client.query(text, params)).rows as never;
    },
    migrate: () => migratePglite(db as never, { migrationsFolder: MIGRATIONS_DIR }),
    migrationsCurrent: () => migrationsCurrent(db),
    close: () => client.close(),
  };
}

async function openPostgres(url: string, max: number, onQuery?: QueryListener): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max, statement_timeout: 30_000 });
  // An idle client that loses its server must not crash the process.
  pool.on('error', () => {});
  const db = drizzlePg(pool, { schema, logger: onQuery ? { logQuery: onQuery } : false }) as unknown as Db;
  await pool.query('select 1');
  return {
    kind: 'postgres',
    db,
    query: async (text, params) => {
      onQuery?.(text, params ?? []);
      return (await pool.query(text, params)).rows;
    },
    migrate: async () => {
      // Two processes starting together must not both migrate.
      const lock = await pool.connect();
      try {
        await lock.query('select pg_advisory_lock(7419001)');
        await migratePg(db as never, { migrationsFolder: MIGRATIONS_DIR });
      } finally {
        await lock.query('select pg_advisory_unlock(7419001)').catch(() => {});
        lock.release();
      }
    },
    migrationsCurrent: () => migrationsCurrent(db),
    close: () => pool.end(),
  };
}

async function migrationsCurrent(db: Db): Promise<boolean> {
  const { readMigrationFiles } = await import('drizzle-orm/migrator');
  const expected = readMigrationFiles({ migrationsFolder: MIGRATIONS_DIR });
  try {
    const rows = await db.execute(sql`select hash from drizzle.__drizzle_migrations`);
    const applied = new Set((rows as unknown as { rows: { hash: string }[] }).rows.map((r) => r.hash));
    return expected.every((m) => applied.has(m.hash));
  } catch {
    return false;
  }
}
