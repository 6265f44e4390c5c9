import { and, eq } from 'drizzle-orm';
import { generateSecret } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../platform/platform.tables.ts';
import { buildCase } from '../../test/casework-factories.ts';
import {
  buildOrganization,
  buildPatient,
  buildUser,
  signIn,
  startTestApp,
  type TestContext,
} from '../../test/harness.ts';
import { encounters } from '../encounters/encounters.tables.ts';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
const minutesAhead = (m: number) => new Date(Date.now() + m * 60_000);

async function supervisorOf(organization: Awaited<ReturnType<typeof buildOrganization>>) {
  const supervisor = await buildUser(t, { role: 'supervisor', organization });
  return { supervisor, client: await signIn(t, supervisor) };
}

describe('the triage queue', () => {
  it('lists waiting consults overdue first, then by due time, with where the patient is and who asked', async () => {
    const organization = await buildOrganization(t);
    const { client } = await supervisorOf(organization);
    const clinician = await buildUser(t, { role: 'clinician', organization });
    const patient = await buildPatient(t, { organization, mrn: 'Q-1001' });
    await t.database.db.insert(encounters).values([
      {
        organizationId: organization.id,
        patientId: patient.id,
        encounterClass: 'inpatient',
        status: 'finished',
        unit: 'ED',
        room: '3',
        admittedAt: minutesAgo(60 * 24 * 30),
        dischargedAt: minutesAgo(60 * 24 * 29),
      },
      {
        organizationId: organization.id,
        patientId: patient.id,
        encounterClass: 'inpatient',
        status: 'in-progress',
        unit: '7 West',
        room: '712',
        admittedAt: minutesAgo(60 * 24),
      },
    ]);
    // Due later, due soon, overdue: the overdue one comes first whatever its due time.
    const later = await buildCase(t, {
      organization,
      patient,
      status: 'new',
      firstContactDueAt: minutesAhead(300),
    });
    const soon = await buildCase(t, {
      organization,
      patient,
      status: 'triaged',
      urgency: 'emergent',
      firstContactDueAt: minutesAhead(20),
      requestedBy: clinician,
      reasonCode: 'suicide-risk',
    });
    const overdue = await buildCase(t, {
      organization,
      status: 'new',
      urgency: 'urgent',
      requestedAt: minutesAgo(300),
      firstContactDueAt: minutesAgo(60),
    });
    // Not waiting: assigned, active and closed cases stay out, as do other organisations' consults.
    await buildCase(t, { organization, patient, status: 'assigned' });
    await buildCase(t, { organization, patient, status: 'active' });
    await buildCase(t, { organization, patient, status: 'closed' });
    await buildCase(t, { status: 'new' });

    const res = await client.get('/api/triage/queue');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(3);
    expect(body.items.map((i: { id: string }) => i.id)).toEqual([
      overdue.case.id,
      soon.case.id,
      later.case.id,
    ]);
    expect(body.items.map((i: { overdue: boolean }) => i.overdue)).toEqual([true, false, false]);
    expect(body.items[1]).toMatchObject({
      status: 'triaged',
      patient: { id: patient.id, name: 'Smith, John', mrn: 'Q-1001' },
      unit: '7 West',
      room: '712',
      reasonCode: 'suicide-risk',
      reasonLabel: 'Suicidal ideation or self-harm',
      urgency: 'emergent',
      requestedBy: { id: clinician.id, displayName: clinician.displayName },
      allowedActions: ['assign', 'close'],
    });
    expect(body.items[0]).toMatchObject({
      unit: null,
      room: null,
      allowedActions: ['triage', 'assign', 'close'],
    });

    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(
        and(eq(auditEvents.organizationId, organization.id), eq(auditEvents.action, 'triage.queue.read')),
      );
    expect((audit!.detail as { patientIds: string[] }).patientIds.sort()).toEqual(
      [patient.id, overdue.patient.id].sort(),
    );
  });

  it('pages on the server, filters by urgency, and answers 422 to a page out of range', async () => {
    const organization = await buildOrganization(t);
    const { client } = await supervisorOf(organization);
    for (const urgency of ['routine', 'urgent', 'emergent'] as const)
      await buildCase(t, { organization, urgency });
    const second = await client.get('/api/triage/queue?page=2&pageSize=1');
    expect(second.json()).toMatchObject({ page: 2, pageSize: 1, total: 3 });
    expect(second.json().items).toHaveLength(1);
    const emergent = await client.get('/api/triage/queue?urgency=emergent');
    expect(emergent.json().items.map((i: { urgency: string }) => i.urgency)).toEqual(['emergent']);
    for (const query of ['page=0', 'pageSize=201', 'pageSize=abc', 'urgency=soon']) {
      expect((await client.get(`/api/triage/queue?${query}`)).statusCode, query).toBe(422);
    }
  });

  it('is for supervisors and admins only (403 to a social worker)', async () => {
    const worker = await buildUser(t, { role: 'social_worker' });
    const client = await signIn(t, worker);
    expect((await client.get('/api/triage/queue')).statusCode).toBe(403);
    expect((await client.get('/api/caseloads')).statusCode).toBe(403);
  });
});

