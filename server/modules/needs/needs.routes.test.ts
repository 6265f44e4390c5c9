import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { SdohDomain } from '../../../domain/needs.ts';
import type { Need as NeedSchema } from '../../../domain/schemas/needs.ts';
import { auditEvents } from '../../platform/platform.tables.ts';
import { timelineEvents } from '../../platform/timeline/timeline.tables.ts';
import {
  buildOrganization,
  buildPatient,
  buildUser,
  type Client,
  signIn,
  startTestApp,
  type TestContext,
} from '../../test/harness.ts';
import { careTeamMembers } from '../patients/patients.tables.ts';
import { insertAssessment } from './needs.fixtures.ts';
import { linkToNeed, recordNeedsFound } from './needs.service.ts';

type Need = z.infer<typeof NeedSchema>;

let t: TestContext;
let org: Awaited<ReturnType<typeof buildOrganization>>;
beforeAll(async () => {
  t = await startTestApp();
  org = await buildOrganization(t);
});
afterAll(() => t.close());

/** A worker signed in, and a patient on their care team. */
async function workerAndPatient() {
  const user = await buildUser(t, { organization: org });
  const patient = await buildPatient(t, { organization: org, careTeam: [user] });
  return { user, patient, worker: await signIn(t, user) };
}

async function screenFinding(
  patient: { id: string; organizationId: string },
  by: { id: string },
  domains: SdohDomain[],
) {
  const assessment = await insertAssessment(t, patient, by);
  await t.database.db.transaction((tx) =>
    recordNeedsFound(tx, {
      organizationId: patient.organizationId,
      patientId: patient.id,
      assessmentId: assessment.id,
      domains,
      foundAt: new Date(),
      actorId: by.id,
    }),
  );
  return assessment;
}

const needsOf = async (client: Client, patientId: string, status = 'all') => {
  const res = await client.get(`/api/patients/${patientId}/needs?status=${status}`);
  expect(res.statusCode).toBe(200);
  return res.json().items as Need[];
};

describe('POST /api/patients/:patientId/needs', () => {
  it('records a need by hand (201), and answers 409 need-open naming the open need of the same domain', async () => {
    const { patient, worker, user } = await workerAndPatient();
    const res = await worker.post(`/api/patients/${patient.id}/needs`, {
      domain: 'financial-insecurity',
      note: 'Lost her job last month',
    });
    expect(res.statusCode).toBe(201);
    const need = res.json();
    expect(need).toMatchObject({
      patientId: patient.id,
      domain: 'financial-insecurity',
      label: 'Financial insecurity',
      coding: { code: 'financial-insecurity' },
      status: 'identified',
      open: true,
      identifiedBy: { id: user.id },
      note: 'Lost her job last month',
      findings: [],
      links: [],
      history: [{ action: 'identify', toStatus: 'identified', by: { id: user.id } }],
      version: 1,
      allowedActions: ['resolve', 'decline'],
    });

    const again = await worker.post(`/api/patients/${patient.id}/needs`, { domain: 'financial-insecurity' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ type: 'urn:kith:problem:need-open', needId: need.id });

    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.recordId, need.id), eq(auditEvents.action, 'need.identify')));
    expect(audit).toMatchObject({ actorUserId: user.id, actorRole: 'social_worker', patientId: patient.id });
    const [entry] = await t.database.db
      .select()
      .from(timelineEvents)
      .where(eq(timelineEvents.recordId, need.id));
    expect(entry).toMatchObject({ kind: 'need', summary: 'Need identified: Financial insecurity' });
  });

  it('answers 422 naming the field for an unknown domain', async () => {
    const { patient, worker } = await workerAndPatient();
    const res = await worker.post(`/api/patients/${patient.id}/needs`, { domain: 'boredom' });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].field).toBe('domain');
  });
});

