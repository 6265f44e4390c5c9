// npm run bench: the social worker's hot paths on a hospital-sized department, through real HTTP.
//
// 1. Loads the generated set once (bench/generate.ts: 100,000 patients, 1,000,000 timeline entries).
// 2. Builds the app in this process with a query listener and sends each scenario's requests once
//    (app.inject) to capture the statements they issue; replays them alone, in order, on one connection,
//    to get the p50 of "the same SQL run alone".
// 3. Starts the real server as its own process and loads it over loopback with autocannon: one connection
//    for latency (p50/p95/p99, so that no request waits behind another), then several for throughput.
// Prints one JSON line per scenario. Engine: PostgreSQL when BENCH_DATABASE_URL or DATABASE_URL is set
// (a `kith_bench` database on that server), else PGlite under data/bench-pglite.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { TZDate } from '@date-fns/tz';
import autocannon from 'autocannon';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import type { Database } from '../server/db/client.ts';
import {
  BENCH_PASSWORD,
  BENCH_SEED,
  type BenchTarget,
  benchSizes,
  benchTarget,
  ensureBenchData,
  openBench,
} from './generate.ts';
import {
  type Capture,
  explainSlowest,
  note,
  percentile,
  type Replay,
  replay,
  type Statement,
} from './replay.ts';

const duration = Number(process.env.BENCH_SECONDS ?? 10);
const loadConnections = Number(process.env.BENCH_CONNECTIONS ?? 8);
const TARGET_P95_MS = 25;
const TARGET_RATIO = 1.5;

interface Scenario {
  name: string;
  as: 'worker' | 'supervisor';
  paths: string[];
  /** The p95 target in ms when not TARGET_P95_MS (issue 5: 30 ms for directory search). */
  p95TargetMs?: number;
}

/**
 * Directory search (issue 5) over the 100,000 generated services: what a worker types with a need, a ZIP
 * and "open now" (words from common to rare, ZIPs from Boston to Springfield), and the bare common word.
 */
const DIRECTORY_ZIPS = [
  '02118',
  '02119',
  '02121',
  '02124',
  '02130',
  '02135',
  '02139',
  '02145',
  '02150',
  '01608',
  '01103',
  '02301',
];
const DIRECTORY_WORDS = [
  ['food', 'food-insecurity'],
  ['pantry', 'food-insecurity'],
  ['shelter', 'homelessness'],
  ['fuel', 'utility-insecurity'],
  ['legal', 'housing-instability'],
  ['meals', 'food-insecurity'],
] as const;
const directoryScenarios = (): Scenario[] => [
  {
    name: 'resource-search-combined',
    as: 'worker',
    p95TargetMs: 30,
    paths: DIRECTORY_ZIPS.flatMap((zip, i) =>
      [0, 1, 2].map((k) => {
        const [q, domain] = DIRECTORY_WORDS[(i + k * 2) % DIRECTORY_WORDS.length]!;
        return `/api/resources/search?q=${q}&domain=${domain}&zip=${zip}&radiusMiles=5&openNow=true`;
      }),
    ),
  },
  {
    name: 'resource-search-common-word',
    as: 'worker',
    p95TargetMs: 30,
    paths: ['/api/resources/search?q=food'],
  },
];

// ---------------------------------------------------------------------------------------------------------
// Who signs in and what they ask for, chosen from the loaded data (the same every run for one data set).

/** "Jonh Smiht": two neighbouring letters swapped in each name, as people mistype them. */
export function misspell(word: string): string {
  if (word.length < 4) return word;
  const i = 1 + (word.length % (word.length - 2));
  const at = Math.min(i, word.length - 2);
  return word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
}

interface Plan {
  worker: { email: string; openCases: number };
  supervisorEmail: string;
  scenarios: Scenario[];
  /** The patient each search term is about, to tell whether search found them. */
  searchTargets: Map<string, string>;
}

