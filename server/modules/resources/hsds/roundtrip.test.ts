import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.ts';
import { directoryOrganizations, directoryServices } from '../resources.tables.ts';
import { exportHsds } from './export.ts';
import { importHsds } from './import.ts';
import { KITH_TAXONOMIES, kithAttributeId, kithTermId } from './kith-vocabulary.ts';
import { TABLE_SPECS } from './spec.ts';
import { buildTenant, countsOf, describeWithFixtures, HSDS_11, HSDS_30_CSV } from './test-support.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

type CsvRow = Record<string, string>;
const readCsv = (file: string): CsvRow[] => parse(readFileSync(file), { columns: true, bom: true });
const header = (file: string): string[] =>
  (parse(readFileSync(file), { bom: true, to_line: 1 }) as string[][])[0]!;
const exportDir = () => mkdtempSync(join(tmpdir(), 'kith-hsds-export-'));

/** Every CSV file of an export, parsed. */
function readExport(dir: string): Record<string, CsvRow[]> {
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith('.csv'))
      .sort()
      .map((f) => [f, readCsv(join(dir, f))]),
  );
}

describeWithFixtures('export and import again: the HSDS 3.0 example', () => {
  it('writes the 3.0 file names and columns, and every row and field of the example comes back as it was', async () => {
    const org = await buildTenant(database.db);
    await importHsds(database.db, { organizationId: org.id, path: HSDS_30_CSV });
    const dir = exportDir();
    const result = await exportHsds(database.db, { organizationId: org.id, dir });
    const fixtureFiles = readdirSync(HSDS_30_CSV)
      .filter((f) => f.endsWith('.csv'))
      .sort();
    expect(result.files.filter((f) => f.endsWith('.csv')).sort()).toEqual(fixtureFiles);
    for (const file of fixtureFiles) {
      expect(header(join(dir, file)), file).toEqual(header(join(HSDS_30_CSV, file)));
      // Field by field, exactly as the example gives them (ids that point nowhere and a latitude of 100 too).
      expect(readCsv(join(dir, file)), file).toEqual(readCsv(join(HSDS_30_CSV, file)));
    }
    const descriptor = JSON.parse(readFileSync(join(dir, 'datapackage.json'), 'utf8'));
    expect(descriptor.profile).toBe('tabular-data-package');
    expect(descriptor.resources).toHaveLength(21);
    for (const resource of descriptor.resources) {
      expect(resource.schema.fields.map((f: { name: string }) => f.name)).toEqual(
        header(join(dir, resource.path)),
      );
      expect(resource.schema.primaryKey).toBe('id');
    }
    expect(
      descriptor.resources.find((r: { name: string }) => r.name === 'service').schema.foreignKeys,
    ).toEqual([
      { fields: 'organization_id', reference: { resource: 'organization', fields: 'id' } },
      { fields: 'program_id', reference: { resource: 'program', fields: 'id' } },
    ]);
  });

  it('imports the export into a fresh tenant with nothing rejected, and exports the same again', async () => {
    const a = await buildTenant(database.db);
    await importHsds(database.db, { organizationId: a.id, path: HSDS_30_CSV });
    const first = exportDir();
    await exportHsds(database.db, { organizationId: a.id, dir: first });
    const b = await buildTenant(database.db);
    const { report } = await importHsds(database.db, { organizationId: b.id, path: first });
    expect(report.rejected).toEqual([]);
    expect(Object.values(countsOf(report))).toEqual(Array(21).fill('1/1/0/0/0'));
    const second = exportDir();
    await exportHsds(database.db, { organizationId: b.id, dir: second });
    expect(readExport(second)).toEqual(readExport(first));
  });
});

describeWithFixtures('export and import again: the HSDS 1.1 sample', () => {
  it('keeps every accepted row of the sample through an export and an import into a fresh tenant', async () => {
    const a = await buildTenant(database.db);
    await importHsds(database.db, { organizationId: a.id, path: HSDS_11 });
    const first = exportDir();
    const exported = await exportHsds(database.db, { organizationId: a.id, dir: first });
    expect(exported.tables).toMatchObject({
      organization: 10,
      service: 13,
      location: 10,
      service_at_location: 13,
      phone: 3,
      language: 4,
      contact: 0,
    });
    const b = await buildTenant(database.db);
    const { report } = await importHsds(database.db, { organizationId: b.id, path: first });
    expect(report.rejected).toEqual([]);
    expect(countsOf(report)).toMatchObject({
      organization: '10/10/0/0/0',
      service: '13/13/0/0/0',
      location: '10/10/0/0/0',
      service_at_location: '13/13/0/0/0',
      phone: '3/3/0/0/0',
      language: '4/4/0/0/0',
    });
    // What the fresh tenant holds exports exactly as what the first held.
    const second = exportDir();
    await exportHsds(database.db, { organizationId: b.id, dir: second });
    expect(readExport(second)).toEqual(readExport(first));
    const services = readExport(second)['services.csv']!;
    expect(services.find((s) => s.id === '14a4b0b4-64a4-11e6-8b77-86f30ca893d3')).toMatchObject({
      organization_id: '18996ac8-649c-11e6-8b77-86f30ca893d3',
      name: 'Dear Teacher Skills Refresh',
      status: 'inactive',
      description: expect.stringContaining('<li>Digital Skills</li>\n'),
    });
  });
});

