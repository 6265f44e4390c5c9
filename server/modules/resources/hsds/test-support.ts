import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import { describe } from 'vitest';
import type { ImportReport } from '../../../../domain/schemas/resources.ts';
import type { DbOrTx } from '../../../db/client.ts';
import { newId } from '../../../platform/ids.ts';
import { organizations } from '../../../platform/platform.tables.ts';

const REPO = resolve(import.meta.dirname, '../../../..');

/**
 * The shared HSDS samples: `$KITH_FIXTURES/hsds`, by default ../shared/fixtures next to the repository. Never
 * copied into the repository.
 */
export const FIXTURES = resolve(REPO, process.env.KITH_FIXTURES ?? '../shared/fixtures');
export const HSDS = join(FIXTURES, 'hsds');
export const HSDS_30_CSV = join(HSDS, 'hsds-3.0/examples/csv');
export const HSDS_30_JSON = join(HSDS, 'hsds-3.0/examples');
export const HSDS_11 = join(HSDS, 'hsds-1.1-sample-datapackage/simple');
export const fixturesPresent = existsSync(HSDS_30_CSV) && existsSync(HSDS_11);

/** `describe` when the samples are there; otherwise a skipped suite whose name says why. */
export function describeWithFixtures(name: string, body: () => void): void {
  if (fixturesPresent) {
    describe(name, () => body());
    return;
  }
  console.warn(`HSDS fixture tests skipped: no samples at ${HSDS} (set KITH_FIXTURES)`);
  describe.skip(`${name} — SKIPPED: no HSDS samples at ${HSDS} (set KITH_FIXTURES)`, () => body());
}

/** A tenant of its own. */
export async function buildTenant(db: DbOrTx, slug = `t-${newId().slice(-8)}`) {
  const [org] = await db
    .insert(organizations)
    .values({ slug, name: `Hospital ${slug}` })
    .returning();
  return org!;
}

export async function tenantBySlug(db: DbOrTx, slug: string) {
  const [org] = await db.select().from(organizations).where(eq(organizations.slug, slug));
  return org;
}

/** The counts of a report as `table: read/created/updated/unchanged/rejected`, to compare at a glance. */
export function countsOf(report: ImportReport): Record<string, string> {
  return Object.fromEntries(
    Object.entries(report.tables).map(([t, c]) => [
      t,
      `${c.read}/${c.created}/${c.updated}/${c.unchanged}/${c.rejected}`,
    ]),
  );
}
