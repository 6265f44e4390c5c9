import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.ts';
import { type Database, openDatabase } from '../../db/client.ts';
import { openConfiguredDatabase } from '../../db/open.ts';
import {
  createPostgresDatabase,
  createTestDatabase,
  type TestDatabase,
  testEngine,
} from '../../test/database.ts';
import { auditChainHead, auditEvents } from '../platform.tables.ts';
import { type AuditEntry, appendAudit, verifyAuditChain } from './audit.service.ts';

const CLI = join(import.meta.dirname, '..', '..', 'cli', 'main.ts');
const SECRET = 'audit-chain-test-session-secret-0123456789abcdef';
const entry = (action: string, reason: string | null = null): AuditEntry => ({
  organizationId: null,
  actorUserId: null,
  actorRole: null,
  actorLabel: 'audit-test',
  action,
  outcome: 'success',
  reason,
  detail: { patientIds: ['a', 'b'], count: 2 },
});

/** Changes the audit trail the way a database owner could: with the append-only trigger off. */
async function asOwner(database: Pick<Database, 'query'>, ...statements: string[]): Promise<void> {
  await database.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
  try {
    for (const statement of statements) await database.query(statement);
  } finally {
    await database.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only');
  }
}

const allRows = (database: Database) => database.db.select().from(auditEvents).orderBy(asc(auditEvents.seq));

/** Deletes records as an owner could, keeping a copy aside in the database (a copy through JavaScript would lose microseconds). */
async function deleteKeeping(database: Database, where: string) {
  await database.query(`create table audit_kept as select * from audit_events where ${where}`);
  await asOwner(database, `delete from audit_events where ${where}`);
}

/** Puts deleted rows back exactly as they were (inserting is allowed). */
async function putBack(database: Database) {
  await database.query('insert into audit_events select * from audit_kept');
  await database.query('drop table audit_kept');
}

describe(`the audit hash chain on ${testEngine}`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    for (let i = 1; i <= 5; i++) await appendAudit(database.db, entry(`step.${i}`));
  });
  afterAll(() => database.drop());

  it('links each record to the one before it with consecutive seq numbers', async () => {
    await appendAudit(database.db, entry('batch.a'), entry('batch.b'));
    const rows = await allRows(database);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    expect(rows[0]!.prevHash).toBe('0'.repeat(64));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prevHash).toBe(rows[i - 1]!.hash);
    const [head] = await database.db.select().from(auditChainHead);
    expect(head).toEqual({ id: 1, seq: rows.length, hash: rows.at(-1)!.hash });
  });

  it('stays one unbroken chain when 20 appends run in parallel', async () => {
    const before = (await allRows(database)).length;
    await Promise.all(Array.from({ length: 20 }, (_, i) => appendAudit(database.db, entry(`parallel.${i}`))));
    const rows = await allRows(database);
    expect(rows).toHaveLength(before + 20);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prevHash).toBe(rows[i - 1]!.hash);
    expect(new Set(rows.filter((r) => r.action.startsWith('parallel.')).map((r) => r.action)).size).toBe(20);
    expect(await verifyAuditChain(database.db)).toEqual({ ok: true, checked: rows.length });
  });

  it('verifies an intact chain, across batches too', async () => {
    const count = (await allRows(database)).length;
    expect(await verifyAuditChain(database.db)).toEqual({ ok: true, checked: count });
    expect(await verifyAuditChain(database.db, 4)).toEqual({ ok: true, checked: count });
  });

  it('names the record whose action was edited, and holds again once it is put back', async () => {
    const [record4] = await database.db.select().from(auditEvents).where(eq(auditEvents.seq, 4));
    await asOwner(database, `update audit_events set action = 'patient.view' where seq = 4`);
    const verdict = await verifyAuditChain(database.db);
    expect(verdict).toMatchObject({
      ok: false,
      checked: 3,
      broken: { seq: 4, id: record4!.id, reason: expect.stringMatching(/edited/) },
    });
    await asOwner(database, `update audit_events set action = '${record4!.action}' where seq = 4`);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('names the record whose reason was edited', async () => {
    await asOwner(database, `update audit_events set reason = 'nothing to see' where seq = 2`);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: false, broken: { seq: 2 } });
    await asOwner(database, 'update audit_events set reason = null where seq = 2');
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('names the missing seq when a middle record is deleted', async () => {
    await deleteKeeping(database, 'seq = 3');
    const verdict = await verifyAuditChain(database.db);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) {
      expect(verdict.checked).toBe(2);
      expect(verdict.broken.reason).toMatch(/record 3 is missing/);
    }
    await putBack(database);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('detects the last records deleted by the chain head', async () => {
    const rows = await allRows(database);
    await deleteKeeping(database, `seq > ${rows.length - 2}`);
    expect(await verifyAuditChain(database.db)).toEqual({
      ok: false,
      checked: rows.length - 2,
      broken: {
        seq: rows.length - 1,
        id: null,
        reason: expect.stringMatching(/end of the chain are missing/),
      },
    });
    await putBack(database);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});

function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? tmpdir(),
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        ...env,
      },
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

describe(`npm run kith -- audit verify on ${testEngine}`, () => {
  let env: Record<string, string>;
  let cleanup: () => Promise<void>;
  let open: () => Promise<Database>;

  beforeAll(async () => {
    if (testEngine === 'postgres') {
      const pgDatabase = await createPostgresDatabase();
      env = { DATABASE_URL: pgDatabase.url, SESSION_SECRET: SECRET };
      open = () => openDatabase({ kind: 'postgres', url: pgDatabase.url }, { poolSize: 1 });
      cleanup = pgDatabase.drop;
    } else {
      const dataDir = mkdtempSync(join(tmpdir(), 'kith-audit-cli-'));
      env = { KITH_DATA_DIR: dataDir };
      open = () => openConfiguredDatabase(loadConfig({ KITH_DATA_DIR: dataDir }), { migrate: false });
      cleanup = async () => rmSync(dataDir, { recursive: true, force: true });
    }
    // The CLI itself creates the database (and its first audit record); a few more records follow.
    const created = await runCli(
      [
        'create-user',
        '--email',
        'ines.admin@north.example',
        '--password',
        'lantern-harbor-quiet-9147',
        '--role',
        'admin',
        '--org',
        'north',
      ],
      env,
    );
    expect(created, created.stderr).toMatchObject({ code: 0 });
    const database = await open();
    try {
      await appendAudit(database.db, entry('cli.one'), entry('cli.two'), entry('cli.three'));
    } finally {
      await database.close();
    }
  }, 120_000);
  afterAll(() => cleanup());

  it('exits 0 on a whole chain, then non-zero naming the edited record', { timeout: 120_000 }, async () => {
    const whole = await runCli(['audit', 'verify'], env);
    expect(whole.stderr).toBe('');
    expect(whole).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('audit chain intact: 4 records verified'),
    });

    // Someone with the database owner's rights changes record 3 behind Kith's back.
    const database = await open();
    try {
      await asOwner(database, `update audit_events set reason = 'edited later' where seq = 3`);
    } finally {
      await database.close();
    }
    const broken = await runCli(['audit', 'verify'], env);
    expect(broken.code).not.toBe(0);
    expect(broken.stderr).toMatch(/audit chain BROKEN at record 3\b/);
    expect(broken.stderr).toMatch(/2 records before it are intact/);
  });
});
