import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../platform/platform.tables.ts';
import {
  buildOrganization,
  buildPatient,
  buildUser,
  signIn,
  startTestApp,
  type TestContext,
} from '../../test/harness.ts';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const newPatient = (over: Record<string, unknown> = {}) => ({
  mrn: `N${Math.floor(Math.random() * 1e9)}`,
  familyName: 'García',
  givenName: 'María',
  birthDate: '1948-03-14',
  sex: 'female',
  preferredLanguage: 'es',
  interpreterNeeded: true,
  address: { line1: '12 Harbor St', city: 'Boston', state: 'MA', postalCode: '02118' },
  phones: [{ use: 'mobile', number: '+1 617 555 0100' }],
  ...over,
});

describe('registering and editing a patient', () => {
  it('creates a patient (201), puts the social worker who registered them on the care team, and audits it', async () => {
    const worker = await buildUser(t);
    const client = await signIn(t, worker);
    const res = await client.post('/api/patients', newPatient());
    expect(res.statusCode).toBe(201);
    const patient = res.json();
    expect(patient).toMatchObject({
      familyName: 'García',
      interpreterNeeded: true,
      address: { country: 'US' },
    });
    expect(patient.careTeam).toEqual([
      expect.objectContaining({ userId: worker.id, teamRole: 'Social worker' }),
    ]);
    const [created] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.patientId, patient.id), eq(auditEvents.action, 'patient.create')));
    expect(created).toMatchObject({ actorUserId: worker.id, outcome: 'success' });
  });

  it('refuses a second patient with the same MRN in one organisation (409, on the mrn field), but allows it in another', async () => {
    const worker = await buildUser(t);
    const client = await signIn(t, worker);
    const body = newPatient();
    expect((await client.post('/api/patients', body)).statusCode).toBe(201);
    const again = await client.post('/api/patients', body);
    expect(again.statusCode).toBe(409);
    expect(again.json().errors).toEqual([{ field: 'mrn', message: 'is already in use' }]);
    const elsewhere = await signIn(t, await buildUser(t));
    expect((await elsewhere.post('/api/patients', body)).statusCode).toBe(201);
  });

  it('refuses patient registration to a read-only user (403)', async () => {
    const reader = await buildUser(t, { role: 'read_only' });
    expect((await (await signIn(t, reader)).post('/api/patients', newPatient())).statusCode).toBe(403);
  });

  it('updates demographics (200) and audits which fields changed, without their values', async () => {
    const worker = await buildUser(t);
    const patient = await buildPatient(t, { organization: worker.organization, careTeam: [worker] });
    const client = await signIn(t, worker);
    const res = await client.patch(`/api/patients/${patient.id}`, {
      pronouns: 'he/him',
      interpreterNeeded: true,
      version: 1,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ pronouns: 'he/him', interpreterNeeded: true });
    const [update] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.patientId, patient.id), eq(auditEvents.action, 'patient.update')));
    expect(update!.detail).toEqual({ fields: ['pronouns', 'interpreterNeeded'] });
    expect(JSON.stringify(update)).not.toContain('he/him');
  });

  it('refuses an edit by a read-only user on the care team (403)', async () => {
    const reader = await buildUser(t, { role: 'read_only' });
    const patient = await buildPatient(t, { organization: reader.organization, careTeam: [reader] });
    const client = await signIn(t, reader);
    expect((await client.get(`/api/patients/${patient.id}`)).json().abilities).toEqual({
      read: true,
      update: false,
      manageCareTeam: false,
    });
    expect(
      (await client.patch(`/api/patients/${patient.id}`, { pronouns: 'she/her', version: 1 })).statusCode,
    ).toBe(403);
  });
});

