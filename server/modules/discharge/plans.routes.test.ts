import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../platform/platform.tables.ts';
import { timelineEvents } from '../../platform/timeline/timeline.tables.ts';
import { buildPatient, buildUser, signIn, startTestApp, type TestContext } from '../../test/harness.ts';
import { encounters } from '../encounters/encounters.tables.ts';
import { needs } from '../needs/needs.tables.ts';
import { tasks } from '../tasks/tasks.tables.ts';
import { dischargeBarriers, dischargePlans } from './discharge.tables.ts';
import { cancelPlan, reopenPlan } from './plans.lifecycle.ts';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const HOUR = 3_600_000;
const hoursAgo = (h: number) => new Date(Date.now() - h * HOUR).toISOString();

async function setup(unit = '5 West') {
  const worker = await buildUser(t);
  const patient = await buildPatient(t, { organization: worker.organization, careTeam: [worker] });
  const client = await signIn(t, worker);
  const admitted = await client.post(`/api/patients/${patient.id}/encounters`, {
    encounterClass: 'inpatient',
    unit,
    room: '512',
    bed: 'A',
    admittedAt: hoursAgo(5 * 24),
  });
  expect(admitted.statusCode).toBe(201);
  const encounter = admitted.json();
  const plans = await client.get(`/api/patients/${patient.id}/discharge-plans`);
  expect(plans.statusCode).toBe(200);
  const plan = plans.json().items[0];
  return { worker, patient, client, encounter, plan };
}

const timeline = async (patientId: string) =>
  (
    await t.database.db
      .select({ summary: timelineEvents.summary })
      .from(timelineEvents)
      .where(and(eq(timelineEvents.patientId, patientId), eq(timelineEvents.kind, 'discharge')))
  ).map((e) => e.summary);

