import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildPatient,
  buildUser,
  type Client,
  signIn,
  startTestApp,
  type TestContext,
} from '../../test/harness.ts';

let t: TestContext;
let admin: Client;
let adminUser: Awaited<ReturnType<typeof buildUser>>;
beforeAll(async () => {
  t = await startTestApp();
  adminUser = await buildUser(t, { role: 'admin', totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' });
  admin = await signIn(t, adminUser);
});
afterAll(() => t.close());

describe('audit log search and export', () => {
  it('finds events by user, patient and date, newest first, and only of the admin’s organisation', async () => {
    const worker = await buildUser(t, { organization: adminUser.organization });
    const patient = await buildPatient(t, { organization: adminUser.organization, careTeam: [worker] });
    const workerClient = await signIn(t, worker);
    await workerClient.get(`/api/patients/${patient.id}`);
    await workerClient.get(`/api/patients/${patient.id}`);
    // Activity in another organisation never shows.
    const stranger = await buildUser(t);
    await signIn(t, stranger);

    const byUser = await admin.get(`/api/admin/audit?userId=${worker.id}`);
    expect(byUser.statusCode).toBe(200);
    const actions = byUser.json().items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(['patient.read', 'patient.read', 'auth.sign-in']);
    const seqs = byUser.json().items.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));

    const byPatient = await admin.get(`/api/admin/audit?patientId=${patient.id}&action=patient.read`);
    expect(byPatient.json().total).toBe(2);
    const today = new Date().toISOString().slice(0, 10);
    expect(
      (await admin.get(`/api/admin/audit?userId=${worker.id}&from=${today}&to=${today}`)).json().total,
    ).toBe(3);
    expect((await admin.get(`/api/admin/audit?userId=${worker.id}&to=2020-01-01`)).json().total).toBe(0);
    expect((await admin.get(`/api/admin/audit?userId=${stranger.id}`)).json().total).toBe(0);
  });

  it('exports the matching events as CSV, quoting values and defusing spreadsheet formulas', async () => {
    const worker = await buildUser(t, {
      organization: adminUser.organization,
      email: 'csv.worker@hospital.test',
    });
    const patient = await buildPatient(t, { organization: adminUser.organization });
    const client = await signIn(t, worker);
    await client.post(`/api/patients/${patient.id}/emergency-access`, {
      reason: '=HYPERLINK("x"), said the "doctor"',
    });
    const res = await admin.get(`/api/admin/audit.csv?userId=${worker.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="kith-audit-/);
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      'seq,occurredAt,actorLabel,actorRole,action,outcome,patientId,recordKind,recordId,ip,userAgent,reason,emergency',
    );
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain(`"'=HYPERLINK(""x""), said the ""doctor"""`);
    expect(lines[2]).toContain('emergency-access.grant');
  });

  it('records that the log itself was searched and exported', async () => {
    await admin.get('/api/admin/audit');
    await admin.get('/api/admin/audit.csv');
    const mine = await admin.get(`/api/admin/audit?userId=${adminUser.id}&pageSize=200`);
    const actions = mine.json().items.map((e: { action: string }) => e.action);
    expect(actions).toContain('audit.search');
    expect(actions).toContain('audit.export');
  });

  it('refuses the audit log to supervisors and social workers (403)', async () => {
    const supervisor = await signIn(
      t,
      await buildUser(t, { organization: adminUser.organization, role: 'supervisor' }),
    );
    expect((await supervisor.get('/api/admin/audit')).statusCode).toBe(403);
    expect((await supervisor.get('/api/admin/audit.csv')).statusCode).toBe(403);
  });
});

describe('emergency access review', () => {
  it('lets a supervisor review a grant once; it then leaves the pending list', async () => {
    const org = adminUser.organization;
    const outsider = await buildUser(t, { organization: org });
    const supervisor = await signIn(t, await buildUser(t, { organization: org, role: 'supervisor' }));
    const patient = await buildPatient(t, { organization: org });
    await (await signIn(t, outsider)).post(`/api/patients/${patient.id}/emergency-access`, {
      reason: 'Cardiac arrest on 5 West, covering',
    });
    const pending = (await supervisor.get('/api/admin/emergency-access')).json();
    const grant = pending.find((g: { patientId: string }) => g.patientId === patient.id);
    expect(grant).toMatchObject({
      userId: outsider.id,
      patientName: 'Smith, John',
      reason: 'Cardiac arrest on 5 West, covering',
    });

    expect(
      (await supervisor.post(`/api/admin/emergency-access/${grant.id}/review`, { note: '' })).statusCode,
    ).toBe(422);
    expect(
      (
        await supervisor.post(`/api/admin/emergency-access/${grant.id}/review`, {
          note: 'Appropriate: covering the code.',
        })
      ).statusCode,
    ).toBe(204);
    expect(
      (await supervisor.post(`/api/admin/emergency-access/${grant.id}/review`, { note: 'again' })).statusCode,
    ).toBe(404);
    const after = (await supervisor.get('/api/admin/emergency-access')).json();
    expect(after.find((g: { id: string }) => g.id === grant.id)).toBeUndefined();
    const all = (await supervisor.get('/api/admin/emergency-access?status=all')).json();
    expect(all.find((g: { id: string }) => g.id === grant.id)).toMatchObject({
      reviewNote: 'Appropriate: covering the code.',
    });
  });
});

describe('organisation settings', () => {
  it('lets an admin require MFA for everyone, which then holds a social worker at enrolment', async () => {
    const worker = await buildUser(t, { organization: adminUser.organization });
    const before = await signIn(t, worker);
    expect((await before.get('/api/patients')).statusCode).toBe(200);
    const res = await admin.patch('/api/admin/organization', { requireMfa: true });
    expect(res.json()).toMatchObject({ requireMfa: true });
    expect((await before.get('/api/patients')).statusCode).toBe(403);
    expect((await before.get('/api/auth/me')).json().user.mfaEnrolmentRequired).toBe(true);
    await admin.patch('/api/admin/organization', { requireMfa: false });
  });

  it('validates the settings (422 with the field)', async () => {
    const res = await admin.patch('/api/admin/organization', { name: '', timeZone: 'Mars/Olympus_Mons' });
    expect(res.statusCode).toBe(422);
    expect(
      res
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['name', 'timeZone']);
  });
});
