import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, MIGRATIONS_DIR, openDatabase } from '../../db/client.ts';
import { createPostgresDatabase, testEngine } from '../../test/database.ts';
import { auditChainHead, auditEvents } from '../platform.tables.ts';
import { allRows, entry, expectWholeLanes, GENESIS } from './audit.fixtures.ts';
import { appendAudit, verifyAuditChain } from './audit.service.ts';

// Migration 0007 (decision 013): a chain kept before lanes becomes lane 1 as it is, and still verifies.

describe(`migrating a chain kept before lanes (0007) on ${testEngine}`, () => {
  let database: Database;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    if (testEngine === 'postgres') {
      const pgDatabase = await createPostgresDatabase();
      database = await openDatabase({ kind: 'postgres', url: pgDatabase.url }, { poolSize: 2 });
      drop = async () => {
        await database.close();
        await pgDatabase.drop();
      };
    } else {
      database = await openDatabase({ kind: 'pglite', dataDir: 'memory://' });
      drop = () => database.close();
    }
  }, 120_000);
  afterAll(() => drop());

  it('puts the existing records in lane 1 as they are, and they still verify', async () => {
    // The migrations up to 0006, from a copy of the folder whose journal stops there.
    const folder = mkdtempSync(join(tmpdir(), 'kith-migrations-'));
    try {
      cpSync(MIGRATIONS_DIR, folder, { recursive: true });
      const journalFile = join(folder, 'meta', '_journal.json');
      const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
      const upTo = journal.entries.findIndex((e) => e.tag === '0007_audit_chain_lanes');
      expect(upTo).toBeGreaterThan(0);
      journal.entries = journal.entries.slice(0, upTo);
      writeFileSync(journalFile, JSON.stringify(journal));
      if (database.kind === 'postgres') await migratePg(database.db as never, { migrationsFolder: folder });
      else await migratePglite(database.db as never, { migrationsFolder: folder });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
    expect(await database.migrationsCurrent()).toBe(false);

    // The single chain of before: consecutive seq numbers and one head.
    await appendAudit(database.db, entry('old.1'), entry('old.2'));
    for (let i = 3; i <= 5; i++) await appendAudit(database.db, entry(`old.${i}`));
    const old = await database.query<{ seq: string; hash: string }>(
      'select seq, hash from audit_events order by seq',
    );
    expect(old.map((r) => Number(r.seq))).toEqual([1, 2, 3, 4, 5]);
    expect(await database.query('select id from audit_chain_head')).toHaveLength(1);

    await database.migrate();
    expect(await database.migrationsCurrent()).toBe(true);
    const rows = await allRows(database);
    expect(rows.map((r) => [r.seq, r.chain, r.chainSeq])).toEqual([1, 2, 3, 4, 5].map((n) => [n, 1, n]));
    expect(rows.map((r) => r.hash)).toEqual(old.map((r) => r.hash));
    const heads = await database.db.select().from(auditChainHead).orderBy(asc(auditChainHead.id));
    expect(heads).toEqual([
      { id: 1, seq: 5, hash: old[4]!.hash },
      ...[2, 3, 4, 5, 6, 7, 8].map((id) => ({ id, seq: 0, hash: GENESIS })),
    ]);
    expect(await verifyAuditChain(database.db)).toEqual({ ok: true, checked: 5 });

    // New records follow the old ones in seq, in whichever lane, and the trail is append-only again.
    await appendAudit(database.db, entry('new.1'));
    const [added] = await database.db.select().from(auditEvents).where(eq(auditEvents.action, 'new.1'));
    expect(added!.seq).toBe(6);
    expect(added!.chainSeq).toBe(added!.chain === 1 ? 6 : 1);
    await expectWholeLanes(database);
    expect(await verifyAuditChain(database.db)).toEqual({ ok: true, checked: 6 });
    await expect(database.query('update audit_events set reason = null where seq = 1')).rejects.toThrow(
      /append-only/,
    );
  });
});
