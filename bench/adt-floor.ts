// The floor of the ADT feed on this machine (not part of `npm run bench`): the least work any implementation
// must do for an A08 of a known stay, over the same MLLP server and the same client as `npm run bench -- adt`,
// with none of Kith's domain code in between: parse the message, then four statements on one pooled
// connection (begin; store the raw message and read + lock the patient and visit in one CTE; update the visit,
// write one timeline line and append to the real audit chain in one CTE; commit), then the ACK.
// Whatever the applier does beyond this, it cannot go faster than this. It prints messages/s on one and on
// four connections, and the CPU seconds of the listener, the client and PostgreSQL per message.
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test ./node_modules/.bin/node bench/adt-floor.ts
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Hl7Message as MedplumMessage } from '@medplum/core';
import { Hl7Client } from '@medplum/hl7';
import pg from 'pg';
import pino from 'pino';
import { ackSourceOf, buildAck } from '../domain/hl7/ack.ts';
import { Hl7Message } from '../domain/hl7/message.ts';
import { openDatabase } from '../server/db/client.ts';
import { ingestHl7 } from '../server/modules/hl7/ingest.service.ts';
import { MllpServer } from '../server/modules/hl7/mllp.server.ts';
import { adtBenchMessage, seedFeed } from './adt.ts';
import { note } from './replay.ts';

const PATIENTS = 4_000;
const PER_RUN = Number(process.env.BENCH_ADT_FLOOR_MESSAGES ?? 12_000);
const base = Date.UTC(2026, 0, 5, 6);

function databaseUrl(): string {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) throw new Error('BENCH_DATABASE_URL (PostgreSQL) is needed');
  const u = new URL(url);
  u.pathname = '/kith_bench_adt_floor';
  return u.toString();
}

/** The listener: our MLLP server, our parser and ACK builder, and the four statements. */
async function serve(url: string, organizationId: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const server = new MllpServer({
    port: 0,
    host: '127.0.0.1',
    logger: pino({ level: 'warn' }),
    handle: async (raw) => {
      const message = Hl7Message.parse(raw);
      const mrn = message.segment('PID')!.get(3);
      const visitNumber = message.segment('PV1')!.get(19);
      const id = randomUUID();
      const client = await pool.connect();
      try {
        await client.query('begin');
        const found = await client.query({
          name: 'floor-read',
          text: `with m as (insert into hl7_messages (id, organization_id, transport, raw, sending_application,
              sending_facility, control_id, message_type, trigger_event, version, outcome, ack_code, errors)
            values ($1, $2, 'mllp', $3, $4, $5, $6, 'ADT^A08', 'A08', '2.5.1', 'applied', 'AA', '[]')
            on conflict do nothing returning id)
            select (select count(*) from m)::int as stored, p.id as patient_id, e.id as encounter_id
            from patients p join encounters e on e.patient_id = p.id and e.visit_number = $8
            where p.organization_id = $2 and p.mrn = $7 for update of p, e`,
          values: [
            id,
            organizationId,
            raw,
            message.sendingApplication,
            message.sendingFacility,
            message.controlId,
            mrn,
            visitNumber,
          ],
        });
        const row = found.rows[0] as { patient_id: string; encounter_id: string };
        await client.query({
          name: 'floor-write',
          text: `with u as (update encounters set room = $2, version = version + 1, updated_at = now() where id = $1),
            t as (insert into timeline_events (id, organization_id, patient_id, kind, occurred_at, summary)
              values ($3, $4, $5, 'encounter', now(), 'Visit updated')),
            i as (update hl7_messages set patient_id = $5, encounter_id = $1, applied_at = now() where id = $6)
            select kith_audit_append($7::jsonb)`,
          values: [
            row.encounter_id,
            message.segment('PV1')!.get(3, 2),
            randomUUID(),
            organizationId,
            row.patient_id,
            id,
            JSON.stringify([
              {
                id: randomUUID(),
                organization_id: organizationId,
                actor_label: 'ADT feed',
                action: 'encounter.update',
                outcome: 'success',
                patient_id: row.patient_id,
                record_kind: 'encounter',
                record_id: row.encounter_id,
              },
            ]),
          ],
        });
        await client.query('commit');
      } catch (error) {
        await client.query('rollback').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
      return buildAck(ackSourceOf(message), { code: 'AA', errors: [], controlId: `F${id.slice(0, 18)}` });
    },
  });
  await server.start();
  process.on('SIGTERM', () => {
    const u = process.cpuUsage();
    process.stdout.write(`cpu ${(u.user + u.system) / 1e6}\n`);
    process.exit(0);
  });
  process.stdout.write(`port ${server.port}\n`);
}

/** CPU seconds PostgreSQL's processes used (the postmaster's reaped children and the live ones). */
async function postgresCpuSeconds(admin: pg.Client): Promise<number | null> {
  const { readFileSync, readdirSync } = await import('node:fs');
  try {
    const { rows } = await admin.query<{ pid: number }>('select pg_backend_pid() as pid');
    const stat = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const postmaster = Number(stat(rows[0]!.pid)[1]); // field 4: the parent
    let ticks = 0;
    const pm = stat(postmaster);
    ticks += Number(pm[11]) + Number(pm[12]) + Number(pm[13]) + Number(pm[14]);
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const s = stat(Number(entry));
        if (Number(s[1]) === postmaster) ticks += Number(s[11]) + Number(s[12]);
      } catch {}
    }
    return ticks / 100;
  } catch {
    return null; // PostgreSQL on another machine: not measured
  }
}

