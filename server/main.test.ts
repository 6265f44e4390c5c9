import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './db/seed-demo.ts';
import { createPostgresDatabase, testEngine } from './test/database.ts';

const MAIN = join(import.meta.dirname, 'main.ts');
const SLOW = { timeout: 120_000 };

/** A port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

interface Server {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function startServer(env: Record<string, string>): Server {
  const child = spawn(process.execPath, [MAIN, 'serve'], {
    // KITH_SEED_DEMO is left unset: a fresh embedded install seeds the demo.
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c) => {
    stdout += c;
  });
  child.stderr!.on('data', (c) => {
    stderr += c;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Waits until the server prints its URL (or fails when it exits first). */
async function runningAt(server: Server, port: number): Promise<string> {
  const deadline = Date.now() + 90_000;
  let exitCode: number | null | undefined;
  void server.exited.then((code) => {
    exitCode = code;
  });
  while (Date.now() < deadline) {
    const match = /Kith is running at (\S+)/.exec(server.stdout());
    if (match) return match[1]!;
    if (exitCode !== undefined) throw new Error(`the server exited with ${exitCode}: ${server.stderr()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server did not start on port ${port}: ${server.stderr()}`);
}

describe(`node server/main.ts serve (${testEngine === 'postgres' ? 'on PostgreSQL' : 'embedded'})`, () => {
  let dataDir: string;
  let dropPostgres: (() => Promise<void>) | undefined;
  let env: Record<string, string>;
  const running: Server[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kith-main-'));
    env = { KITH_DATA_DIR: dataDir };
    if (testEngine === 'postgres') {
      const pgDatabase = await createPostgresDatabase();
      dropPostgres = pgDatabase.drop;
      Object.assign(env, {
        DATABASE_URL: pgDatabase.url,
        SESSION_SECRET: 'main-test-session-secret-0123456789abcdef-0123',
      });
    }
  });
  afterAll(async () => {
    for (const server of running) if (server.child.exitCode === null) server.child.kill('SIGKILL');
    await dropPostgres?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'starts on a fresh install, answers health and readiness, and stops cleanly on SIGTERM',
    SLOW,
    async () => {
      const port = await freePort();
      const server = startServer({ ...env, PORT: String(port) });
      running.push(server);
      const url = await runningAt(server, port);
      expect(url).toBe(`http://localhost:${port}`);

      if (testEngine === 'postgres') {
        // Demo data is only for trying Kith on the embedded database.
        expect(server.stdout()).toContain('database: PostgreSQL');
        expect(server.stdout()).not.toContain('demo accounts');
      } else {
        expect(server.stdout()).toContain(`database: embedded PGlite in ${join(dataDir, 'pgdata')}`);
        expect(server.stdout()).toContain(`demo accounts (password for all: ${DEMO_PASSWORD}):`);
        for (const account of DEMO_ACCOUNTS)
          expect(server.stdout()).toMatch(
            new RegExp(`${account.role}\\s+${account.email.replace('.', '\\.')}`),
          );
        expect(existsSync(join(dataDir, 'kith.lock'))).toBe(true);
      }

      const ready = await fetch(`http://127.0.0.1:${port}/api/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', database: testEngine });
      const health = await fetch(`http://127.0.0.1:${port}/api/health`);
      expect(health.status).toBe(200);
      if (testEngine === 'pglite') {
        // The demo accounts really exist: one signs in with the printed password.
        const signIn = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'worker@riverside.example', password: DEMO_PASSWORD }),
        });
        expect(signIn.status).toBe(200);
      }

      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(server.stderr()).toBe('');
      expect(existsSync(join(dataDir, 'kith.lock'))).toBe(false);
    },
  );

  it.skipIf(testEngine === 'postgres')(
    'refuses a second server on the same data directory, saying it is in use (embedded only)',
    SLOW,
    async () => {
      const first = startServer({ ...env, PORT: String(await freePort()) });
      running.push(first);
      await runningAt(first, 0);
      // Started before: the demo is not seeded twice, and the accounts are still listed.
      expect(first.stdout()).toContain('created on first start');

      const second = startServer({ ...env, PORT: String(await freePort()) });
      running.push(second);
      expect(await second.exited).not.toBe(0);
      expect(second.stderr()).toMatch(
        new RegExp(`is in use by another Kith process \\(pid ${first.child.pid}\\)`),
      );
      expect(second.stdout()).toBe('');

      // The refused server must not have removed the first one's lock.
      expect(existsSync(join(dataDir, 'kith.lock'))).toBe(true);
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
    },
  );
});