describe('the discharge plan of an inpatient stay', () => {
  it('opens with the admission and shows LACE part by part', async () => {
    const { patient, plan, encounter } = await setup();
    expect(plan).toMatchObject({
      status: 'open',
      patientId: patient.id,
      encounter: { id: encounter.id, unit: '5 West', daysIn: 5 },
      barriers: [],
      avoidableDays: { total: 0 },
      abilities: { update: true },
    });
    // 5 days: L 4; no admission type in a manual record: A missing (0); C not entered; no ED visits: E 0.
    expect(plan.lace).toMatchObject({
      l: { points: 4, value: 5, source: 'record' },
      a: { points: 0, source: 'missing' },
      c: { points: 0, source: 'missing' },
      e: { points: 0, value: 0, source: 'record' },
      total: 4,
      band: 'low',
      provisional: true,
    });
    expect(await timeline(patient.id)).toEqual(['Discharge plan opened']);
  });

  it('counts emergency visits of the 6 months before, not the one that led to the admission', async () => {
    const { patient, client, worker } = await setup();
    const ed = (daysBefore: number) => ({
      organizationId: worker.organization.id,
      patientId: patient.id,
      encounterClass: 'emergency',
      status: 'finished',
      admittedAt: new Date(Date.now() - (5 * 24 + daysBefore * 24) * HOUR),
      dischargedAt: new Date(Date.now() - (5 * 24 + daysBefore * 24 - 3) * HOUR),
    });
    await t.database.db.insert(encounters).values([ed(0.5), ed(30), ed(100), ed(250)]);
    const plan = (await client.get(`/api/patients/${patient.id}/discharge-plans`)).json().items[0];
    expect(plan.lace.e).toEqual({ points: 2, value: 2, source: 'record' });
  });

  it('edits the plan at its version: disposition, needs, LACE entries, expected date', async () => {
    const { client, plan, patient } = await setup();
    const res = await client.patch(`/api/discharge-plans/${plan.id}`, {
      version: plan.version,
      targetDisposition: 'snf',
      anticipatedNeeds: ['home-oxygen', 'transport'],
      note: 'Family prefers a facility near Elm Street',
      laceInputs: { comorbidities: ['congestive-heart-failure', 'dementia'], emergent: true, edVisits: 1 },
      expectedDischargeOn: '2099-01-10',
    });
    expect(res.statusCode).toBe(200);
    const updated = res.json();
    expect(updated).toMatchObject({
      targetDisposition: 'snf',
      anticipatedNeeds: ['home-oxygen', 'transport'],
      version: plan.version + 1,
      encounter: { expectedDischargeOn: '2099-01-10' },
      lace: {
        a: { points: 3, source: 'entered' },
        c: { points: 5, value: 5, source: 'entered', conditions: ['congestive-heart-failure', 'dementia'] },
        e: { points: 1, source: 'entered' },
        total: 13,
        band: 'high',
      },
    });
    const stale = await client.patch(`/api/discharge-plans/${plan.id}`, { version: plan.version, note: 'x' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ type: 'urn:kith:problem:stale-version' });
    const bad = await client.patch(`/api/discharge-plans/${plan.id}`, {
      version: updated.version,
      targetDisposition: 'moon',
      anticipatedNeeds: ['nothing'],
    });
    expect(bad.statusCode).toBe(422);
    const audits = await t.database.db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(and(eq(auditEvents.patientId, patient.id), eq(auditEvents.recordId, plan.id)));
    expect(audits.map((a) => a.action)).toContain('discharge-plan.update');
  });

  it('records barriers with start and end, and counts avoidable days', async () => {
    const { client, plan, patient } = await setup();
    const added = await client.post(`/api/discharge-plans/${plan.id}/barriers`, {
      code: 'awaiting-placement',
      startedAt: hoursAgo(4 * 24),
      note: 'Waiting for a bed offer',
    });
    expect(added.statusCode).toBe(201);
    const withBarrier = added.json();
    const barrier = withBarrier.barriers[0];
    expect(barrier).toMatchObject({ code: 'awaiting-placement', endedAt: null });
    // Four days ago to now: at least three midnights, at most four, whatever the hour of the run.
    expect(barrier.avoidableDays).toBeGreaterThanOrEqual(3);
    expect(barrier.avoidableDays).toBeLessThanOrEqual(4);

    const overlapping = await client.post(`/api/discharge-plans/${plan.id}/barriers`, {
      code: 'insurance-authorization',
      startedAt: hoursAgo(3 * 24),
      endedAt: hoursAgo(24),
    });
    expect(overlapping.json().avoidableDays.total).toBe(barrier.avoidableDays);

    const ended = await client.patch(`/api/discharge-barriers/${barrier.id}`, {
      version: barrier.version,
      endedAt: hoursAgo(2 * 24),
    });
    expect(ended.statusCode).toBe(200);
    expect(ended.json().barriers.find((b: { id: string }) => b.id === barrier.id).endedAt).not.toBeNull();

    const beforeAdmission = await client.post(`/api/discharge-plans/${plan.id}/barriers`, {
      code: 'transport',
      startedAt: hoursAgo(10 * 24),
    });
    expect(beforeAdmission.statusCode).toBe(422);
    expect(beforeAdmission.json().errors).toEqual([
      { field: 'startedAt', message: 'must not be before the admission' },
    ]);
    const unknown = await client.post(`/api/discharge-plans/${plan.id}/barriers`, {
      code: 'medical-not-ready',
      startedAt: hoursAgo(24),
    });
    expect(unknown.statusCode).toBe(422);

    const other = ended.json().barriers.find((b: { code: string }) => b.code === 'insurance-authorization');
    const removed = await client.delete(`/api/discharge-barriers/${other.id}?version=${other.version}`);
    expect(removed.statusCode).toBe(200);
    expect(removed.json().barriers).toHaveLength(1);
    expect(await timeline(patient.id)).toEqual(
      expect.arrayContaining([
        'Discharge barrier: Awaiting post-acute placement (bed offer)',
        'Discharge barrier ended: Awaiting post-acute placement (bed offer)',
        'Discharge barrier removed: Insurance authorization pending',
      ]),
    );
  });

  it('closes at discharge, makes the follow-up call task, and takes the call', async () => {
    const { client, plan, patient, encounter, worker } = await setup();
    await client.post(`/api/discharge-plans/${plan.id}/barriers`, {
      code: 'transport',
      startedAt: hoursAgo(2 * 24),
    });
    const early = await client.post(`/api/discharge-plans/${plan.id}/follow-up-calls`, {
      reached: true,
      calledAt: hoursAgo(0),
    });
    expect(early.statusCode).toBe(409);

    const dischargedAt = hoursAgo(1);
    const discharged = await client.post(`/api/encounters/${encounter.id}/discharge`, {
      version: encounter.version,
      dischargedAt,
      disposition: 'home-health',
    });
    expect(discharged.statusCode).toBe(200);
    const closed = (await client.get(`/api/discharge-plans/${plan.id}`)).json();
    expect(closed).toMatchObject({
      status: 'closed',
      actualDisposition: 'home-health',
      closedAt: new Date(dischargedAt).toISOString(),
      followUpTask: {
        kind: 'follow-up-call',
        status: 'open',
        dueAt: new Date(Date.parse(dischargedAt) + 48 * HOUR).toISOString(),
        assignee: { id: worker.id },
      },
      lace: { provisional: false },
    });
    // The open barrier ended at the discharge.
    expect(closed.barriers[0].endedAt).toBe(new Date(dischargedAt).toISOString());

    const noAnswer = await client.post(`/api/discharge-plans/${plan.id}/follow-up-calls`, {
      reached: false,
      calledAt: hoursAgo(0),
    });
    expect(noAnswer.statusCode).toBe(201);
    expect(noAnswer.json().followUpTask.status).toBe('open');

    const reached = await client.post(`/api/discharge-plans/${plan.id}/follow-up-calls`, {
      reached: true,
      calledAt: hoursAgo(0),
      servicesStarted: 'partly',
      newNeeds: ['food-insecurity'],
      note: 'Home health visit booked for Friday',
    });
    expect(reached.statusCode).toBe(201);
    expect(reached.json()).toMatchObject({
      followUpTask: { status: 'done' },
      followUpCalls: [{ reached: true, newNeeds: ['food-insecurity'] }, { reached: false }],
    });
    expect(reached.json().needsOpened).toHaveLength(1);
    const opened = await t.database.db.select().from(needs).where(eq(needs.patientId, patient.id));
    expect(opened.map((n) => n.domain)).toEqual(['food-insecurity']);
    expect(await timeline(patient.id)).toEqual(
      expect.arrayContaining([
        'Discharge plan closed: Home with home health; follow-up call due in 48 to 72 hours',
        'Follow-up call: no answer',
        'Follow-up call: patient reached',
      ]),
    );
  });

  it('is cancelled with its admission and reopened with a cancelled discharge', async () => {
    const { client, plan, encounter, worker, patient } = await setup();
    await client.post(`/api/discharge-plans/${plan.id}/barriers`, {
      code: 'housing',
      startedAt: hoursAgo(48),
    });
    await client.post(`/api/encounters/${encounter.id}/discharge`, {
      version: encounter.version,
      dischargedAt: hoursAgo(1),
      disposition: 'home',
    });
    const by = { system: 'adt' as const, organizationId: worker.organization.id };
    const [row] = await t.database.db.select().from(encounters).where(eq(encounters.id, encounter.id));
    await t.database.db.transaction((tx) => reopenPlan(tx, row!, by));
    const [reopened] = await t.database.db
      .select()
      .from(dischargePlans)
      .where(eq(dischargePlans.id, plan.id));
    expect(reopened).toMatchObject({
      status: 'open',
      actualDisposition: null,
      closedAt: null,
      followUpTaskId: null,
    });
    const followUps = await t.database.db
      .select({ status: tasks.status })
      .from(tasks)
      .where(and(eq(tasks.patientId, patient.id), eq(tasks.kind, 'follow-up-call')));
    expect(followUps).toEqual([{ status: 'cancelled' }]);
    const [barrier] = await t.database.db
      .select()
      .from(dischargeBarriers)
      .where(eq(dischargeBarriers.planId, plan.id));
    expect(barrier!.endedAt).toBeNull();

    await t.database.db.transaction((tx) => cancelPlan(tx, row!, by));
    const [cancelled] = await t.database.db
      .select()
      .from(dischargePlans)
      .where(eq(dischargePlans.id, plan.id));
    expect(cancelled!.status).toBe('cancelled');
    expect((await client.get(`/api/patients/${patient.id}/discharge-plans`)).json().items).toEqual([]);
    const refused = await client.patch(`/api/discharge-plans/${plan.id}`, {
      version: cancelled!.version,
      note: 'x',
    });
    expect(refused.statusCode).toBe(409);
  });

  it('is out of reach of a worker not on the care team, and read-only for a clinician', async () => {
    const { plan, worker } = await setup();
    const stranger = await buildUser(t, { organization: worker.organization });
    const strangerClient = await signIn(t, stranger);
    expect((await strangerClient.get(`/api/discharge-plans/${plan.id}`)).statusCode).toBe(403);
    const otherOrg = await signIn(t, await buildUser(t));
    expect((await otherOrg.get(`/api/discharge-plans/${plan.id}`)).statusCode).toBe(404);
  });
});

