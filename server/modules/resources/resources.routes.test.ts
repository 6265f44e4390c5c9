import { and, eq } from 'drizzle-orm';
import { generateSecret } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../domain/roles.ts';
import { auditEvents, type organizations } from '../../platform/platform.tables.ts';
import {
  buildOrganization,
  buildUser,
  type Client,
  signIn,
  startTestApp,
  type TestContext,
} from '../../test/harness.ts';
import {
  directoryCostOptions,
  directoryLanguages,
  directoryLocations,
  directoryOrganizations,
  directoryServiceAtLocations,
  directoryTaxonomyTerms,
} from './resources.tables.ts';

let t: TestContext;
let tenant: typeof organizations.$inferSelect;
let admin: Client;
let adminId: string;
beforeAll(async () => {
  t = await startTestApp();
  tenant = await buildOrganization(t);
  const user = await buildUser(t, { role: 'admin', organization: tenant, totpSecret: generateSecret() });
  adminId = user.id;
  admin = await signIn(t, user);
  // A taxonomy term the directory already holds (from an import).
  await t.database.db.insert(directoryTaxonomyTerms).values({
    organizationId: tenant.id,
    source: 'feed',
    externalId: 'term-food-pantry',
    code: 'BD-1800.2000',
    name: 'Food Pantries',
  });
});
afterAll(() => t.close());

const as = async (role: Role, organization = tenant) =>
  signIn(
    t,
    await buildUser(t, { role, organization, ...(role === 'admin' ? { totpSecret: generateSecret() } : {}) }),
  );
const put = (client: Client, url: string, payload: unknown) =>
  client.request({ method: 'PUT', url, payload: payload as object });

async function newOrganization(name = 'Dorchester Food Pantry') {
  const res = await admin.post('/api/resources/organizations', {
    name,
    description: 'Groceries twice a week',
    referralEmail: 'referrals@pantry.example.org',
    website: 'https://pantry.example.org',
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; version: number };
}

async function newLocation(organizationId: string, postalCode = '02124') {
  const res = await admin.post(`/api/resources/organizations/${organizationId}/locations`, {
    name: 'Main pantry',
    address: { address1: '10 Talbot Ave', city: 'Boston', stateProvince: 'MA', postalCode },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; latitude: number | null; longitude: number | null; geocoded: string };
}

const serviceBody = (directoryOrganizationId: string, locationIds: string[] = []) => ({
  directoryOrganizationId,
  name: 'Weekly groceries',
  description: 'A bag of groceries every Tuesday and Thursday.',
  status: 'active',
  free: true,
  domains: ['food-insecurity'],
  assistanceKind: 'snap-application',
  eligibility: { maxPovertyPercent: 200, postalCodes: ['02124'] },
  languages: ['en', 'es'],
  requiredDocuments: ['Proof of address'],
  taxonomyCodes: ['BD-1800.2000'],
  phone: '617-555-0100',
  locationIds,
  schedules: [{ freq: 'WEEKLY', byday: 'TU,TH', opensAt: '09:00', closesAt: '17:00' }],
});

describe('directory organisations', () => {
  it('creates one (admin, 201), lists it with its counts for pickers (clinicians too) and reads it back', async () => {
    const org = await newOrganization('Roxbury Community Kitchen');
    expect(org).toMatchObject({ source: 'kith', externalId: org.id, version: 1, services: 0 });
    const clinician = await as('clinician');
    const list = await clinician.get('/api/resources/organizations');
    expect(list.statusCode).toBe(200);
    expect(list.json().items).toContainEqual({
      id: org.id,
      name: 'Roxbury Community Kitchen',
      referralEmail: 'referrals@pantry.example.org',
      services: 0,
      hasPartnerAccounts: false,
    });
    expect((await clinician.get(`/api/resources/organizations/${org.id}`)).json()).toMatchObject({
      website: 'https://pantry.example.org',
    });
  });

  it('answers 422 naming each bad field, 403 to a non-admin, 404 for another tenant', async () => {
    const bad = await admin.post('/api/resources/organizations', {
      name: '',
      referralEmail: 'nope',
      website: 'x',
    });
    expect(bad.statusCode).toBe(422);
    expect(
      bad
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['name', 'referralEmail', 'website']);
    const worker = await as('social_worker');
    expect((await worker.post('/api/resources/organizations', { name: 'Mine' })).statusCode).toBe(403);
    const elsewhere = await as('admin', await buildOrganization(t));
    const org = await newOrganization();
    expect((await elsewhere.get(`/api/resources/organizations/${org.id}`)).statusCode).toBe(404);
    expect(
      (await put(elsewhere, `/api/resources/organizations/${org.id}`, { name: 'Taken', version: 1 }))
        .statusCode,
    ).toBe(404);
  });

  it('changes one against the version read: 409 when stale, 422 without a version', async () => {
    const org = await newOrganization();
    const url = `/api/resources/organizations/${org.id}`;
    expect((await put(admin, url, { name: 'Renamed' })).json().errors).toEqual([
      { field: 'version', message: 'is required' },
    ]);
    const changed = await put(admin, url, { name: 'Renamed', referralEmail: null, version: 1 });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({
      name: 'Renamed',
      referralEmail: null,
      website: 'https://pantry.example.org',
      version: 2,
    });
    const stale = await put(admin, url, { name: 'Again', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ type: 'urn:kith:problem:stale-version', currentVersion: 2 });
    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'directory.organization.update'), eq(auditEvents.recordId, org.id)));
    expect(audit).toMatchObject({ actorUserId: adminId, outcome: 'success' });
  });
});

