import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../platform/ids.ts';
import { auditEvents } from '../../platform/platform.tables.ts';
import { timelineEvents } from '../../platform/timeline/timeline.tables.ts';
import { buildPatient, buildUser, signIn, startTestApp, type TestContext } from '../../test/harness.ts';
import { admitEncounter, dischargeEncounter, encounterByVisitNumber } from './encounters.service.ts';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
const admission = (over: Record<string, unknown> = {}) => ({
  encounterClass: 'inpatient',
  unit: '5 West',
  room: '512',
  bed: 'A',
  attendingName: 'Dr. Priya Raman',
  admittedAt: hoursAgo(30),
  expectedDischargeOn: '2099-01-01',
  ...over,
});

async function setup() {
  const worker = await buildUser(t);
  const patient = await buildPatient(t, { organization: worker.organization, careTeam: [worker] });
  return { worker, patient, client: await signIn(t, worker), url: `/api/patients/${patient.id}/encounters` };
}

const summaries = async (patientId: string) =>
  (
    await t.database.db
      .select({ summary: timelineEvents.summary })
      .from(timelineEvents)
      .where(and(eq(timelineEvents.patientId, patientId), eq(timelineEvents.kind, 'encounter')))
  ).map((e) => e.summary);

describe('recording a hospital stay by hand', () => {
  it('admits, transfers and discharges with versions, each on the timeline and audited', async () => {
    const { client, url, patient, worker } = await setup();
    const admitted = await client.post(url, admission());
    expect(admitted.statusCode).toBe(201);
    const visit = admitted.json();
    expect(visit).toMatchObject({
      status: 'in-progress',
      unit: '5 West',
      source: 'manual',
      version: 1,
      dischargedAt: null,
    });

    const moved = await client.patch(`/api/encounters/${visit.id}`, {
      version: 1,
      unit: '6 East',
      room: '601',
      bed: null,
    });
    expect(moved.json()).toMatchObject({ unit: '6 East', room: '601', bed: null, version: 2 });

    const stale = await client.post(`/api/encounters/${visit.id}/discharge`, {
      version: 1,
      dischargedAt: hoursAgo(1),
      disposition: 'snf',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ type: 'urn:kith:problem:stale-version', currentVersion: 2 });

    const discharged = await client.post(`/api/encounters/${visit.id}/discharge`, {
      version: 2,
      dischargedAt: hoursAgo(1),
      disposition: 'snf',
    });
    expect(discharged.json()).toMatchObject({ status: 'finished', disposition: 'snf', version: 3 });
    expect((await summaries(patient.id)).sort()).toEqual([
      'Discharged: Skilled nursing facility',
      'Inpatient visit began: 5 West, room 512, bed A',
      'Transferred to 6 East, room 601',
    ]);
    const actions = (
      await t.database.db
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.recordId, visit.id))
        .orderBy(auditEvents.seq)
    ).map((a) => [a.action, a.actorUserId]);
    expect(actions).toEqual([
      ['encounter.admit', worker.id],
      ['encounter.update', worker.id],
      ['encounter.discharge', worker.id],
    ]);
    expect((await client.get(url)).json()).toMatchObject({
      items: [{ id: visit.id }],
      abilities: { update: true },
    });
  });

  it('allows one open inpatient stay per patient (409), beside an emergency visit, and a new one after discharge', async () => {
    const { client, url } = await setup();
    const first = (await client.post(url, admission())).json();
    const second = await client.post(url, admission({ admittedAt: hoursAgo(2) }));
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({
      type: 'urn:kith:problem:open-inpatient-encounter',
      encounterId: first.id,
    });
    expect((await client.post(url, admission({ encounterClass: 'emergency', unit: 'ED' }))).statusCode).toBe(
      201,
    );
    await client.post(`/api/encounters/${first.id}/discharge`, {
      version: 1,
      dischargedAt: hoursAgo(3),
      disposition: 'home',
    });
    expect((await client.post(url, admission({ admittedAt: hoursAgo(2) }))).statusCode).toBe(201);
    const list = (await client.get(url)).json().items;
    expect(list.map((e: { admittedAt: string }) => e.admittedAt)).toEqual(
      [...list.map((e: { admittedAt: string }) => e.admittedAt)].sort().reverse(),
    );
  });

  it.each([
    [
      'an admission in the future',
      admission({ admittedAt: new Date(Date.now() + 86_400_000).toISOString() }),
      'admittedAt',
    ],
    [
      'an expected discharge before the admission',
      admission({ expectedDischargeOn: '2001-01-01' }),
      'expectedDischargeOn',
    ],
    ['an unknown class', admission({ encounterClass: 'telepathic' }), 'encounterClass'],
    ['an admission time without a zone', admission({ admittedAt: '2026-01-01T10:00:00' }), 'admittedAt'],
  ])('answers 422 for %s', async (_, body, field) => {
    const { client, url } = await setup();
    const res = await client.post(url, body);
    expect(res.statusCode).toBe(422);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual([field]);
  });

  it('refuses a discharge before the admission or with an unknown disposition (422), and a second discharge (409)', async () => {
    const { client, url } = await setup();
    const visit = (await client.post(url, admission())).json();
    const early = await client.post(`/api/encounters/${visit.id}/discharge`, {
      version: 1,
      dischargedAt: hoursAgo(40),
      disposition: 'home',
    });
    expect(early.json().errors).toEqual([
      { field: 'dischargedAt', message: 'must not be before the admission' },
    ]);
    const unknown = await client.post(`/api/encounters/${visit.id}/discharge`, {
      version: 1,
      dischargedAt: hoursAgo(1),
      disposition: 'moon',
    });
    expect(unknown.statusCode).toBe(422);
    await client.post(`/api/encounters/${visit.id}/discharge`, {
      version: 1,
      dischargedAt: hoursAgo(1),
      disposition: 'home',
    });
    const again = await client.post(`/api/encounters/${visit.id}/discharge`, {
      version: 2,
      dischargedAt: hoursAgo(1),
      disposition: 'home',
    });
    expect(again.statusCode).toBe(409);
  });

  it('answers 404 for unknown visits and those of another organisation, 403 outside the care team', async () => {
    const { client, url, worker } = await setup();
    const visit = (await client.post(url, admission())).json();
    expect((await client.patch(`/api/encounters/${newId()}`, { version: 1, unit: 'X' })).statusCode).toBe(
      404,
    );
    const stranger = await signIn(t, await buildUser(t, { role: 'supervisor' }));
    expect((await stranger.patch(`/api/encounters/${visit.id}`, { version: 1, unit: 'X' })).statusCode).toBe(
      404,
    );
    const outsider = await signIn(t, await buildUser(t, { organization: worker.organization }));
    expect((await outsider.patch(`/api/encounters/${visit.id}`, { version: 1, unit: 'X' })).statusCode).toBe(
      403,
    );
    expect((await outsider.get(url)).statusCode).toBe(403);
  });
});

