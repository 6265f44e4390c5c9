import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './db/client.ts';
import { createPostgresDatabase, testEngine } from './test/database.ts';

const MAIN = join(import.meta.dirname, 'main.ts');

describe(`node server/main.ts worker (${testEngine})`, () => {
  let dataDir: string;
  let env: Record<string, string>;
  let dropPostgres: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kith-worker-'));
    env = { KITH_DATA_DIR: dataDir };
    if (testEngine === 'postgres') {
      const pg = await createPostgresDatabase();
      dropPostgres = pg.drop;
      Object.assign(env, {
        DATABASE_URL: pg.url,
        SESSION_SECRET: 'worker-test-session-secret-0123456789abcdef',
      });
    }
  });
  afterAll(async () => {
    await dropPostgres?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('works the queues without serving HTTP, schedules the sweeps, and stops cleanly on SIGTERM', {
    timeout: 120_000,
  }, async () => {
    const child = spawn(process.execPath, [MAIN, 'worker'], {
      env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
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
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    try {
      await expect.poll(() => stdout, { timeout: 90_000 }).toContain('Kith worker is running');
      expect(stdout).not.toContain('Kith is running at');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(stderr).toBe('');

    // The recurring sweeps are in pg-boss's schedule, once each.
    const database = await openDatabase(
      env.DATABASE_URL
        ? { kind: 'postgres', url: env.DATABASE_URL }
        : { kind: 'pglite', dataDir: join(dataDir, 'pgdata') },
    );
    try {
      const rows = await database.query<{ name: string; cron: string }>(
        'select name, cron from pgboss.schedule order by name',
      );
      expect(rows).toEqual([
        { name: 'newsletter.dispatch', cron: '* * * * *' },
        { name: 'newsletter.forget-pending', cron: '41 3 * * *' },
        { name: 'notifications.email', cron: '* * * * *' },
        { name: 'referrals.follow-up', cron: '17 * * * *' },
        { name: 'tasks.reminders', cron: '* * * * *' },
      ]);
    } finally {
      await database.close();
    }
  });
});
