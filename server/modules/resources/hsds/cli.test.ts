import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli as runCliIn } from '../../../test/cli.ts';
import { createPostgresDatabase, testEngine } from '../../../test/database.ts';
import { describeWithFixtures, HSDS_11, HSDS_30_CSV } from './test-support.ts';

// Every run opens the database anew (PGlite starts in each process): minutes on a busy machine.
const SLOW = { timeout: 300_000 };

const runCli = (args: string[]) => runCliIn(args, env);

// The CLI's own database: a temporary KITH_DATA_DIR on PGlite, a database of its own on PostgreSQL.
let env: Record<string, string>;
let dataDir: string;
let dropPostgres: (() => Promise<void>) | undefined;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kith-resources-cli-'));
  env = { KITH_DATA_DIR: dataDir };
  if (testEngine === 'postgres') {
    const pg = await createPostgresDatabase();
    env = { ...env, DATABASE_URL: pg.url, SESSION_SECRET: 'resources-cli-test-secret-0123456789abcdef' };
    dropPostgres = pg.drop;
  }
}, 60_000);
afterAll(async () => {
  await dropPostgres?.();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A report line: the table and its read, created, updated, unchanged and rejected counts. */
const line = (table: string, ...counts: number[]) =>
  new RegExp(`^${table.replace(/[()]/g, '\\$&')}\\s+${counts.join('\\s+')}$`, 'm');

describeWithFixtures(`npm run kith -- resources on ${testEngine}`, () => {
  it('refuses to import before there is an organisation, and without a path', SLOW, async () => {
    const none = await runCli(['resources', 'import', HSDS_11]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/there is no organisation yet/);
    const usage = await runCli(['resources', 'import']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/resources import PATH \[--source NAME\] \[--org SLUG\]/);
    const reserved = await runCli(['resources', 'import', HSDS_11, '--source', 'kith']);
    expect(reserved.code).toBe(2);
    expect(reserved.stderr).toMatch(/--source "kith" is the source of rows made in the app/);
  });

  it('imports the 1.1 sample, printing the counts and every rejected row, and exits 0', SLOW, async () => {
    const made = await runCli([
      'create-user',
      '--email',
      'dir.admin@riverside.example',
      '--password',
      'copper-kettle-meadow-8812',
      '--role',
      'admin',
      '--org',
      'riverside',
    ]);
    expect(made.code, made.stderr).toBe(0);
    const run = await runCli(['resources', 'import', HSDS_11]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /^HSDS import of .*simple into organisation "riverside", source "hsds-simple-sample" \(hsds-csv\)$/m,
    );
    expect(run.stdout).toMatch(/^table\s+read\s+created\s+updated\s+unchanged\s+rejected$/m);
    expect(run.stdout).toMatch(line('organization', 10, 10, 0, 0, 0));
    expect(run.stdout).toMatch(line('service', 13, 13, 0, 0, 0));
    expect(run.stdout).toMatch(line('service_at_location', 13, 0, 0, 0, 13));
    expect(run.stdout).toMatch(line('phone', 5, 3, 0, 0, 2));
    expect(run.stdout).toMatch(line('contact', 10, 0, 0, 0, 10));
    expect(run.stdout).toMatch(/^Rejected rows \(25\):$/m);
    expect(run.stdout).toContain(
      'contacts.csv:2 eabbdbcc-5613-4ef9-a33b-b870f36b743d — service_id c89eb05c-62dd-4b64-b494-0cc347b6ea7f is not a service in this import or the directory',
    );
    expect(run.stdout).toContain(
      'services_at_location.csv:14 c54183ce-b165-4e4a-9ace-57221ccc13da — service_id 21a1192b-abb9-45e8-bc52-c81ca4087240 is not a service in this import or the directory',
    );
    expect(run.stdout).toContain('- metadata.csv is listed in datapackage.json but missing; skipped');
  });

  it('finds everything unchanged on a second run', SLOW, async () => {
    const run = await runCli(['resources', 'import', HSDS_11, '--org', 'riverside']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(line('organization', 10, 0, 0, 10, 0));
    expect(run.stdout).toMatch(line('service', 13, 0, 0, 13, 0));
    expect(run.stdout).toMatch(line('phone', 5, 0, 0, 3, 2));
  });

  it('exits 1 when nothing could be read, and 2 for an unknown organisation', SLOW, async () => {
    const nothing = await runCli(['resources', 'import', join(dataDir, 'nowhere')]);
    expect(nothing.code).toBe(1);
    expect(nothing.stdout).toMatch(/nowhere does not exist/);
    expect(nothing.stderr).toMatch(/Nothing was imported\./);
    const unknown = await runCli(['resources', 'import', HSDS_11, '--org', 'elsewhere']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no organisation with the slug "elsewhere"/);
  });

  it('exports an HSDS 3.0 datapackage that imports again under another source', SLOW, async () => {
    expect((await runCli(['resources', 'import', HSDS_30_CSV, '--source', 'example'])).code).toBe(0);
    const dir = join(dataDir, 'export');
    const run = await runCli(['resources', 'export', dir]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /^HSDS 3\.0 datapackage of organisation "riverside" written to .*export: \d+ rows in 22 files$/m,
    );
    expect(run.stdout).toMatch(/^service: 14$/m);
    expect(existsSync(join(dir, 'datapackage.json'))).toBe(true);
    const again = await runCli(['resources', 'import', dir, '--source', 'copy']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(line('service', 14, 14, 0, 0, 0));
    expect(again.stdout).not.toMatch(/Rejected rows/);
  });
});
