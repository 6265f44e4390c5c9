import { TZDate } from '@date-fns/tz';
import { and, eq } from 'drizzle-orm';
import { generateSecret } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications } from '../../platform/notifications/notifications.tables.ts';
import { auditEvents } from '../../platform/platform.tables.ts';
import { timelineEvents } from '../../platform/timeline/timeline.tables.ts';
import { buildCase, joinCareTeam } from '../../test/casework-factories.ts';
import {
  buildOrganization,
  buildPatient,
  buildUser,
  signIn,
  startTestApp,
  type TestContext,
} from '../../test/harness.ts';
import { encounters } from '../encounters/encounters.tables.ts';
import { cases, caseTransitions } from './cases.tables.ts';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const consult = (patientId: string, over: Record<string, unknown> = {}) => ({
  patientId,
  reasonCode: 'discharge-planning',
  reasonText: 'Lives alone, third floor walk-up; PT recommends SNF',
  urgency: 'urgent',
  ...over,
});

/** A clinician on the care team of a new patient, signed in, with the organisation's supervisor. */
async function clinicianWithPatient(org?: Awaited<ReturnType<typeof buildOrganization>>) {
  const organization = org ?? (await buildOrganization(t));
  const clinician = await buildUser(t, { role: 'clinician', organization });
  const patient = await buildPatient(t, { organization, careTeam: [clinician] });
  return { organization, clinician, patient, client: await signIn(t, clinician) };
}

/** The most recent `weekday` (0 Sunday … 6 Saturday) at `hour`:00 in New York strictly before now. */
function lastLocal(weekday: number, hour: number): Date {
  const now = new TZDate(Date.now(), 'America/New_York');
  const d = new TZDate(now.getFullYear(), now.getMonth(), now.getDate(), hour, 0, 0, 'America/New_York');
  while (d.getDay() !== weekday || d.getTime() >= now.getTime()) d.setDate(d.getDate() - 1);
  return new Date(d.getTime());
}

/** The same local time `days` calendar days later in New York. */
function localPlus(date: Date, days: number, hour?: number): Date {
  const d = new TZDate(date.getTime(), 'America/New_York');
  d.setDate(d.getDate() + days);
  if (hour !== undefined) d.setHours(hour, 0, 0, 0);
  return new Date(d.getTime());
}

