import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResourceSearchQuery } from '../../../domain/schemas/resources.ts';
import type { Actor } from '../../platform/actor.ts';
import { testEngine } from '../../test/database.ts';
import { buildOrganization, startTestApp, type TestContext } from '../../test/harness.ts';
import { directoryServices } from './resources.tables.ts';
import { addService, type BuiltService } from './search.fixtures.ts';
import { type IndexTuning, reindexSearchDocs, removeSearchDocs } from './search.index.ts';
import { type SearchTuning, searchDirectory } from './search.service.ts';

// A small directory with the thresholds of a large one scaled down, so that "food" is a common word whose
// postings are walked (the plan a 100,000-service directory takes) and "zebra" crosses the line.
const INDEX: IndexTuning = { rareWordDocs: 5, postingsPerWord: 12 };
const WALK: SearchTuning = { rareWordDocs: 5, candidates: 10, walkBudget: 12 };
const RANK_ALL: SearchTuning = { rareWordDocs: 10_000, candidates: 10, walkBudget: 12 };

let t: TestContext;
let tenant: string;
let actor: Actor;
const food: BuiltService[] = [];

const FLAVOURS = ['pantry', 'kitchen', 'market', 'bank', 'cupboard'];

beforeAll(async () => {
  t = await startTestApp();
  const org = await buildOrganization(t, { timeZone: 'America/New_York' });
  tenant = org.id;
  actor = {
    userId: '00000000-0000-7000-8000-000000000000',
    organizationId: tenant,
    role: 'social_worker',
    email: 'worker@hospital.test',
    displayName: 'Worker',
    via: 'session',
    sessionId: null,
    tokenId: null,
    mfaEnrolmentRequired: false,
  };
  const shared = { orgs: new Map<string, string>(), places: new Map<string, string>() };
  await t.database.db.transaction(async (tx) => {
    for (let i = 0; i < 40; i++) {
      const flavour = FLAVOURS[i % FLAVOURS.length]!;
      food.push(
        await addService(
          tx,
          tenant,
          {
            // Some hold "food" in the name (weighs most), the rest only in the description; lengths vary.
            name: i % 3 === 0 ? `Community Food ${flavour} ${i}` : `Neighbourhood ${flavour} ${i}`,
            organization: `Network ${i % 7}`,
            description: `Free food and groceries${' for every family in the neighbourhood'.repeat(i % 4)}.`,
            domains: i % 10 === 0 ? ['food-insecurity', 'financial-insecurity'] : ['food-insecurity'],
            locations: [{ zip: '02118', latitude: 42.3362 + i * 0.001, longitude: -71.0729 }],
            schedules: [{ freq: 'DAILY', opensAt: '00:00', closesAt: '23:59' }],
          },
          shared,
        ),
      );
    }
    await reindexSearchDocs(tx, tenant, undefined, INDEX);
  });
}, 60_000);
afterAll(() => t.close());

const run = (query: string, tuning: SearchTuning) =>
  searchDirectory(
    t.database.db,
    actor,
    { ip: null, userAgent: null },
    ResourceSearchQuery.parse(Object.fromEntries(new URLSearchParams(query))),
    { tuning },
  );
const ids = (r: { items: { id: string }[] }) => r.items.map((i) => i.id);
const rows = <T>(text: string, params: unknown[] = []) => t.database.query<T>(text, params);

/** Postings per word, and whether each word's postings hold every document at least as heavy as its lightest. */
async function postingsHealth() {
  return rows<{ term: string; held: number; complete: boolean }>(
    `with w as (
       select d.id, u.lexeme as term, ts_rank(d.document, quote_literal(u.lexeme)::tsquery, 1)
         * (1 + (hashtext(d.id::text) & 1023) * 1e-6::float8) as weight
       from directory_search_docs d, unnest(d.document) u where d.organization_id = $1
     ), lightest as (
       select term, min(weight) as floor, count(*)::int as held from directory_search_terms
       where organization_id = $1 group by term
     )
     select l.term, l.held, not exists (
       select 1 from w where w.term = l.term and w.weight::real >= l.floor
         and not exists (select 1 from directory_search_terms t where t.doc_id = w.id and t.term = w.term)
     ) as complete
     from lightest l order by l.term`,
    [tenant],
  );
}

