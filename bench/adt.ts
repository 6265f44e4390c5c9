// npm run bench -- adt: the ADT feed (issue 6) under an interface engine's load, over real MLLP.
//
// 1. A fresh database (`kith_bench_adt` on the server of BENCH_DATABASE_URL / DATABASE_URL, else PGlite in a
//    temporary directory) with one organisation and its feed.
// 2. Profiles the statements one message of each event issues (the ingest service in this process with a
//    query listener): the round trips per message.
// 3. Starts the MLLP listener as its own process (`kith mllp`, HL7_PORT=0) and sends generated ADT messages
//    with @medplum/hl7's Hl7Client, each connection waiting for each ACK before the next message, as interface
//    engines do: first on one connection, then on four (fresh patients each time). A patient's messages go
//    in order on one connection: A01 admit, A08 update, A02 transfer, A03 discharge.
// Prints one JSON line per run: messages/s, ACK p50/p95/p99 (ms), outcomes.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Hl7Message as MedplumMessage } from '@medplum/core';
import { Hl7Client } from '@medplum/hl7';
import pg from 'pg';
import { type Database, openDatabase } from '../server/db/client.ts';
import { hl7Feeds } from '../server/modules/hl7/hl7.tables.ts';
import { ingestHl7, invalidateHl7Routing } from '../server/modules/hl7/ingest.service.ts';
import { organizations } from '../server/platform/platform.tables.ts';
import { note, percentile } from './replay.ts';

const MESSAGES = Number(process.env.BENCH_ADT_MESSAGES ?? 50_000);
const CONNECTIONS = Number(process.env.BENCH_ADT_CONNECTIONS ?? 4);
const TARGET_RPS = 1_500;
const TARGET_P99_MS = 50;
const EVENTS = ['A01', 'A08', 'A02', 'A03'] as const;

const FAMILY = [
  'Garcia',
  'Nguyen',
  'Smith',
  "O'Brien",
  'Okafor',
  'Kowalski',
  'Haddad',
  'Silva',
  'Chen',
  'Murphy',
];
const GIVEN = ['Maria', 'James', 'Aisha', 'Wei', 'Patrick', 'Fatima', 'John', 'Ana', 'Kofi', 'Rose'];
const UNITS = ['4W', '5E', '6N', 'ICU', 'MED'];

const ts = (ms: number) => new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);

/** The n-th patient's message for one event, in the shape Epic-like engines send. */
export function adtBenchMessage(
  run: string,
  n: number,
  event: (typeof EVENTS)[number],
  base: number,
): string {
  const mrn = `${run}${String(n).padStart(7, '0')}`;
  const at = base + n * 1000 + EVENTS.indexOf(event) * 3_600_000;
  const unit = UNITS[n % UNITS.length]!;
  const room = event === 'A02' ? `${(n % 40) + 500}` : `${(n % 40) + 100}`;
  const age = 20 + (n % 75);
  const birth = `${2026 - age}${String((n % 12) + 1).padStart(2, '0')}${String((n % 28) + 1).padStart(2, '0')}`;
  const sex = n % 2 ? 'F' : 'M';
  const family = FAMILY[n % FAMILY.length]!.replace("'", '');
  const given = GIVEN[(n * 7) % GIVEN.length]!;
  const pv1 = [
    'PV1',
    '1',
    'I',
    `${event === 'A02' ? UNITS[(n + 1) % UNITS.length] : unit}^${room}^${n % 2 ? 'A' : 'B'}`,
    n % 3 ? 'E' : 'R',
    '',
    event === 'A02' ? `${unit}^${(n % 40) + 100}^A` : '',
    `${1000 + (n % 50)}^Attending^Ann`,
    '',
    '',
    'MED',
    '',
    '',
    '',
    n % 4 ? '7' : '1',
    '',
    '',
    '',
    '',
    `V${mrn}`,
  ];
  while (pv1.length < 45) pv1.push('');
  pv1[36] = event === 'A03' ? '01' : '';
  pv1[44] = ts(base + n * 1000);
  pv1.push(event === 'A03' ? ts(at) : '');
  return [
    `MSH|^~\\&|EPIC|BENCHFAC|KITH|KITH|${ts(at)}||ADT^${event}^ADT_A01|${run}-${n}-${event}|P|2.5.1`,
    `EVN|${event}|${ts(at)}`,
    `PID|1||${mrn}^^^BENCH^MR||${family}^${given}^Q||${birth}|${sex}|||${n % 900} Main St^^Boston^MA^02118||^PRN^PH^^^617^555${String(n % 10000).padStart(4, '0')}|||||||||||`,
    pv1.join('|'),
  ].join('\r');
}

