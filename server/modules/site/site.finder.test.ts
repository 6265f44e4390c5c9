import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICE_PAGE_SLUGS } from '../../../domain/site.ts';
import { testEngine } from '../../test/database.ts';
import { buildOrganization, startTestApp, type TestContext } from '../../test/harness.ts';
import { patients } from '../patients/patients.tables.ts';
import { directoryServices } from '../resources/resources.tables.ts';
import { addService } from '../resources/search.fixtures.ts';
import { reindexSearchDocs } from '../resources/search.index.ts';

// The public resource finder as a member of the public uses it: a plain GET form over the directory's
// public, active services, with nothing of any patient anywhere.

let t: TestContext;
let org: Awaited<ReturnType<typeof buildOrganization>>;
let base: string;

/** A GET as an anonymous visitor. */
const visit = (url: string) => t.app.inject({ method: 'GET', url });
/** The page's text without tags, spaces collapsed. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');
beforeAll(async () => {
  t = await startTestApp();
  org = await buildOrganization(t, { slug: 'riverside', name: 'Riverside Social Work' });
  base = `/site/${org.slug}`;
});
afterAll(async () => {
  await t.close();
});

describe(`the public resource finder (${testEngine})`, () => {
  const everyDay = [{ freq: 'DAILY' as const, opensAt: '00:00', closesAt: '23:59' }];
  let patientMrn: string;

  beforeAll(async () => {
    await t.database.db.transaction(async (tx) => {
      await addService(tx, org.id, {
        name: 'Harbor Food Pantry',
        organization: 'Harbor Community Services',
        description: 'Free groceries for families, no questions asked.',
        domains: ['food-insecurity'],
        locations: [{ zip: '02118', latitude: 42.3389, longitude: -71.0753 }],
        schedules: everyDay,
        languages: ['en', 'es'],
        cost: 'free',
        phone: '(617) 555-0101',
      });
      await addService(tx, org.id, {
        name: 'Rent Relief Fund',
        description: 'Help with back rent to prevent eviction.',
        domains: ['housing-instability'],
        locations: [{ zip: '01002', latitude: 42.3732, longitude: -72.5199, city: 'Amherst' }],
        languages: ['en'],
        cost: 'fee',
      });
      await addService(tx, org.id, {
        name: 'Ride to Care',
        description: 'Rides to medical appointments.',
        domains: ['transportation-insecurity'],
        locations: [{ zip: '02119', latitude: 42.3246, longitude: -71.0846 }],
        languages: ['en'],
        cost: 'fee',
      });
      const hidden = await addService(tx, org.id, {
        name: 'Confidential Safe Shelter',
        description: 'Shelter at an undisclosed address.',
        domains: ['housing-instability', 'intimate-partner-violence'],
        locations: [{ zip: '02118', latitude: 42.339, longitude: -71.075 }],
        schedules: everyDay,
        languages: ['en', 'es'],
        cost: 'free',
      });
      await tx.update(directoryServices).set({ public: false }).where(eq(directoryServices.id, hidden.id));
      await addService(tx, org.id, {
        name: 'Closed Food Cupboard',
        description: 'Groceries (closed for good).',
        domains: ['food-insecurity'],
        status: 'inactive',
        locations: [{ zip: '02118', latitude: 42.338, longitude: -71.076 }],
        schedules: everyDay,
        languages: ['es'],
        cost: 'free',
      });
      await reindexSearchDocs(tx, org.id);
      const [patient] = await tx
        .insert(patients)
        .values({
          organizationId: org.id,
          mrn: 'MRN-PUBLIC-9917',
          familyName: 'Quackenbush',
          givenName: 'Zebulon',
          birthDate: '1950-04-01',
          sex: 'male',
          address: { line: ['1 Harbor St'], city: 'Boston', state: 'MA', postalCode: '02118' },
        })
        .returning();
      patientMrn = patient!.mrn;
    });
  });

  const names = (html: string) => [...html.matchAll(/<h3 id="r-[^"]+">([^<]+)<\/h3>/g)].map((m) => m[1]);
  const search = async (query: string) => {
    const res = await visit(`${base}/resources?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res;
  };

  it('shows the form alone on a first visit', async () => {
    const res = await visit(`${base}/resources`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<form class="finder" method="get"');
    expect(names(res.body)).toEqual([]);
  });

  it('lists only the public, active services', async () => {
    const res = await search('q=&need=&zip=&language=');
    expect(names(res.body).sort()).toEqual(['Harbor Food Pantry', 'Rent Relief Fund', 'Ride to Care']);
    expect(res.body).toContain('3 services found');
    expect((await search('q=shelter')).body).toContain('0 services found');
    expect(names((await search('q=groceries')).body)).toEqual(['Harbor Food Pantry']);
  });

  it('shows each result’s organisation, description, address, phone, hours today and languages', async () => {
    const res = await search('q=pantry');
    const text = textOf(res.body);
    expect(text).toContain('Harbor Community Services');
    expect(text).toContain('Free groceries for families');
    expect(text).toMatch(/Address \d+ Main Street, Boston, MA 02118/);
    expect(res.body).toContain('<a href="tel:6175550101">(617) 555-0101</a>');
    expect(text).toContain('Hours today Open 24 hours Open now');
    expect(text).toContain('Languages English, Spanish');
  });

  it.each([
    ['need=housing-instability', ['Rent Relief Fund']],
    ['zip=02118&miles=5', ['Harbor Food Pantry', 'Ride to Care']],
    ['language=es', ['Harbor Food Pantry']],
    ['free=on', ['Harbor Food Pantry']],
    ['open=on', ['Harbor Food Pantry']],
    ['q=rides', ['Ride to Care']],
  ])('filters by %s', async (query, expected) => {
    expect(names((await search(query)).body).sort()).toEqual(expected);
  });

  it('pages the results, keeping the filters in the links', async () => {
    await t.database.db.transaction(async (tx) => {
      for (let i = 0; i < 11; i++) {
        await addService(tx, org.id, {
          name: `Neighbourhood Meals ${String(i).padStart(2, '0')}`,
          domains: ['food-insecurity'],
          locations: [{ zip: '02118', latitude: 42.3389, longitude: -71.0753 }],
          languages: ['en'],
        });
      }
      await reindexSearchDocs(tx, org.id);
    });
    const first = await search('need=food-insecurity');
    expect(names(first.body)).toHaveLength(10);
    expect(first.body).toContain('Page 1 of 2');
    expect(first.body).toContain(`href="${base}/resources?need=food-insecurity&amp;page=2"`);
    const second = await search('need=food-insecurity&page=2');
    expect(names(second.body)).toHaveLength(2);
  });

  it('explains a bad field on the form and keeps what was typed (400, HTML)', async () => {
    const res = await visit(`${base}/resources?q=food&zip=12ab&need=nonsense`);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('role="alert"');
    expect(textOf(res.body)).toContain('ZIP code: must be a 5-digit ZIP code');
    expect(res.body).toContain('value="12ab"');
    expect(res.body).toContain('value="food"');
    expect(res.body).toMatch(/id="finder-zip"[^>]*aria-invalid="true"/);
    // A ZIP code the directory cannot place is explained the same way.
    const unplaced = await visit(`${base}/resources?zip=00000`);
    expect(unplaced.statusCode).toBe(400);
    expect(unplaced.body).toContain('is not a ZIP code we can place');
  });

  it('reaches no patient: patient and eligibility parameters are ignored, nothing is audited', async () => {
    const [patient] = await t.database.db.select().from(patients).where(eq(patients.mrn, patientMrn));
    const res = await search(`patientId=${patient!.id}&eligible=true&q=pantry`);
    expect(names(res.body)).toEqual(['Harbor Food Pantry']);
    const audited = await t.database.query<{ n: number }>(
      `select count(*)::int as n from audit_events where action = 'resource.search'`,
    );
    expect(audited[0]!.n).toBe(0);
  });

  it('slows down one address that searches too often, with an HTML page', async () => {
    const from = (n: number) =>
      t.app.inject({ method: 'GET', url: `${base}/resources?zip=bad&n=${n}`, remoteAddress: '203.0.113.7' });
    for (let n = 0; n < 60; n++) expect((await from(n)).statusCode).toBe(400);
    const limited = await from(60);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(limited.body).toContain('<h1>Too many searches</h1>');
    // Someone else is not slowed down.
    expect((await visit(`${base}/resources?q=pantry`)).statusCode).toBe(200);
  });

  it('shows no patient data on any public page', async () => {
    const urls = [
      `${base}/`,
      ...SERVICE_PAGE_SLUGS.map((s) => `${base}/services/${s}`),
      `${base}/request`,
      `${base}/resources?q=`,
      `${base}/resources?zip=02118&miles=50`,
      `${base}/newsletter`,
    ];
    for (const url of urls) {
      const res = await visit(url);
      expect(res.body, url).not.toContain('Quackenbush');
      expect(res.body, url).not.toContain('Zebulon');
      expect(res.body, url).not.toContain(patientMrn);
    }
  });
});
