import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { auditEvents } from '../../../platform/platform.tables.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/database.ts';
import {
  directoryImports,
  directoryLanguages,
  directoryLocations,
  directoryOtherRecords,
  directoryPhones,
  directoryServiceAtLocations,
  directoryServices,
} from '../resources.tables.ts';
import { importHsds } from './import.ts';
import {
  buildTenant,
  countsOf,
  describeWithFixtures,
  HSDS_11,
  HSDS_30_CSV,
  HSDS_30_JSON,
} from './test-support.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

const ONE_CREATED = '1/1/0/0/0';
const ONE_UNCHANGED = '1/0/0/1/0';
const ALL_30_TABLES = [
  'organization',
  'program',
  'service',
  'attribute',
  'service_at_location',
  'location',
  'phone',
  'contact',
  'address',
  'schedule',
  'funding',
  'service_area',
  'required_document',
  'language',
  'accessibility',
  'taxonomy_term',
  'metadata',
  'meta_table_description',
  'cost_option',
  'organization_identifier',
  'taxonomy',
];
const each = (tables: string[], counts: string) => Object.fromEntries(tables.map((t) => [t, counts]));

/** Rows of every directory table of a tenant, to prove that a second import creates nothing. */
async function rowCounts(organizationId: string) {
  const tables = [
    'directory_organizations',
    'directory_programs',
    'directory_services',
    'directory_locations',
    'directory_addresses',
    'directory_service_at_locations',
    'directory_phones',
    'directory_schedules',
    'directory_service_areas',
    'directory_languages',
    'directory_cost_options',
    'directory_required_documents',
    'directory_taxonomies',
    'directory_taxonomy_terms',
    'directory_attributes',
    'directory_other_records',
  ];
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const [row] = await database.query<{ n: number }>(
      `select count(*)::int as n from ${table} where organization_id = $1`,
      [organizationId],
    );
    counts[table] = row!.n;
  }
  return counts;
}