describe('locations', () => {
  it('places a new location at its ZIP code centroid when no coordinates are given', async () => {
    const org = await newOrganization();
    const location = await newLocation(org.id, '02124');
    expect(location).toMatchObject({
      name: 'Main pantry',
      address: '10 Talbot Ave, Boston, MA 02124',
      geocoded: 'zip',
      timeZone: 'America/New_York',
    });
    expect(location.latitude).toBeCloseTo(42.29, 1);
    expect(location.longitude).toBeCloseTo(-71.07, 1);
    const given = await admin.post(`/api/resources/organizations/${org.id}/locations`, {
      address: { address1: '1 Main St', city: 'Boston', stateProvince: 'MA', postalCode: '02108' },
      latitude: 42.357,
      longitude: -71.06,
      timeZone: 'America/Chicago',
    });
    expect(given.json()).toMatchObject({
      latitude: 42.357,
      longitude: -71.06,
      geocoded: 'given',
      timeZone: 'America/Chicago',
    });
    const list = await (await as('social_worker')).get(`/api/resources/organizations/${org.id}/locations`);
    expect(list.json().items).toHaveLength(2);
  });

  it('answers 422 for a bad address and 404 for an unknown organisation', async () => {
    const org = await newOrganization();
    const bad = await admin.post(`/api/resources/organizations/${org.id}/locations`, {
      address: { address1: '', city: 'Boston', stateProvince: 'MA', postalCode: '2124' },
      latitude: 42,
    });
    expect(bad.statusCode).toBe(422);
    expect(
      bad
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['address.address1', 'address.postalCode', 'longitude']);
    const unknown = await admin.post(
      '/api/resources/organizations/0190b3a4-0000-7000-8000-000000000000/locations',
      {
        address: { address1: '1 Main St', city: 'Boston', stateProvince: 'MA', postalCode: '02108' },
      },
    );
    expect(unknown.statusCode).toBe(404);
  });
});

