import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reindexSearchDocs } from '../../modules/resources/search.index.ts';
import { organizations } from '../../platform/platform.tables.ts';
import { createTestDatabase, type TestDatabase, testEngine } from '../../test/database.ts';
import {
  DEMO_DIRECTORY_SERVICES,
  DIRECTORY_TABLES,
  FOOD_PANTRY_NETWORK,
  writeDemoDirectory,
} from './directory.ts';
import { BOSTON_AREA } from './directory-vocab.ts';
import { RowWriter } from './writer.ts';

const NOW = new Date('2026-03-11T19:30:00Z').getTime();
const TABLES = [
  'directory_organizations',
  'directory_locations',
  'directory_addresses',
  'directory_services',
  'directory_service_at_locations',
  'directory_phones',
  'directory_schedules',
  'directory_languages',
  'directory_cost_options',
  'directory_required_documents',
  'directory_taxonomy_terms',
  'directory_attributes',
];

async function directoryOf(seed: number) {
  const database = await createTestDatabase();
  const [org] = await database.db
    .insert(organizations)
    .values({ slug: `demo-${seed}`, name: 'Riverside', timeZone: 'America/New_York' })
    .returning();
  const w = new RowWriter(DIRECTORY_TABLES);
  const directory = await database.db.transaction(async (tx) => {
    const made = await writeDemoDirectory(tx, w, {
      seed,
      now: NOW,
      organizationId: org!.id,
      services: DEMO_DIRECTORY_SERVICES,
    });
    await reindexSearchDocs(tx, org!.id);
    return made;
  });
  return { database, organizationId: org!.id, directory };
}

/** A digest of every row of the directory tables, the tenant's id left out. */
async function digest(database: TestDatabase) {
  const out: Record<string, string> = {};
  for (const table of TABLES) {
    const [row] = await database.query<{ md5: string; n: number }>(
      `select md5(coalesce(string_agg(r, '|' order by r), '')) as md5, count(*)::int as n
         from (select (to_jsonb(t) - 'organization_id' - 'created_at' - 'updated_at')::text as r from ${table} t) x`,
    );
    out[table] = `${row!.n}:${row!.md5}`;
  }
  return out;
}

describe(`the demo directory on ${testEngine}`, () => {
  let first: Awaited<ReturnType<typeof directoryOf>>;
  beforeAll(async () => {
    first = await directoryOf(2026);
  }, 120_000);
  afterAll(() => first?.database.drop());

  it('is the same, ids included, from the same seed, and another from another seed', {
    timeout: 120_000,
  }, async () => {
    const again = await directoryOf(2026);
    const other = await directoryOf(7);
    try {
      expect(await digest(again.database)).toEqual(await digest(first.database));
      expect((await digest(other.database)).directory_services).not.toEqual(
        (await digest(first.database)).directory_services,
      );
    } finally {
      await again.database.drop();
      await other.database.drop();
    }
  });

  it('has a few hundred Boston-area services, some inactive, all searchable', async () => {
    const [counts] = await first.database.query<{
      services: number;
      inactive: number;
      docs: number;
      zips: number;
      placed: number;
    }>(
      `select (select count(*)::int from directory_services) as services,
         (select count(*)::int from directory_services where status <> 'active') as inactive,
         (select count(*)::int from directory_search_docs) as docs,
         (select count(*)::int from directory_addresses where not (postal_code = any($1))) as zips,
         (select count(*)::int from directory_search_docs where latitude is not null) as placed`,
      [BOSTON_AREA.map(([zip]) => zip)],
    );
    expect(counts!.services).toBe(DEMO_DIRECTORY_SERVICES);
    expect(counts!.inactive).toBeGreaterThan(3);
    expect(counts!.docs).toBeGreaterThanOrEqual(counts!.services - 5);
    expect(counts!.zips).toBe(0); // every address in a Boston-area ZIP
    // Every located document has coordinates (its own, or its ZIP's).
    const [located] = await first.database.query<{ n: number }>(
      `select count(*)::int as n from directory_search_docs where location_id is not null`,
    );
    expect(counts!.placed).toBe(located!.n);
    expect(first.directory.services.length).toBe(counts!.services);
  });

  it('has the food pantry network with its referral email and a pantry open from 6 AM to midnight every day', async () => {
    const [pantry] = await first.database.query<{
      email: string;
      hours: string;
      cost: string;
      status: string;
    }>(
      `select o.referral_email as email, d.open_hours::text as hours, d.cost, d.status
         from directory_search_docs d join directory_services s on s.id = d.service_id
         join directory_organizations o on o.id = s.directory_organization_id
        where s.name = $1`,
      [FOOD_PANTRY_NETWORK.pantry],
    );
    expect(pantry).toMatchObject({
      email: FOOD_PANTRY_NETWORK.referralEmail,
      cost: 'free',
      status: 'active',
    });
    expect(pantry!.hours).toBe(
      `{${Array.from({ length: 7 }, (_, d) => `[${d * 1440 + 360},${(d + 1) * 1440})`).join(',')}}`,
    );
  });

  it('has hours past midnight, around the clock, across the end of the week, and monthly', async () => {
    const [h] = await first.database.query<{ wrap: number; always: number; late: number; monthly: number }>(
      `select count(*) filter (where open_hours @> 0 and open_hours @> 10079)::int as wrap,
              count(*) filter (where open_hours = '{[0,10080)}')::int as always,
              count(*) filter (where open_hours @> (4 * 1440 + 60))::int as late,
              (select count(*)::int from directory_schedules where freq = 'MONTHLY') as monthly
         from directory_search_docs`,
    );
    expect(h!.wrap).toBeGreaterThan(0);
    expect(h!.always).toBeGreaterThan(0);
    expect(h!.late).toBeGreaterThan(h!.always); // open at 1 AM on a Friday without being 24/7
    expect(h!.monthly).toBeGreaterThan(0);
  });

  it('offers the languages of the area and financial-assistance programs with eligibility rules', async () => {
    const languages = await first.database.query<{ code: string }>(
      `select distinct unnest(languages) as code from directory_search_docs order by 1`,
    );
    expect(languages.map((l) => l.code)).toEqual(['en', 'es', 'ht', 'pt', 'vi', 'zh']);
    const [programs] = await first.database.query<{ kinds: number; poverty: number; age: number }>(
      `select count(distinct assistance_kind)::int as kinds,
              count(*) filter (where max_poverty_percent is not null)::int as poverty,
              count(*) filter (where minimum_age is not null)::int as age
         from directory_search_docs`,
    );
    expect(programs!.kinds).toBe(6);
    expect(programs!.poverty).toBeGreaterThan(10);
    expect(programs!.age).toBeGreaterThan(3);
  });
});
