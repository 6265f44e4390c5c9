import { sql } from 'drizzle-orm';
import { ConfigError } from '../config.ts';
import { organizations } from '../platform/platform.tables.ts';
import type { Database } from './client.ts';
import { DEPARTMENT_SIZES, type DemoSummary, generateDemo } from './demo/generate.ts';
import { planStaff } from './demo/staff.ts';
import { unitNames } from './demo/vocab.ts';

export const DEMO_PASSWORD = 'riverside-demo-2026';

/** The seed number when KITH_DEMO_SEED is not set: the same department on every fresh install. */
export const DEFAULT_DEMO_SEED = 2026;

/** The demo logins, printed by the server at start: one per role, and every social worker with their unit. */
export const DEMO_ACCOUNTS = planStaff(
  DEPARTMENT_SIZES,
  unitNames(DEPARTMENT_SIZES.units).map((u) => u.name),
);

/** True when the database holds no organisation yet: the first start of a new embedded install. */
export async function isEmpty(database: Database): Promise<boolean> {
  const [row] = await database.db.select({ n: sql<number>`count(*)::int` }).from(organizations);
  return (row?.n ?? 0) === 0;
}

/** The seed number from KITH_DEMO_SEED (a whole number), or the default. */
export function demoSeed(env: NodeJS.ProcessEnv = process.env): number {
  const given = env.KITH_DEMO_SEED?.trim();
  if (!given) return DEFAULT_DEMO_SEED;
  if (!/^\d{1,9}$/.test(given)) throw new ConfigError(['KITH_DEMO_SEED must be a whole number']);
  return Number(given);
}

/**
 * Seeds the demo department into an empty database (server/db/demo/generate.ts): Riverside with three units,
 * six social workers, a supervisor, two clinicians, an admin and 150 patients with families, visits, cases in
 * every state, tasks, messages, flags and their timeline, placed around the present so that it looks current.
 * The same seed number (and `now`) gives the same data.
 */
export async function seedDemo(
  database: Database,
  opts: { seed?: number; now?: Date } = {},
): Promise<DemoSummary> {
  return generateDemo(database, {
    seed: opts.seed ?? demoSeed(),
    now: opts.now ?? new Date(),
    sizes: DEPARTMENT_SIZES,
    password: DEMO_PASSWORD,
  });
}
