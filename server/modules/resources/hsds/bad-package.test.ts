import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.ts';
import {
  directoryAddresses,
  directoryAttributes,
  directoryLocations,
  directoryOrganizations,
  directorySchedules,
  directoryServices,
  directoryTaxonomyTerms,
} from '../resources.tables.ts';
import { importHsds } from './import.ts';
import { kithTermId } from './kith-vocabulary.ts';
import { buildTenant, countsOf } from './test-support.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

/** A folder with these files. */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kith-hsds-bad-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const FOOD = kithTermId('sdoh', 'food-insecurity');
const SNAP = kithTermId('assistance', 'snap-application');
const RULES = kithTermId('eligibility', 'rules');

/**
 * A feed as they come: a byte-order mark, CRLF, CR and LF line ends in one file, a quoted field over two lines,
 * a listed file that is missing, rows of empty cells, and one bad row of each kind.
 */
const BAD_FEED = {
  'datapackage.json': JSON.stringify({
    name: 'Bad Feed',
    resources: [
      { name: 'organization', path: 'organizations.csv' },
      { name: 'service', path: 'services.csv' },
      { name: 'program', path: 'programs.csv' },
      { name: 'phone', path: 'phones.csv' },
      { name: 'attribute', path: 'attributes.csv' },
    ],
  }),
  'organizations.csv':
    '\uFEFFid,name,description,email\r\n' +
    'org-1,Food Pantry of Dorchester,"Groceries,\r\ntwice a week",pantry@example.org\r\n' +
    'org-2,,No name here,x@example.org\r\n' +
    'org-3,Bad Email Org,,not-an-email\r\n',
  'services.csv':
    'id,organization_id,name,status,assured_date,minimum_age\n' +
    'svc-1,org-1,Weekly groceries,Active,2025-01-15,18\n' +
    'svc-2,org-1,Bad status,open,,\r' +
    'svc-3,org-1,Bad date,active,2025-02-30,\r\n' +
    'svc-4,org-404,Unknown organization,active,,\n' +
    'svc-5,org-1,Too many fields,active,,,extra\n' +
    'svc-6,org-2,Organization rejected,active,,\n' +
    'svc-7,org-1,Age in words,active,,twelve\n' +
    ',,,,,\n' +
    'svc-1,org-1,Duplicate,active,,\n',
  'phones.csv': 'id,service_id,number\nph-1,svc-1,617-555-0100\nph-2,svc-2,617-555-0101\nph-3,svc-1,\n',
  'attributes.csv':
    'id,link_id,taxonomy_term_id,link_entity,value\n' +
    `at-1,svc-1,${FOOD},service,food-insecurity\n` +
    `at-2,svc-1,${SNAP},service,snap-application\n` +
    `at-3,svc-1,${RULES},service,"{""maxPovertyPercent"":200,""postalCodes"":[""02124""]}"\n` +
    `at-4,svc-3,${FOOD},service,food-insecurity\n` +
    `at-5,svc-7,${RULES},service,{not json\n` +
    'at-6,svc-1,term-404,service,\n',
};

