import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../domain/roles.ts';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { type Database, openDatabase } from '../db/client.ts';
import { lockEmbeddedDatabase } from '../db/embedded-lock.ts';
import { openConfiguredDatabase } from '../db/open.ts';
import { apiTokens, organizations, users } from '../platform/platform.tables.ts';
import { hashApiToken } from '../platform/users.service.ts';
import { type CliRun, runCli } from '../test/cli.ts';
import { createPostgresDatabase, testEngine } from '../test/database.ts';

const SECRET = 'cli-test-session-secret-0123456789abcdef-0123';
const PASSWORD = 'quiet-lantern-harbor-5521';
const SLOW = { timeout: 120_000 };

// One database for the file, created by the CLI itself: a temporary KITH_DATA_DIR on PGlite, a database of its own on PostgreSQL.
let env: Record<string, string>;
let dataDir: string;
let dropPostgres: (() => Promise<void>) | undefined;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kith-cli-'));
  if (testEngine === 'postgres') {
    const pgDatabase = await createPostgresDatabase();
    env = { DATABASE_URL: pgDatabase.url, SESSION_SECRET: SECRET, KITH_DATA_DIR: dataDir };
    dropPostgres = pgDatabase.drop;
  } else {
    env = { KITH_DATA_DIR: dataDir };
  }
});
afterAll(async () => {
  await dropPostgres?.();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The CLI's database, opened in this process once the CLI has exited (taking the embedded lock). */
function openSameDatabase(): Promise<Database> {
  if (env.DATABASE_URL) return openDatabase({ kind: 'postgres', url: env.DATABASE_URL }, { poolSize: 2 });
  return openConfiguredDatabase(loadConfig({ KITH_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), {
    migrate: false,
  });
}

async function withSameDatabase<T>(fn: (database: Database) => Promise<T>): Promise<T> {
  const database = await openSameDatabase();
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

describe(`npm run kith -- create-user on ${testEngine}`, () => {
  it('creates the organisation when missing, then the user, and exits 0', SLOW, async () => {
    const run = await runCli(
      [
        'create-user',
        '--email',
        'Noor.Admin@North.example',
        '--password',
        PASSWORD,
        '--role',
        'admin',
        '--org',
        'north',
        '--name',
        'Noor Haddad',
      ],
      env,
    );
    expect(run.stderr).toBe('');
    expect(run).toMatchObject({
      code: 0,
      stdout: 'created user noor.admin@north.example (admin) in organisation "north"\n',
    });
    await withSameDatabase(async ({ db }) => {
      const [org] = await db.select().from(organizations).where(eq(organizations.slug, 'north'));
      expect(org).toMatchObject({ slug: 'north', name: 'North' });
      const [user] = await db.select().from(users).where(eq(users.email, 'noor.admin@north.example'));
      expect(user).toMatchObject({
        organizationId: org!.id,
        role: 'admin',
        kind: 'person',
        displayName: 'Noor Haddad',
      });
      expect(user!.passwordHash).toMatch(/^\$argon2id\$/);
    });
  });

  it('refuses a second user with the same email (in any case) with a clear message', SLOW, async () => {
    const run = await runCli(
      [
        'create-user',
        '--email',
        'noor.admin@NORTH.example',
        '--password',
        PASSWORD,
        '--role',
        'supervisor',
        '--org',
        'north',
      ],
      env,
    );
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/A user with this email already exists/);
    expect(run.stdout).toBe('');
  });

  it('refuses a weak password, naming the reason', SLOW, async () => {
    const run = await runCli(
      [
        'create-user',
        '--email',
        'weak@north.example',
        '--password',
        'password1234',
        '--role',
        'social_worker',
        '--org',
        'north',
      ],
      env,
    );
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/password is too common/);
    await withSameDatabase(async ({ db }) => {
      expect(await db.select().from(users).where(eq(users.email, 'weak@north.example'))).toEqual([]);
    });
  });

  it('refuses an unknown role, listing the roles', SLOW, async () => {
    const run = await runCli(
      ['create-user', '--email', 'boss@north.example', '--password', PASSWORD, '--role', 'superuser'],
      env,
    );
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`--role must be one of ${ROLES.join(', ')}`);
  });
});

describe(`npm run kith -- create-token on ${testEngine}`, () => {
  it(
    'prints a kith_ token once, stored only as its hash, which then authenticates API requests',
    SLOW,
    async () => {
      const run = await runCli(
        ['create-token', '--email', 'noor.admin@north.example', '--name', 'bed-board sync'],
        env,
      );
      expect(run.code, run.stderr).toBe(0);
      const lines = run.stdout.trim().split('\n');
      expect(lines).toHaveLength(1);
      const token = lines[0]!;
      expect(token).toMatch(/^kith_[\w-]{40,}$/);
      expect(run.stderr).toMatch(/shown once/);

      await withSameDatabase(async (database) => {
        const [row] = await database.db.select().from(apiTokens).where(eq(apiTokens.name, 'bed-board sync'));
        expect(row).toMatchObject({ tokenHash: hashApiToken(token), prefix: token.slice(0, 10) });
        expect(JSON.stringify(row)).not.toContain(token);

        const config = loadConfig({ ...env, LOG_LEVEL: 'silent' });
        const app = await buildApp({ config, database, serveWeb: false });
        try {
          const me = await app.inject({
            method: 'GET',
            url: '/api/auth/me',
            headers: { authorization: `Bearer ${token}` },
          });
          expect(me.statusCode, me.body).toBe(200);
          expect(me.body).toContain('noor.admin@north.example');
          const forged = await app.inject({
            method: 'GET',
            url: '/api/auth/me',
            headers: { authorization: `Bearer ${token.slice(0, -2)}xx` },
          });
          expect(forged.statusCode).toBe(401);
        } finally {
          await app.close();
        }
      });
    },
  );
});

describe.skipIf(testEngine === 'postgres')(
  'the embedded database lock (PGlite only: PostgreSQL has no lock file)',
  () => {
    const lockFile = () => join(dataDir, 'kith.lock');

    it('refuses while another process holds the database, and works once it lets go', SLOW, async () => {
      const release = lockEmbeddedDatabase(dataDir);
      let refused: CliRun;
      try {
        expect(readFileSync(lockFile(), 'utf8')).toBe(String(process.pid));
        refused = await runCli(
          [
            'create-user',
            '--email',
            'late@north.example',
            '--password',
            PASSWORD,
            '--role',
            'read_only',
            '--org',
            'north',
          ],
          env,
        );
      } finally {
        release();
      }
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(new RegExp(`in use by another Kith process \\(pid ${process.pid}\\)`));
      // The holder stopped: the lock file is gone (the next test shows the CLI then gets in).
      expect(existsSync(lockFile())).toBe(false);
    });

    it('takes over a stale lock whose process is dead', SLOW, async () => {
      // A pid that surely belonged to a process that has exited.
      const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
      writeFileSync(lockFile(), String(dead));
      const run = await runCli(['migrate'], env);
      expect(run.stderr).toBe('');
      expect(run).toMatchObject({ code: 0, stdout: 'migrations applied\n' });
      // The CLI lets go of the lock when it exits.
      expect(existsSync(lockFile())).toBe(false);
    });
  },
);
