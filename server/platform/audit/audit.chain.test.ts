import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
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
import { allRows, asOwner, entry, expectWholeLanes, lanesOf, type Row } from './audit.fixtures.ts';
import { appendAudit, verifyAuditChain } from './audit.service.ts';

const CLI = join(import.meta.dirname, '..', '..', 'cli', 'main.ts');
const SECRET = 'audit-chain-test-session-secret-0123456789abcdef';
/** The lane with the most records, and how many records the lanes before it hold (verify walks lanes in turn). */
async function busiestLane(database: Database) {
  const rows = await allRows(database);
  const lanes = lanesOf(rows);
  const [lane, records] = [...lanes].sort((a, b) => b[1].length - a[1].length)[0]!;
  return { lane, records, before: rows.filter((r) => r.chain < lane).length, total: rows.length };
}

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

/** A record as kith_audit_append takes it, for a plain connection. */
const record = (action: string) =>
  JSON.stringify([{ id: randomUUID(), actor_label: 'audit-test', action, outcome: 'success' }]);

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

describe(`the audit hash chain on ${testEngine}`, () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    for (let i = 1; i <= 5; i++) await appendAudit(database.db, entry(`step.${i}`));
  });
  afterAll(() => database.drop());

  it('numbers each lane 1, 2, 3... and links each record to the one before it in its lane', async () => {
    await appendAudit(database.db, entry('batch.a'), entry('batch.b'));
    const rows = await allRows(database);
    expect(new Set(rows.map((r) => r.seq)).size).toBe(rows.length);
    await expectWholeLanes(database);
    // One append's records go to one lane, one after the other.
    const [a, b] = [rows.find((r) => r.action === 'batch.a')!, rows.find((r) => r.action === 'batch.b')!];
    expect(b.chain).toBe(a.chain);
    expect(b.chainSeq).toBe(a.chainSeq + 1);
    expect(b.prevHash).toBe(a.hash);
  });

  it('keeps every lane an unbroken chain when 20 appends run in parallel', async () => {
    const before = (await allRows(database)).length;
    // Each append holds its lane a moment, as a write does until it commits: the others take other lanes.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        database.db.transaction(async (tx) => {
          await appendAudit(tx, entry(`parallel.${i}`));
          await tx.execute(sql`select pg_sleep(0.02)`);
        }),
      ),
    );
    const rows = await allRows(database);
    expect(rows).toHaveLength(before + 20);
    const parallel = rows.filter((r) => r.action.startsWith('parallel.'));
    expect(new Set(parallel.map((r) => r.action)).size).toBe(20);
    await expectWholeLanes(database);
    const lanesUsed = new Set(parallel.map((r) => r.chain)).size;
    // PGlite has one connection, so one lane; PostgreSQL's pool of 4 spreads them.
    if (testEngine === 'postgres') expect(lanesUsed).toBeGreaterThan(1);
    else expect(lanesUsed).toBe(1);
    expect(await verifyAuditChain(database.db)).toEqual({ ok: true, checked: rows.length });
  });

  it.skipIf(testEngine !== 'postgres')(
    'keeps a transaction that appends twice to the one lane it holds',
    async () => {
      const [a, b] = [await connect(database.url!), await connect(database.url!)];
      let own = 0;
      try {
        own = 1 + ((await a.query('select pg_backend_pid() as pid')).rows[0].pid % 8);
        await a.query('begin');
        await b.query('begin');
        // Another writer holds this connection's own lane: the first append takes another one.
        await b.query('select id from audit_chain_head where id = $1 for update', [own]);
        await a.query('select kith_audit_append($1::jsonb)', [record('sticky.1')]);
        await b.query('commit');
        // Its own lane is free again, but the transaction keeps to the lane it holds.
        await a.query('select kith_audit_append($1::jsonb)', [record('sticky.2')]);
        await a.query('commit');
      } finally {
        await a.end();
        await b.end();
      }
      const rows = await allRows(database);
      const [one, two] = [
        rows.find((r) => r.action === 'sticky.1')!,
        rows.find((r) => r.action === 'sticky.2')!,
      ];
      expect(one.chain).not.toBe(own);
      expect(two.chain).toBe(one.chain);
      expect(two.chainSeq).toBe(one.chainSeq + 1);
      await expectWholeLanes(database);
    },
  );

  it.skipIf(testEngine !== 'postgres')(
    'waits for its own lane when all 8 are taken, and goes on once it is free',
    async () => {
      const holders = await Promise.all(Array.from({ length: 8 }, () => connect(database.url!)));
      const waiter = await connect(database.url!);
      try {
        const held = new Map<number, pg.Client>();
        for (const [i, holder] of holders.entries()) {
          await holder.query('begin');
          await holder.query('select kith_audit_append($1::jsonb)', [record(`hold.${i}`)]);
          const lane = Number(
            (await holder.query(`select current_setting('kith.audit_lane') as lane`)).rows[0].lane,
          );
          held.set(lane, holder);
        }
        expect([...held.keys()].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
        const own = 1 + ((await waiter.query('select pg_backend_pid() as pid')).rows[0].pid % 8);
        let done = false;
        const waiting = waiter.query('select kith_audit_append($1::jsonb)', [record('waited')]).then(() => {
          done = true;
        });
        await new Promise((r) => setTimeout(r, 300));
        expect(done).toBe(false);
        for (const [lane, holder] of held) if (lane !== own) await holder.query('commit');
        await new Promise((r) => setTimeout(r, 200));
        expect(done).toBe(false);
        await held.get(own)!.query('commit');
        await waiting;
      } finally {
        for (const client of [...holders, waiter]) await client.end();
      }
      const rows = await allRows(database);
      const own = rows.find((r) => r.action === 'waited')!;
      const hold = rows.filter((r) => r.action.startsWith('hold.'));
      expect(hold).toHaveLength(8);
      expect(hold.find((r) => r.chain === own.chain)!.chainSeq).toBe(own.chainSeq - 1);
      await expectWholeLanes(database);
    },
  );

  it('verifies an intact chain, across batches too', async () => {
    const count = (await allRows(database)).length;
    expect(await verifyAuditChain(database.db)).toEqual({ ok: true, checked: count });
    expect(await verifyAuditChain(database.db, 4)).toEqual({ ok: true, checked: count });
  });

  it('names the record whose action was edited, and holds again once it is put back', async () => {
    const { lane, records, before } = await busiestLane(database);
    const edited = records[2]!;
    await asOwner(database, `update audit_events set action = 'patient.view' where seq = ${edited.seq}`);
    expect(await verifyAuditChain(database.db)).toEqual({
      ok: false,
      checked: before + 2,
      broken: {
        seq: edited.seq,
        id: edited.id,
        chain: lane,
        chainSeq: 3,
        reason: expect.stringMatching(/edited/),
      },
    });
    expect(await verifyAuditChain(database.db, 2)).toMatchObject({ ok: false, checked: before + 2 });
    await asOwner(database, `update audit_events set action = '${edited.action}' where seq = ${edited.seq}`);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('names the record whose reason was edited', async () => {
    const { records } = await busiestLane(database);
    const edited = records[1]!;
    await asOwner(database, `update audit_events set reason = 'nothing to see' where seq = ${edited.seq}`);
    expect(await verifyAuditChain(database.db)).toMatchObject({
      ok: false,
      broken: { seq: edited.seq, chainSeq: 2 },
    });
    await asOwner(database, `update audit_events set reason = null where seq = ${edited.seq}`);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('names the lane and place of a record deleted from the middle of a lane', async () => {
    const { lane, records, before } = await busiestLane(database);
    await deleteKeeping(database, `seq = ${records[1]!.seq}`);
    expect(await verifyAuditChain(database.db)).toEqual({
      ok: false,
      checked: before + 1,
      broken: {
        seq: null,
        id: null,
        chain: lane,
        chainSeq: 2,
        reason: `record 2 of lane ${lane} is missing (deleted?)`,
      },
    });
    await putBack(database);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it("detects the last records of a lane deleted, by the lane's head", async () => {
    const { lane, records, before } = await busiestLane(database);
    const n = records.length;
    await deleteKeeping(database, `chain = ${lane} and chain_seq > ${n - 2}`);
    expect(await verifyAuditChain(database.db)).toEqual({
      ok: false,
      checked: before + n - 2,
      broken: {
        seq: null,
        id: null,
        chain: lane,
        chainSeq: n - 1,
        reason: expect.stringMatching(new RegExp(`records at the end of lane ${lane} are missing`)),
      },
    });
    await putBack(database);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('detects a head that does not name the last record of its lane', async () => {
    const { lane, records, before } = await busiestLane(database);
    await database.query(`update audit_chain_head set hash = repeat('f', 64) where id = ${lane}`);
    expect(await verifyAuditChain(database.db)).toMatchObject({
      ok: false,
      checked: before + records.length,
      broken: { seq: records.at(-1)!.seq, chain: lane, reason: expect.stringMatching(/head of lane/) },
    });
    await database.query(`update audit_chain_head set hash = '${records.at(-1)!.hash}' where id = ${lane}`);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });

  it('detects a record put in a lane that has no head', async () => {
    const total = (await allRows(database)).length;
    await database.query(
      `insert into audit_events (id, occurred_at, action, outcome, prev_hash, hash, chain, chain_seq)
       values (gen_random_uuid(), now(), 'forged', 'success', repeat('0', 64), repeat('0', 64), 9, 1)`,
    );
    const verdict = await verifyAuditChain(database.db);
    expect(verdict).toMatchObject({
      ok: false,
      checked: total,
      broken: { chain: 9, chainSeq: 1, reason: 'it is in lane 9, which has no head' },
    });
    await asOwner(database, 'delete from audit_events where chain = 9');
    expect(await verifyAuditChain(database.db)).toEqual({ ok: true, checked: total });
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

  it('exits 0 on a whole chain, then non-zero naming the edited record and its lane', {
    timeout: 120_000,
  }, async () => {
    const whole = await runCli(['audit', 'verify'], env);
    expect(whole.stderr).toBe('');
    expect(whole).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('audit chain intact: 4 records verified in 8 lanes'),
    });

    // Someone with the database owner's rights changes a record behind Kith's back.
    const database = await open();
    let edited: Row;
    let before: number;
    try {
      const rows = await allRows(database);
      edited = rows.find((r) => r.action === 'cli.two')!;
      before = rows.filter((r) => r.chain < edited.chain).length + edited.chainSeq - 1;
      await asOwner(database, `update audit_events set reason = 'edited later' where seq = ${edited.seq}`);
    } finally {
      await database.close();
    }
    const broken = await runCli(['audit', 'verify'], env);
    expect(broken.code).not.toBe(0);
    expect(broken.stderr).toContain(
      `audit chain BROKEN at record ${edited.seq} (record ${edited.chainSeq} of lane ${edited.chain}, id ${edited.id}): its content does not match its hash (edited).`,
    );
    expect(broken.stderr).toContain(`${before} records checked before it, lane by lane, are intact`);
  });
});