describe('the unit list', () => {
  it('lists the patients in hospital on a unit with days in, barriers and LACE', async () => {
    const { client, plan, patient } = await setup('7 North');
    await client.post(`/api/discharge-plans/${plan.id}/barriers`, {
      code: 'guardianship',
      startedAt: hoursAgo(3 * 24),
    });
    const res = await client.get('/api/discharge/unit-list?unit=7%20North');
    expect(res.statusCode).toBe(200);
    const list = res.json();
    expect(list.units).toContain('7 North');
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({
      patient: { id: patient.id, name: 'Smith, John' },
      planId: plan.id,
      unit: '7 North',
      daysIn: 5,
      barriers: [{ code: 'guardianship' }],
      placementStatus: 'none',
      lace: { band: 'low' },
    });
    expect(list.items[0].avoidableDays).toBeGreaterThanOrEqual(2);
    // Another worker's patients are not on this worker's list.
    const other = await setup('7 North');
    const mine = (await other.client.get('/api/discharge/unit-list?unit=7%20North')).json();
    expect(mine.items.map((i: { patient: { id: string } }) => i.patient.id)).toEqual([other.patient.id]);
  });
});

describe('department figures', () => {
  it('gives length of stay, avoidable days by barrier and readmissions to supervisors', async () => {
    const { client, plan, encounter, worker, patient } = await setup('9 South');
    await client
      .patch(`/api/discharge-plans/${plan.id}`, { version: plan.version, expectedDischargeOn: '2000-01-01' })
      .then((r) =>
        // An expected date before the admission is refused by the encounters service.
        expect(r.statusCode).toBe(422),
      );
    await client.post(`/api/discharge-plans/${plan.id}/barriers`, {
      code: 'awaiting-placement',
      startedAt: hoursAgo(4 * 24),
      endedAt: hoursAgo(2 * 24),
    });
    await client.post(`/api/encounters/${encounter.id}/discharge`, {
      version: encounter.version,
      dischargedAt: hoursAgo(24),
      disposition: 'snf',
    });
    // Readmitted the next hour.
    const back = await client.post(`/api/patients/${patient.id}/encounters`, {
      encounterClass: 'inpatient',
      unit: '9 South',
      admittedAt: hoursAgo(2),
    });
    expect(back.statusCode).toBe(201);

    const supervisor = await signIn(
      t,
      await buildUser(t, { role: 'supervisor', organization: worker.organization }),
    );
    const today = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 10 * 24 * HOUR).toISOString().slice(0, 10);
    const res = await supervisor.get(`/api/reports/discharge?from=${from}&to=${today}&unit=9%20South`);
    expect(res.statusCode).toBe(200);
    const figures = res.json();
    expect(figures).toMatchObject({
      discharges: 1,
      readmissions: { count: 1, rate: 1 },
      avoidableDays: { byBarrier: [{ code: 'awaiting-placement' }] },
      placement: { referrals: 0, medianHoursToAcceptance: null },
    });
    expect(figures.lengthOfStay.mean).toBeGreaterThanOrEqual(3);
    expect(figures.avoidableDays.total).toBe(2);
    expect((await client.get(`/api/reports/discharge?from=${from}&to=${today}`)).statusCode).toBe(403);
    expect((await supervisor.get(`/api/reports/discharge?from=${today}&to=${from}`)).statusCode).toBe(422);
  });
});
