// "The same SQL run alone": the statements one request issued, replayed in order on one connection, and the
// EXPLAIN of the slowest when a scenario misses its targets. bench/run.ts captures and loads; this replays.
import pg from 'pg';
import { v7 } from 'uuid';
import { type BenchTarget, openBench } from './generate.ts';

const sqlRuns = Number(process.env.BENCH_SQL_RUNS ?? 200);

/** Progress and diagnostics go to stderr; stdout carries only the JSON lines. */
export const note = (line: string) => process.stderr.write(`${line}\n`);

/** The value at quantile q (0..1) of a list of numbers. */
export const percentile = (values: number[], q: number) => {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
};

export interface Statement {
  text: string;
  params: unknown[];
}

const V7 = /[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/gi;
const v7Time = (id: string) => Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16);

/**
 * Ids the request made itself (v7, stamped after `since`; also inside JSON, as the audit append sends them)
 * are made anew on each replay, the same new id for the same old one, so that inserts do not collide.
 */
function freshIds(params: unknown[], since: number, renamed: Map<string, string>): unknown[] {
  const rename = (text: string) =>
    text.replace(V7, (id) => {
      if (v7Time(id) < since) return id;
      const fresh = renamed.get(id) ?? v7();
      renamed.set(id, fresh);
      return fresh;
    });
  return params.map((p) =>
    typeof p === 'string'
      ? rename(p)
      : Array.isArray(p)
        ? p.map((x) => (typeof x === 'string' ? rename(x) : x))
        : p,
  );
}

export interface Capture {
  url: string;
  statements: Statement[];
  since: number;
  status: number;
  body: string;
}

export interface Replay {
  p50: number;
  /** The request whose statements took longest alone (what the p95 is made of), and each statement's mean. */
  slowest: { capture: Capture; perStatement: number[]; total: number };
}

export async function replay(target: BenchTarget, captures: Capture[]): Promise<Replay> {
  let run: (s: Statement) => Promise<unknown>;
  let close: () => Promise<void>;
  if (target.database.kind === 'postgres') {
    const client = new pg.Client({ connectionString: target.database.url });
    await client.connect();
    run = (s) => client.query(s.text, s.params);
    close = () => client.end();
  } else {
    const database = await openBench(target, { migrate: false });
    run = (s) => database.query(s.text, s.params);
    close = () => database.close();
  }
  const totals: number[] = [];
  const perCapture = captures.map((c) => ({ capture: c, sums: c.statements.map(() => 0), runs: 0 }));
  try {
    for (let i = 0; i < sqlRuns + 20; i++) {
      const one = perCapture[i % captures.length]!;
      const renamed = new Map<string, string>();
      const started = performance.now();
      for (const [k, s] of one.capture.statements.entries()) {
        const t = performance.now();
        await run({ text: s.text, params: freshIds(s.params, one.capture.since, renamed) });
        if (i >= 20) one.sums[k]! += performance.now() - t;
      }
      if (i >= 20) {
        totals.push(performance.now() - started);
        one.runs += 1;
      }
    }
  } finally {
    await close();
  }
  const means = perCapture
    .filter((c) => c.runs > 0)
    .map((c) => {
      const perStatement = c.sums.map((sum) => sum / c.runs);
      return { capture: c.capture, perStatement, total: perStatement.reduce((a, b) => a + b, 0) };
    });
  const slowest = means.reduce((a, b) => (b.total > a.total ? b : a));
  return { p50: percentile(totals, 0.5), slowest };
}

const TRANSACTION_CONTROL = /^\s*(begin|commit|rollback)\b/i;

/** The slowest request's statements with their times, and the plans of its slowest reads, run in context. */
export async function explainSlowest(target: BenchTarget, slowest: Replay['slowest']): Promise<void> {
  const { capture, perStatement, total } = slowest;
  note(`  the slowest request alone (${total.toFixed(2)} ms of SQL): ${capture.url}`);
  for (const [i, s] of capture.statements.entries())
    note(
      `  ${perStatement[i]!.toFixed(2).padStart(6)} ms  ${s.text.replace(/\s+/g, ' ').trim().slice(0, 110)}`,
    );
  if (target.database.kind !== 'postgres') return;
  const client = new pg.Client({ connectionString: target.database.url });
  await client.connect();
  try {
    const order = perStatement
      .map((ms, i) => ({ ms, i }))
      .filter(({ i }) => /^\s*(select|with)\b/i.test(capture.statements[i]!.text))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 2);
    for (const { ms, i } of order) {
      // In a transaction rolled back (a select may append to the audit chain), after the statements that came
      // before it, so that settings such as the similarity threshold hold as they did for the request.
      const renamed = new Map<string, string>();
      await client.query('begin');
      for (const before of capture.statements.slice(0, i))
        if (!TRANSACTION_CONTROL.test(before.text))
          await client.query(before.text, freshIds(before.params, capture.since, renamed));
      const s = capture.statements[i]!;
      const plan = await client.query(
        `explain (analyze, buffers) ${s.text}`,
        freshIds(s.params, capture.since, renamed),
      );
      await client.query('rollback');
      note(`  -- ${ms.toFixed(2)} ms: ${s.text.slice(0, 400)}${s.text.length > 400 ? '…' : ''}`);
      for (const row of plan.rows) note(`     ${row['QUERY PLAN']}`);
    }
  } finally {
    await client.end();
  }
}
