import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import zipcodes from 'zipcodes';
import { buildChoiceList, POST_ACUTE_KIND_CODES, POST_ACUTE_KINDS } from '../../../domain/placement.ts';
import { listPostAcuteProviders } from '../../modules/discharge/placement.providers.ts';
import { candidatesOf } from '../../modules/discharge/placement.service.ts';
import { reindexSearchDocs } from '../../modules/resources/search.index.ts';
import { organizations } from '../../platform/platform.tables.ts';
import { createTestDatabase, type TestDatabase, testEngine } from '../../test/database.ts';
import { DEMO_POST_ACUTE_PROVIDERS, DEMO_RATING_SOURCE, writeDemoPostAcute } from './post-acute.ts';

const NOW = new Date('2026-03-11T19:30:00Z').getTime();

describe(`the demo post-acute providers on ${testEngine}`, () => {
  let database: TestDatabase;
  let organizationId = '';
  let serviceIds: string[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
    const [org] = await database.db
      .insert(organizations)
      .values({ slug: 'riverside', name: 'Riverside', timeZone: 'America/New_York' })
      .returning();
    organizationId = org!.id;
    ({ serviceIds } = await database.db.transaction(async (tx) => {
      const made = await writeDemoPostAcute(tx, { seed: 2026, now: NOW, organizationId });
      await reindexSearchDocs(tx, organizationId);
      return made;
    }));
  }, 120_000);
  afterAll(() => database?.drop());

  it('has 15 to 25 providers, of every kind, each rated on the four Care Compare measures', async () => {
    expect(serviceIds.length).toBeGreaterThanOrEqual(15);
    expect(serviceIds.length).toBeLessThanOrEqual(25);
    const all = await listPostAcuteProviders(database.db, organizationId, {});
    expect(all).toHaveLength(serviceIds.length);
    for (const kind of POST_ACUTE_KIND_CODES) {
      const ofKind = all.filter((p) => p.kind === kind);
      expect(ofKind.length, POST_ACUTE_KINDS[kind]).toBeGreaterThanOrEqual(2);
      for (const provider of ofKind) {
        expect(provider.capabilities.length).toBeGreaterThan(0);
        expect(provider.ratings.map((r) => r.measure).sort()).toEqual([
          'health-inspections',
          'overall',
          'quality-measures',
          'staffing',
        ]);
        for (const rating of provider.ratings) {
          expect(rating.source).toBe(DEMO_RATING_SOURCE);
          expect(rating.asOf).toMatch(/^2026-02-\d\d$/);
          expect(Number(rating.value)).toBeGreaterThanOrEqual(1);
          expect(Number(rating.value)).toBeLessThanOrEqual(5);
        }
      }
    }
  });

  it('places every provider at a real ZIP around the demo patients, in the directory’s search read model', async () => {
    for (const p of DEMO_POST_ACUTE_PROVIDERS) expect(zipcodes.lookup(p.zip), p.name).toBeTruthy();
    const indexed = await database.query<{ n: number }>(
      `select count(distinct service_id)::int as n from directory_search_docs where organization_id = $1`,
      [organizationId],
    );
    expect(indexed[0]!.n).toBe(serviceIds.length);
  });

  it('gives a Boston inpatient on Medicaid a choice list of skilled nursing facilities, nearest first', async () => {
    const candidates = await candidatesOf(database.db, organizationId, 'snf');
    const southEnd = zipcodes.lookup('02118')!;
    const { entries, excluded } = buildChoiceList(candidates, {
      origin: { latitude: southEnd.latitude, longitude: southEnd.longitude },
      radiusMiles: 25,
      needs: ['medicaid-beds'],
      facts: {
        age: 80,
        payerTypes: ['medicaid'],
        householdSize: null,
        householdIncome: null,
        postalCode: '02118',
        state: 'MA',
      },
      year: 2026,
    });
    expect(entries.length).toBeGreaterThanOrEqual(3);
    expect(entries[0]!.name).toBe('South End Skilled Nursing and Rehabilitation');
    expect(entries.every((e) => e.ratings.length === 4 && e.phone && e.address)).toBe(true);
    expect(excluded.inactive).toBe(1);
  });

  it('is the same, ids included, from the same seed', async () => {
    const again = await createTestDatabase();
    try {
      const [org] = await again.db
        .insert(organizations)
        .values({ slug: 'riverside', name: 'Riverside', timeZone: 'America/New_York' })
        .returning();
      const made = await writeDemoPostAcute(again.db, { seed: 2026, now: NOW, organizationId: org!.id });
      expect(made.serviceIds).toEqual(serviceIds);
    } finally {
      await again.drop();
    }
  }, 120_000);
});
