import { spawn } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import type { Config } from '../config.ts';
import { openDatabase } from './client.ts';
import { lockEmbeddedDatabase } from './embedded-lock.ts';
import { openConfiguredDatabase } from './open.ts';

const GZIP_MAGIC = [0x1f, 0x8b];
const PGDMP_MAGIC = 'PGDMP';

/** What kind of backup a file holds, from its first bytes. */
async function backupKind(file: string): Promise<'pglite' | 'postgres' | 'unknown'> {
  const handle = await open(file, 'r');
  try {
    const { buffer } = await handle.read(Buffer.alloc(5), 0, 5, 0);
    if (buffer[0] === GZIP_MAGIC[0] && buffer[1] === GZIP_MAGIC[1]) return 'pglite';
    if (buffer.toString('latin1') === PGDMP_MAGIC) return 'postgres';
    return 'unknown';
  } finally {
    await handle.close();
  }
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', (error) =>
      reject(
        (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? new Error(
              `${command} was not found: install the PostgreSQL client tools matching your server's version`,
            )
          : error,
      ),
    );
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} failed (exit ${code}): ${stderr.trim()}`)),
    );
  });
}

/**
 * Writes a backup of the whole database to a file: PGlite's own dump of its data directory (a gzip tarball)
 * in embedded mode, a pg_dump custom-format archive on PostgreSQL.
 */
export async function backupDatabase(config: Config, file: string): Promise<void> {
  if (config.database.kind === 'postgres') {
    await run('pg_dump', [
      '--format=custom',
      '--no-owner',
      '--no-privileges',
      `--file=${file}`,
      config.database.url,
    ]);
    return;
  }
  const database = await openConfiguredDatabase(config, { migrate: false });
  try {
    const dump = await database.pglite!.dumpDataDir('gzip');
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  } finally {
    await database.close();
  }
}

/**
 * Replaces the database with a backup. On PGlite the current data directory is kept beside it as
 * `pgdata.before-restore-<time>`; on PostgreSQL pg_restore replaces every object in one transaction.
 */
export async function restoreDatabase(config: Config, file: string): Promise<{ keptAs?: string }> {
  if (!existsSync(file)) throw new Error(`no such backup file: ${file}`);
  const kind = await backupKind(file);
  if (kind !== config.database.kind) {
    throw new Error(
      kind === 'unknown'
        ? `${file} is not a Kith backup (neither a PGlite dump nor a pg_dump custom archive)`
        : `${file} is a ${kind === 'pglite' ? 'PGlite (embedded)' : 'PostgreSQL'} backup, but this Kith uses ${config.database.kind === 'pglite' ? 'the embedded database' : 'PostgreSQL'}`,
    );
  }
  if (config.database.kind === 'postgres') {
    await run('pg_restore', [
      '--clean',
      '--if-exists',
      '--no-owner',
      '--no-privileges',
      '--single-transaction',
      `--dbname=${config.database.url}`,
      file,
    ]);
    const database = await openConfiguredDatabase(config);
    await database.close();
    return {};
  }
  const dataDir = config.database.dataDir;
  // Hold the lock throughout (without opening, which would create an empty database on a fresh install):
  // never swap the data directory under a running server.
  const release = lockEmbeddedDatabase(config.dataDir);
  let keptAs: string | undefined;
  try {
    if (existsSync(dataDir)) {
      keptAs = `${dataDir}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      renameSync(dataDir, keptAs);
    }
    try {
      const restored = await PGlite.create(dataDir, { loadDataDir: new Blob([readFileSync(file)]) });
      await restored.close();
      // openDatabase, not openConfiguredDatabase: this process already holds the lock.
      const database = await openDatabase(config.database);
      try {
        await database.migrate();
      } finally {
        await database.close();
      }
    } catch (error) {
      rmSync(dataDir, { recursive: true, force: true });
      if (keptAs) renameSync(keptAs, dataDir);
      throw error;
    }
  } finally {
    release();
  }
  return keptAs ? { keptAs } : {};
}