async function planScenarios(database: Database): Promise<Plan> {
  // A worker with a typical caseload: the median of open cases per worker.
  const workers = await database.query<{ id: string; email: string; n: number }>(
    `select u.id, u.email, count(*)::int as n from cases c join users u on u.id = c.assigned_to
      where c.status in ('assigned', 'active') group by u.id, u.email order by n, u.email`,
  );
  const worker = workers[Math.floor(workers.length / 2)]!;
  const [supervisor] = await database.query<{ email: string }>(
    `select email from users where role = 'supervisor' order by email limit 1`,
  );
  const own = await database.query<{ id: string; given_name: string; family_name: string }>(
    `select distinct p.id, p.given_name, p.family_name from cases c join patients p on p.id = c.patient_id
      where c.assigned_to = $1 and c.status in ('assigned', 'active') order by p.id`,
    [worker.id],
  );
  const anyone = await database.query<{ id: string; given_name: string; family_name: string }>(
    `select id, given_name, family_name from patients order by md5(id::text) limit 40`,
  );
  const searchTargets = new Map<string, string>();
  const term = (p: { id: string; given_name: string; family_name: string }) => {
    const q = `${misspell(p.given_name.split(' ')[0]!)} ${misspell(p.family_name)}`;
    searchTargets.set(q, p.id);
    return `/api/patients?q=${encodeURIComponent(q)}`;
  };
  // The screening coverage report over the last whole month of admissions, in the organisation's zone.
  const [org] = await database.query<{ time_zone: string }>('select time_zone from organizations limit 1');
  const today = new TZDate(Date.now(), org!.time_zone);
  const lastMonth = new TZDate(today.getFullYear(), today.getMonth() - 1, 1, org!.time_zone);
  const monthEnd = new TZDate(today.getFullYear(), today.getMonth(), 0, org!.time_zone);
  const day = (d: TZDate) =>
    `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  return {
    worker: { email: worker.email, openCases: worker.n },
    supervisorEmail: supervisor!.email,
    searchTargets,
    scenarios: [
      { name: 'worklist', as: 'worker', paths: ['/api/worklist?page=1&pageSize=50'] },
      { name: 'search-supervisor', as: 'supervisor', paths: anyone.map(term) },
      { name: 'search-worker', as: 'worker', paths: own.map(term) },
      { name: 'chart', as: 'worker', paths: own.map((p) => `/api/patients/${p.id}/chart`) },
      {
        name: 'coverage-report',
        as: 'supervisor',
        paths: [`/api/reports/screening-coverage?from=${day(lastMonth)}&to=${day(monthEnd)}`],
      },
      ...directoryScenarios(),
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------
// The same SQL, alone: capture what one request sends (bench/replay.ts replays it on one connection).

async function captureScenarios(
  target: BenchTarget,
  env: NodeJS.ProcessEnv,
  plan: Plan,
): Promise<{ captures: Map<string, Capture[]>; found: Map<string, number> }> {
  let sink: Statement[] | null = null;
  const database = await openBench(target, {
    onQuery: (text, params) => sink?.push({ text, params: [...params] }),
  });
  const config = loadConfig(env);
  const app = await buildApp({ config, database, serveWeb: false });
  await app.ready();
  const cookies: Record<string, string> = {};
  for (const [as, email] of [
    ['worker', plan.worker.email],
    ['supervisor', plan.supervisorEmail],
  ] as const) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email, password: BENCH_PASSWORD },
    });
    if (res.statusCode !== 200) throw new Error(`sign-in of ${email} failed: ${res.statusCode} ${res.body}`);
    const session = res.cookies.find((c) => c.name === 'kith_session')!;
    cookies[as] = `kith_session=${session.value}`;
  }
  const captures = new Map<string, Capture[]>();
  const found = new Map<string, number>();
  for (const scenario of plan.scenarios) {
    const list: Capture[] = [];
    let hits = 0;
    for (const [i, url] of scenario.paths.entries()) {
      const send = () => app.inject({ method: 'GET', url, headers: { cookie: cookies[scenario.as]! } });
      if (i < 5) for (let w = 0; w < 3; w++) await send();
      const statements: Statement[] = [];
      const since = Date.now();
      sink = statements;
      const res = await send();
      // Work a request leaves running after its answer (an audit append, a session touch) still counts.
      await new Promise((r) => setTimeout(r, 30));
      sink = null;
      list.push({ url, statements, since, status: res.statusCode, body: res.body.slice(0, 300) });
      if (scenario.name.startsWith('search') && res.statusCode === 200) {
        const q = decodeURIComponent(url.split('q=')[1]!);
        const items = (res.json() as { items: { id: string }[] }).items;
        if (items.slice(0, 10).some((p) => p.id === plan.searchTargets.get(q))) hits += 1;
      }
    }
    captures.set(scenario.name, list);
    if (scenario.name.startsWith('search')) found.set(scenario.name, hits / scenario.paths.length);
  }
  await app.close();
  await database.close();
  return { captures, found };
}

// ---------------------------------------------------------------------------------------------------------
// The API under autocannon.

interface Load {
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
}

function load(
  base: string,
  cookie: string,
  paths: string[],
  connections: number,
  seconds: number,
): Promise<Load> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    let errors = 0;
    let next = 0;
    const instance = autocannon(
      {
        url: base,
        connections,
        duration: seconds,
        headers: { cookie },
        requests: [{ setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length]! }) }],
      },
      (err, result) => {
        if (err) return reject(err);
        resolve({
          requests: latencies.length,
          rps: latencies.length / (result.duration || seconds),
          p50: percentile(latencies, 0.5),
          p95: percentile(latencies, 0.95),
          p99: percentile(latencies, 0.99),
          errors: errors + result.errors + result.timeouts,
        });
      },
    );
    // autocannon's own histogram keeps whole milliseconds; these are exact.
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status >= 200 && status < 300) latencies.push(ms);
      else errors += 1;
    });
  });
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

async function startServer(env: NodeJS.ProcessEnv) {
  const port = await freePort();
  const child = spawn(process.execPath, ['server/main.ts', 'serve'], {
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const ok = await fetch(`${base}/api/ready`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    if (child.exitCode !== null) throw new Error('the server exited before it was ready');
    if (i > 600) {
      child.kill('SIGTERM');
      throw new Error('the server did not become ready');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const signIn = async (email: string) => {
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: BENCH_PASSWORD }),
    });
    if (!res.ok) throw new Error(`sign-in failed: ${res.status}`);
    return res.headers
      .getSetCookie()
      .find((c) => c.startsWith('kith_session='))!
      .split(';')[0]!;
  };
  const stop = async () => {
    child.kill('SIGTERM');
    if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
  };
  return { base, signIn, stop };
}

// ---------------------------------------------------------------------------------------------------------

const round = (n: number, digits = 2) => Number(n.toFixed(digits));

async function main() {
  const target = benchTarget();
  const sizes = benchSizes();
  const kithDataDir = target.kithDataDir ?? mkdtempSync(join(tmpdir(), 'kith-bench-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KITH_DATA_DIR: kithDataDir,
    KITH_SEED_DEMO: 'no',
    LOG_LEVEL: 'warn',
    SIGN_IN_RATE_LIMIT: '10000',
    SESSION_SECRET: 'bench-session-secret-0123456789abcdef',
  };
  if (target.database.kind === 'postgres') env.DATABASE_URL = target.database.url;
  else delete env.DATABASE_URL;

  const loaded = await ensureBenchData(target, BENCH_SEED, sizes, note);
  const probe = await openBench(target, { migrate: false });
  const plan = await planScenarios(probe);
  // BENCH_SCENARIOS=name,name runs only those.
  const only = process.env.BENCH_SCENARIOS?.split(',').map((n) => n.trim());
  if (only?.length) plan.scenarios = plan.scenarios.filter((s) => only.includes(s.name));
  const [engine] = await probe.query<{ version: string }>('select version()');
  const [counts] = await probe.query<{ patients: number; events: number }>(
    `select (select count(*)::int from patients) as patients, (select count(*)::int from timeline_events) as events`,
  );
  await probe.close();
  note(
    `Kith bench on ${target.kind} (${engine!.version.split(',')[0]}), ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB; ` +
      `${counts!.patients.toLocaleString()} patients, ${counts!.events.toLocaleString()} timeline events` +
      `${loaded.generated ? ` (generated in ${loaded.seconds.toFixed(0)} s)` : ' (already loaded)'}; ` +
      `worker ${plan.worker.email} with ${plan.worker.openCases} open cases; ${duration} s per run, 1 then ${loadConnections} connections`,
  );

  const { captures, found } = await captureScenarios(target, env, plan);
  // The replay runs just before its scenario's load on PostgreSQL (beside the idle server), so that both see
  // the machine in the same state; PGlite is single-process, so there it runs before the server starts.
  const replays = new Map<string, Replay>();
  const replayScenario = async (scenario: Scenario) => {
    const list = captures.get(scenario.name)!;
    const bad = list.find((c) => c.status !== 200);
    if (bad) note(`${scenario.name}: answered ${bad.status} ${bad.body}`);
    else replays.set(scenario.name, await replay(target, list));
  };
  if (target.kind === 'pglite') for (const scenario of plan.scenarios) await replayScenario(scenario);

  const server = await startServer(env);
  const lines: Record<string, unknown>[] = [];
  try {
    // Inside the try: a failed sign-in must not leave the server running.
    const cookies = {
      worker: await server.signIn(plan.worker.email),
      supervisor: await server.signIn(plan.supervisorEmail),
    };
    for (const scenario of plan.scenarios) {
      const cookie = cookies[scenario.as];
      await load(server.base, cookie, scenario.paths, 1, 2); // warm-up
      if (target.kind === 'postgres') await replayScenario(scenario);
      const single = await load(server.base, cookie, scenario.paths, 1, duration);
      const many = await load(server.base, cookie, scenario.paths, loadConnections, duration);
      const sql = replays.get(scenario.name);
      const ratio = sql ? single.p50 / sql.p50 : Number.NaN;
      const line = {
        scenario: scenario.name,
        engine: target.kind,
        as: scenario.as,
        paths: scenario.paths.length,
        requestsPerSecond: round(single.rps, 0),
        p50: round(single.p50),
        p95: round(single.p95),
        p99: round(single.p99),
        sqlP50Ms: sql ? round(sql.p50) : null,
        sqlStatements: captures.get(scenario.name)?.[0]?.statements.length ?? null,
        ratio: round(ratio),
        // What the API adds to its SQL: HTTP, session and access checks in Node, query building, JSON.
        overheadMs: sql ? round(single.p50 - sql.p50) : null,
        errors: single.errors,
        ...(found.has(scenario.name) ? { foundInTop10: round(found.get(scenario.name)!) } : {}),
        loaded: {
          connections: loadConnections,
          requestsPerSecond: round(many.rps, 0),
          p50: round(many.p50),
          p95: round(many.p95),
          errors: many.errors,
        },
        targets: {
          [`p95Under${scenario.p95TargetMs ?? TARGET_P95_MS}ms`]:
            single.p95 < (scenario.p95TargetMs ?? TARGET_P95_MS),
          ratioAtMost1_5: ratio <= TARGET_RATIO,
        },
      };
      lines.push(line);
      process.stdout.write(`${JSON.stringify(line)}\n`);
    }
  } finally {
    await server.stop();
  }

  // Where a target is missed (or for every scenario with BENCH_EXPLAIN=all): the slowest request's statements
  // and, on PostgreSQL, the plans of its slowest reads, for whoever tunes it.
  for (const line of lines) {
    const missed = Object.entries(line.targets as Record<string, boolean>)
      .filter(([, ok]) => !ok)
      .map(([t]) => t);
    if (!missed.length && process.env.BENCH_EXPLAIN !== 'all') continue;
    note(`${line.scenario}: ${missed.length ? `misses ${missed.join(' and ')}` : 'meets its targets'}`);
    const sql = replays.get(line.scenario as string);
    if (sql) await explainSlowest(target, sql.slowest);
  }
  if (!target.kithDataDir) rmSync(kithDataDir, { recursive: true, force: true });
}

// `npm run bench -- adt` runs only the ADT feed over MLLP (bench/adt.ts), `-- newsletter` only the sending of
// a newsletter issue (bench/newsletter.ts); the full run ends with both.
const part = process.argv[2];
if (part !== 'adt' && part !== 'newsletter') await main();
if (part === 'adt' || (!part && process.env.BENCH_ADT !== 'no'))
  await (await import('./adt.ts')).runAdtBench();
if (part === 'newsletter' || (!part && process.env.BENCH_NEWSLETTER !== 'no'))
  await (await import('./newsletter.ts')).runNewsletterBench();