describeWithFixtures('importing the HSDS 3.0 example datapackage (CSV)', () => {
  it('creates one row in each of the 21 tables, keeping what does not resolve as given', async () => {
    const org = await buildTenant(database.db);
    const { report, accepted, importId } = await importHsds(database.db, {
      organizationId: org.id,
      path: HSDS_30_CSV,
    });
    expect(report.source).toBe('human-services-data');
    expect(report.format).toBe('hsds-csv');
    expect(countsOf(report)).toEqual(each(ALL_30_TABLES, ONE_CREATED));
    expect(report.rejected).toEqual([]);
    expect(accepted).toBe(21);
    // The example points at an organisation, a taxonomy and a service-at-location it does not hold.
    expect(report.warnings).toEqual([
      'locations.csv:2 3a19ff88-4620-4d17-9830-ac1d859eb5d5: latitude 100 is outside ±90: kept as given, not used for distance',
      'taxonomy_terms.csv:2 3f7b145d-84af-42d7-8fae-eaca714b02b2: parent_id 0bc248fa-dc27-4650-9ba4-8f1a24ef16a2 is not a taxonomy_term in this import or the directory; kept as given, not linked',
      'taxonomy_terms.csv:2 3f7b145d-84af-42d7-8fae-eaca714b02b2: taxonomy_id 07ff6aee-a219-438c-b694-d2fcb6c5373b is not a taxonomy in this import or the directory; kept as given, not linked',
      'organizations.csv:2 d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610: parent_organization_id cd09a387-91f4-4555-94ec-e799c35344cd is not an organization in this import or the directory; kept as given, not linked',
      'locations.csv:2 3a19ff88-4620-4d17-9830-ac1d859eb5d5: organization_id 985e4a42-bd9f-4edc-911d-0243a4640aca is not an organization in this import or the directory; kept as given, not linked',
      'contacts.csv:2 1e7efce3-639b-4880-940c-b95cd30cdb50: organization_id ae67a707-5893-4225-b0b1-320ab9cb596b is not an organization in this import or the directory; kept as given, not linked',
      'contacts.csv:2 1e7efce3-639b-4880-940c-b95cd30cdb50: service_at_location_id 93eaf18d-1cd2-4ec7-bffb-3c9172ee5070 is not a service_at_location in this import or the directory; kept as given, not linked',
    ]);

    const [service] = await database.db
      .select()
      .from(directoryServices)
      .where(eq(directoryServices.organizationId, org.id));
    expect(service).toMatchObject({
      source: 'human-services-data',
      externalId: 'ac148810-d857-441c-9679-408f346de14b',
      name: 'Community Counselling',
      status: 'active',
      minimumAge: 12,
      maximumAge: 100,
      assuredDate: '2005-01-01',
      extra: { fees: 'fees_description' },
      version: 1,
    });
    expect(service!.lastModified?.toISOString()).toBe('2023-03-15T10:30:45.123Z');
    // Free text is kept exactly, its trailing space included.
    expect(service!.description).toMatch(/circumstances\. $/);
    const [location] = await database.db
      .select()
      .from(directoryLocations)
      .where(eq(directoryLocations.organizationId, org.id));
    expect(location).toMatchObject({
      latitude: null,
      longitude: 101,
      directoryOrganizationId: null,
      extra: { latitude: '100', organization_id: '985e4a42-bd9f-4edc-911d-0243a4640aca' },
    });
    const [phone] = await database.db
      .select()
      .from(directoryPhones)
      .where(eq(directoryPhones.organizationId, org.id));
    expect(phone).toMatchObject({
      number: '"+44 1234 234567"',
      extension: '100',
      serviceId: service!.id,
      locationId: location!.id,
      contactExternalId: '1e7efce3-639b-4880-940c-b95cd30cdb50',
    });
    const others = await database.db
      .select({ kind: directoryOtherRecords.kind })
      .from(directoryOtherRecords)
      .where(eq(directoryOtherRecords.organizationId, org.id));
    expect(others.map((o) => o.kind).sort()).toEqual([
      'accessibility',
      'contact',
      'funding',
      'meta_table_description',
      'metadata',
      'organization_identifier',
    ]);

    // The run is recorded, and audited.
    const [run] = await database.db.select().from(directoryImports).where(eq(directoryImports.id, importId!));
    expect(run).toMatchObject({ source: 'human-services-data', format: 'hsds-csv', rejected: [] });
    expect((run!.counts as { tables: unknown }).tables).toEqual(report.tables);
    const [audit] = await database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'directory.import'), eq(auditEvents.recordId, importId!)));
    expect(audit).toMatchObject({
      organizationId: org.id,
      actorLabel: 'cli',
      outcome: 'success',
      detail: expect.objectContaining({ source: 'human-services-data', read: 21, created: 21, rejected: 0 }),
    });
  });

  it('finds every row again on a second run: nothing new, everything unchanged', async () => {
    const org = await buildTenant(database.db);
    await importHsds(database.db, { organizationId: org.id, path: HSDS_30_CSV });
    const before = await rowCounts(org.id);
    const [service] = await database.db
      .select()
      .from(directoryServices)
      .where(eq(directoryServices.organizationId, org.id));
    const { report } = await importHsds(database.db, { organizationId: org.id, path: HSDS_30_CSV });
    expect(countsOf(report)).toEqual(each(ALL_30_TABLES, ONE_UNCHANGED));
    expect(await rowCounts(org.id)).toEqual(before);
    const [again] = await database.db
      .select()
      .from(directoryServices)
      .where(eq(directoryServices.organizationId, org.id));
    expect(again).toEqual(service);
  });

  it('updates in place when a row changed, keeping its Kith id, and bumps its version', async () => {
    const org = await buildTenant(database.db);
    await importHsds(database.db, { organizationId: org.id, path: HSDS_30_CSV });
    const [before] = await database.db
      .select()
      .from(directoryServices)
      .where(eq(directoryServices.organizationId, org.id));
    const copy = mkdtempSync(join(tmpdir(), 'kith-hsds-'));
    cpSync(HSDS_30_CSV, copy, { recursive: true });
    const services = join(copy, 'services.csv');
    writeFileSync(
      services,
      readFileSync(services, 'utf8').replace('Community Counselling,', 'Community Counselling Plus,'),
    );
    const { report } = await importHsds(database.db, { organizationId: org.id, path: copy });
    expect(report.tables.service).toEqual({ read: 1, created: 0, updated: 1, unchanged: 0, rejected: 0 });
    expect(report.tables.organization).toMatchObject({ unchanged: 1 });
    const [after] = await database.db
      .select()
      .from(directoryServices)
      .where(eq(directoryServices.organizationId, org.id));
    expect(after).toMatchObject({ id: before!.id, name: 'Community Counselling Plus', version: 2 });
  });
});

