import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPatient, buildUser, signIn, startTestApp, type TestContext } from '../../test/harness.ts';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const medicare = {
  payerType: 'medicare',
  payerName: 'Medicare',
  plan: 'Original Medicare Part A/B',
  memberId: '1EG4-TE5-MK73',
  primary: true,
};
const medicaid = {
  payerType: 'medicaid',
  payerName: 'MassHealth',
  plan: 'Standard',
  memberId: '100200300400',
};
const pcp = { name: 'Dr. Ada Okafor', practice: 'Codman Square Health Center', phone: '617-555-0123' };

// Registered one after another with alike names: each is confirmed as a new person (duplicates have their own tests).
const newPatient = (over: Record<string, unknown> = {}) => ({
  confirmedNotDuplicate: true,
  mrn: `I${Math.floor(Math.random() * 1e9)}`,
  familyName: 'Nguyen',
  givenName: 'Thi',
  birthDate: '1941-08-09',
  sex: 'female',
  ...over,
});

describe('insurance and primary care provider', () => {
  it('registers a patient with coverages and a primary care provider, and reads them back', async () => {
    const client = await signIn(t, await buildUser(t));
    const res = await client.post(
      '/api/patients',
      newPatient({ insurance: [medicare, medicaid], primaryCareProvider: pcp }),
    );
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      insurance: [medicare, medicaid],
      primaryCareProvider: pcp,
      legalRepresentatives: [],
      codeStatus: null,
      version: 1,
    });
    const read = await client.get(`/api/patients/${res.json().id}`);
    expect(read.json().insurance).toEqual([medicare, medicaid]);
  });

  it('accepts self-pay without a payer or member id, and no coverage at all', async () => {
    const client = await signIn(t, await buildUser(t));
    expect(
      (await client.post('/api/patients', newPatient({ insurance: [{ payerType: 'self-pay' }] }))).statusCode,
    ).toBe(201);
    const none = await client.post('/api/patients', newPatient());
    expect(none.json()).toMatchObject({ insurance: [], primaryCareProvider: null });
  });

  it('answers 422 naming each bad coverage field', async () => {
    const client = await signIn(t, await buildUser(t));
    const res = await client.post(
      '/api/patients',
      newPatient({
        insurance: [
          { payerType: 'medicare', primary: true },
          { ...medicaid, primary: true },
          { payerType: 'barter' },
        ],
        primaryCareProvider: { name: '', phone: 'ask the front desk' },
      }),
    );
    expect(res.statusCode).toBe(422);
    expect(
      res
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual([
      'insurance.0.memberId',
      'insurance.0.payerName',
      'insurance.2.payerType',
      'primaryCareProvider.name',
      'primaryCareProvider.phone',
    ]);
    const twoPrimaries = await client.post(
      '/api/patients',
      newPatient({ insurance: [medicare, { ...medicaid, primary: true }] }),
    );
    expect(twoPrimaries.json().errors).toEqual([
      { field: 'insurance', message: 'only one coverage can be primary' },
    ]);
  });
});

describe('editing the record with its version', () => {
  it('clears the primary care provider with null, records the code status and its time, and bumps the version', async () => {
    const worker = await buildUser(t);
    const patient = await buildPatient(t, { organization: worker.organization, careTeam: [worker] });
    const client = await signIn(t, worker);
    await client.patch(`/api/patients/${patient.id}`, { primaryCareProvider: pcp, version: 1 });
    const res = await client.patch(`/api/patients/${patient.id}`, {
      primaryCareProvider: null,
      codeStatus: 'DNR/DNI',
      version: 2,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ primaryCareProvider: null, codeStatus: 'DNR/DNI', version: 3 });
    expect(res.json().codeStatusRecordedAt).not.toBeNull();
  });

  it('refuses a stale version (409 with the current one) and changes nothing', async () => {
    const worker = await buildUser(t);
    const patient = await buildPatient(t, { organization: worker.organization, careTeam: [worker] });
    const client = await signIn(t, worker);
    await client.patch(`/api/patients/${patient.id}`, { pronouns: 'he/him', version: 1 });
    const stale = await client.patch(`/api/patients/${patient.id}`, { pronouns: 'they/them', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ type: 'urn:kith:problem:stale-version', currentVersion: 2 });
    expect((await client.get(`/api/patients/${patient.id}`)).json().pronouns).toBe('he/him');
  });
});