it("keeps a service's SDOH domains, assistance program and eligibility through HSDS as Kith attributes", async () => {
  const a = await buildTenant(database.db);
  const [org] = await database.db
    .insert(directoryOrganizations)
    .values({ organizationId: a.id, source: 'kith', externalId: 'o-1', name: 'Dorchester Pantry' })
    .returning();
  await database.db.insert(directoryServices).values({
    organizationId: a.id,
    source: 'kith',
    externalId: 's-1',
    directoryOrganizationId: org!.id,
    name: 'SNAP application help',
    status: 'active',
    domains: ['food-insecurity', 'financial-insecurity'],
    assistanceKind: 'snap-application',
    eligibility: { maxPovertyPercent: 200, payers: ['medicaid', 'self-pay'], minAge: 18 },
  });
  const dir = exportDir();
  await exportHsds(database.db, { organizationId: a.id, dir });
  const files = readExport(dir);
  expect(files['taxonomies.csv']!.map((t) => t.name).sort()).toEqual([
    'kith-assistance',
    'kith-eligibility',
    'kith-sdoh',
  ]);
  expect(files['taxonomy_terms.csv']).toContainEqual(
    expect.objectContaining({
      id: kithTermId('sdoh', 'food-insecurity'),
      code: 'food-insecurity',
      taxonomy_id: KITH_TAXONOMIES.sdoh.id,
    }),
  );
  expect(files['attributes.csv']).toContainEqual({
    id: kithAttributeId('eligibility', 's-1', 'rules'),
    link_id: 's-1',
    taxonomy_term_id: kithTermId('eligibility', 'rules'),
    link_type: '',
    link_entity: 'service',
    value: '{"maxPovertyPercent":200,"minAge":18,"payers":["medicaid","self-pay"]}',
  });
  expect(files['attributes.csv']).toHaveLength(4);

  const b = await buildTenant(database.db);
  const { report } = await importHsds(database.db, { organizationId: b.id, path: dir });
  expect(report.rejected).toEqual([]);
  expect(countsOf(report)).toMatchObject({
    service: '1/1/0/0/0',
    attribute: '4/4/0/0/0',
    taxonomy: '3/0/0/3/0',
    taxonomy_term: '4/0/0/4/0',
  });
  const [service] = await database.db
    .select()
    .from(directoryServices)
    .where(eq(directoryServices.organizationId, b.id));
  expect(service).toMatchObject({
    externalId: 's-1',
    domains: ['financial-insecurity', 'food-insecurity'],
    assistanceKind: 'snap-application',
    eligibility: { maxPovertyPercent: 200, payers: ['medicaid', 'self-pay'], minAge: 18 },
  });
  const again = await importHsds(database.db, { organizationId: b.id, path: dir });
  expect(countsOf(again.report)).toMatchObject({ service: '1/0/0/1/0', attribute: '4/0/0/4/0' });
});

it('refuses to export two sources that use the same HSDS id at once, and exports each on its own', async () => {
  const a = await buildTenant(database.db);
  for (const source of ['feed-a', 'feed-b']) {
    await database.db
      .insert(directoryOrganizations)
      .values({ organizationId: a.id, source, externalId: '1', name: `Organization of ${source}` });
  }
  await expect(exportHsds(database.db, { organizationId: a.id, dir: exportDir() })).rejects.toThrow(
    /two organization rows of different sources have the HSDS id 1/,
  );
  const dir = exportDir();
  await exportHsds(database.db, { organizationId: a.id, dir, source: 'feed-b' });
  expect(readCsv(join(dir, TABLE_SPECS.organization.file))).toEqual([
    expect.objectContaining({ id: '1', name: 'Organization of feed-b' }),
  ]);
});
