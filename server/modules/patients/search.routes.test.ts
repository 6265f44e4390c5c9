import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../platform/ids.ts';
import { auditEvents } from '../../platform/platform.tables.ts';
import { testEngine } from '../../test/database.ts';
import {
  buildOrganization,
  buildUser,
  type Client,
  signIn,
  startTestApp,
  type TestContext,
} from '../../test/harness.ts';
import { careTeamMembers, patients } from './patients.tables.ts';
import { nameSearchQuery } from './search.service.ts';

let t: TestContext;
let org: Awaited<ReturnType<typeof buildOrganization>>;
let supervisor: Client;
const ids: Record<string, string> = {};

/** People with names close to John Smith's, as a hospital of any size has. */
const PEOPLE: [family: string, given: string, birthDate: string][] = [
  ['Smith', 'John', '1950-04-01'],
  ['Smith', 'Jon', '1962-09-12'],
  ['Smith', 'Joan', '1950-04-01'],
  ['Smith', 'Jane', '1971-01-30'],
  ['Smyth', 'John', '1980-06-15'],
  ['Smithers', 'Johnny', '1945-11-02'],
  ['Smith', 'Mary', '1990-03-03'],
  ['Smithson', 'Jonah', '1955-07-07'],
  ['Johnson', 'Smith', '1966-12-24'],
  ['Jones', 'Tom', '1977-05-05'],
  ['García', 'María', '1948-03-14'],
  ['Ngo', 'Nam', '1958-08-08'],
  ['Ngo', 'Namita', '1984-02-02'],
  ['Ngu', 'Nam', '1979-09-09'],
];

beforeAll(async () => {
  t = await startTestApp();
  org = await buildOrganization(t);
  for (const [i, [familyName, givenName, birthDate]] of PEOPLE.entries()) {
    const [row] = await t.database.db
      .insert(patients)
      .values({
        organizationId: org.id,
        mrn: `S${1000 + i}`,
        familyName,
        givenName,
        birthDate,
        sex: 'unknown',
      })
      .returning();
    ids[`${givenName} ${familyName}`] = row!.id;
  }
  supervisor = await signIn(t, await buildUser(t, { role: 'supervisor', organization: org }));
});
afterAll(() => t.close());

const names = (res: { json(): { items: { givenName: string; familyName: string }[] } }) =>
  res.json().items.map((p) => `${p.givenName} ${p.familyName}`);

describe('finding a patient by a misspelt name', () => {
  it.each([
    ['transposed letters', 'Jonh Smiht'],
    ['a dropped letter', 'Jhn Smith'],
    ['the names swapped', 'Smith John'],
    ['family name first with a comma', 'Smith, John'],
    ['swapped, misspelt and in capitals', 'SMIHT, JONH'],
    ['a doubled letter', 'Johhn Smitth'],
  ])('ranks John Smith first when typed with %s ("%s")', async (_, q) => {
    const res = await supervisor.get(`/api/patients?q=${encodeURIComponent(q)}`);
    expect(res.statusCode).toBe(200);
    expect(names(res)[0]).toBe('John Smith');
    // Near names still come, after him, so that a wrong guess can be corrected.
    expect(names(res)).toContain('Jon Smith');
  });

  it('ranks the exact name first when it exists: "Jon Smith" is Jon, with John close behind', async () => {
    const res = await supervisor.get('/api/patients?q=Jon%20Smith');
    expect(names(res)[0]).toBe('Jon Smith');
    // John and Joan are each one letter away from Jon: a tie, in name order.
    expect(names(res).slice(1, 4)).toEqual(expect.arrayContaining(['Joan Smith', 'John Smith']));
  });

  it('finds a name typed in short words by word start, a transposition allowed, whole words first', async () => {
    const swapped = await supervisor.get('/api/patients?q=Nma%20Ngo');
    expect(names(swapped)).toEqual(['Nam Ngo', 'Namita Ngo']);
    const exact = await supervisor.get('/api/patients?q=ngo%20nam');
    expect(names(exact)).toEqual(['Nam Ngo', 'Namita Ngo']);
  });

  it('does not list people who share only one of two names', async () => {
    const res = await supervisor.get('/api/patients?q=John%20Smith');
    expect(names(res)).not.toContain('Mary Smith');
    expect(names(res)).not.toContain('Tom Jones');
  });

  it('lists everyone named Smith (family or given name) first, in name order, then near names', async () => {
    const res = await supervisor.get('/api/patients?q=smith');
    expect(names(res).slice(0, 6)).toEqual([
      'Smith Johnson',
      'Jane Smith',
      'Joan Smith',
      'John Smith',
      'Jon Smith',
      'Mary Smith',
    ]);
    expect(names(res)).toContain('John Smyth');
  });
});

describe('finding a patient by MRN or date of birth', () => {
  it('puts an exact MRN match first (and alone when no name resembles it)', async () => {
    const res = await supervisor.get('/api/patients?q=S1004');
    expect(res.json()).toMatchObject({ total: 1, items: [{ id: ids['John Smyth'], mrn: 'S1004' }] });
  });

  it('filters by date of birth, alone or with a name', async () => {
    const born = await supervisor.get('/api/patients?birthDate=1950-04-01');
    expect(names(born).sort()).toEqual(['Joan Smith', 'John Smith']);
    const both = await supervisor.get('/api/patients?birthDate=1950-04-01&q=jonh%20smith');
    expect(names(both)).toEqual(['John Smith', 'Joan Smith']);
  });
});