async function main(): Promise<void> {
  const url = databaseUrl();
  const admin = new pg.Client({
    connectionString: process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL,
  });
  await admin.connect();
  await admin.query('drop database if exists kith_bench_adt_floor with (force)');
  await admin.query('create database kith_bench_adt_floor');
  const database = await openDatabase({ kind: 'postgres', url }, { poolSize: 4 });
  await database.migrate();
  const organizationId = await seedFeed(database.db);
  note(`adt floor: admitting ${PATIENTS} patients through the real applier`);
  await Promise.all(
    [0, 1, 2, 3].map(async (lane) => {
      for (let n = lane; n < PATIENTS; n += 4)
        await ingestHl7(database.db, adtBenchMessage('F', n, 'A01', base), { transport: 'mllp' });
    }),
  );
  await database.close();

  for (const connections of [1, 4]) {
    const child = spawn(process.execPath, [import.meta.filename, 'serve', url, organizationId], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    const port = await new Promise<number>((resolve) =>
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /port (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      }),
    );
    const per = Math.ceil(PER_RUN / connections);
    const lanes = Array.from({ length: connections }, (_, k) =>
      Array.from({ length: per }, (_, i) =>
        MedplumMessage.parse(
          adtBenchMessage('F', (k * per + i) % PATIENTS, 'A08', base).replace(
            /\|F-\d+-A08\|/,
            `|FL${connections}-${k}-${i}|`,
          ),
        ),
      ),
    );
    const clients = lanes.map(() => new Hl7Client({ host: '127.0.0.1', port, keepAlive: true }));
    const pgBefore = await postgresCpuSeconds(admin);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      lanes.map(async (lane, k) => {
        for (const m of lane) await clients[k]!.sendAndWait(m);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const client = process.cpuUsage(cpuBefore);
    await Promise.all(clients.map((c) => c.close()));
    const listener = await new Promise<number>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /cpu ([\d.]+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.kill('SIGTERM');
    });
    await new Promise((r) => setTimeout(r, 500));
    const pgAfter = await postgresCpuSeconds(admin);
    const total = connections * per;
    const ms = (s: number) => Math.round((s * 1000 * 1000) / total) / 1000;
    process.stdout.write(
      `${JSON.stringify({
        scenario: `adt-floor-${connections}`,
        messages: total,
        connections,
        messagesPerSecond: Math.round(total / seconds),
        cpuMsPerMessage: {
          client: ms((client.user + client.system) / 1e6),
          listener: ms(listener),
          ...(pgBefore !== null && pgAfter !== null ? { postgres: ms(pgAfter - pgBefore) } : {}),
        },
      })}\n`,
    );
  }
  if (process.env.BENCH_KEEP !== 'yes')
    await admin.query('drop database if exists kith_bench_adt_floor with (force)');
  await admin.end();
}

if (process.argv[2] === 'serve') await serve(process.argv[3]!, process.argv[4]!);
else await main();