/** The messages of `patients` patients, split over `connections`: a patient's messages in order, on one. */
function plan(run: string, patients: number, connections: number, base: number): string[][] {
  const lanes: string[][] = Array.from({ length: connections }, () => []);
  // Round by round: every patient of a lane is admitted before the first is updated, like a census.
  for (let c = 0; c < connections; c++) {
    const mine: number[] = [];
    for (let n = c; n < patients; n += connections) mine.push(n);
    const chunk = 250;
    for (let i = 0; i < mine.length; i += chunk) {
      const group = mine.slice(i, i + chunk);
      for (const event of EVENTS) for (const n of group) lanes[c]!.push(adtBenchMessage(run, n, event, base));
    }
  }
  return lanes;
}

export interface Target {
  kind: 'postgres' | 'pglite';
  url?: string;
  dataDir?: string;
  drop(): Promise<void>;
}

/** A fresh database named `name` on BENCH_DATABASE_URL's server (else PGlite in a temporary directory). */
export async function freshTarget(
  name = process.env.BENCH_ADT_DATABASE_NAME ?? 'kith_bench_adt',
): Promise<Target> {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
  if (url) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(url);
    u.pathname = `/${name}`;
    return {
      kind: 'postgres',
      url: u.toString(),
      drop: async () => {
        if (process.env.BENCH_KEEP === 'yes') return;
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      },
    };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'kith-bench-adt-'));
  return { kind: 'pglite', dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
}

/**
 * The bench's organisations: Riverside with the BENCHFAC feed (MRNs under BENCH), and a second one, so that
 * routing goes through the feed as in a shared installation. Returns Riverside's id.
 */
export async function seedFeed(db: Database['db']): Promise<string> {
  const [org] = await db
    .insert(organizations)
    .values({ slug: 'bench-riverside', name: 'Riverside (bench)', timeZone: 'America/New_York' })
    .returning();
  await db.insert(organizations).values({ slug: 'bench-other', name: 'Other (bench)' });
  await db
    .insert(hl7Feeds)
    .values({ organizationId: org!.id, sendingFacility: 'BENCHFAC', assigningAuthority: 'BENCH' });
  return org!.id;
}

export const open = (t: Target, onQuery?: (text: string) => void): Promise<Database> =>
  openDatabase(
    t.kind === 'postgres'
      ? { kind: 'postgres', url: t.url! }
      : { kind: 'pglite', dataDir: join(t.dataDir!, 'pgdata') },
    {
      poolSize: 4,
      onQuery: onQuery ? (text) => onQuery(text) : undefined,
    },
  );

/** The statements one message of each event issues, from storing it to its commit. */
async function profile(
  t: Target,
): Promise<Record<string, { statements: number; kinds: Record<string, number> }>> {
  let log: string[] = [];
  const database = await open(t, (text) => log.push(text));
  try {
    invalidateHl7Routing(database.db);
    await ingestHl7(database.db, adtBenchMessage('P', 999_999, 'A01', Date.UTC(2026, 0, 1)), {
      transport: 'mllp',
    }); // warm the routing cache
    const out: Record<string, { statements: number; kinds: Record<string, number> }> = {};
    for (const event of EVENTS) {
      log = [];
      const result = await ingestHl7(database.db, adtBenchMessage('P', 1, event, Date.UTC(2026, 0, 1)), {
        transport: 'mllp',
      });
      const kinds: Record<string, number> = {};
      for (const s of log) {
        const word = s.trim().split(/\s+/)[0]!.toLowerCase();
        const table = /(?:into|from|update)\s+"?([a-z_]+)"?/i.exec(s)?.[1];
        const key = `${word}${table ? ` ${table}` : ''}`;
        kinds[key] = (kinds[key] ?? 0) + 1;
      }
      out[event] = { statements: log.length, kinds };
      if (result.outcome !== 'applied')
        note(`profile: ${event} was ${result.outcome} ${JSON.stringify(result.errors)}`);
    }
    return out;
  } finally {
    await database.close();
  }
}