describe('services', () => {
  it('creates a service with everything it has in one go (admin, 201) and shows it to a clinician', async () => {
    const org = await newOrganization();
    const location = await newLocation(org.id);
    const res = await admin.post('/api/resources/services', serviceBody(org.id, [location.id]));
    expect(res.statusCode, res.body).toBe(201);
    const service = res.json();
    expect(service).toMatchObject({
      source: 'kith',
      externalId: service.id,
      version: 1,
      organization: {
        id: org.id,
        name: 'Dorchester Food Pantry',
        referralEmail: 'referrals@pantry.example.org',
      },
      name: 'Weekly groceries',
      free: true,
      domains: ['food-insecurity'],
      assistanceKind: 'snap-application',
      eligibility: { maxPovertyPercent: 200, postalCodes: ['02124'] },
      languages: ['en', 'es'],
      requiredDocuments: ['Proof of address'],
      taxonomyCodes: ['BD-1800.2000'],
      phone: '617-555-0100',
      locationIds: [location.id],
      locations: [{ id: location.id, address: '10 Talbot Ave, Boston, MA 02124' }],
      schedules: [{ freq: 'WEEKLY', byday: 'TU,TH', opensAt: '09:00', closesAt: '17:00' }],
    });
    expect(service.hoursText).toHaveLength(1);
    const [cost] = await t.database.db
      .select()
      .from(directoryCostOptions)
      .where(eq(directoryCostOptions.serviceId, service.id));
    expect(cost).toMatchObject({ option: 'Free', amount: 0, source: 'kith' });
    const clinician = await as('clinician');
    expect((await clinician.get(`/api/resources/services/${service.id}`)).json()).toEqual(service);
    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'directory.service.create'), eq(auditEvents.recordId, service.id)));
    expect(audit).toMatchObject({ actorUserId: adminId });
  });

  it('answers 422 with the fields at fault, before writing anything', async () => {
    const org = await newOrganization();
    const elsewhere = await newOrganization('Another pantry');
    const theirs = await newLocation(elsewhere.id);
    const shape = await admin.post('/api/resources/services', {
      ...serviceBody(org.id),
      name: '',
      status: 'open',
      email: 'nope',
      languages: ['English'],
      eligibility: { minAge: 70, maxAge: 60 },
    });
    expect(shape.statusCode).toBe(422);
    expect(
      shape
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['eligibility.maxAge', 'email', 'languages.0', 'name', 'status']);
    const refs = await admin.post('/api/resources/services', {
      ...serviceBody(org.id, [theirs.id, '0190b3a4-0000-7000-8000-000000000000']),
      taxonomyCodes: ['BD-1800.2000', 'NO-SUCH'],
    });
    expect(refs.statusCode).toBe(422);
    expect(refs.json().errors).toEqual([
      { field: 'locationIds.0', message: 'is not a location of this organisation' },
      { field: 'locationIds.1', message: 'is not a location of the directory' },
      { field: 'taxonomyCodes.1', message: 'is not a taxonomy code of the directory' },
    ]);
    const orphan = await admin.post(
      '/api/resources/services',
      serviceBody('0190b3a4-0000-7000-8000-000000000000'),
    );
    expect(orphan.json().errors).toEqual([
      { field: 'directoryOrganizationId', message: 'is not an organisation of the directory' },
    ]);
  });

  it('changes a service against its version: lists replaced, 409 when stale, 422 without a version', async () => {
    const org = await newOrganization();
    const first = await newLocation(org.id);
    const second = await newLocation(org.id, '02121');
    const created = (await admin.post('/api/resources/services', serviceBody(org.id, [first.id]))).json();
    const url = `/api/resources/services/${created.id}`;
    const { version: _, ...withoutVersion } = { ...serviceBody(org.id), version: 1 };
    expect((await put(admin, url, withoutVersion)).json().errors).toEqual([
      { field: 'version', message: 'is required' },
    ]);

    const changed = await put(admin, url, {
      ...serviceBody(org.id, [second.id]),
      name: 'Weekly groceries and hot meals',
      free: false,
      languages: ['es'],
      requiredDocuments: [],
      taxonomyCodes: [],
      schedules: [
        { ...created.schedules[0], closesAt: '19:00' },
        { freq: 'WEEKLY', byday: 'SA', opensAt: '10:00', closesAt: '12:00' },
      ],
      version: 1,
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({
      version: 2,
      name: 'Weekly groceries and hot meals',
      free: false,
      languages: ['es'],
      requiredDocuments: [],
      taxonomyCodes: [],
      locationIds: [second.id],
    });
    // The schedule kept its id; the new one was added.
    expect(changed.json().schedules).toEqual([
      expect.objectContaining({ id: created.schedules[0].id, closesAt: '19:00' }),
      expect.objectContaining({ byday: 'SA' }),
    ]);
    const sal = await t.database.db
      .select()
      .from(directoryServiceAtLocations)
      .where(eq(directoryServiceAtLocations.serviceId, created.id));
    expect(sal.map((s) => s.locationId)).toEqual([second.id]);
    const languages = await t.database.db
      .select()
      .from(directoryLanguages)
      .where(eq(directoryLanguages.serviceId, created.id));
    expect(languages.map((l) => [l.code, l.name])).toEqual([['es', 'Spanish']]);

    const stale = await put(admin, url, { ...serviceBody(org.id), version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ currentVersion: 2 });
    const foreignSchedule = await put(admin, url, {
      ...serviceBody(org.id),
      schedules: [{ id: '0190b3a4-0000-7000-8000-000000000000', freq: 'WEEKLY' }],
      version: 2,
    });
    expect(foreignSchedule.json().errors).toEqual([
      { field: 'schedules.0.id', message: 'is not a schedule of this service' },
    ]);
  });

  it('lets an admin edit an imported service whose location has no organisation', async () => {
    const org = await newOrganization();
    const [location] = await t.database.db
      .insert(directoryLocations)
      .values({ organizationId: tenant.id, source: 'feed', externalId: 'loc-1', name: 'Civic Center' })
      .returning();
    const created = (await admin.post('/api/resources/services', serviceBody(org.id))).json();
    // An imported link to a location of no organisation stays allowed; a new one is not.
    await t.database.db.insert(directoryServiceAtLocations).values({
      organizationId: tenant.id,
      source: 'feed',
      externalId: 'sal-1',
      serviceId: created.id,
      locationId: location!.id,
    });
    const res = await put(admin, `/api/resources/services/${created.id}`, {
      ...serviceBody(org.id, [location!.id]),
      version: 1,
    });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('answers 403 to staff who may not edit, 404 for an unknown or foreign service', async () => {
    const org = await newOrganization();
    const created = (await admin.post('/api/resources/services', serviceBody(org.id))).json();
    for (const role of ['supervisor', 'social_worker', 'clinician'] as const) {
      const client = await as(role);
      expect((await client.post('/api/resources/services', serviceBody(org.id))).statusCode, role).toBe(403);
      expect(
        (await put(client, `/api/resources/services/${created.id}`, { ...serviceBody(org.id), version: 1 }))
          .statusCode,
      ).toBe(403);
    }
    for (const role of ['community_partner', 'read_only'] as const) {
      expect((await (await as(role)).get(`/api/resources/services/${created.id}`)).statusCode, role).toBe(
        403,
      );
    }
    const elsewhere = await as('admin', await buildOrganization(t));
    expect((await elsewhere.get(`/api/resources/services/${created.id}`)).statusCode).toBe(404);
    expect((await admin.get('/api/resources/services/0190b3a4-0000-7000-8000-000000000000')).statusCode).toBe(
      404,
    );
    expect(
      (
        await put(admin, '/api/resources/services/0190b3a4-0000-7000-8000-000000000000', {
          ...serviceBody(org.id),
          version: 1,
        })
      ).statusCode,
    ).toBe(404);
  });
});

describe('partner accounts', () => {
  it('links a community partner to an organisation, lists it, refuses it twice and unlinks it', async () => {
    const org = await newOrganization();
    const partner = await buildUser(t, { role: 'community_partner', organization: tenant });
    const url = `/api/resources/organizations/${org.id}/partners`;
    expect((await admin.post(url, { userId: partner.id })).statusCode).toBe(204);
    expect((await admin.get(url)).json().items).toEqual([
      expect.objectContaining({ userId: partner.id, email: partner.email, displayName: partner.displayName }),
    ]);
    const summary = (await admin.get('/api/resources/organizations'))
      .json()
      .items.find((o: { id: string }) => o.id === org.id);
    expect(summary.hasPartnerAccounts).toBe(true);
    expect((await admin.post(url, { userId: partner.id })).statusCode).toBe(409);
    expect((await admin.delete(`${url}/${partner.id}`)).statusCode).toBe(204);
    expect((await admin.delete(`${url}/${partner.id}`)).statusCode).toBe(404);
    const [row] = await t.database.db
      .select()
      .from(directoryOrganizations)
      .where(eq(directoryOrganizations.id, org.id));
    expect(row).toBeDefined();
  });

  it('refuses a user who is not a community partner (422), and non-admins (403)', async () => {
    const org = await newOrganization();
    const worker = await buildUser(t, { role: 'social_worker', organization: tenant });
    const url = `/api/resources/organizations/${org.id}/partners`;
    const res = await admin.post(url, { userId: worker.id });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([
      { field: 'userId', message: 'must be a user with the role community_partner' },
    ]);
    const stranger = await buildUser(t, {
      role: 'community_partner',
      organization: await buildOrganization(t),
    });
    expect((await admin.post(url, { userId: stranger.id })).json().errors).toEqual([
      { field: 'userId', message: 'is not a user of this organisation' },
    ]);
    const supervisor = await as('supervisor');
    expect((await supervisor.post(url, { userId: worker.id })).statusCode).toBe(403);
    expect((await supervisor.get(url)).statusCode).toBe(403);
  });
});

describe('import reports', () => {
  it('shows admins the last imports with their reports, and no one else', async () => {
    const { importHsds } = await import('./hsds/import.ts');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'kith-import-report-'));
    writeFileSync(join(dir, 'organizations.csv'), 'id,name\no1,Pantry\no2,\n');
    await importHsds(t.database.db, { organizationId: tenant.id, path: dir, source: 'small-feed' });
    const res = await admin.get('/api/resources/imports');
    expect(res.statusCode).toBe(200);
    expect(res.json().items[0]).toMatchObject({
      source: 'small-feed',
      format: 'hsds-csv',
      importedBy: null,
      report: {
        tables: { organization: { read: 2, created: 1, updated: 0, unchanged: 0, rejected: 1 } },
        rejected: [{ file: 'organizations.csv', row: 3, id: 'o2', reason: 'name is required' }],
        warnings: ['no datapackage.json: the CSV files are recognised by their names'],
      },
    });
    expect((await (await as('supervisor')).get('/api/resources/imports')).statusCode).toBe(403);
  });
});
