// npm run bench: the platform's hot paths on hospital-sized generated data, through real HTTP.
// The server runs as its own process (as in production); autocannon loads it from this one over loopback.
// Engine: embedded PGlite by default, PostgreSQL with BENCH_DATABASE_URL. Size: BENCH_PATIENTS, BENCH_AUDIT.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { loadConfig } from '../server/config.ts';
import { openConfiguredDatabase } from '../server/db/open.ts';
import { verifyAuditChain } from '../server/platform/audit/audit.service.ts';
import { issueApiToken } from '../server/platform/users.service.ts';
import { BENCH_PASSWORD, generate } from './generate.ts';

const patientCount = Number(process.env.BENCH_PATIENTS ?? 50_000);
const auditCount = Number(process.env.BENCH_AUDIT ?? 200_000);
const duration = Number(process.env.BENCH_SECONDS ?? 8);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);
const pgUrl = process.env.BENCH_DATABASE_URL;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'kith-bench-'));
  let benchDb: string | undefined;
  if (pgUrl) {
    benchDb = `kith_bench_${Date.now()}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`create database ${benchDb}`);
    await admin.end();
  }
  const databaseUrl = benchDb
    ? Object.assign(new URL(pgUrl!), { pathname: `/${benchDb}` }).toString()
    : undefined;
  const env = {
    ...process.env,
    KITH_DATA_DIR: dataDir,
    KITH_SEED_DEMO: 'no',
    LOG_LEVEL: 'warn',
    SESSION_SECRET: 'bench-session-secret-0123456789abcdef',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
  const config = loadConfig(env);
  console.log(
    `Kith bench on ${config.database.kind}: ${patientCount.toLocaleString()} patients, ${auditCount.toLocaleString()} audit records, 150 workers; ${connections} connections × ${duration} s per scenario`,
  );

  const database = await openConfiguredDatabase(config);
  const [data, genMs] = await timed(() => generate(database, { patientCount, auditCount }));
  const { token } = await issueApiToken(
    database.db,
    { organizationId: data.organizationId, userId: data.adminId, name: 'bench' },
    { actor: null, origin: { ip: null, userAgent: 'bench' } },
  );
  // A live database has planner statistics and a settled GIN index; a freshly loaded one has neither.
  await database.query('vacuum analyze');
  const [verdict, verifyMs] = await timed(() => verifyAuditChain(database.db));
  await database.close();
  console.log(
    `generated in ${(genMs / 1000).toFixed(1)} s; audit verify of ${verdict.checked.toLocaleString()} records: ${(verifyMs / 1000).toFixed(2)} s (${verdict.ok ? 'intact' : 'BROKEN'})`,
  );

  const port = await freePort();
  const server = spawn(process.execPath, ['server/main.ts', 'serve'], {
    env: { ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const ok = await fetch(`${base}/api/ready`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    if (i > 300) throw new Error('server did not become ready');
    await new Promise((r) => setTimeout(r, 200));
  }
  const signIn = async (email: string) => {
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: BENCH_PASSWORD }),
    });
    if (!res.ok) throw new Error(`sign-in failed: ${res.status}`);
    return res.headers.get('set-cookie')!.split(';')[0]!;
  };
  const worker = data.workers[0]!;
  const workerCookie = await signIn(worker.email);
  const supervisorCookie = await signIn(data.supervisorEmail);
  const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
  const surnames = ['smi', 'john', 'garc', 'mill', 'dav', 'rod', 'mart', 'hern', 'lop', 'gonz'];

  const scenarios: { name: string; opts: autocannon.Options }[] = [
    {
      name: 'open a chart (GET /api/patients/:id, care team, audited)',
      opts: {
        url: base,
        headers: { cookie: workerCookie },
        requests: [{ setupRequest: (req) => ({ ...req, path: `/api/patients/${pick(worker.patientIds)}` }) }],
      },
    },
    {
      name: 'worker patient list, page 1 (scoped to care team, audited)',
      opts: { url: `${base}/api/patients?pageSize=50`, headers: { cookie: workerCookie } },
    },
    {
      name: `supervisor name search over ${patientCount.toLocaleString()} patients`,
      opts: {
        url: base,
        headers: { cookie: supervisorCookie },
        requests: [
          { setupRequest: (req) => ({ ...req, path: `/api/patients?q=${pick(surnames)}&pageSize=25` }) },
        ],
      },
    },
    {
      name: "a patient's accounting of disclosures (admin audit search, API token)",
      opts: {
        url: base,
        headers: { authorization: `Bearer ${token}` },
        requests: [
          {
            setupRequest: (req) => ({
              ...req,
              path: `/api/admin/audit?patientId=${pick(data.patientIds)}&pageSize=50`,
            }),
          },
        ],
      },
    },
    {
      name: 'denied chart read (403, audited)',
      opts: {
        url: base,
        headers: { cookie: workerCookie },
        requests: [
          { setupRequest: (req) => ({ ...req, path: `/api/patients/${pick(data.workers[1]!.patientIds)}` }) },
        ],
      },
    },
  ];

  const rows: string[][] = [];
  for (const scenario of scenarios) {
    const result = await autocannon({ ...scenario.opts, connections, duration });
    const errors = result.non2xx + result.errors;
    const expected403 = scenario.name.startsWith('denied');
    rows.push([
      scenario.name,
      result.requests.average.toFixed(0),
      result.latency.p50.toFixed(1),
      result.latency.p90.toFixed(1),
      result.latency.p99.toFixed(1),
      expected403 ? `${result.non2xx} × 403 (expected)` : String(errors),
    ]);
  }
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));

  const header = ['scenario', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'errors'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(
    `\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n`,
  );

  rmSync(dataDir, { recursive: true, force: true });
  if (benchDb) {
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${benchDb} with (force)`);
    await admin.end();
  }
}

await main();
