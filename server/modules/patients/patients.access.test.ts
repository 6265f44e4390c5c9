import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, emergencyAccess } from '../../platform/platform.tables.ts';
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

const auditFor = (patientId: string, action: string) =>
  t.database.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.patientId, patientId), eq(auditEvents.action, action)));

describe('patient access policy', () => {
  it('returns 404 when a user of organisation A opens a patient of organisation B', async () => {
    const orgB = await buildOrganization(t);
    const workerB = await buildUser(t, { organization: orgB });
    const patientB = await buildPatient(t, { organization: orgB, careTeam: [workerB] });
    const adminA = await buildUser(t, { role: 'supervisor' });

    const client = await signIn(t, adminA);
    const res = await client.get(`/api/patients/${patientB.id}`);
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    // Not even emergency access reaches across organisations.
    const glass = await client.post(`/api/patients/${patientB.id}/emergency-access`, {
      reason: 'Patient collapsed in the lobby',
    });
    expect(glass.statusCode).toBe(404);
  });

  it('lets a care-team member read the chart and audits the read', async () => {
    const worker = await buildUser(t);
    const patient = await buildPatient(t, { organization: worker.organization, careTeam: [worker] });
    const res = await (await signIn(t, worker)).get(`/api/patients/${patient.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: patient.id,
      abilities: { read: true, update: true, manageCareTeam: true },
      emergencyAccessUntil: null,
    });
    const [read] = await auditFor(patient.id, 'patient.read');
    expect(read).toMatchObject({
      actorUserId: worker.id,
      outcome: 'success',
      emergency: false,
      recordKind: 'patient',
    });
  });

  it('returns 403 when a worker outside the care team opens the chart, and audits the refusal', async () => {
    const org = await buildOrganization(t);
    const member = await buildUser(t, { organization: org });
    const outsider = await buildUser(t, { organization: org });
    const patient = await buildPatient(t, { organization: org, careTeam: [member] });

    const res = await (await signIn(t, outsider)).get(`/api/patients/${patient.id}`);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ type: 'urn:kith:problem:forbidden', emergencyAccessAvailable: true });
    expect(res.body).not.toContain('Smith');
    const denied = await auditFor(patient.id, 'patient.read');
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ actorUserId: outsider.id, outcome: 'denied' });
  });

  it('lets supervisors of the same organisation read any patient', async () => {
    const supervisor = await buildUser(t, { role: 'supervisor' });
    const patient = await buildPatient(t, { organization: supervisor.organization });
    const res = await (await signIn(t, supervisor)).get(`/api/patients/${patient.id}`);
    expect(res.statusCode).toBe(200);
  });

  it('grants one hour of emergency access for a stated reason, flags it in the audit log and lists it for review', async () => {
    const org = await buildOrganization(t);
    const outsider = await buildUser(t, { organization: org });
    const supervisor = await buildUser(t, { organization: org, role: 'supervisor' });
    const patient = await buildPatient(t, { organization: org });
    const client = await signIn(t, outsider);

    const noReason = await client.post(`/api/patients/${patient.id}/emergency-access`, { reason: '' });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().errors[0].field).toBe('reason');

    const grant = await client.post(`/api/patients/${patient.id}/emergency-access`, {
      reason: 'Covering ED overnight, patient in crisis',
    });
    expect(grant.statusCode).toBe(201);
    const expiresIn = new Date(grant.json().expiresAt).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(59 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(60 * 60_000);

    const chart = await client.get(`/api/patients/${patient.id}`);
    expect(chart.statusCode).toBe(200);
    expect(chart.json().emergencyAccessUntil).toBe(grant.json().expiresAt);

    const [granted] = await auditFor(patient.id, 'emergency-access.grant');
    expect(granted).toMatchObject({
      emergency: true,
      reason: 'Covering ED overnight, patient in crisis',
      actorUserId: outsider.id,
    });
    const [read] = await auditFor(patient.id, 'patient.read').then((rows) =>
      rows.filter((r) => r.outcome === 'success'),
    );
    expect(read).toMatchObject({ emergency: true });

    const review = await (await signIn(t, supervisor)).get('/api/admin/emergency-access?status=pending');
    expect(review.statusCode).toBe(200);
    expect(review.json()).toEqual([
      expect.objectContaining({ patientId: patient.id, userId: outsider.id, reviewedAt: null }),
    ]);
  });

  it('refuses a patient read once the emergency grant has expired', async () => {
    const org = await buildOrganization(t);
    const outsider = await buildUser(t, { organization: org });
    const patient = await buildPatient(t, { organization: org });
    const client = await signIn(t, outsider);
    await client.post(`/api/patients/${patient.id}/emergency-access`, {
      reason: 'Family at bedside asking for help',
    });
    await t.database.db
      .update(emergencyAccess)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(emergencyAccess.patientId, patient.id));
    expect((await client.get(`/api/patients/${patient.id}`)).statusCode).toBe(403);
  });

  it('lists only care-team patients for a social worker, and all for a supervisor', async () => {
    const org = await buildOrganization(t);
    const worker = await buildUser(t, { organization: org });
    const supervisor = await buildUser(t, { organization: org, role: 'supervisor' });
    const mine = await buildPatient(t, { organization: org, careTeam: [worker] });
    await buildPatient(t, { organization: org });
    const workerList = await (await signIn(t, worker)).get('/api/patients');
    expect(workerList.json().items.map((p: { id: string }) => p.id)).toEqual([mine.id]);
    const supervisorList = await (await signIn(t, supervisor)).get('/api/patients');
    expect(supervisorList.json().total).toBe(2);
  });

  it('refuses chart access to a community partner even with a reason', async () => {
    const partner = await buildUser(t, { role: 'community_partner' });
    const patient = await buildPatient(t, { organization: partner.organization });
    const client = await signIn(t, partner);
    expect((await client.get(`/api/patients/${patient.id}`)).statusCode).toBe(403);
    expect(
      (
        await client.post(`/api/patients/${patient.id}/emergency-access`, {
          reason: 'I would like to see it please',
        })
      ).statusCode,
    ).toBe(403);
  });
});
