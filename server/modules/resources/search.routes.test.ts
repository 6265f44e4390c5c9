import { TZDate } from '@date-fns/tz';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { ResourceSearchResponse } from '../../../domain/schemas/resources.ts';
import { auditEvents } from '../../platform/platform.tables.ts';
import { testEngine } from '../../test/database.ts';
import {
  buildOrganization,
  buildPatient,
  buildUser,
  type Client,
  signIn,
  startTestApp,
  type TestContext,
} from '../../test/harness.ts';
import { patients } from '../patients/patients.tables.ts';
import { directoryServices } from './resources.tables.ts';
import { addService, type BuiltService, type ServiceSpec } from './search.fixtures.ts';
import { reindexSearchDocs } from './search.index.ts';

type Response = z.infer<typeof ResourceSearchResponse>;

const weekdays = (opensAt: string, closesAt: string) => [
  { freq: 'WEEKLY', byday: 'MO,TU,WE,TH,FR', opensAt, closesAt },
];
const SOUTH_END = { name: 'South End', zip: '02118', latitude: 42.3362, longitude: -71.0729 };
const CAMBRIDGE = {
  name: 'Cambridge',
  zip: '02139',
  city: 'Cambridge',
  latitude: 42.3647,
  longitude: -71.1042,
};
const HARBOR = { name: 'Harbor Food Network', referralEmail: 'referrals@harbor.example.org' };
const DAY_CODES = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
// Two days from now in Boston: a service open only then is closed now, whatever the time of the run.
const later = DAY_CODES[(new TZDate(Date.now(), 'America/New_York').getDay() + 2) % 7]!;

const SERVICES = {
  nightPantry: {
    name: 'Night Owl Food Pantry',
    organization: HARBOR,
    description: 'Groceries and fresh produce late on Friday nights.',
    domains: ['food-insecurity'],
    locations: [SOUTH_END],
    schedules: [{ freq: 'WEEKLY', byday: 'FR', opensAt: '22:00', closesAt: '02:00' }],
    languages: ['en', 'es'],
    cost: 'free',
    taxonomy: [{ code: 'BD-1800.2000', name: 'Food Pantries' }],
    phone: '(617) 555-0101',
  },
  meals: {
    name: 'Harbor Community Meals',
    organization: HARBOR,
    description: 'Hot meals every day, around the clock.',
    domains: ['food-insecurity'],
    locations: [CAMBRIDGE],
    schedules: [{ freq: 'DAILY', opensAt: '00:00', closesAt: '23:59' }],
    languages: ['en', 'pt'],
    cost: 'fee',
    taxonomy: [{ code: 'BD-5000.8300', name: 'Soup Kitchens' }],
  },
  worcester: {
    name: 'Worcester Food Pantry',
    organization: 'Worcester Pantry Partners',
    domains: ['food-insecurity'],
    locations: [{ zip: '01608', city: 'Worcester', latitude: 42.2624, longitude: -71.8003 }],
    schedules: weekdays('09:00', '17:00'),
    languages: ['en'],
    taxonomy: [{ code: 'BD-1800.2000', name: 'Food Pantries' }],
  },
  fuel: {
    name: 'Fuel Assistance Program',
    organization: 'Eastside Energy Help',
    description: 'Help paying heating bills in winter.',
    domains: ['utility-insecurity'],
    assistanceKind: 'utility-assistance',
    eligibility: { maxPovertyPercent: 200 },
    locations: [{ zip: '02118', latitude: 42.3362, longitude: -71.0729 }],
    schedules: weekdays('09:00', '17:00'),
    languages: ['en', 'ht'],
    cost: 'free',
  },
  homeMeals: {
    name: 'Senior Home-Delivered Meals',
    organization: 'Elder Meals Together',
    description: 'Meals delivered to older adults at home.',
    domains: ['food-insecurity'],
    eligibility: { minAge: 60 },
    schedules: weekdays('08:00', '16:00'),
    languages: ['en'],
  },
  legal: {
    name: 'Tenant Legal Help',
    organization: 'Neighborhood Legal Aid',
    domains: ['housing-instability'],
    eligibility: { payers: ['medicaid'], postalCodes: ['02118', '02119'] },
    // No coordinates: placed at its ZIP's centroid.
    locations: [{ name: 'Roxbury office', zip: '02119', city: 'Roxbury' }],
    schedules: weekdays('09:00', '17:00'),
  },
  closedPantry: {
    name: 'Old Food Pantry',
    domains: ['food-insecurity'],
    status: 'inactive',
    locations: ['South End'],
  },
  sundayShelter: {
    name: 'Sunday Night Shelter',
    organization: 'Safe Harbor Shelter',
    domains: ['homelessness'],
    locations: [{ zip: '02139', city: 'Cambridge', latitude: 42.365, longitude: -71.1 }],
    schedules: [{ freq: 'WEEKLY', byday: 'SU', opensAt: '22:00', closesAt: '02:00' }],
  },
  laterClinic: {
    name: 'Springfield Benefits Clinic',
    domains: ['medical-cost-burden'],
    locations: [{ zip: '01103', city: 'Springfield', latitude: 42.1029, longitude: -72.5887 }],
    schedules: [{ freq: 'WEEKLY', byday: later, opensAt: '00:00', closesAt: '23:59' }],
  },
} satisfies Record<string, ServiceSpec>;
type Name = keyof typeof SERVICES;