describe('caseloads', () => {
  it('counts each worker’s open cases, acuity, urgencies and overdue first contacts', async () => {
    const organization = await buildOrganization(t);
    const { supervisor, client } = await supervisorOf(organization);
    const busy = await buildUser(t, { role: 'social_worker', organization });
    const idle = await buildUser(t, { role: 'social_worker', organization });
    await buildUser(t, { role: 'social_worker', organization, disabled: true });
    await buildUser(t, { role: 'clinician', organization });
    await buildCase(t, { organization, worker: busy, status: 'assigned', urgency: 'emergent', acuity: 3 });
    await buildCase(t, { organization, worker: busy, status: 'active', urgency: 'routine', acuity: 2 });
    await buildCase(t, {
      organization,
      worker: busy,
      status: 'assigned',
      urgency: 'urgent',
      firstContactDueAt: minutesAgo(5),
    });
    await buildCase(t, { organization, worker: busy, status: 'closed', acuity: 4 });
    await buildCase(t, { worker: await buildUser(t, { role: 'social_worker' }), status: 'active' });

    const res = await client.get('/api/caseloads');
    expect(res.statusCode).toBe(200);
    const byId = new Map(res.json().items.map((l: { userId: string }) => [l.userId, l]));
    expect([...byId.keys()].sort()).toEqual([busy.id, idle.id, supervisor.id].sort());
    expect(byId.get(busy.id)).toEqual({
      userId: busy.id,
      displayName: busy.displayName,
      role: 'social_worker',
      openCases: 3,
      assigned: 2,
      active: 1,
      acuitySum: 5,
      byUrgency: { emergent: 1, urgent: 1, routine: 1 },
      overdueFirstContact: 1,
    });
    expect(byId.get(idle.id)).toMatchObject({ openCases: 0, acuitySum: 0, overdueFirstContact: 0 });
  });
});

describe('first-contact targets', () => {
  it('shows the department defaults to staff until an admin sets the organisation’s own', async () => {
    const organization = await buildOrganization(t);
    const worker = await buildUser(t, { role: 'social_worker', organization });
    const admin = await buildUser(t, { role: 'admin', organization, totpSecret: generateSecret() });
    const read = await (await signIn(t, worker)).get('/api/organization/consult-targets');
    expect(read.json()).toEqual({
      emergentMinutes: 60,
      urgentMinutes: 240,
      routineBusinessDays: 1,
      isDefault: true,
      descriptions: { emergent: '1 hour', urgent: '4 hours', routine: '1 business day' },
    });

    const adminClient = await signIn(t, admin);
    const targets = { emergentMinutes: 45, urgentMinutes: 180, routineBusinessDays: 2 };
    const saved = await adminClient.request({
      method: 'PUT',
      url: '/api/organization/consult-targets',
      payload: targets,
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ ...targets, isDefault: false });
    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.organizationId, organization.id),
          eq(auditEvents.action, 'organization.consult-targets.update'),
        ),
      );
    expect(audit).toMatchObject({ actorUserId: admin.id, outcome: 'success', detail: targets });

    // The next consult is measured against them.
    const clinician = await buildUser(t, { role: 'clinician', organization });
    const patient = await buildPatient(t, { organization, careTeam: [clinician] });
    const c = (
      await (
        await signIn(t, clinician)
      ).post('/api/consults', {
        patientId: patient.id,
        reasonCode: 'caregiver-support',
        urgency: 'emergent',
      })
    ).json();
    expect(Date.parse(c.firstContact.dueAt) - Date.parse(c.requestedAt)).toBe(45 * 60_000);
  });

  it('refuses targets that are not positive minutes or 0-10 business days (422), and non-admins (403)', async () => {
    const organization = await buildOrganization(t);
    const admin = await signIn(
      t,
      await buildUser(t, { role: 'admin', organization, totpSecret: generateSecret() }),
    );
    const put = (client: typeof admin, payload: unknown) =>
      client.request({ method: 'PUT', url: '/api/organization/consult-targets', payload: payload as object });
    const valid = { emergentMinutes: 60, urgentMinutes: 240, routineBusinessDays: 1 };
    for (const [over, field] of [
      [{ emergentMinutes: 0 }, 'emergentMinutes'],
      [{ urgentMinutes: -5 }, 'urgentMinutes'],
      [{ urgentMinutes: 12.5 }, 'urgentMinutes'],
      [{ routineBusinessDays: 11 }, 'routineBusinessDays'],
      [{ routineBusinessDays: -1 }, 'routineBusinessDays'],
    ] as const) {
      const res = await put(admin, { ...valid, ...over });
      expect(res.statusCode, field).toBe(422);
      expect(res.json().errors).toEqual([expect.objectContaining({ field })]);
    }
    const supervisor = await signIn(t, await buildUser(t, { role: 'supervisor', organization }));
    expect((await put(supervisor, valid)).statusCode).toBe(403);
  });
});