describe('a datapackage with bad rows', () => {
  it('imports the good rows and reports each bad row with its file, row and reason', async () => {
    const org = await buildTenant(database.db);
    const { report, accepted } = await importHsds(database.db, {
      organizationId: org.id,
      path: folder(BAD_FEED),
    });
    expect(report.source).toBe('bad-feed');
    expect(countsOf(report)).toEqual({
      organization: '3/1/0/0/2',
      service: '8/1/0/0/7',
      attribute: '6/3/0/0/3',
      phone: '3/1/0/0/2',
    });
    expect(accepted).toBe(6);
    const notIn = (field: string, id: string, table: string, rejectedAt?: string) =>
      `${field} ${id} is not ${table === 'organization' ? 'an' : 'a'} ${table} in this import or the directory${rejectedAt ? ` (its row ${rejectedAt} was rejected)` : ''}`;
    expect(report.rejected).toEqual([
      {
        file: 'attributes.csv',
        row: 5,
        id: 'at-4',
        reason: notIn('link_id', 'svc-3', 'service', 'services.csv:4'),
      },
      {
        file: 'attributes.csv',
        row: 6,
        id: 'at-5',
        reason: `value must be the eligibility rules as JSON; ${notIn('link_id', 'svc-7', 'service', 'services.csv:8')}`,
      },
      {
        file: 'attributes.csv',
        row: 7,
        id: 'at-6',
        reason: notIn('taxonomy_term_id', 'term-404', 'taxonomy_term'),
      },
      { file: 'organizations.csv', row: 3, id: 'org-2', reason: 'name is required' },
      {
        file: 'organizations.csv',
        row: 4,
        id: 'org-3',
        reason: 'email must be an email address (got "not-an-email")',
      },
      {
        file: 'phones.csv',
        row: 3,
        id: 'ph-2',
        reason: notIn('service_id', 'svc-2', 'service', 'services.csv:3'),
      },
      { file: 'phones.csv', row: 4, id: 'ph-3', reason: 'number is required' },
      {
        file: 'services.csv',
        row: 3,
        id: 'svc-2',
        reason: 'status must be one of active, inactive, defunct, temporarily closed (got "open")',
      },
      {
        file: 'services.csv',
        row: 4,
        id: 'svc-3',
        reason: 'assured_date must be a date as YYYY-MM-DD (got "2025-02-30")',
      },
      {
        file: 'services.csv',
        row: 5,
        id: 'svc-4',
        reason: notIn('organization_id', 'org-404', 'organization'),
      },
      { file: 'services.csv', row: 6, id: 'svc-5', reason: 'has 7 fields where the header has 6' },
      {
        file: 'services.csv',
        row: 7,
        id: 'svc-6',
        reason: notIn('organization_id', 'org-2', 'organization', 'organizations.csv:3'),
      },
      { file: 'services.csv', row: 8, id: 'svc-7', reason: 'minimum_age must be a number (got "twelve")' },
      {
        file: 'services.csv',
        row: 10,
        id: 'svc-1',
        reason: 'duplicate id: service svc-1 is also at services.csv:2',
      },
    ]);
    expect(report.warnings).toEqual(['programs.csv is listed in datapackage.json but missing; skipped']);

    const [organization] = await database.db
      .select()
      .from(directoryOrganizations)
      .where(eq(directoryOrganizations.organizationId, org.id));
    expect(organization).toMatchObject({ externalId: 'org-1', description: 'Groceries,\r\ntwice a week' });
    const services = await database.db
      .select()
      .from(directoryServices)
      .where(eq(directoryServices.organizationId, org.id));
    expect(services).toHaveLength(1);
    // Kith's attributes set the service's SDOH domains, assistance program and eligibility.
    expect(services[0]).toMatchObject({
      externalId: 'svc-1',
      status: 'active',
      minimumAge: 18,
      domains: ['food-insecurity'],
      assistanceKind: 'snap-application',
      eligibility: { maxPovertyPercent: 200, postalCodes: ['02124'] },
    });
    // …and are kept on the service, not as attribute rows.
    expect(
      await database.db
        .select()
        .from(directoryAttributes)
        .where(eq(directoryAttributes.organizationId, org.id)),
    ).toEqual([]);
  });

  it('reports the same rows again on a second run and changes nothing', async () => {
    const org = await buildTenant(database.db);
    const dir = folder(BAD_FEED);
    const first = await importHsds(database.db, { organizationId: org.id, path: dir });
    const second = await importHsds(database.db, { organizationId: org.id, path: dir });
    expect(countsOf(second.report)).toEqual({
      organization: '3/0/0/1/2',
      service: '8/0/0/1/7',
      attribute: '6/0/0/3/3',
      phone: '3/0/0/1/2',
    });
    expect(second.report.rejected).toEqual(first.report.rejected);
  });

  it('refuses Kith attributes that cannot be: an unknown domain code, two assistance programs, a wrong entity', async () => {
    const org = await buildTenant(database.db);
    const dir = folder({
      'organizations.csv': 'id,name\norg-1,Pantry\n',
      'services.csv': 'id,organization_id,name,status\nsvc-1,org-1,Groceries,active\n',
      'taxonomy_terms.csv': `id,code,name,taxonomy\nterm-x,not-a-domain,Made up,kith-sdoh\n${FOOD},food-insecurity,Food insecurity,kith-sdoh\n`,
      'attributes.csv':
        'id,link_id,taxonomy_term_id,link_entity,value\n' +
        `at-1,svc-1,${SNAP},service,\n` +
        `at-2,svc-1,${kithTermId('assistance', 'utility-assistance')},service,\n` +
        `at-3,org-1,${FOOD},organization,\n` +
        `at-4,svc-1,${FOOD},service,\n`,
    });
    const { report } = await importHsds(database.db, { organizationId: org.id, path: dir });
    expect(report.rejected).toEqual([
      {
        file: 'attributes.csv',
        row: 3,
        id: 'at-2',
        reason: 'the service already has an assistance attribute at attributes.csv:2',
      },
      {
        file: 'attributes.csv',
        row: 4,
        id: 'at-3',
        reason: 'link_entity must be service for a Kith attribute (got "organization")',
      },
      {
        file: 'taxonomy_terms.csv',
        row: 2,
        id: 'term-x',
        reason: expect.stringMatching(/^code "not-a-domain" is not a kith-sdoh code \(food-insecurity, /),
      },
    ]);
    // Kith's own terms are built in: read, never stored.
    expect(report.tables.taxonomy_term).toEqual({
      read: 2,
      created: 0,
      updated: 0,
      unchanged: 1,
      rejected: 1,
    });
    expect(
      await database.db
        .select()
        .from(directoryTaxonomyTerms)
        .where(eq(directoryTaxonomyTerms.organizationId, org.id)),
    ).toEqual([]);
    const [service] = await database.db
      .select()
      .from(directoryServices)
      .where(eq(directoryServices.organizationId, org.id));
    expect(service).toMatchObject({ domains: ['food-insecurity'], assistanceKind: 'snap-application' });
  });

  it('says why when there is nothing to read', async () => {
    const org = await buildTenant(database.db);
    const missing = await importHsds(database.db, { organizationId: org.id, path: '/nowhere/at/all' });
    expect(missing).toMatchObject({
      accepted: 0,
      importId: null,
      report: { warnings: ['/nowhere/at/all does not exist'] },
    });
    const empty = await importHsds(database.db, {
      organizationId: org.id,
      path: folder({ 'notes.txt': 'hello' }),
    });
    expect(empty.accepted).toBe(0);
    expect(empty.report.warnings[0]).toMatch(/holds no datapackage.json, HSDS CSV file or HSDS JSON file$/);
    const noIds = await importHsds(database.db, {
      organizationId: org.id,
      path: folder({ 'organizations.csv': 'name\nPantry\n', 'services.csv': '' }),
    });
    expect(noIds.report.warnings).toEqual([
      'no datapackage.json: the CSV files are recognised by their names',
      'organizations.csv has no id column; skipped',
      'services.csv is empty; skipped',
      'nothing to import',
    ]);
    await expect(
      importHsds(database.db, { organizationId: org.id, path: '.', source: 'kith' }),
    ).rejects.toMatchObject({
      status: 422,
    });
  });
});

describe('the HSDS 1.1 layout beyond the sample', () => {
  it('reads organizations.url, physical and postal addresses, regular schedules and the 1.1 taxonomy', async () => {
    const org = await buildTenant(database.db);
    const dir = folder({
      'organizations.csv': 'id,name,url\no1,Legal Aid,https://legal.example.org\n',
      'locations.csv': 'id,organization_id,name,latitude,longitude\nl1,o1,Main office,42.3,-71.06\n',
      'services.csv': 'id,organization_id,location_id,name,status\ns1,o1,l1,Tenant rights clinic,Active\n',
      'physical_address.csv':
        'id,location_id,address_1,city,state_province,postal_code,country\na1,l1,1 Main St,Boston,MA,02108,US\n',
      'postal_address.csv':
        'id,location_id,address_1,city,state_province,postal_code,country\na2,l1,PO Box 9,Boston,MA,02101,US\n',
      'regular_schedule.csv':
        'id,service_id,weekday,opens_at,closes_at\nr1,s1,1,9:00,17:00\nr2,s1,Saturday,10:00,13:00\n',
      'taxonomy.csv':
        'id,name,parent_id,parent_name,vocabulary\nt1,Legal,,,open-eligibility\nt2,Housing law,t1,Legal,open-eligibility\n',
      'service_taxonomy.csv': 'id,service_id,taxonomy_id,taxonomy_detail\nst1,s1,t2,\n',
    });
    const { report } = await importHsds(database.db, { organizationId: org.id, path: dir });
    expect(report.rejected).toEqual([]);
    expect(countsOf(report)).toEqual({
      organization: '1/1/0/0/0',
      service: '1/1/0/0/0',
      'service_at_location (services.location_id)': '1/1/0/0/0',
      attribute: '1/1/0/0/0',
      location: '1/1/0/0/0',
      address: '2/2/0/0/0',
      schedule: '2/2/0/0/0',
      taxonomy_term: '2/2/0/0/0',
    });
    const [organization] = await database.db
      .select()
      .from(directoryOrganizations)
      .where(eq(directoryOrganizations.organizationId, org.id));
    expect(organization!.website).toBe('https://legal.example.org');
    const [location] = await database.db
      .select()
      .from(directoryLocations)
      .where(eq(directoryLocations.organizationId, org.id));
    expect(location).toMatchObject({ locationType: 'physical', latitude: 42.3, longitude: -71.06 });
    const addresses = await database.db
      .select({ id: directoryAddresses.externalId, type: directoryAddresses.addressType })
      .from(directoryAddresses)
      .where(eq(directoryAddresses.organizationId, org.id))
      .orderBy(directoryAddresses.externalId);
    expect(addresses).toEqual([
      { id: 'a1', type: 'physical' },
      { id: 'a2', type: 'postal' },
    ]);
    const schedules = await database.db
      .select({
        id: directorySchedules.externalId,
        freq: directorySchedules.freq,
        byday: directorySchedules.byday,
        opensAt: directorySchedules.opensAt,
      })
      .from(directorySchedules)
      .where(eq(directorySchedules.organizationId, org.id))
      .orderBy(directorySchedules.externalId);
    expect(schedules).toEqual([
      { id: 'r1', freq: 'WEEKLY', byday: 'MO', opensAt: '09:00' },
      { id: 'r2', freq: 'WEEKLY', byday: 'SA', opensAt: '10:00' },
    ]);
    const [term] = await database.db
      .select()
      .from(directoryTaxonomyTerms)
      .where(
        and(eq(directoryTaxonomyTerms.organizationId, org.id), eq(directoryTaxonomyTerms.externalId, 't2')),
      );
    expect(term).toMatchObject({ name: 'Housing law', taxonomy: 'open-eligibility', parentExternalId: 't1' });
    const [attribute] = await database.db
      .select()
      .from(directoryAttributes)
      .where(eq(directoryAttributes.organizationId, org.id));
    expect(attribute).toMatchObject({
      linkEntity: 'service',
      linkExternalId: 's1',
      taxonomyTermId: term!.id,
    });
  });
});