let t: TestContext;
let org: Awaited<ReturnType<typeof buildOrganization>>;
let worker: Client;
let workerUser: Awaited<ReturnType<typeof buildUser>>;
const built = {} as Record<Name, BuiltService>;

beforeAll(async () => {
  t = await startTestApp();
  org = await buildOrganization(t, { timeZone: 'America/New_York' });
  workerUser = await buildUser(t, { organization: org });
  worker = await signIn(t, workerUser);
  const shared = { orgs: new Map<string, string>(), places: new Map<string, string>() };
  await t.database.db.transaction(async (tx) => {
    for (const [key, spec] of Object.entries(SERVICES) as [Name, ServiceSpec][]) {
      built[key] = await addService(tx, org.id, spec, shared);
    }
    await reindexSearchDocs(tx, org.id);
  });
}, 60_000);
afterAll(() => t.close());

const search = async (query: string, client: Client = worker): Promise<Response> => {
  const res = await client.get(`/api/resources/search?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const names = (r: Response) => r.items.map((i) => i.name);
const sorted = (r: Response) => names(r).sort();
const nameOf = (key: Name) => SERVICES[key].name;

describe(`GET /api/resources/search on ${testEngine}`, () => {
  it('ranks the services whose name holds the word first, and never shows an inactive one', async () => {
    const r = await search('q=pantry');
    expect(sorted(r)).toEqual([nameOf('nightPantry'), nameOf('worcester')].sort());
    expect(r.total).toBe(2);
    expect(r.totalIsCapped).toBe(false);
    const food = await search('q=food');
    expect(names(food)).not.toContain(nameOf('closedPantry'));
    // In the name (weight A) before in the organisation's name or the need's label.
    expect(names(food).slice(0, 2).sort()).toEqual([nameOf('nightPantry'), nameOf('worcester')].sort());
    expect(food.items[0]!.why[0]).toMatchObject({ kind: 'text' });
    expect(food.items[0]!.why[0]!.text).toMatch(/^Matches “food” in the name/);
  });

  it('corrects a word the directory does not hold to its nearest word, and says so', async () => {
    const r = await search('q=pantyr');
    expect(r.corrections).toEqual([{ from: 'pantyr', to: 'pantry' }]);
    expect(sorted(r)).toEqual([nameOf('nightPantry'), nameOf('worcester')].sort());
    expect(r.items[0]!.why.map((w) => w.kind)).toContain('corrected');
    const none = await search('q=xqzvvw');
    expect(none).toMatchObject({ items: [], total: 0, corrections: [] });
  });

  it('needs every word: "food pantry" finds the pantries, not the meals', async () => {
    expect(sorted(await search('q=food+pantry'))).toEqual(
      [nameOf('nightPantry'), nameOf('worcester')].sort(),
    );
  });

  it('filters by need (SDOH domain), alone and several at once', async () => {
    expect(names(await search('domain=utility-insecurity'))).toEqual([nameOf('fuel')]);
    expect(sorted(await search('domain=homelessness&domain=housing-instability'))).toEqual(
      [nameOf('sundayShelter'), nameOf('legal')].sort(),
    );
  });

  it('filters by taxonomy code, a code also matching the codes under it', async () => {
    expect(sorted(await search('taxonomy=BD-1800'))).toEqual(
      [nameOf('nightPantry'), nameOf('worcester')].sort(),
    );
    expect(names(await search('taxonomy=BD-5000.8300'))).toEqual([nameOf('meals')]);
    expect(names(await search('taxonomy=BD-18'))).toEqual([]);
  });

  it('orders by distance from a ZIP code within the radius, and places a location without coordinates at its ZIP', async () => {
    const r = await search('zip=02118&radiusMiles=50&sort=distance');
    expect(r.origin).toEqual({ zip: '02118', label: 'Boston, MA' });
    const miles = r.items.map((i) => i.distanceMiles!);
    expect(miles).toEqual([...miles].sort((a, b) => a - b));
    expect(names(r).slice(0, 2).sort()).toEqual([nameOf('nightPantry'), nameOf('fuel')].sort());
    expect(names(r)[2]).toBe(nameOf('legal')); // 02119's centroid, about a mile away
    expect(names(r).at(-1)).toBe(nameOf('worcester'));
    expect(r.items.at(-1)!.distanceMiles).toBeGreaterThan(30);
    // Springfield is 80 miles away; a service with no location has no distance.
    expect(names(r)).not.toContain(nameOf('laterClinic'));
    expect(names(r)).not.toContain(nameOf('homeMeals'));
    const near = await search('zip=02118&radiusMiles=5');
    expect(names(near)).not.toContain(nameOf('worcester'));
    expect(near.items[0]!.why.find((w) => w.kind === 'distance')!.text).toMatch(
      /^0 mi from ZIP 02118 \(within 5 mi\)$/,
    );
  });

  it('finds what is open at a time on its own clock, including hours past midnight', async () => {
    // Friday 6 March 2026, 23:30 in Boston.
    const friday = await search(`openAt=${encodeURIComponent('2026-03-06T23:30:00-05:00')}`);
    expect(sorted(friday)).toEqual([nameOf('nightPantry'), nameOf('meals')].sort());
    // Saturday 01:00: the Friday-night pantry is still open; at 03:00 it is not.
    const early = await search(`openAt=${encodeURIComponent('2026-03-07T01:00:00-05:00')}`);
    expect(sorted(early)).toEqual([nameOf('nightPantry'), nameOf('meals')].sort());
    const open = early.items.find((i) => i.name === nameOf('nightPantry'))!;
    expect(open.why.find((w) => w.kind === 'open')!.text).toBe('Open then, until 2 AM');
    const late = await search(`openAt=${encodeURIComponent('2026-03-07T03:00:00-05:00')}`);
    expect(names(late)).toEqual([nameOf('meals')]);
    // Sunday 22:00 to Monday 02:00 wraps the week: open on Monday at 01:00 (daylight time), not at 03:00.
    expect(sorted(await search(`openAt=${encodeURIComponent('2026-03-09T01:00:00-04:00')}`))).toEqual(
      [nameOf('meals'), nameOf('sundayShelter')].sort(),
    );
    expect(names(await search(`openAt=${encodeURIComponent('2026-03-09T03:00:00-04:00')}`))).toEqual([
      nameOf('meals'),
    ]);
  });

  it('finds what is open now: the 24-hour meals are, the clinic open only the day after tomorrow is not', async () => {
    const r = await search('openNow=true');
    expect(names(r)).toContain(nameOf('meals'));
    expect(names(r)).not.toContain(nameOf('laterClinic'));
    const meals = r.items.find((i) => i.name === nameOf('meals'))!;
    expect(meals.hoursToday).toEqual({ text: 'Open 24 hours', openNow: true });
    expect(meals.why.find((w) => w.kind === 'open')!.text).toBe('Open now, 24 hours');
  });

  it('filters by language, cost and financial-assistance program', async () => {
    expect(names(await search('language=ht'))).toEqual([nameOf('fuel')]);
    expect(names(await search('language=pt'))).toEqual([nameOf('meals')]);
    expect(sorted(await search('cost=free'))).toEqual([nameOf('nightPantry'), nameOf('fuel')].sort());
    expect(names(await search('assistanceKind=utility-assistance'))).toEqual([nameOf('fuel')]);
    const free = await search('cost=free&language=es');
    expect(free.items[0]!.why.map((w) => w.text)).toEqual(['Offered in Spanish', 'Free']);
  });

  it('combines every filter and says why each result matched', async () => {
    const r = await search(
      `q=food&domain=food-insecurity&zip=02118&radiusMiles=10&openAt=${encodeURIComponent('2026-03-07T01:00:00-05:00')}&language=es&cost=free`,
    );
    expect(names(r)).toEqual([nameOf('nightPantry')]);
    const [item] = r.items;
    expect(item).toMatchObject({
      organization: { name: HARBOR.name },
      address: expect.stringMatching(/^\d+ Main Street, Boston, MA 02118$/),
      phone: '(617) 555-0101',
      distanceMiles: 0,
      languages: ['en', 'es'],
      cost: 'free',
      eligibility: null,
      domains: ['food-insecurity'],
    });
    expect(item!.why.map((w) => w.kind)).toEqual(['text', 'domain', 'distance', 'open', 'language', 'cost']);
    expect(item!.why.find((w) => w.kind === 'domain')!.text).toBe('Addresses food insecurity');
  });

  it('shows today’s hours from the schedules, and "Hours not listed" without any', async () => {
    const r = await search('q=old+pantry&domain=food-insecurity');
    expect(r.items).toEqual([]);
    const pantry = (await search('q=night+owl')).items[0]!;
    expect(pantry.hoursToday.text).toMatch(/^(10:00 PM – 2:00 AM|Until 2:00 AM|Closed today)$/);
  });

  it('pages, with at most 50 a page', async () => {
    const first = await search('domain=food-insecurity&sort=name&pageSize=2');
    const second = await search('domain=food-insecurity&sort=name&pageSize=2&page=2');
    expect(first.total).toBe(4);
    expect([...names(first), ...names(second)]).toEqual(
      [nameOf('meals'), nameOf('nightPantry'), nameOf('homeMeals'), nameOf('worcester')].sort((a, b) =>
        a.toLowerCase().localeCompare(b.toLowerCase()),
      ),
    );
  });
});

describe('search for a patient', () => {
  async function patientWith(over: Partial<typeof patients.$inferInsert>, careTeam = [workerUser]) {
    const patient = await buildPatient(t, { organization: org, careTeam });
    await t.database.db
      .update(patients)
      .set({
        birthDate: '1986-01-15',
        address: { line1: '1 Tremont St', city: 'Boston', state: 'MA', postalCode: '02118', country: 'US' },
        insurance: [
          { payerType: 'commercial', payerName: 'Harvard Pilgrim', memberId: 'HP1', primary: true },
        ],
        householdSize: 4,
        householdIncome: 64_300,
        ...over,
      })
      .where(eq(patients.id, patient.id));
    return patient;
  }

  it('keeps income at exactly 200 % of the poverty line for the household eligible, and one dollar over out', async () => {
    const at = await patientWith({ householdIncome: 64_300 });
    const eligible = await search(`patientId=${at.id}&eligible=true&domain=utility-insecurity`);
    expect(names(eligible)).toEqual([nameOf('fuel')]);
    expect(eligible.items[0]!.eligibility).toEqual({
      verdict: 'eligible',
      reasons: ['Household income $64,300 is within 200% of the poverty guideline for 4 people ($64,300)'],
    });
    const over = await patientWith({ householdIncome: 64_301 });
    expect(names(await search(`patientId=${over.id}&eligible=true&domain=utility-insecurity`))).toEqual([]);
    // Without eligible=true the service is shown, with the verdict and the failing rule.
    const shown = await search(`patientId=${over.id}&domain=utility-insecurity`);
    expect(shown.items[0]!.eligibility).toEqual({
      verdict: 'not-eligible',
      reasons: ['Household income $64,301 is above 200% of the poverty guideline for 4 people ($64,300)'],
    });
  });

  it('moves the income limit with the household size', async () => {
    const three = await patientWith({ householdSize: 3, householdIncome: 53_300 });
    expect(names(await search(`patientId=${three.id}&eligible=true&domain=utility-insecurity`))).toEqual([
      nameOf('fuel'),
    ]);
    const threeOver = await patientWith({ householdSize: 3, householdIncome: 53_301 });
    expect(names(await search(`patientId=${threeOver.id}&eligible=true&domain=utility-insecurity`))).toEqual(
      [],
    );
    const four = await patientWith({ householdSize: 4, householdIncome: 53_301 });
    expect(names(await search(`patientId=${four.id}&eligible=true&domain=utility-insecurity`))).toEqual([
      nameOf('fuel'),
    ]);
  });

  it('keeps a service the record cannot check as "possibly", and leaves out certain failures of age and coverage', async () => {
    const unknown = await patientWith({ householdSize: null, householdIncome: null });
    const r = await search(`patientId=${unknown.id}&eligible=true`);
    const fuel = r.items.find((i) => i.name === nameOf('fuel'))!;
    expect(fuel.eligibility).toEqual({
      verdict: 'possibly',
      reasons: [
        'Household size and income not recorded: cannot check the limit of 200% of the poverty guideline',
      ],
    });
    expect(fuel.why.find((w) => w.kind === 'eligibility')!.text).toMatch(
      /^Possibly eligible: Household size/,
    );
    // 40 years old: not the over-60s meals; commercial coverage: not the Medicaid-only legal help.
    expect(names(r)).not.toContain(nameOf('homeMeals'));
    expect(names(r)).not.toContain(nameOf('legal'));
    const all = await search(`patientId=${unknown.id}&domain=food-insecurity`);
    expect(all.items.find((i) => i.name === nameOf('homeMeals'))!.eligibility).toEqual({
      verdict: 'not-eligible',
      reasons: ['Age 40 is under the minimum of 60'],
    });
    const covered = await patientWith({
      insurance: [{ payerType: 'medicaid', payerName: 'MassHealth', memberId: 'MH1', primary: true }],
    });
    expect(names(await search(`patientId=${covered.id}&eligible=true&domain=housing-instability`))).toEqual([
      nameOf('legal'),
    ]);
  });

  it('measures distance from the patient’s home ZIP, reads the record through the access check and audits it without the words', async () => {
    const patient = await patientWith({});
    const r = await search(`patientId=${patient.id}&radiusMiles=1&q=pantry`);
    expect(r.origin).toEqual({ zip: '02118', label: 'Boston, MA' });
    expect(names(r)).toEqual([nameOf('nightPantry')]);
    expect(r.items[0]!.why.find((w) => w.kind === 'distance')!.text).toBe(
      '0 mi from the patient’s home ZIP 02118 (within 1 mi)',
    );
    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.patientId, patient.id), eq(auditEvents.action, 'resource.search')));
    expect(audit).toMatchObject({ outcome: 'success', actorUserId: workerUser.id });
    expect(JSON.stringify(audit!.detail)).not.toContain('pantry');
    expect(audit!.detail).toEqual({ filters: ['distance', 'text'] });
  });

  it('answers 403 for a patient outside the caller’s care team (audited) and 404 for another hospital’s', async () => {
    const stranger = await patientWith({}, []);
    const res = await worker.get(`/api/resources/search?patientId=${stranger.id}&q=food`);
    expect(res.statusCode).toBe(403);
    const [denied] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.patientId, stranger.id), eq(auditEvents.outcome, 'denied')));
    expect(denied).toMatchObject({ action: 'resource.search' });
    const elsewhere = await buildOrganization(t);
    const theirs = await buildPatient(t, { organization: elsewhere });
    expect((await worker.get(`/api/resources/search?patientId=${theirs.id}`)).statusCode).toBe(404);
  });

  it('refuses a radius when the patient has no home ZIP code', async () => {
    const homeless = await patientWith({ address: null });
    const res = await worker.get(`/api/resources/search?patientId=${homeless.id}&radiusMiles=5`);
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([
      { field: 'query.radiusMiles', message: 'the patient has no home ZIP code to measure from' },
    ]);
  });
});

describe('who may search, and bad queries', () => {
  it('lets clinicians search, and not read-only users or community partners (403)', async () => {
    const clinician = await signIn(t, await buildUser(t, { organization: org, role: 'clinician' }));
    expect((await clinician.get('/api/resources/search?q=food')).statusCode).toBe(200);
    for (const role of ['read_only', 'community_partner'] as const) {
      const other = await signIn(t, await buildUser(t, { organization: org, role }));
      expect((await other.get('/api/resources/search?q=food')).statusCode).toBe(403);
    }
  });

  it('answers 422 with the fields at fault', async () => {
    const cases: [string, string][] = [
      ['radiusMiles=5', 'query.radiusMiles'],
      ['zip=123', 'query.zip'],
      ['eligible=true', 'query.eligible'],
      ['pageSize=51', 'query.pageSize'],
      ['openNow=true&openAt=2026-03-07T01:00:00Z', 'query.openAt'],
      ['domain=hunger', 'query.domain.0'],
      ['language=Spanish!', 'query.language.0'],
      // A well-formed ZIP code that no table places.
      ['zip=00000&radiusMiles=5', 'query.zip'],
    ];
    for (const [query, field] of cases) {
      const res = await worker.get(`/api/resources/search?${query}`);
      expect(res.statusCode, query).toBe(422);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(
        res.json().errors.map((e: { field: string }) => e.field),
        query,
      ).toContain(field);
    }
  });
});

describe('the read model follows the directory', () => {
  it('finds a service by its new name after a reindex of that service, and keeps the lexicon counts right', async () => {
    await t.database.db.transaction(async (tx) => {
      await tx
        .update(directoryServices)
        .set({ name: 'Moonlight Grocery Pantry' })
        .where(eq(directoryServices.id, built.nightPantry.id));
      await reindexSearchDocs(tx, org.id, [built.nightPantry.id]);
    });
    expect(names(await search('q=moonlight'))).toEqual(['Moonlight Grocery Pantry']);
    expect(names(await search('q=night+owl'))).toEqual([]);
    const drift = await t.database.query<{ n: number }>(
      `select count(*)::int as n from (
         select term, doc_count from directory_search_lexicon where organization_id = $1
         except
         select u.lexeme, count(*)::int from directory_search_docs d, unnest(d.document) u
         where d.organization_id = $1 group by u.lexeme) x`,
      [org.id],
    );
    expect(drift[0]!.n).toBe(0);
    const moon = await t.database.query<{ n: number }>(
      `select doc_count as n from directory_search_lexicon where organization_id = $1 and term = 'moonlight'`,
      [org.id],
    );
    expect(moon[0]!.n).toBe(1);
    expect(
      await t.database.query(
        `select 1 from directory_search_lexicon where organization_id = $1 and term = 'owl'`,
        [org.id],
      ),
    ).toEqual([]);
  });

  it('writes one document per service at a location, and one for a service offered nowhere in particular', async () => {
    const docs = await t.database.db.execute(
      sql`select id, service_id, location_id from directory_search_docs where organization_id = ${org.id}`,
    );
    const rows = (
      docs as unknown as { rows: { id: string; service_id: string; location_id: string | null }[] }
    ).rows;
    expect(rows).toHaveLength(Object.keys(SERVICES).length);
    const home = rows.find((r) => r.service_id === built.homeMeals.id)!;
    expect(home).toEqual({ id: built.homeMeals.id, service_id: built.homeMeals.id, location_id: null });
  });
});