describe('time to first contact', () => {
  it('reports per urgency the median and the share reached within target, over a period in the organisation’s zone', async () => {
    const organization = await buildOrganization(t);
    const { client } = await supervisorOf(organization);
    const at = (iso: string, plusMinutes = 0) => new Date(Date.parse(iso) + plusMinutes * 60_000);
    const consult = (
      requestedAt: string,
      urgency: 'emergent' | 'routine',
      contactAfter: number | null,
      over = {},
    ) =>
      buildCase(t, {
        organization,
        status: contactAfter === null ? 'new' : 'active',
        urgency,
        requestedAt: at(requestedAt),
        firstContactDueAt: at(requestedAt, urgency === 'emergent' ? 60 : 24 * 60),
        firstContactAt: contactAfter === null ? null : at(requestedAt, contactAfter),
        ...over,
      });
    await consult('2026-10-05T14:00:00Z', 'emergent', 30); // within target
    await consult('2026-10-06T14:00:00Z', 'emergent', 90); // late
    await consult('2026-10-07T14:00:00Z', 'emergent', null); // missed
    await consult('2026-10-08T14:00:00Z', 'emergent', null, { status: 'closed', closeReason: 'duplicate' });
    await consult('2026-10-09T14:00:00Z', 'emergent', 10, { source: 'worker' });
    await consult('2026-11-05T14:00:00Z', 'emergent', 5); // after the period
    await consult('2026-10-01T04:30:00Z', 'routine', 120); // 1 October 00:30 in New York: inside
    await consult('2026-11-01T03:30:00Z', 'routine', 60 * 30); // 31 October 23:30 in New York: inside, late
    await consult('2026-10-01T03:30:00Z', 'routine', 5); // 30 September 23:30 in New York: outside

    const res = await client.get('/api/reports/first-contact?from=2026-10-01&to=2026-10-31');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ from: '2026-10-01', to: '2026-10-31', timeZone: 'America/New_York' });
    const [emergent, urgent, routine] = res.json().rows;
    expect(emergent).toEqual({
      urgency: 'emergent',
      target: '1 hour',
      requested: 3,
      contacted: 2,
      withinTarget: 1,
      missed: 1,
      pending: 0,
      medianMinutes: 60,
      percentWithinTarget: 33.3,
    });
    expect(urgent).toMatchObject({ requested: 0, medianMinutes: null, percentWithinTarget: null });
    expect(routine).toMatchObject({ requested: 2, contacted: 2, withinTarget: 1, medianMinutes: 960 });
  });

  it('answers 422 to a period that ends before it starts or spans more than a year', async () => {
    const { client } = await supervisorOf(await buildOrganization(t));
    expect((await client.get('/api/reports/first-contact?from=2026-10-31&to=2026-10-01')).statusCode).toBe(
      422,
    );
    expect((await client.get('/api/reports/first-contact?from=2024-01-01&to=2026-01-01')).statusCode).toBe(
      422,
    );
    expect((await client.get('/api/reports/first-contact?from=2026-10-01')).statusCode).toBe(422);
  });
});