describe('requesting a consult', () => {
  it('opens a new case (201) with its due time, history, timeline entry and audit, and tells the supervisors', async () => {
    const { organization, clinician, patient, client } = await clinicianWithPatient();
    const supervisor = await buildUser(t, { role: 'supervisor', organization });
    const away = await buildUser(t, { role: 'supervisor', organization, disabled: true });
    const otherOrgSupervisor = await buildUser(t, { role: 'supervisor' });

    const before = Date.now();
    const res = await client.post('/api/consults', consult(patient.id));
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({
      status: 'new',
      source: 'consult',
      urgency: 'urgent',
      reasonCode: 'discharge-planning',
      reasonLabel: 'Discharge planning',
      requestedBy: { id: clinician.id },
      assignee: null,
      version: 1,
      allowedActions: [],
      firstContact: { state: 'pending', overdue: false, metAt: null, target: '4 hours' },
    });
    // Urgent: four hours from the request.
    expect(Date.parse(c.firstContact.dueAt) - Date.parse(c.requestedAt)).toBe(240 * 60_000);
    expect(Date.parse(c.requestedAt)).toBeGreaterThanOrEqual(before - 1000);

    const history = await t.database.db
      .select()
      .from(caseTransitions)
      .where(eq(caseTransitions.caseId, c.id));
    expect(history).toEqual([expect.objectContaining({ action: 'open', fromStatus: null, toStatus: 'new' })]);
    const [entry] = await t.database.db
      .select()
      .from(timelineEvents)
      .where(eq(timelineEvents.recordId, c.id));
    expect(entry).toMatchObject({ kind: 'case', patientId: patient.id, actorId: clinician.id });
    expect(entry!.summary).toBe('Social work consult requested (urgent: Discharge planning)');
    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.recordId, c.id), eq(auditEvents.action, 'case.create')));
    expect(audit).toMatchObject({ actorUserId: clinician.id, patientId: patient.id, outcome: 'success' });

    const told = await t.database.db
      .select()
      .from(notifications)
      .where(eq(notifications.patientId, patient.id));
    expect(told.map((n) => n.userId)).toEqual([supervisor.id]);
    expect(told[0]).toMatchObject({ kind: 'consult-requested', link: '/triage' });
    expect(told[0]!.title).not.toContain(patient.familyName);
    expect(told.map((n) => n.userId)).not.toContain(away.id);
    expect(told.map((n) => n.userId)).not.toContain(otherOrgSupervisor.id);
  });

  it('returns 403 to a clinician outside the care team and to roles that cannot ask, 404 for an unknown patient', async () => {
    const organization = await buildOrganization(t);
    const outsider = await buildUser(t, { role: 'clinician', organization });
    const viewer = await buildUser(t, { role: 'read_only', organization });
    const patient = await buildPatient(t, { organization, careTeam: [viewer] });
    expect((await (await signIn(t, outsider)).post('/api/consults', consult(patient.id))).statusCode).toBe(
      403,
    );
    expect((await (await signIn(t, viewer)).post('/api/consults', consult(patient.id))).statusCode).toBe(403);
    const unknown = await (await signIn(t, outsider)).post(
      '/api/consults',
      consult('0190a5b4-0000-7000-8000-000000000000'),
    );
    expect(unknown.statusCode).toBe(404);
    expect(await t.database.db.select().from(cases).where(eq(cases.patientId, patient.id))).toHaveLength(0);
  });

  it('answers 422 naming the field for a reason, urgency, visit or request time that will not do', async () => {
    const { organization, patient, client } = await clinicianWithPatient();
    const other = await buildPatient(t, { organization });
    const [visit] = await t.database.db
      .insert(encounters)
      .values({
        organizationId: organization.id,
        patientId: other.id,
        encounterClass: 'inpatient',
        status: 'in-progress',
        admittedAt: new Date(),
      })
      .returning();
    const cases422: [Record<string, unknown>, string][] = [
      [{ reasonCode: 'loneliness' }, 'reasonCode'],
      [{ urgency: 'whenever' }, 'urgency'],
      [{ encounterId: visit!.id }, 'encounterId'],
      [{ requestedAt: new Date(Date.now() + 3_600_000).toISOString() }, 'requestedAt'],
      [{ requestedAt: new Date(Date.now() - 40 * 86_400_000).toISOString() }, 'requestedAt'],
    ];
    for (const [over, field] of cases422) {
      const res = await client.post('/api/consults', consult(patient.id, over));
      expect(res.statusCode, field).toBe(422);
      expect(res.json().errors).toEqual([expect.objectContaining({ field })]);
    }
  });

  it("ties a consult to the patient's visit", async () => {
    const { organization, patient, client } = await clinicianWithPatient();
    const [visit] = await t.database.db
      .insert(encounters)
      .values({
        organizationId: organization.id,
        patientId: patient.id,
        encounterClass: 'inpatient',
        status: 'in-progress',
        unit: '7 West',
        room: '712',
        admittedAt: new Date(),
      })
      .returning();
    const res = await client.post('/api/consults', consult(patient.id, { encounterId: visit!.id }));
    expect(res.statusCode).toBe(201);
    expect(res.json().encounterId).toBe(visit!.id);
  });

  it('gives a routine consult of a Friday afternoon until Monday at the same time, and a Saturday one until the end of Monday', async () => {
    const { patient, client } = await clinicianWithPatient();
    const friday = lastLocal(5, 15);
    const res = await client.post(
      '/api/consults',
      consult(patient.id, { urgency: 'routine', requestedAt: friday.toISOString() }),
    );
    expect(res.statusCode).toBe(201);
    expect(res.json().firstContact.dueAt).toBe(localPlus(friday, 3).toISOString());

    const saturday = lastLocal(6, 10);
    const sat = await client.post(
      '/api/consults',
      consult(patient.id, { urgency: 'routine', requestedAt: saturday.toISOString() }),
    );
    // Midnight at the end of Monday, New York time.
    expect(sat.json().firstContact.dueAt).toBe(localPlus(saturday, 3, 0).toISOString());
  });

  it("uses the organisation's own targets", async () => {
    const organization = await buildOrganization(t, {
      timeZone: 'America/Los_Angeles',
      consultTargets: { emergentMinutes: 30, urgentMinutes: 90, routineBusinessDays: 2 },
    });
    const { patient, client } = await clinicianWithPatient(organization);
    const emergent = (
      await client.post('/api/consults', consult(patient.id, { urgency: 'emergent' }))
    ).json();
    expect(Date.parse(emergent.firstContact.dueAt) - Date.parse(emergent.requestedAt)).toBe(30 * 60_000);
    expect(emergent.firstContact.target).toBe('30 minutes');
    const urgent = (await client.post('/api/consults', consult(patient.id))).json();
    expect(Date.parse(urgent.firstContact.dueAt) - Date.parse(urgent.requestedAt)).toBe(90 * 60_000);
    const routine = (await client.post('/api/consults', consult(patient.id, { urgency: 'routine' }))).json();
    expect(routine.firstContact.target).toBe('2 business days');
  });
});

