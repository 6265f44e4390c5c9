import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.ts';
import { directoryImports, directoryOrganizations, directoryServices } from '../resources.tables.ts';
import { importHsds } from './import.ts';
import { buildTenant, describeWithFixtures, HSDS_30_CSV } from './test-support.ts';

// The search index is rebuilt last, in the import's transaction: make it fail there, as a crash would.
const failing = vi.hoisted(() => ({
  now: false,
  calls: [] as Array<{ organizationId: string; serviceIds?: readonly string[] }>,
}));
vi.mock('../search.index.ts', () => ({
  reindexSearchDocs: async (_tx: unknown, organizationId: string, serviceIds?: readonly string[]) => {
    if (failing.now) throw new Error('the search index failed');
    failing.calls.push({ organizationId, serviceIds });
    return 0;
  },
}));

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

describeWithFixtures('an import that fails at the end', () => {
  it('leaves nothing behind: no organisation, no service, no import record', async () => {
    const org = await buildTenant(database.db);
    failing.now = true;
    await expect(importHsds(database.db, { organizationId: org.id, path: HSDS_30_CSV })).rejects.toThrow(
      'the search index failed',
    );
    failing.now = false;
    for (const table of [directoryOrganizations, directoryServices, directoryImports]) {
      expect(await database.db.select().from(table).where(eq(table.organizationId, org.id))).toEqual([]);
    }
    // The same import then goes through whole.
    const { report } = await importHsds(database.db, { organizationId: org.id, path: HSDS_30_CSV });
    expect(report.tables.service).toMatchObject({ created: 1 });
  });
});

describeWithFixtures('the search index after an import', () => {
  it('is rebuilt for the services an import changed, in its transaction, and not when nothing changed', async () => {
    const org = await buildTenant(database.db);
    failing.calls.length = 0;
    await importHsds(database.db, { organizationId: org.id, path: HSDS_30_CSV });
    const [service] = await database.db
      .select()
      .from(directoryServices)
      .where(eq(directoryServices.organizationId, org.id));
    expect(failing.calls).toEqual([{ organizationId: org.id, serviceIds: [service!.id] }]);

    failing.calls.length = 0;
    await importHsds(database.db, { organizationId: org.id, path: HSDS_30_CSV });
    expect(failing.calls).toEqual([]);

    // A new name for the location: the service offered there is rebuilt.
    const copy = mkdtempSync(join(tmpdir(), 'kith-hsds-'));
    cpSync(HSDS_30_CSV, copy, { recursive: true });
    const locations = join(copy, 'locations.csv');
    writeFileSync(
      locations,
      readFileSync(locations, 'utf8').replace('MyCity Civic Center,', 'MyCity Town Hall,'),
    );
    const { report } = await importHsds(database.db, { organizationId: org.id, path: copy });
    expect(report.tables.location).toMatchObject({ updated: 1 });
    expect(report.tables.service).toMatchObject({ unchanged: 1 });
    expect(failing.calls).toEqual([{ organizationId: org.id, serviceIds: [service!.id] }]);
  });
});
