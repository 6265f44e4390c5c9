import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../platform/platform.tables.ts';
import { timelineEvents } from '../../platform/timeline/timeline.tables.ts';
import { buildPatient, buildUser, signIn, startTestApp, type TestContext } from '../../test/harness.ts';
import { careTeamMembers, patientContacts } from './patients.tables.ts';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const daughter = (over: Record<string, unknown> = {}) => ({
  name: 'Ana Smith',
  relationship: 'child',
  phones: [{ use: 'mobile', number: '+1 617 555 0199' }],
  isEmergencyContact: true,
  sharing: {
    authorized: true,
    authorizedOn: '2026-01-05',
    scope: 'care-and-discharge-planning',
    expiresOn: '2099-12-31',
    note: 'Verbal permission at bedside',
  },
  ...over,
});

async function setup() {
  const worker = await buildUser(t);
  const patient = await buildPatient(t, { organization: worker.organization, careTeam: [worker] });
  return { worker, patient, client: await signIn(t, worker), url: `/api/patients/${patient.id}/contacts` };
}

describe("a patient's family and contacts", () => {
  it('adds a contact (201) who may be told what the patient authorised, on the timeline and audited', async () => {
    const { client, url, patient } = await setup();
    const res = await client.post(url, daughter());
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      name: 'Ana Smith',
      relationship: 'child',
      isEmergencyContact: true,
      isLegalGuardian: false,
      version: 1,
      disclosure: { status: 'authorised', scope: 'care-and-discharge-planning', until: '2099-12-31' },
    });
    const list = await client.get(url);
    expect(list.json()).toMatchObject({ items: [{ id: res.json().id }], abilities: { update: true } });
    const [entry] = await t.database.db
      .select()
      .from(timelineEvents)
      .where(and(eq(timelineEvents.patientId, patient.id), eq(timelineEvents.kind, 'contact')));
    expect(entry!.summary).toContain('Ana Smith');
    const audits = await t.database.db
      .select({ action: auditEvents.action, detail: auditEvents.detail })
      .from(auditEvents)
      .where(eq(auditEvents.patientId, patient.id));
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['contact.create', 'contact.list']));
    expect(JSON.stringify(audits)).not.toContain('Ana Smith');
  });

  it.each([
    [
      'an authorisation that ran out',
      {
        sharing: {
          authorized: true,
          authorizedOn: '2020-01-01',
          scope: 'all-health-information',
          expiresOn: '2021-01-01',
        },
      },
      { status: 'expired', scope: 'all-health-information', until: '2021-01-01' },
    ],
    [
      'no authorisation',
      { sharing: { authorized: false } },
      { status: 'not-authorised', scope: null, until: null },
    ],
    [
      'a legal guardian, whatever the sharing says',
      { relationship: 'guardian', isLegalGuardian: true, sharing: { authorized: false } },
      { status: 'personal-representative', scope: null, until: null },
    ],
    [
      'a health care agent',
      { relationship: 'child', isPersonalRepresentative: true, sharing: { authorized: false } },
      { status: 'personal-representative', scope: null, until: null },
    ],
  ])('says who may be told what for %s', async (_, over, disclosure) => {
    const { client, url } = await setup();
    const res = await client.post(url, daughter(over));
    expect(res.statusCode).toBe(201);
    expect(res.json().disclosure).toEqual(disclosure);
  });

  it('answers 422 with one message per bad field', async () => {
    const { client, url } = await setup();
    const res = await client.post(url, {
      name: '',
      relationship: 'cousin',
      phones: [{ use: 'mobile', number: 'call me' }],
      email: 'not-an-email',
      sharing: { authorized: true, expiresOn: '2020-01-01' },
    });
    expect(res.statusCode).toBe(422);
    expect(
      res
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['email', 'name', 'phones.0.number', 'relationship', 'sharing.authorizedOn', 'sharing.scope']);
  });

  it('updates a contact with its version, refuses a stale one (409 with the current version) and changes nothing', async () => {
    const { client, url } = await setup();
    const created = (await client.post(url, daughter())).json();
    const updated = await client.patch(`${url}/${created.id}`, {
      version: 1,
      sharing: { authorized: false, scope: 'none', note: 'Patient withdrew permission' },
      email: 'ana@example.com',
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({
      version: 2,
      email: 'ana@example.com',
      disclosure: { status: 'not-authorised' },
      phones: [{ number: '+1 617 555 0199' }],
    });
    const stale = await client.patch(`${url}/${created.id}`, { version: 1, name: 'Someone else' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ type: 'urn:kith:problem:stale-version', currentVersion: 2 });
    expect((await client.get(url)).json().items[0].name).toBe('Ana Smith');
  });

  it('retires instead of deleting: the contact leaves the list and stays on record', async () => {
    const { client, url } = await setup();
    const created = (await client.post(url, daughter())).json();
    expect((await client.delete(`${url}/${created.id}?version=2`)).statusCode).toBe(409);
    expect((await client.delete(`${url}/${created.id}`)).statusCode).toBe(422);
    expect((await client.delete(`${url}/${created.id}?version=1`)).statusCode).toBe(204);
    expect((await client.get(url)).json().items).toEqual([]);
    const [row] = await t.database.db
      .select()
      .from(patientContacts)
      .where(eq(patientContacts.id, created.id));
    expect(row!.retiredAt).not.toBeNull();
    expect((await client.delete(`${url}/${created.id}?version=1`)).statusCode).toBe(404);
  });

  it('shows a legal guardian on the patient record', async () => {
    const { client, url, patient } = await setup();
    await client.post(
      url,
      daughter({ name: 'Court Guardian', relationship: 'guardian', isLegalGuardian: true }),
    );
    await client.post(url, daughter({ name: 'A Friend', relationship: 'friend' }));
    const res = await client.get(`/api/patients/${patient.id}`);
    expect(res.json().legalRepresentatives).toEqual([
      expect.objectContaining({ name: 'Court Guardian', isLegalGuardian: true }),
    ]);
  });

  it('keeps contacts behind the care team: 403 outside it, 404 for unknown ids and other organisations', async () => {
    const { worker, client, url, patient } = await setup();
    const created = (await client.post(url, daughter())).json();
    const outsider = await signIn(t, await buildUser(t, { organization: worker.organization }));
    expect((await outsider.get(url)).statusCode).toBe(403);
    expect((await outsider.post(url, daughter())).statusCode).toBe(403);
    const stranger = await signIn(t, await buildUser(t, { role: 'supervisor' }));
    expect((await stranger.get(url)).statusCode).toBe(404);
    const otherPatient = await buildPatient(t, { organization: worker.organization, careTeam: [worker] });
    const wrong = await client.patch(`/api/patients/${otherPatient.id}/contacts/${created.id}`, {
      version: 1,
      name: 'X',
    });
    expect(wrong.statusCode).toBe(404);
    const reader = await buildUser(t, { role: 'read_only', organization: worker.organization });
    await t.database.db.insert(careTeamMembers).values({
      organizationId: worker.organization.id,
      patientId: patient.id,
      userId: reader.id,
      teamRole: 'Observer',
    });
    const readerClient = await signIn(t, reader);
    expect((await readerClient.get(url)).json().abilities).toEqual({ update: false });
    expect((await readerClient.post(url, daughter())).statusCode).toBe(403);
  });
});
