import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Config, loadConfig } from '../config.ts';
import { appendAudit, verifyAuditChain } from '../platform/audit/audit.service.ts';
import { createPostgresDatabase, testEngine } from '../test/database.ts';
import { restoreDatabase } from './backup.ts';
import type { Database } from './client.ts';
import { DEPARTMENT_SIZES } from './demo/generate.ts';
import { openConfiguredDatabase } from './open.ts';
import { seedDemo } from './seed-demo.ts';

const CLI = join(import.meta.dirname, '..', 'cli', 'main.ts');
const SECRET = 'backup-test-session-secret-0123456789abcdef-01';
const SLOW = { timeout: 180_000 };
const work = mkdtempSync(join(tmpdir(), 'kith-backup-'));
const drops: (() => Promise<void>)[] = [];

/** A fresh, empty Kith installation on the engine under test, as environment and config. */
async function freshInstall(name: string): Promise<{ env: Record<string, string>; config: Config }> {
  const env: Record<string, string> = { KITH_DATA_DIR: join(work, name), LOG_LEVEL: 'silent' };
  if (testEngine === 'postgres') {
    const pgDatabase = await createPostgresDatabase();
    drops.push(pgDatabase.drop);
    Object.assign(env, { DATABASE_URL: pgDatabase.url, SESSION_SECRET: SECRET });
  }
  return { env, config: loadConfig(env) };
}

async function withDatabase<T>(config: Config, fn: (database: Database) => Promise<T>): Promise<T> {
  const database = await openConfiguredDatabase(config);
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

/** Row counts of every table Kith has, including drizzle's record of applied migrations. */
async function rowCounts(database: Database): Promise<Record<string, number>> {
  const tables = await database.query<{ name: string }>(
    `select table_schema || '.' || table_name as name from information_schema.tables
      where table_schema in ('public', 'drizzle') and table_type = 'BASE TABLE' order by 1`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await database.query<{ n: number }>(`select count(*)::int as n from ${name}`);
    counts[name] = row!.n;
  }
  return counts;
}

function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), NODE_ENV: 'test', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += c;
    });
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let original: { env: Record<string, string>; config: Config };
let before: Record<string, number>;
/** Audit records the demo seed itself writes (the demo feed's HL7 messages are applied as the feed would). */
let seededAudit = 0;
const backupFile = join(work, 'kith.backup');

beforeAll(async () => {
  // A department's data: the demo seed, then a few more audited events.
  original = await freshInstall('original');
  before = await withDatabase(original.config, async (database) => {
    await seedDemo(database);
    seededAudit = (await rowCounts(database))['public.audit_events'] ?? 0;
    await appendAudit(
      database.db,
      ...['patient.view', 'patient.update', 'audit.export'].map((action) => ({
        organizationId: null,
        actorUserId: null,
        actorRole: null,
        actorLabel: 'backup-test',
        action,
        outcome: 'success' as const,
      })),
    );
    return rowCounts(database);
  });
  expect(before['public.patients']).toBe(DEPARTMENT_SIZES.patients);
  expect(before['public.audit_events']).toBe(seededAudit + 3);
}, 180_000);

afterAll(async () => {
  for (const drop of drops) await drop();
  rmSync(work, { recursive: true, force: true });
});

describe(`backup and restore on ${testEngine}`, () => {
  it('finds every record in a fresh database restored from `kith backup`', SLOW, async () => {
    const backup = await runCli(['backup', backupFile], original.env);
    expect(backup.stderr).toBe('');
    expect(backup).toMatchObject({ code: 0, stdout: `backup written to ${backupFile}\n` });

    const fresh = await freshInstall('fresh');
    const { keptAs } = await restoreDatabase(fresh.config, backupFile);
    expect(keptAs).toBeUndefined();
    await withDatabase(fresh.config, async (database) => {
      expect(await rowCounts(database)).toEqual(before);
      expect(await verifyAuditChain(database.db)).toEqual({
        ok: true,
        checked: before['public.audit_events'],
      });
      expect(await database.migrationsCurrent()).toBe(true);
    });
  });

  it('refuses a backup of the other engine with a clear message', SLOW, async () => {
    const other =
      testEngine === 'postgres'
        ? loadConfig({ KITH_DATA_DIR: join(work, 'embedded') })
        : loadConfig({ DATABASE_URL: 'postgres://kith@127.0.0.1:1/kith', SESSION_SECRET: SECRET });
    const message =
      testEngine === 'postgres'
        ? /is a PostgreSQL backup, but this Kith uses the embedded database/
        : /is a PGlite \(embedded\) backup, but this Kith uses PostgreSQL/;
    await expect(restoreDatabase(other, backupFile)).rejects.toThrow(message);
    expect(existsSync(join(work, 'embedded', 'pgdata'))).toBe(false);
  });

  it('refuses a file that is not a backup, or no file at all', SLOW, async () => {
    const notABackup = join(work, 'notes.txt');
    writeFileSync(notABackup, 'Discharge planning notes, not a database\n');
    await expect(restoreDatabase(original.config, notABackup)).rejects.toThrow(/is not a Kith backup/);
    await expect(restoreDatabase(original.config, join(work, 'missing.backup'))).rejects.toThrow(
      /no such backup file/,
    );
    // A gzip file that is not a PGlite dump passes the first check but must not replace the data.
    if (testEngine === 'pglite') {
      const bogus = join(work, 'bogus.tar.gz');
      writeFileSync(bogus, gzipSync('not a tarball'));
      await expect(restoreDatabase(original.config, bogus)).rejects.toThrow();
      await withDatabase(original.config, async (database) =>
        expect(await rowCounts(database)).toEqual(before),
      );
    }
  });

  it.skipIf(testEngine === 'postgres')(
    'keeps the previous embedded data directory as pgdata.before-restore-* (PGlite only)',
    SLOW,
    async () => {
      const { keptAs } = await restoreDatabase(original.config, backupFile);
      expect(keptAs).toMatch(/[/\\]pgdata\.before-restore-[\dT-]+Z$/);
      expect(existsSync(keptAs!)).toBe(true);
      expect(
        readdirSync(original.config.dataDir).filter((f) => f.startsWith('pgdata.before-restore-')),
      ).toHaveLength(1);
      await withDatabase(original.config, async (database) =>
        expect(await rowCounts(database)).toEqual(before),
      );
    },
  );
});