describe('the care team', () => {
  it('lets a social worker on the team add and remove a colleague, who then can and then cannot open the chart', async () => {
    const org = await buildOrganization(t);
    const worker = await buildUser(t, { organization: org });
    const colleague = await buildUser(t, { organization: org, role: 'clinician' });
    const patient = await buildPatient(t, { organization: org, careTeam: [worker] });
    const client = await signIn(t, worker);
    const colleagueClient = await signIn(t, colleague);
    expect((await colleagueClient.get(`/api/patients/${patient.id}`)).statusCode).toBe(403);

    const added = await client.post(`/api/patients/${patient.id}/care-team`, {
      userId: colleague.id,
      teamRole: 'Attending',
    });
    expect(added.statusCode).toBe(200);
    expect((await colleagueClient.get(`/api/patients/${patient.id}`)).statusCode).toBe(200);
    expect(
      (
        await client.post(`/api/patients/${patient.id}/care-team`, {
          userId: colleague.id,
          teamRole: 'Attending',
        })
      ).statusCode,
    ).toBe(409);

    const member = added.json().careTeam.find((m: { userId: string }) => m.userId === colleague.id);
    expect((await client.delete(`/api/patients/${patient.id}/care-team/${member.id}`)).statusCode).toBe(204);
    expect((await colleagueClient.get(`/api/patients/${patient.id}`)).statusCode).toBe(403);
  });

  it('refuses to add a user of another organisation (404)', async () => {
    const worker = await buildUser(t);
    const stranger = await buildUser(t);
    const patient = await buildPatient(t, { organization: worker.organization, careTeam: [worker] });
    const res = await (await signIn(t, worker)).post(`/api/patients/${patient.id}/care-team`, {
      userId: stranger.id,
      teamRole: 'Nurse',
    });
    expect(res.statusCode).toBe(404);
  });

  it('does not let a clinician on the team manage the team (403)', async () => {
    const clinician = await buildUser(t, { role: 'clinician' });
    const other = await buildUser(t, { organization: clinician.organization });
    const patient = await buildPatient(t, { organization: clinician.organization, careTeam: [clinician] });
    const res = await (await signIn(t, clinician)).post(`/api/patients/${patient.id}/care-team`, {
      userId: other.id,
      teamRole: 'Social worker',
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('finding patients', () => {
  it('searches by name or MRN within the user’s scope, paged on the server', async () => {
    const supervisor = await buildUser(t, { role: 'supervisor' });
    for (let i = 0; i < 3; i++)
      await buildPatient(t, { organization: supervisor.organization, mrn: `FIND${i}` });
    const client = await signIn(t, supervisor);
    const page = await client.get('/api/patients?q=smith&pageSize=2&page=2');
    expect(page.json()).toMatchObject({ page: 2, pageSize: 2, total: 3 });
    expect(page.json().items).toHaveLength(1);
    const byMrn = await client.get('/api/patients?q=FIND1');
    expect(byMrn.json().items.map((p: { mrn: string }) => p.mrn)).toEqual(['FIND1']);
  });

  it('finds a patient id by exact MRN for emergency access, and audits the lookup; an unknown MRN is 404', async () => {
    const worker = await buildUser(t);
    const patient = await buildPatient(t, { organization: worker.organization, mrn: 'LOOKUP42' });
    const client = await signIn(t, worker);
    const found = await client.get('/api/patients/lookup?mrn=LOOKUP42');
    expect(found.json()).toEqual({ patientId: patient.id });
    expect((await client.get('/api/patients/lookup?mrn=NOPE1')).statusCode).toBe(404);
    const lookups = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorUserId, worker.id), eq(auditEvents.action, 'patient.lookup-mrn')));
    expect(lookups.map((l) => l.outcome).sort()).toEqual(['failure', 'success']);
  });
});

describe("a patient's accounting of disclosures", () => {
  it('lists who read the record, including list views that showed it and emergency access', async () => {
    const org = await buildOrganization(t);
    const worker = await buildUser(t, { organization: org });
    const outsider = await buildUser(t, { organization: org });
    const patient = await buildPatient(t, { organization: org, careTeam: [worker] });
    const client = await signIn(t, worker);
    await client.get('/api/patients');
    const outsiderClient = await signIn(t, outsider);
    await outsiderClient.post(`/api/patients/${patient.id}/emergency-access`, {
      reason: 'Rapid response call on the unit',
    });
    await outsiderClient.get(`/api/patients/${patient.id}`);

    const log = await client.get(`/api/patients/${patient.id}/access-log?pageSize=50`);
    expect(log.statusCode).toBe(200);
    const actions = log
      .json()
      .items.map((e: { action: string; actorUserId: string; emergency: boolean }) => [
        e.action,
        e.actorUserId === outsider.id,
        e.emergency,
      ]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ['patient.list', false, false],
        ['emergency-access.grant', true, true],
        ['patient.read', true, true],
      ]),
    );
    // The accounting itself is kept out of other people's hands.
    const stranger = await signIn(t, await buildUser(t, { organization: org }));
    expect((await stranger.get(`/api/patients/${patient.id}/access-log`)).statusCode).toBe(403);
  });
});