describeWithFixtures('importing the HSDS 3.0 example JSON', () => {
  it('reads every JSON example of the folder as one directory: 21 tables, one row each, nested copies merged', async () => {
    const org = await buildTenant(database.db);
    const { report } = await importHsds(database.db, { organizationId: org.id, path: HSDS_30_JSON });
    expect(report).toMatchObject({ source: 'examples', format: 'hsds-json', rejected: [] });
    expect(countsOf(report)).toEqual(each(ALL_30_TABLES, ONE_CREATED));
    expect(report.warnings).toContain('base.json holds no HSDS record; skipped');
    // The same schedule appears with other hours in location.json: the first one read is kept, and said so.
    expect(report.warnings).toContain(
      'schedule 48102e86-bb50-41c4-8f1e-e269368c41d1: opens_at differs between location.json:1 and organization_full.json:1 (contents[0].locations[0].schedules[0]); the first is kept',
    );
    // A phone met under its service, contact, location and service-at-location has all four links.
    const [phone] = await database.db
      .select()
      .from(directoryPhones)
      .where(eq(directoryPhones.organizationId, org.id));
    expect(phone!.serviceId).not.toBeNull();
    expect(phone!.locationId).not.toBeNull();
    expect(phone!.serviceAtLocationId).not.toBeNull();
    expect(phone!.directoryOrganizationId).not.toBeNull();
    expect(phone!.contactExternalId).toBe('1e7efce3-639b-4880-940c-b95cd30cdb50');

    const second = await importHsds(database.db, { organizationId: org.id, path: HSDS_30_JSON });
    expect(countsOf(second.report)).toEqual(each(ALL_30_TABLES, ONE_UNCHANGED));
  });

  const SINGLE_FILES: Array<[string, string[]]> = [
    ['location.json', ['location', 'phone', 'contact', 'address', 'schedule', 'language', 'accessibility']],
    ['organization_list.json', ['organization']],
    ['service_list.json', ['organization', 'program', 'service']],
    [
      'service_at_location_list.json',
      ['organization', 'program', 'service', 'service_at_location', 'location'],
    ],
    ['service_full.json', ALL_30_TABLES.filter((t) => t !== 'meta_table_description')],
    ['organization_full.json', ALL_30_TABLES.filter((t) => t !== 'meta_table_description')],
    ['service_at_location_full.json', ALL_30_TABLES.filter((t) => t !== 'meta_table_description')],
    ['tabular.json', ALL_30_TABLES],
    ['taxonomy.json', ['taxonomy']],
    ['taxonomy_list.json', ['taxonomy']],
    ['taxonomy_term.json', ['taxonomy_term', 'taxonomy']],
    ['taxonomy_term_list.json', ['taxonomy_term', 'taxonomy']],
  ];
  it.each(SINGLE_FILES)(
    'imports %s on its own with exact counts, then finds it unchanged',
    async (file, tables) => {
      const org = await buildTenant(database.db);
      const path = join(HSDS_30_JSON, file);
      const first = await importHsds(database.db, { organizationId: org.id, path });
      expect(first.report.rejected).toEqual([]);
      expect(countsOf(first.report)).toEqual(each(tables, ONE_CREATED));
      const second = await importHsds(database.db, { organizationId: org.id, path });
      expect(countsOf(second.report)).toEqual(each(tables, ONE_UNCHANGED));
    },
  );

  it('reads nothing from base.json (API metadata, no record) and says so', async () => {
    const org = await buildTenant(database.db);
    const { report, accepted, importId } = await importHsds(database.db, {
      organizationId: org.id,
      path: join(HSDS_30_JSON, 'base.json'),
    });
    expect({ accepted, importId, tables: report.tables }).toEqual({
      accepted: 0,
      importId: null,
      tables: {},
    });
    expect(report.warnings).toEqual(['base.json holds no HSDS record; skipped', 'nothing to import']);
  });

  it('covers every JSON example of the folder', () => {
    const files = readdirSync(HSDS_30_JSON).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual([...SINGLE_FILES.map(([f]) => f), 'base.json'].sort());
  });
});

