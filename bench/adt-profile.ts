// Profiling helper (not part of `npm run bench`): the statements one ADT message of each event issues, with
// the time from each to the next (the round trip plus our code until the next one), averaged over [rounds]
// patients after 20 of warm-up, in this process without MLLP, on a fresh database `kith_prof_adt`:
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test ./node_modules/.bin/node bench/adt-profile.ts 200
import { ingestHl7, invalidateHl7Routing } from '../server/modules/hl7/ingest.service.ts';
import { adtBenchMessage, freshTarget, open, seedFeed } from './adt.ts';

const target = await freshTarget('kith_prof_adt');
let log: { text: string; at: number }[] = [];
const database = await open(target, (text) => log.push({ text, at: performance.now() }));
await database.migrate();
await seedFeed(database.db);
invalidateHl7Routing(database.db);
const rounds = Number(process.argv[2] ?? 200);
const EVENTS = ['A01', 'A08', 'A02', 'A03'] as const;
const base = Date.UTC(2026, 0, 5, 6);
const totals: Record<string, number> = {};
const per: Record<string, Map<string, { n: number; ms: number }>> = {};
for (let n = 0; n < rounds; n++) {
  for (const event of EVENTS) {
    log = [];
    const t0 = performance.now();
    const r = await ingestHl7(database.db, adtBenchMessage('P', n, event, base), { transport: 'mllp' });
    const t1 = performance.now();
    if (r.outcome !== 'applied') console.log(event, r.outcome, JSON.stringify(r.errors));
    if (n < 20) continue; // warm-up
    totals[event] = (totals[event] ?? 0) + (t1 - t0);
    per[event] ??= new Map();
    const m = per[event]!;
    for (let i = 0; i < log.length; i++) {
      const end = i + 1 < log.length ? log[i + 1]!.at : t1;
      const key = `${String(i).padStart(2)} ${log[i]!.text.replace(/\s+/g, ' ').slice(0, 110)}`;
      const e = m.get(key) ?? { n: 0, ms: 0 };
      e.n++;
      e.ms += end - log[i]!.at;
      m.set(key, e);
    }
  }
}
const k = rounds - 20;
for (const event of EVENTS) {
  console.log(
    `\n${event}: ${(totals[event]! / k).toFixed(2)} ms per message, ${per[event]!.size} statements`,
  );
  for (const [key, e] of per[event]!)
    console.log(`  ${(e.ms / e.n).toFixed(2)} ms  ${key}${e.n !== k ? ` (x${e.n})` : ''}`);
}
await database.close();
await target.drop();