describe(`walking a common word's postings (${testEngine})`, () => {
  it('keeps the best documents of each common word only, and no postings of rare words', async () => {
    const health = await postingsHealth();
    const foodPostings = health.find((h) => h.term === 'food')!;
    expect(foodPostings.held).toBeGreaterThanOrEqual(12);
    expect(foodPostings.held).toBeLessThan(40);
    expect(health.every((h) => h.complete)).toBe(true);
    // Only words in more than 5 documents have postings.
    const rare = await rows<{ term: string }>(
      `select distinct t.term from directory_search_terms t join directory_search_lexicon x
         on x.organization_id = t.organization_id and x.term = t.term
       where t.organization_id = $1 and x.doc_count <= 5`,
      [tenant],
    );
    expect(rare).toEqual([]);
    expect(health.map((h) => h.term)).toContain('pantri');
    const lexicon = await rows<{ doc_count: number }>(
      `select doc_count from directory_search_lexicon where organization_id = $1 and term = 'food'`,
      [tenant],
    );
    expect(lexicon[0]!.doc_count).toBe(40);
  });

  it('gives the same first page as ranking every match, counting only up to its candidates', async () => {
    const walked = await run('q=food&pageSize=5', WALK);
    const ranked = await run('q=food&pageSize=5', RANK_ALL);
    expect(ids(walked)).toEqual(ids(ranked));
    expect(walked.items[0]!.name).toMatch(/^Community Food/);
    expect({ total: walked.total, capped: walked.totalIsCapped }).toEqual({ total: 10, capped: true });
    expect({ total: ranked.total, capped: ranked.totalIsCapped }).toEqual({ total: 40, capped: false });
  });

  it('falls back to ranking every match when the filters leave the walk short of a page, with the same result', async () => {
    const query = 'q=food&domain=financial-insecurity&pageSize=5';
    const walked = await run(query, WALK);
    const ranked = await run(query, RANK_ALL);
    expect(ids(walked)).toEqual(ids(ranked));
    expect(walked.total).toBe(4);
    expect(walked.totalIsCapped).toBe(false);
    const within = await run('q=food&zip=02118&radiusMiles=0.5&pageSize=5', WALK);
    expect(ids(within)).toEqual(ids(await run('q=food&zip=02118&radiusMiles=0.5&pageSize=5', RANK_ALL)));
  });

  it('takes a changed document into a word’s postings when it weighs enough, and out when removed', async () => {
    const heavy = food[39]!;
    await t.database.db.transaction(async (tx) => {
      await tx
        .update(directoryServices)
        .set({ name: 'Food Food Food' })
        .where(eq(directoryServices.id, heavy.id));
      await reindexSearchDocs(tx, tenant, [heavy.id], INDEX);
    });
    const walked = await run('q=food&pageSize=5', WALK);
    expect(walked.items[0]!.name).toBe('Food Food Food');
    expect(ids(walked)).toEqual(ids(await run('q=food&pageSize=5', RANK_ALL)));
    expect((await postingsHealth()).every((h) => h.complete)).toBe(true);

    await t.database.db.transaction((tx) => removeSearchDocs(tx, tenant, [heavy.id], INDEX));
    expect((await run('q=food&pageSize=5', WALK)).items.map((i) => i.name)).not.toContain('Food Food Food');
    const lexicon = await rows<{ doc_count: number }>(
      `select doc_count from directory_search_lexicon where organization_id = $1 and term = 'food'`,
      [tenant],
    );
    expect(lexicon[0]!.doc_count).toBe(39);
  });

  it('writes the postings of a word that becomes common, and drops them when it becomes rare again', async () => {
    const zebra = food.slice(0, 7);
    const rename = async (services: BuiltService[], name: (i: number) => string) =>
      t.database.db.transaction(async (tx) => {
        for (const [i, s] of services.entries()) {
          await tx
            .update(directoryServices)
            .set({ name: name(i) })
            .where(eq(directoryServices.id, s.id));
        }
        await reindexSearchDocs(
          tx,
          tenant,
          services.map((s) => s.id),
          INDEX,
        );
      });
    const zebraPostings = async () =>
      (
        await rows<{ n: number }>(
          `select count(*)::int as n from directory_search_terms where organization_id = $1 and term = 'zebra'`,
          [tenant],
        )
      )[0]!.n;
    await rename(zebra.slice(0, 4), (i) => `Zebra Crossing Food Help ${i}`);
    expect(await zebraPostings()).toBe(0); // 4 documents: rare
    await rename(zebra.slice(4), (i) => `Zebra Stripes Food Help ${i}`);
    expect(await zebraPostings()).toBe(7); // 7 documents: common, all kept (fewer than 12)
    expect(ids(await run('q=zebra+food&pageSize=5', WALK))).toEqual(
      ids(await run('q=zebra+food&pageSize=5', RANK_ALL)),
    );
    await rename(zebra.slice(0, 3), (i) => `Plain Food Help ${i}`);
    expect(await zebraPostings()).toBe(0); // 4 again: rare, postings gone
    const drift = await rows<{ n: number }>(
      `select count(*)::int as n from (
         select term, doc_count from directory_search_lexicon where organization_id = $1
         except
         select u.lexeme, count(*)::int from directory_search_docs d, unnest(d.document) u
         where d.organization_id = $1 group by u.lexeme) x`,
      [tenant],
    );
    expect(drift[0]!.n).toBe(0);
    expect((await postingsHealth()).every((h) => h.complete)).toBe(true);
  });
});