describe('a social worker opening a case', () => {
  it('keeps it, assigned to them, when they say so; nobody is asked to triage it', async () => {
    const organization = await buildOrganization(t);
    const supervisor = await buildUser(t, { role: 'supervisor', organization });
    const worker = await buildUser(t, { role: 'social_worker', organization });
    const patient = await buildPatient(t, { organization, careTeam: [worker] });
    const client = await signIn(t, worker);
    const res = await client.post('/api/cases', { ...consult(patient.id), assignToMe: true });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      status: 'assigned',
      source: 'worker',
      assignee: { id: worker.id },
      allowedActions: ['start', 'close'],
    });
    const [opened] = await t.database.db
      .select()
      .from(caseTransitions)
      .where(eq(caseTransitions.caseId, res.json().id));
    expect(opened).toMatchObject({ action: 'open', toStatus: 'assigned', toAssignee: worker.id });
    expect(
      await t.database.db.select().from(notifications).where(eq(notifications.userId, supervisor.id)),
    ).toHaveLength(0);

    // Without "assign to me" the case waits in the queue like a consult.
    const queued = await client.post('/api/cases', consult(patient.id));
    expect(queued.json()).toMatchObject({ status: 'new', assignee: null });
    expect(
      await t.database.db.select().from(notifications).where(eq(notifications.userId, supervisor.id)),
    ).toHaveLength(1);
  });

  it('refuses "assign to me" from someone who carries no caseload (422) and a case from a clinician (403)', async () => {
    const organization = await buildOrganization(t);
    const admin = await buildUser(t, { role: 'admin', organization, totpSecret: generateSecret() });
    const patient = await buildPatient(t, { organization });
    const res = await (await signIn(t, admin)).post('/api/cases', {
      ...consult(patient.id),
      assignToMe: true,
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'assignToMe' })]);
    const { client } = await clinicianWithPatient(organization);
    expect((await client.post('/api/cases', consult(patient.id))).statusCode).toBe(403);
  });
});

