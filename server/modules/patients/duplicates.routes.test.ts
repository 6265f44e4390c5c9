import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../platform/platform.tables.ts';
import {
  buildOrganization,
  buildUser,
  type Client,
  signIn,
  startTestApp,
  type TestContext,
} from '../../test/harness.ts';
import { patients } from './patients.tables.ts';

let t: TestContext;
let org: Awaited<ReturnType<typeof buildOrganization>>;
let registrar: Client;
let registrarId: string;
let existing: typeof patients.$inferSelect;

beforeAll(async () => {
  t = await startTestApp();
  org = await buildOrganization(t);
  // John Smith was registered by someone else: the social worker below is not on his care team.
  [existing] = (await t.database.db
    .insert(patients)
    .values({
      organizationId: org.id,
      mrn: 'DUP100',
      familyName: 'Smith',
      givenName: 'John',
      birthDate: '1950-04-01',
      sex: 'male',
      phones: [{ use: 'mobile', number: '+1 (617) 555-0142' }],
    })
    .returning()) as [typeof patients.$inferSelect];
  const worker = await buildUser(t, { organization: org });
  registrarId = worker.id;
  registrar = await signIn(t, worker);
});
afterAll(() => t.close());

const newPatient = (over: Record<string, unknown> = {}) => ({
  mrn: `N${Math.floor(Math.random() * 1e9)}`,
  familyName: 'Smith',
  givenName: 'Jon',
  birthDate: '1950-04-01',
  sex: 'male',
  ...over,
});

describe('the duplicate check before registering a patient', () => {
  it('says that a record outside the care team matches and why, without who it is', async () => {
    const res = await registrar.post('/api/patients/duplicate-check', newPatient());
    expect(res.statusCode).toBe(200);
    expect(res.json().candidates).toEqual([
      {
        id: existing.id,
        mrn: null,
        familyName: null,
        givenName: null,
        birthDate: null,
        mayOpen: false,
        reasons: ['same-birth-date-similar-name'],
      },
    ]);
    // Showing that the record exists is audited, with its id.
    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(
        and(eq(auditEvents.actorUserId, registrarId), eq(auditEvents.action, 'patient.duplicate-check')),
      );
    expect(audit!.detail).toEqual({ patientIds: [existing.id] });
  });

  it('finds the same phone number written differently with a similar name, born another day', async () => {
    const res = await registrar.post(
      '/api/patients/duplicate-check',
      newPatient({
        givenName: 'Jonh',
        birthDate: '1951-04-01',
        phones: [{ use: 'home', number: '617 555 0142' }],
      }),
    );
    expect(res.json().candidates).toEqual([
      expect.objectContaining({ id: existing.id, reasons: ['same-phone-similar-name'] }),
    ]);
  });

  it('never reveals the name behind an MRN typed with made-up names; a supervisor sees the whole record', async () => {
    const probe = newPatient({ mrn: 'DUP100', familyName: 'Xx', givenName: 'Yy', birthDate: '2000-01-01' });
    const res = await registrar.post('/api/patients/duplicate-check', probe);
    expect(res.json().candidates).toEqual([
      {
        id: existing.id,
        mrn: 'DUP100',
        familyName: null,
        givenName: null,
        birthDate: null,
        mayOpen: false,
        reasons: ['same-mrn'],
      },
    ]);
    const supervisor = await signIn(t, await buildUser(t, { role: 'supervisor', organization: org }));
    const seen = await supervisor.post('/api/patients/duplicate-check', newPatient());
    expect(seen.json().candidates).toEqual([
      {
        id: existing.id,
        mrn: 'DUP100',
        familyName: 'Smith',
        givenName: 'John',
        birthDate: '1950-04-01',
        mayOpen: true,
        reasons: ['same-birth-date-similar-name'],
      },
    ]);
  });

  it('names every reason a record matched, and the same MRN first', async () => {
    const res = await registrar.post(
      '/api/patients/duplicate-check',
      newPatient({ mrn: 'DUP100', phones: [{ use: 'mobile', number: '6175550142' }] }),
    );
    expect(res.json().candidates[0].reasons).toEqual([
      'same-mrn',
      'same-birth-date-similar-name',
      'same-phone-similar-name',
    ]);
  });

  it.each([
    ['another name born the same day (a twin)', { givenName: 'Mary' }],
    ['a similar name born another day, without a phone', { birthDate: '1960-01-01' }],
    [
      'the same phone with another name',
      {
        givenName: 'Alice',
        familyName: 'Ng',
        birthDate: '1990-01-01',
        phones: [{ use: 'mobile', number: '617-555-0142' }],
      },
    ],
  ])('finds nothing for %s', async (_, over) => {
    const res = await registrar.post('/api/patients/duplicate-check', newPatient(over));
    expect(res.json().candidates).toEqual([]);
  });

  it("never shows another organisation's records", async () => {
    const stranger = await signIn(t, await buildUser(t));
    const res = await stranger.post('/api/patients/duplicate-check', newPatient());
    expect(res.json().candidates).toEqual([]);
  });

  it('refuses the check to a read-only user (403)', async () => {
    const reader = await signIn(t, await buildUser(t, { role: 'read_only', organization: org }));
    expect((await reader.post('/api/patients/duplicate-check', newPatient())).statusCode).toBe(403);
  });
});

describe('registering a patient who may already exist', () => {
  it('answers 409 possible-duplicate with the candidates, then registers once the user confirms', async () => {
    const body = newPatient({ givenName: 'Johnny' });
    const refused = await registrar.post('/api/patients', body);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      type: 'urn:kith:problem:possible-duplicate',
      candidates: [
        { id: existing.id, mrn: null, familyName: null, reasons: ['same-birth-date-similar-name'] },
      ],
    });
    expect(Object.keys(refused.json().candidates[0]).sort()).toEqual([
      'birthDate',
      'familyName',
      'givenName',
      'id',
      'mayOpen',
      'mrn',
      'reasons',
    ]);
    const [none] = await t.database.db.select().from(patients).where(eq(patients.mrn, body.mrn));
    expect(none).toBeUndefined();

    const created = await registrar.post('/api/patients', { ...body, confirmedNotDuplicate: true });
    expect(created.statusCode).toBe(201);
    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.patientId, created.json().id), eq(auditEvents.action, 'patient.create')));
    expect(audit!.detail).toEqual({ confirmedNotDuplicate: true });
  });

  it('still refuses an MRN in use, confirmed or not (409 mrn-taken)', async () => {
    const res = await registrar.post(
      '/api/patients',
      newPatient({ mrn: 'DUP100', confirmedNotDuplicate: true }),
    );
    expect(res.statusCode).toBe(409);
    expect(res.json().type).toBe('urn:kith:problem:mrn-taken');
  });

  it('does not offer a record merged away (retired) as a duplicate', async () => {
    await t.database.db.insert(patients).values({
      organizationId: org.id,
      mrn: 'DUP200',
      familyName: 'Okafor',
      givenName: 'Ngozi',
      birthDate: '1970-02-02',
      sex: 'female',
      retiredAt: new Date(),
      retiredReason: 'merged',
    });
    const res = await registrar.post(
      '/api/patients/duplicate-check',
      newPatient({ familyName: 'Okafor', givenName: 'Ngozi', birthDate: '1970-02-02' }),
    );
    expect(res.json().candidates).toEqual([]);
  });
});