describe('the same service functions for the ADT feed', () => {
  it('admits and discharges as the feed, matched by visit number, audited as the ADT feed', async () => {
    const { patient, client, url } = await setup();
    const feed = { system: 'adt' as const, organizationId: patient.organizationId };
    const visit = await admitEncounter(t.database.db, feed, patient.id, {
      encounterClass: 'inpatient',
      visitNumber: 'V20260001',
      unit: '4 North',
      admittedAt: hoursAgo(10),
    });
    const found = await encounterByVisitNumber(t.database.db, patient.organizationId, 'V20260001');
    expect(found?.id).toBe(visit.id);
    await dischargeEncounter(t.database.db, feed, visit.id, {
      version: 1,
      dischargedAt: hoursAgo(1),
      disposition: 'home-health',
    });
    expect((await client.get(url)).json().items[0]).toMatchObject({ source: 'adt', status: 'finished' });
    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.recordId, visit.id), eq(auditEvents.action, 'encounter.admit')));
    expect(audit).toMatchObject({ actorUserId: null, actorLabel: 'ADT feed', patientId: patient.id });
    // A second visit with the same number is refused.
    await expect(
      admitEncounter(t.database.db, feed, patient.id, {
        encounterClass: 'emergency',
        visitNumber: 'V20260001',
        admittedAt: hoursAgo(1),
      }),
    ).rejects.toMatchObject({ status: 409, code: 'visit-number-taken' });
  });
});
