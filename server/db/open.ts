import type { Config } from '../config.ts';
import { type Database, openDatabase } from './client.ts';
import { lockEmbeddedDatabase } from './embedded-lock.ts';

/** Opens the configured database (taking the embedded lock on PGlite) and applies migrations. */
export async function openConfiguredDatabase(
  config: Config,
  opts: { migrate?: boolean } = {},
): Promise<Database> {
  const release = config.database.kind === 'pglite' ? lockEmbeddedDatabase(config.dataDir) : () => {};
  try {
    const database = await openDatabase(config.database);
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
  } catch (error) {
    release();
    throw error;
  }
}