describe('reading cases', () => {
  it('shows a case to its care team, audits the read, and lists its history with names', async () => {
    const clinician = await buildUser(t, { role: 'clinician' });
    const { case: c, worker } = await buildCase(t, {
      organization: clinician.organization,
      status: 'assigned',
      requestedBy: clinician,
    });
    const client = await signIn(t, worker!);
    const res = await client.get(`/api/cases/${c.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: c.id,
      requestedBy: { id: clinician.id, displayName: clinician.displayName },
      assignee: { id: worker!.id },
      abilities: { update: true },
    });
    const [read] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.recordId, c.id), eq(auditEvents.action, 'case.read')));
    expect(read).toMatchObject({ actorUserId: worker!.id, outcome: 'success' });

    const history = await client.get(`/api/cases/${c.id}/transitions`);
    expect(history.json().items).toEqual([
      expect.objectContaining({
        action: 'open',
        label: 'Opened',
        toStatus: 'assigned',
        by: { id: clinician.id, displayName: clinician.displayName },
        toAssignee: { id: worker!.id, displayName: worker!.displayName },
      }),
    ]);
  });

  it('returns 403 when a worker neither assigned nor on the care team opens the case, and audits it', async () => {
    const { case: c, organization } = await buildCase(t, { status: 'assigned' });
    const outsider = await buildUser(t, { role: 'social_worker', organization });
    const client = await signIn(t, outsider);
    const res = await client.get(`/api/cases/${c.id}`);
    expect(res.statusCode).toBe(403);
    expect(res.body).not.toContain('Smith');
    expect((await client.get(`/api/cases/${c.id}/transitions`)).statusCode).toBe(403);
    const [denied] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorUserId, outsider.id), eq(auditEvents.action, 'case.read')));
    expect(denied).toMatchObject({ outcome: 'denied', recordId: c.id });
  });

  it('returns 404 for an unknown case and for a case of another organisation', async () => {
    const supervisor = await buildUser(t, { role: 'supervisor' });
    const client = await signIn(t, supervisor);
    expect((await client.get('/api/cases/0190a5b4-0000-7000-8000-000000000000')).statusCode).toBe(404);
    expect((await client.get('/api/cases/not-an-id')).statusCode).toBe(422);
    const { case: theirs } = await buildCase(t, { status: 'new' });
    expect((await client.get(`/api/cases/${theirs.id}`)).statusCode).toBe(404);
    expect((await client.get(`/api/cases/${theirs.id}/transitions`)).statusCode).toBe(404);
  });

  it("lists a patient's cases, open ones first", async () => {
    const {
      case: closed,
      patient,
      organization,
    } = await buildCase(t, {
      status: 'closed',
      requestedAt: new Date(Date.now() - 60_000),
    });
    const { case: open } = await buildCase(t, {
      patient,
      status: 'new',
      requestedAt: new Date(Date.now() - 3_600_000),
    });
    const supervisor = await buildUser(t, { role: 'supervisor', organization });
    const res = await (await signIn(t, supervisor)).get(`/api/patients/${patient.id}/cases`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ total: 2, page: 1 });
    expect(res.json().items.map((c: { id: string }) => c.id)).toEqual([open.id, closed.id]);
  });
});

describe('changing a case', () => {
  it('recomputes the due time from the original request when the urgency changes', async () => {
    const requestedAt = new Date(Date.now() - 30 * 60_000);
    const { case: c, organization } = await buildCase(t, {
      status: 'triaged',
      urgency: 'routine',
      requestedAt,
    });
    // The overdue sweep had warned about the old due time.
    await t.database.db.update(cases).set({ overdueNotifiedAt: new Date() }).where(eq(cases.id, c.id));
    const supervisor = await buildUser(t, { role: 'supervisor', organization });
    const res = await (await signIn(t, supervisor)).patch(`/api/cases/${c.id}`, {
      version: 1,
      urgency: 'emergent',
      acuity: 4,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ urgency: 'emergent', acuity: 4, version: 2 });
    expect(res.json().firstContact.dueAt).toBe(new Date(requestedAt.getTime() + 60 * 60_000).toISOString());
    const entries = await t.database.db
      .select()
      .from(timelineEvents)
      .where(eq(timelineEvents.recordId, c.id));
    expect(entries.map((e) => e.summary)).toContain('Case urgency changed from routine to emergent');
    // The new due time is watched afresh.
    const [row] = await t.database.db.select().from(cases).where(eq(cases.id, c.id));
    expect(row!.overdueNotifiedAt).toBeNull();
  });

  it('lets the assigned worker change acuity, but not another worker on the care team (403)', async () => {
    const { case: c, worker, patient, organization } = await buildCase(t, { status: 'active' });
    const mine = await (await signIn(t, worker!)).patch(`/api/cases/${c.id}`, { version: 1, acuity: 2 });
    expect(mine.statusCode).toBe(200);
    const colleague = await buildUser(t, { role: 'social_worker', organization });
    await joinCareTeam(t, patient, colleague);
    const theirs = await (await signIn(t, colleague)).patch(`/api/cases/${c.id}`, { version: 2, acuity: 1 });
    expect(theirs.statusCode).toBe(403);
  });

  it('refuses acuity out of 1-4 (422), a stale version (409) and a closed case (409)', async () => {
    const { case: c, organization } = await buildCase(t, { status: 'new' });
    const client = await signIn(t, await buildUser(t, { role: 'supervisor', organization }));
    const bad = await client.patch(`/api/cases/${c.id}`, { version: 1, acuity: 5 });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors).toEqual([expect.objectContaining({ field: 'acuity' })]);
    await client.patch(`/api/cases/${c.id}`, { version: 1, reasonText: 'Also needs transport' });
    const stale = await client.patch(`/api/cases/${c.id}`, { version: 1, acuity: 2 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ currentVersion: 2 });
    const { case: closed } = await buildCase(t, { organization, status: 'closed' });
    const res = await client.patch(`/api/cases/${closed.id}`, { version: 1, acuity: 2 });
    expect(res.json()).toMatchObject({ status: 409, type: 'urn:kith:problem:case-closed' });
  });
});
