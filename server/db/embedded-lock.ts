import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** PGlite is single-process: a second process opening the same data directory would corrupt it. */
export class EmbeddedDatabaseBusy extends Error {
  readonly pid: number;
  constructor(pid: number, dataDir: string) {
    super(
      `The embedded database in ${dataDir} is in use by another Kith process (pid ${pid}). ` +
        'PGlite can only be opened by one process at a time: stop the server first (or use PostgreSQL through DATABASE_URL, where the CLI and the server work side by side).',
    );
    this.pid = pid;
  }
}

const heldHere = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the data directory's lock file, or throws EmbeddedDatabaseBusy; returns the release function. */
export function lockEmbeddedDatabase(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'kith.lock');
  // Within one process the lock file's pid is ours, so it cannot tell a second opener apart: remember.
  if (heldHere.has(file)) throw new EmbeddedDatabaseBusy(process.pid, dataDir);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      heldHere.add(file);
      return () => {
        heldHere.delete(file);
        rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isFinite(pid) && alive(pid)) throw new EmbeddedDatabaseBusy(pid, dataDir);
      // The process that held it is gone (killed without cleanup): the lock is stale.
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not take the lock ${file}`);
}