describe('GET /api/patients/:patientId/needs', () => {
  it('lists needs with the findings that found them, links and history, filtered open or closed, and audits the read', async () => {
    const { patient, worker, user } = await workerAndPatient();
    const ahc = await screenFinding(patient, user, ['food-insecurity', 'housing-instability']);
    const hunger = await insertAssessment(t, patient, user, { instrumentId: 'hunger-vital-sign' });
    await t.database.db.transaction((tx) =>
      recordNeedsFound(tx, {
        organizationId: org.id,
        patientId: patient.id,
        assessmentId: hunger.id,
        domains: ['food-insecurity'],
        foundAt: new Date(Date.now() + 1000),
        actorId: user.id,
      }),
    );
    const items = await needsOf(worker, patient.id);
    const food = items.find((n) => n.domain === 'food-insecurity')!;
    expect(food.findings).toEqual([
      {
        assessmentId: hunger.id,
        instrument: 'hunger-vital-sign',
        title: 'Hunger Vital Sign',
        foundAt: expect.any(String),
      },
      {
        assessmentId: ahc.id,
        instrument: 'ahc-hrsn',
        title: 'Accountable Health Communities Health-Related Social Needs Screening Tool (core)',
        foundAt: expect.any(String),
      },
    ]);

    const housing = items.find((n) => n.domain === 'housing-instability')!;
    const resolved = await worker.post(`/api/needs/${housing.id}/transition`, {
      action: 'resolve',
      version: housing.version,
      note: 'Moved in with her sister',
    });
    expect(resolved.statusCode).toBe(200);
    expect((await needsOf(worker, patient.id, 'open')).map((n) => n.domain)).toEqual(['food-insecurity']);
    expect((await needsOf(worker, patient.id, 'closed')).map((n) => n.domain)).toEqual([
      'housing-instability',
    ]);
    const reads = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.patientId, patient.id), eq(auditEvents.action, 'need.list')));
    expect(reads).toHaveLength(3);
  });

  it('lets a clinician on the care team read (200, no actions) but not record or transition (403)', async () => {
    const { patient, user } = await workerAndPatient();
    await screenFinding(patient, user, ['stress']);
    const clinicianUser = await buildUser(t, { organization: org, role: 'clinician' });
    await t.database.db.insert(careTeamMembers).values({
      organizationId: org.id,
      patientId: patient.id,
      userId: clinicianUser.id,
      teamRole: 'Physician',
    });
    const clinician = await signIn(t, clinicianUser);
    const [need] = await needsOf(clinician, patient.id);
    expect(need).toMatchObject({ domain: 'stress', allowedActions: [] });
    expect(
      (await clinician.post(`/api/needs/${need!.id}/transition`, { action: 'resolve', version: 1 }))
        .statusCode,
    ).toBe(403);
    expect((await clinician.post(`/api/patients/${patient.id}/needs`, { domain: 'stress' })).statusCode).toBe(
      403,
    );
  });

  it('refuses a worker off the care team (403, audited) and hides another organisation’s patient and need (404)', async () => {
    const { patient, user } = await workerAndPatient();
    await screenFinding(patient, user, ['stress']);
    const outsiderUser = await buildUser(t, { organization: org });
    const outsider = await signIn(t, outsiderUser);
    expect((await outsider.get(`/api/patients/${patient.id}/needs`)).statusCode).toBe(403);
    const [denied] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorUserId, outsiderUser.id), eq(auditEvents.outcome, 'denied')));
    expect(denied).toMatchObject({ action: 'need.list', patientId: patient.id });

    const elsewhere = await signIn(t, await buildUser(t, { role: 'supervisor' }));
    expect((await elsewhere.get(`/api/patients/${patient.id}/needs`)).statusCode).toBe(404);
    const [need] = await needsOf(await signIn(t, user), patient.id);
    expect(
      (await elsewhere.post(`/api/needs/${need!.id}/transition`, { action: 'resolve', version: 1 }))
        .statusCode,
    ).toBe(404);
    expect(
      (await outsider.post(`/api/needs/${need!.id}/transition`, { action: 'resolve', version: 1 }))
        .statusCode,
    ).toBe(403);
  });
});

