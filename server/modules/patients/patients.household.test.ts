import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../platform/platform.tables.ts';
import { buildPatient, buildUser, signIn, startTestApp, type TestContext } from '../../test/harness.ts';
import { patients } from './patients.tables.ts';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const newPatient = (over: Record<string, unknown> = {}) => ({
  confirmedNotDuplicate: true,
  mrn: `H${Math.floor(Math.random() * 1e9)}`,
  familyName: 'Reyes',
  givenName: 'Marisol',
  birthDate: '1979-03-14',
  sex: 'female',
  ...over,
});

const fieldsOf = (body: { errors: { field: string; message: string }[] }) =>
  Object.fromEntries(body.errors.map((e) => [e.field, e.message]));

async function workerWithPatient() {
  const worker = await buildUser(t);
  const patient = await buildPatient(t, { organization: worker.organization, careTeam: [worker] });
  return { worker, patient, client: await signIn(t, worker) };
}

describe('household size and income on registration', () => {
  it('registers a household of 3 earning $28,500 a year, stamps when it was recorded, and reads it back', async () => {
    const client = await signIn(t, await buildUser(t));
    const before = Date.now();
    const res = await client.post('/api/patients', newPatient({ householdSize: 3, householdIncome: 28_500 }));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ householdSize: 3, householdIncome: 28_500 });
    expect(Date.parse(res.json().householdRecordedAt)).toBeGreaterThanOrEqual(before - 1000);
    const read = (await client.get(`/api/patients/${res.json().id}`)).json();
    expect(read).toMatchObject({
      householdSize: 3,
      householdIncome: 28_500,
      householdRecordedAt: res.json().householdRecordedAt,
    });
  });

  it('leaves the household unrecorded when neither is given', async () => {
    const client = await signIn(t, await buildUser(t));
    const res = await client.post('/api/patients', newPatient());
    expect(res.json()).toMatchObject({
      householdSize: null,
      householdIncome: null,
      householdRecordedAt: null,
    });
  });

  it.each([
    [{ householdSize: 0, householdIncome: 1000 }, { householdSize: 'must be at least 1' }],
    [{ householdSize: 21, householdIncome: 1000 }, { householdSize: 'must be at most 20' }],
    [{ householdSize: 2.5, householdIncome: 1000 }, { householdSize: 'must be a whole number' }],
    [{ householdSize: 2, householdIncome: -1 }, { householdIncome: 'must not be negative' }],
    [{ householdSize: 2, householdIncome: 10_000_001 }, { householdIncome: 'must be at most 10,000,000' }],
    [{ householdSize: 2, householdIncome: 1200.5 }, { householdIncome: 'must be whole dollars' }],
    [{ householdSize: '2', householdIncome: 1000 }, { householdSize: 'must be a number' }],
    [{ householdSize: 2 }, { householdIncome: 'is required with the household size' }],
    [{ householdIncome: 40_000 }, { householdSize: 'is required with the household income' }],
    [
      { householdSize: null, householdIncome: 40_000 },
      { householdSize: 'is required with the household income' },
    ],
  ])('answers 422 naming the household field for %j', async (household, errors) => {
    const client = await signIn(t, await buildUser(t));
    const res = await client.post('/api/patients', newPatient(household));
    expect(res.statusCode).toBe(422);
    expect(fieldsOf(res.json())).toEqual(errors);
  });
});

describe('editing the household', () => {
  it('records it on an edit, keeps its time when saved unchanged, restamps a change, and clears both with null', async () => {
    const { worker, patient, client } = await workerWithPatient();
    const first = await client.patch(`/api/patients/${patient.id}`, {
      householdSize: 4,
      householdIncome: 31_200,
      version: 1,
    });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ householdSize: 4, householdIncome: 31_200, version: 2 });
    expect(first.json().householdRecordedAt).not.toBeNull();
    // As if it had been recorded at an earlier visit.
    const recordedAt = '2025-01-15T15:00:00.000Z';
    await t.database.db
      .update(patients)
      .set({ householdRecordedAt: new Date(recordedAt) })
      .where(eq(patients.id, patient.id));

    // The edit form sends every field: the household unchanged keeps the time it was recorded.
    const same = await client.patch(`/api/patients/${patient.id}`, {
      pronouns: 'she/her',
      householdSize: 4,
      householdIncome: 31_200,
      version: 2,
    });
    expect(same.json().householdRecordedAt).toBe(recordedAt);

    const changed = await client.patch(`/api/patients/${patient.id}`, {
      householdSize: 4,
      householdIncome: 36_000,
      version: 3,
    });
    expect(changed.json().householdIncome).toBe(36_000);
    expect(Date.parse(changed.json().householdRecordedAt)).toBeGreaterThan(Date.parse(recordedAt));

    const cleared = await client.patch(`/api/patients/${patient.id}`, {
      householdSize: null,
      householdIncome: null,
      version: 4,
    });
    expect(cleared.json()).toMatchObject({
      householdSize: null,
      householdIncome: null,
      householdRecordedAt: null,
    });

    // Audited as every edit of the record: the fields changed, never the amounts.
    const updates = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.patientId, patient.id), eq(auditEvents.action, 'patient.update')));
    expect(updates).toHaveLength(4);
    expect(updates.every((u) => u.actorUserId === worker.id)).toBe(true);
    expect(updates[0]!.detail).toEqual({ fields: ['householdSize', 'householdIncome'] });
    expect(JSON.stringify(updates)).not.toContain('31200');
    expect(JSON.stringify(updates)).not.toContain('36000');
  });

  it.each([
    [{ householdSize: 3 }, { householdIncome: 'is required with the household size' }],
    [{ householdIncome: 20_000 }, { householdSize: 'is required with the household income' }],
    [{ householdSize: 3, householdIncome: null }, { householdIncome: 'is required with the household size' }],
    [{ householdSize: null }, { householdIncome: 'must be cleared with the household size' }],
    [{ householdIncome: null }, { householdSize: 'must be cleared with the household income' }],
    [{ householdSize: 30, householdIncome: 20_000 }, { householdSize: 'must be at most 20' }],
  ])('answers 422 for the edit %j and changes nothing', async (household, errors) => {
    const { patient, client } = await workerWithPatient();
    const res = await client.patch(`/api/patients/${patient.id}`, { ...household, version: 1 });
    expect(res.statusCode).toBe(422);
    expect(fieldsOf(res.json())).toEqual(errors);
    const read = (await client.get(`/api/patients/${patient.id}`)).json();
    expect(read).toMatchObject({ householdSize: null, householdIncome: null, version: 1 });
  });

  it('refuses a household edit by a worker outside the care team (403)', async () => {
    const { worker, patient } = await workerWithPatient();
    const outsider = await signIn(t, await buildUser(t, { organization: worker.organization }));
    const res = await outsider.patch(`/api/patients/${patient.id}`, {
      householdSize: 2,
      householdIncome: 10_000,
      version: 1,
    });
    expect(res.statusCode).toBe(403);
  });
});