describeWithFixtures('importing the HSDS 1.1 sample datapackage', () => {
  const REJECTED_SAL = [
    ['d254626c-6858-46ad-850a-6e1c53ea463a', 'c89eb05c-62dd-4b64-b494-0cc347b6ea7f'],
    ['a6e824f6-aac4-4472-ae24-a27c0253ede3', '25870bcf-7528-4e05-8f0c-7e639075ce71'],
    ['6b524072-5768-4a92-b0fd-fa87a77311b2', '10cbc6ce-0ae5-467f-8069-18e90ec5b037'],
    ['e7361647-5350-4d6a-aecb-504f9c4a8577', 'a27a0710-72d2-41a2-8947-9d0e0e69e257'],
    ['dad28eee-00f9-4dac-b891-d7ba85035928', 'c28f4d9f-10b2-4baf-a727-a31ae79063ce'],
    ['0e071442-ad00-422c-ad6c-ef9d24a2d1da', '373c9b87-8606-49c7-8082-02120ddc04e4'],
    ['1c183dc2-8548-44da-bd73-c36294ff54e2', '2fcd70db-add2-43b5-ba3b-98f82c3c3147'],
    ['4f78169d-dc61-4dc3-a335-d7de00b7e646', '25f6e86d-ba99-4819-b6f4-2f23dbe38806'],
    ['97e58efe-1fef-428c-a6bc-eecfcf083f44', '9619ea6e-baa8-4b9a-9665-ca2a07cdd7b6'],
    ['8d440213-9e82-449f-85fa-44afaf1b0134', '756b5a9d-7d65-4063-b5f2-d08ccf01c55e'],
    ['1e4d5a88-5cb2-4240-bfa6-799d94d5e391', '62e95523-07b9-4d1b-9bcf-6cea6e2be5d8'],
    ['6d42bcb1-bc23-4b06-873d-857aafc4e3e9', '008b6436-5ac2-4c19-ac4d-d640fbec7818'],
    ['c54183ce-b165-4e4a-9ace-57221ccc13da', '21a1192b-abb9-45e8-bc52-c81ca4087240'],
  ];
  const REJECTED_CONTACTS = [
    ['eabbdbcc-5613-4ef9-a33b-b870f36b743d', 'c89eb05c-62dd-4b64-b494-0cc347b6ea7f'],
    ['e887dde4-ce76-4a44-8057-c43bf303a332', '25870bcf-7528-4e05-8f0c-7e639075ce71'],
    ['1ffafc60-5b50-4b86-9231-5a698413b96b', '10cbc6ce-0ae5-467f-8069-18e90ec5b037'],
    ['78cafcf2-23c8-4323-ba24-6bdfeea96513', 'a27a0710-72d2-41a2-8947-9d0e0e69e257'],
    ['4a318a8e-b65e-4da3-800b-3d1e92407a95', 'c28f4d9f-10b2-4baf-a727-a31ae79063ce'],
    ['038d4c04-8f9c-4c0c-8a1a-dac55921966c', '373c9b87-8606-49c7-8082-02120ddc04e4'],
    ['5aa8fe64-2902-433a-8196-62f9037e7a38', '2fcd70db-add2-43b5-ba3b-98f82c3c3147'],
    ['c6737517-38c8-4947-854a-c700554b1b89', '25f6e86d-ba99-4819-b6f4-2f23dbe38806'],
    ['c0aef85d-0549-4a0b-ba66-09bdb391459f', '9619ea6e-baa8-4b9a-9665-ca2a07cdd7b6'],
    ['795dfe8a-d7b6-4ede-af18-a09198a3da8f', '756b5a9d-7d65-4063-b5f2-d08ccf01c55e'],
  ];
  const notAService = (id: string) => `service_id ${id} is not a service in this import or the directory`;

  it('imports the good rows and rejects every row that points at a service the sample does not hold', async () => {
    const org = await buildTenant(database.db);
    const { report, accepted } = await importHsds(database.db, { organizationId: org.id, path: HSDS_11 });
    expect(report.source).toBe('hsds-simple-sample');
    expect(countsOf(report)).toEqual({
      organization: '10/10/0/0/0',
      service: '13/13/0/0/0',
      service_at_location: '13/0/0/0/13',
      'service_at_location (services.location_id)': '13/13/0/0/0',
      location: '10/10/0/0/0',
      phone: '5/3/0/0/2',
      contact: '10/0/0/0/10',
      'language (phones.language)': '4/4/0/0/0',
    });
    expect(accepted).toBe(53);
    expect(report.rejected).toEqual([
      ...REJECTED_CONTACTS.map(([id, service], i) => ({
        file: 'contacts.csv',
        row: i + 2,
        id,
        reason: notAService(service!),
      })),
      {
        file: 'phones.csv',
        row: 5,
        id: '3d257b44-eff1-4a22-9465-7f96710848bf',
        reason: notAService('21a1192b-abb9-45e8-bc52-c81ca4087240'),
      },
      {
        file: 'phones.csv',
        row: 6,
        id: 'e9c19752-c8d4-494f-b527-b65c9c86c8ce',
        reason:
          'belongs to nothing in this import or the directory: contact_id 4a318a8e-b65e-4da3-800b-3d1e92407a95 is not a contact in this import or the directory (its row contacts.csv:6 was rejected); service_at_location_id c54183ce-b165-4e4a-9ace-57221ccc13da is not a service_at_location in this import or the directory (its row services_at_location.csv:14 was rejected)',
      },
      ...REJECTED_SAL.map(([id, service], i) => ({
        file: 'services_at_location.csv',
        row: i + 2,
        id,
        reason: notAService(service!),
      })),
    ]);
    expect(report.warnings.slice(0, 5)).toEqual([
      'contacts.csv is not listed in datapackage.json; read as HSDS contact',
      'phones.csv is not listed in datapackage.json; read as HSDS phone',
      'services_at_location.csv is not listed in datapackage.json; read as HSDS service_at_location',
      'metadata.csv is listed in datapackage.json but missing; skipped',
      // The sample's second location has its columns shifted: the longitude sits in the latitude column.
      'locations.csv:3 30b83ee0-64a1-11e6-8b77-86f30ca893d3: latitude -119.897426 is outside ±90: kept as given, not used for distance',
    ]);
  });

  it('reads the 1.1 layout: statuses in any case, services.location_id, phones.language', async () => {
    const org = await buildTenant(database.db);
    await importHsds(database.db, { organizationId: org.id, path: HSDS_11 });
    const statuses = await database.db
      .select({ status: directoryServices.status, n: sql<number>`count(*)::int` })
      .from(directoryServices)
      .where(eq(directoryServices.organizationId, org.id))
      .groupBy(directoryServices.status)
      .orderBy(directoryServices.status);
    expect(statuses).toEqual([
      { status: 'active', n: 10 },
      { status: 'inactive', n: 3 },
    ]);
    // Each service is offered at the location its row names.
    const offered = await database.db
      .select({ service: directoryServices.externalId, location: directoryLocations.externalId })
      .from(directoryServiceAtLocations)
      .innerJoin(directoryServices, eq(directoryServices.id, directoryServiceAtLocations.serviceId))
      .innerJoin(directoryLocations, eq(directoryLocations.id, directoryServiceAtLocations.locationId))
      .where(eq(directoryServiceAtLocations.organizationId, org.id));
    expect(offered).toHaveLength(13);
    expect(offered).toContainEqual({
      service: '14a4bcee-64a4-11e6-8b77-86f30ca893d3',
      location: '30b84a0c-64a1-11e6-8b77-86f30ca893d3',
    });
    const languages = await database.db
      .select({
        phone: directoryPhones.externalId,
        code: directoryLanguages.code,
        name: directoryLanguages.name,
      })
      .from(directoryLanguages)
      .innerJoin(directoryPhones, eq(directoryPhones.id, directoryLanguages.phoneId))
      .where(eq(directoryLanguages.organizationId, org.id))
      .orderBy(directoryPhones.externalId, directoryLanguages.code);
    expect(languages).toEqual([
      { phone: '3733e828-58e5-4ff5-9dc6-ae24f92a0f56', code: 'en', name: 'English' },
      { phone: '3733e828-58e5-4ff5-9dc6-ae24f92a0f56', code: 'es', name: 'Spanish' },
      { phone: '7ed24899-52fb-4e7b-9e25-8d665bec23ea', code: 'en', name: 'English' },
      { phone: '83c0ec7b-7d81-4371-b25a-037c006d33a0', code: 'en', name: 'English' },
    ]);
    const [phone] = await database.db
      .select()
      .from(directoryPhones)
      .where(
        and(
          eq(directoryPhones.organizationId, org.id),
          eq(directoryPhones.externalId, '3733e828-58e5-4ff5-9dc6-ae24f92a0f56'),
        ),
      );
    // Its contact was rejected: the phone keeps the id as given, and its location.
    expect(phone).toMatchObject({
      number: '(0123) 4567 8900',
      extension: '42',
      contactExternalId: 'eabbdbcc-5613-4ef9-a33b-b870f36b743d',
    });
    expect(phone!.locationId).not.toBeNull();
  });

  it('creates nothing on a second run: the same rows unchanged, the same rows rejected', async () => {
    const org = await buildTenant(database.db);
    const first = await importHsds(database.db, { organizationId: org.id, path: HSDS_11 });
    const before = await rowCounts(org.id);
    const { report } = await importHsds(database.db, { organizationId: org.id, path: HSDS_11 });
    expect(countsOf(report)).toEqual({
      organization: '10/0/0/10/0',
      service: '13/0/0/13/0',
      service_at_location: '13/0/0/0/13',
      'service_at_location (services.location_id)': '13/0/0/13/0',
      location: '10/0/0/10/0',
      phone: '5/0/0/3/2',
      contact: '10/0/0/0/10',
      'language (phones.language)': '4/0/0/4/0',
    });
    expect(report.rejected).toEqual(first.report.rejected);
    expect(await rowCounts(org.id)).toEqual(before);
  });

  it('keeps tenants apart: the same feed in another tenant is created there', async () => {
    const a = await buildTenant(database.db);
    const b = await buildTenant(database.db);
    await importHsds(database.db, { organizationId: a.id, path: HSDS_11 });
    const { report } = await importHsds(database.db, { organizationId: b.id, path: HSDS_11 });
    expect(report.tables.service).toMatchObject({ created: 13 });
  });
});