describe('POST /api/needs/:needId/transition', () => {
  it('takes a need from identified to being addressed (a referral linked) to resolved, then reopens it', async () => {
    const { patient, worker, user } = await workerAndPatient();
    await screenFinding(patient, user, ['transportation-insecurity']);
    let [need] = await needsOf(worker, patient.id);
    // Resources links a referral: the system moves the need on.
    await t.database.db.transaction((tx) =>
      linkToNeed(tx, {
        organizationId: org.id,
        needId: need!.id,
        kind: 'referral',
        targetId: '00000000-0000-7000-8000-0000000000cc',
        actorId: user.id,
      }),
    );
    [need] = await needsOf(worker, patient.id);
    expect(need).toMatchObject({
      status: 'being-addressed',
      version: 2,
      links: [{ kind: 'referral', targetId: '00000000-0000-7000-8000-0000000000cc' }],
      allowedActions: ['resolve', 'decline'],
    });

    const resolved = await worker.post(`/api/needs/${need!.id}/transition`, {
      action: 'resolve',
      version: 2,
    });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json()).toMatchObject({
      status: 'resolved',
      open: false,
      version: 3,
      statusChangedBy: { id: user.id },
      allowedActions: ['reopen'],
    });

    // Resolving again is not open from here: 409 naming what is.
    const twice = await worker.post(`/api/needs/${need!.id}/transition`, { action: 'resolve', version: 3 });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({
      type: 'urn:kith:problem:transition-not-allowed',
      allowed: ['reopen'],
    });

    // An old version is stale.
    const stale = await worker.post(`/api/needs/${need!.id}/transition`, { action: 'reopen', version: 2 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ type: 'urn:kith:problem:stale-version', currentVersion: 3 });

    // The referral is still linked: reopening returns it to being addressed.
    const reopened = await worker.post(`/api/needs/${need!.id}/transition`, { action: 'reopen', version: 3 });
    expect(reopened.statusCode).toBe(200);
    expect(reopened.json()).toMatchObject({ status: 'being-addressed', version: 4 });
    expect(reopened.json().history.map((h: { action: string }) => h.action)).toEqual([
      'identify',
      'address',
      'resolve',
      'reopen',
    ]);
    const audits = await t.database.db
      .select({ action: auditEvents.action, actor: auditEvents.actorUserId })
      .from(auditEvents)
      .where(eq(auditEvents.recordId, need!.id))
      .orderBy(auditEvents.seq);
    expect(audits.map((a) => a.action)).toEqual([
      'need.identify',
      'need.link',
      'need.address',
      'need.resolve',
      'need.reopen',
    ]);
    const entries = await t.database.db
      .select({ summary: timelineEvents.summary })
      .from(timelineEvents)
      .where(eq(timelineEvents.recordId, need!.id))
      .orderBy(timelineEvents.occurredAt);
    expect(entries.map((e) => e.summary)).toEqual([
      'Need identified: Transportation insecurity (AHC HRSN)',
      'Need being addressed: Transportation insecurity (referral linked)',
      'Need resolved: Transportation insecurity',
      'Need reopened: Transportation insecurity',
    ]);
  });

  it('needs the patient’s reason to decline (422 on note) and keeps who declined it and when', async () => {
    const { patient, worker, user } = await workerAndPatient();
    await screenFinding(patient, user, ['utility-insecurity']);
    const [need] = await needsOf(worker, patient.id);
    const bare = await worker.post(`/api/needs/${need!.id}/transition`, {
      action: 'decline',
      version: 1,
      note: '  ',
    });
    expect(bare.statusCode).toBe(422);
    expect(bare.json().errors).toEqual([
      { field: 'note', message: "is required: record the patient's reason" },
    ]);

    const declined = await worker.post(`/api/needs/${need!.id}/transition`, {
      action: 'decline',
      version: 1,
      note: 'Her son pays the bills now',
    });
    expect(declined.statusCode).toBe(200);
    const body = declined.json();
    expect(body).toMatchObject({
      status: 'declined',
      statusChangedBy: { id: user.id, displayName: 'Test social_worker' },
    });
    expect(Date.parse(body.statusChangedAt)).not.toBeNaN();
    expect(body.history.at(-1)).toMatchObject({
      action: 'decline',
      fromStatus: 'identified',
      toStatus: 'declined',
      by: { id: user.id },
      note: 'Her son pays the bills now',
    });
  });

  it('refuses to reopen a closed need while another need of the domain is open (409 need-open)', async () => {
    const { patient, worker, user } = await workerAndPatient();
    await screenFinding(patient, user, ['food-insecurity']);
    const [old] = await needsOf(worker, patient.id);
    await worker.post(`/api/needs/${old!.id}/transition`, { action: 'resolve', version: 1 });
    await screenFinding(patient, user, ['food-insecurity']);
    const open = (await needsOf(worker, patient.id, 'open'))[0]!;
    expect(open.id).not.toBe(old!.id);
    const res = await worker.post(`/api/needs/${old!.id}/transition`, { action: 'reopen', version: 2 });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ type: 'urn:kith:problem:need-open', needId: open.id });
  });
});