async function startListener(t: Target): Promise<{ port: number; stop: () => Promise<void> }> {
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    KITH_ALLOW_EMBEDDED_IN_PRODUCTION: 'yes',
    LOG_LEVEL: 'warn',
    HL7_PORT: '0',
    HOST: '127.0.0.1',
    SESSION_SECRET: 'bench-session-secret-that-is-long-enough-0123456789',
    ...(t.kind === 'postgres' ? { DATABASE_URL: t.url! } : { DATABASE_URL: '', KITH_DATA_DIR: t.dataDir! }),
  };
  const child = spawn(process.execPath, ['server/cli/main.ts', 'mllp'], {
    cwd: join(import.meta.dirname, '..'),
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /port (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`kith mllp exited with ${code}: ${out}`)));
  });
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function send(port: number, lanes: string[][]) {
  const prepared = lanes.map((lane) => lane.map((text) => MedplumMessage.parse(text)));
  const latencies: number[] = [];
  const codes: Record<string, number> = {};
  const clients = prepared.map(() => new Hl7Client({ host: '127.0.0.1', port, keepAlive: true }));
  const started = performance.now();
  await Promise.all(
    prepared.map(async (lane, i) => {
      const client = clients[i]!;
      for (const m of lane) {
        const t0 = performance.now();
        const ack = await client.sendAndWait(m);
        latencies.push(performance.now() - t0);
        const code = ack.getSegment('MSA')?.getField(1)?.toString() ?? '?';
        codes[code] = (codes[code] ?? 0) + 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(clients.map((c) => c.close()));
  latencies.sort((a, b) => a - b);
  return { seconds, latencies, codes };
}

const round = (v: number, digits = 1) => Math.round(v * 10 ** digits) / 10 ** digits;

export async function runAdtBench(): Promise<void> {
  const t = await freshTarget();
  note(
    `adt bench: ${t.kind}, ${MESSAGES} messages per run, ${cpus().length} CPUs, ${Math.round(totalmem() / 2 ** 30)} GB`,
  );
  try {
    const setup = await open(t);
    await setup.migrate();
    await seedFeed(setup.db);
    await setup.close();

    const statements = await profile(t);
    process.stdout.write(
      `${JSON.stringify({ scenario: 'adt-statements-per-message', engine: t.kind, statements })}\n`,
    );

    const patients = Math.ceil(MESSAGES / EVENTS.length);
    const base = Date.UTC(2026, 0, 5, 6);
    for (const [run, connections] of [
      ['S', 1],
      ['M', CONNECTIONS],
    ] as const) {
      const listener = await startListener(t);
      try {
        // Warm-up: 200 messages of other patients.
        await send(listener.port, plan(`W${run}`, 50, connections, base));
        const result = await send(listener.port, plan(run, patients, connections, base));
        const total = result.latencies.length;
        const line = {
          scenario: `adt-mllp-${connections}-connection${connections > 1 ? 's' : ''}`,
          engine: t.kind,
          messages: total,
          patients,
          connections,
          seconds: round(result.seconds),
          messagesPerSecond: round(total / result.seconds, 0),
          ackP50: round(percentile(result.latencies, 0.5), 2),
          ackP95: round(percentile(result.latencies, 0.95), 2),
          ackP99: round(percentile(result.latencies, 0.99), 2),
          acks: result.codes,
          targets:
            connections > 1
              ? {
                  [`atLeast${TARGET_RPS}PerSecond`]: total / result.seconds >= TARGET_RPS,
                  [`p99Under${TARGET_P99_MS}ms`]: percentile(result.latencies, 0.99) < TARGET_P99_MS,
                }
              : {},
        };
        process.stdout.write(`${JSON.stringify(line)}\n`);
      } finally {
        await listener.stop();
      }
    }
    const check = await open(t);
    const outcomes = await check.query<{ outcome: string; n: number }>(
      'select outcome, count(*)::int as n from hl7_messages group by outcome order by outcome',
    );
    const counts = await check.query<{ patients: number; encounters: number }>(
      'select (select count(*)::int from patients) as patients, (select count(*)::int from encounters) as encounters',
    );
    await check.close();
    process.stdout.write(
      `${JSON.stringify({ scenario: 'adt-stored', engine: t.kind, outcomes, ...counts[0] })}\n`,
    );
  } finally {
    await t.drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runAdtBench();