describe('scope, paging and bad input', () => {
  it("shows a social worker only the care team's patients, however well the name matches", async () => {
    const worker = await buildUser(t, { organization: org });
    await t.database.db.insert(careTeamMembers).values({
      organizationId: org.id,
      patientId: ids['Jon Smith']!,
      userId: worker.id,
      teamRole: 'Social worker',
    });
    const res = await (await signIn(t, worker)).get('/api/patients?q=Jonh%20Smiht');
    expect(res.json()).toMatchObject({ total: 1, items: [{ id: ids['Jon Smith'] }] });
  });

  it('pages on the server with the total of all matches, also past the last page', async () => {
    const all = (await supervisor.get('/api/patients?q=smith&pageSize=200')).json();
    const second = (await supervisor.get('/api/patients?q=smith&pageSize=2&page=2')).json();
    expect(second).toMatchObject({ page: 2, pageSize: 2, total: all.total });
    expect(second.items.map((p: { id: string }) => p.id)).toEqual(
      all.items.slice(2, 4).map((p: { id: string }) => p.id),
    );
    const beyond = (await supervisor.get('/api/patients?q=smith&page=99')).json();
    expect(beyond).toMatchObject({ items: [], total: all.total });
  });

  it.each([
    ['page=0', 'query.page'],
    ['page=1000000000000000000', 'query.page'],
    ['pageSize=201', 'query.pageSize'],
    ['page=two', 'query.page'],
    ['birthDate=1950-13-01', 'query.birthDate'],
  ])('answers 422 naming the field for %s', async (params, field) => {
    const res = await supervisor.get(`/api/patients?q=smith&${params}`);
    expect(res.statusCode).toBe(422);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('audits a search with the ids of the patients it showed', async () => {
    const user = await buildUser(t, { role: 'supervisor', organization: org });
    await (await signIn(t, user)).get('/api/patients?q=Jonh%20Smiht&pageSize=1');
    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorUserId, user.id), eq(auditEvents.action, 'patient.list')));
    expect(audit!.detail).toEqual({ patientIds: [ids['John Smith']], searched: true });
  });
});

describe.skipIf(testEngine !== 'postgres')('search at hospital scale (PostgreSQL)', () => {
  it('answers from the trigram index, without scanning the organisation, at 100,000 patients', async () => {
    const families = [
      'Smith',
      'Johnson',
      'Williams',
      'Brown',
      'Jones',
      'Garcia',
      'Miller',
      'Davis',
      'Rodriguez',
      'Martinez',
      'Hernandez',
      'Lopez',
      'Gonzalez',
      'Wilson',
      'Anderson',
      'Thomas',
      'Taylor',
      'Moore',
      'Jackson',
      'Martin',
      'Lee',
      'Perez',
      'Thompson',
      'White',
      'Harris',
      'Sanchez',
      'Clark',
      'Ramirez',
      'Lewis',
      'Robinson',
      'Walker',
      'Young',
      'Allen',
      'King',
      'Wright',
      'Scott',
      'Torres',
      'Nguyen',
      'Hill',
      'Flores',
      'Green',
    ];
    const givens = [
      'James',
      'Mary',
      'Robert',
      'Patricia',
      'John',
      'Jennifer',
      'Michael',
      'Linda',
      'David',
      'Elizabeth',
      'William',
      'Barbara',
      'Richard',
      'Susan',
      'Joseph',
      'Jessica',
      'Thomas',
      'Sarah',
      'Charles',
      'Karen',
      'Christopher',
      'Lisa',
      'Daniel',
      'Nancy',
      'Matthew',
      'Betty',
      'Anthony',
      'Margaret',
      'Mark',
    ];
    const big = await buildOrganization(t);
    await t.database.query(
      `insert into patients (id, organization_id, mrn, family_name, given_name, birth_date, sex)
       select gen_random_uuid(), $1, 'B' || i,
         ($2::text[])[1 + i % array_length($2::text[], 1)] || substr(md5(i::text), 1, (i % 3)),
         ($3::text[])[1 + (i / 7) % array_length($3::text[], 1)],
         date '1925-01-01' + (i % 30000), 'unknown'
       from generate_series(1, 100000) i`,
      [big.id, families, givens],
    );
    await t.database.query('analyze patients');
    const admin = { userId: newId(), organizationId: big.id, role: 'supervisor' } as const;
    for (const q of ['Jonh Smiht', 'smith', 'Mary Jo Lee']) {
      const search = { q, page: 1, pageSize: 50 };
      const { sql, params } = nameSearchQuery(t.database.db, admin as never, search, {
        offset: 0,
        limit: 50,
      }).toSQL();
      const [plan] = await t.database.query<{ 'QUERY PLAN': unknown }>(
        `explain (format json) ${sql}`,
        params,
      );
      const text = JSON.stringify(plan!['QUERY PLAN']);
      expect(text, q).not.toContain('"Seq Scan"');
      expect(text, q).toContain('patients_name_trgm_idx');
    }
  });
});
