import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PatientChart, TimelinePage } from '../../../domain/schemas/chart.ts';
import { TIMELINE_KIND_CODES } from '../../../domain/timeline.ts';
import { patients } from '../../db/schema.ts';
import { auditEvents } from '../../platform/platform.tables.ts';
import { buildOrganization, buildUser, signIn, startTestApp, type TestContext } from '../../test/harness.ts';
import {
  daysAgo,
  hoursAgo,
  insertCase,
  insertContact,
  insertEncounter,
  insertFlag,
  insertPatient,
  insertTask,
  insertTimelineEvent,
} from '../worklist/worklist.fixtures.ts';

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

async function patientWithWorker() {
  const org = await buildOrganization(t);
  const worker = await buildUser(t, { organization: org });
  const patient = await insertPatient(t, org, {
    familyName: 'Okafor',
    givenName: 'Amara',
    preferredName: 'Ama',
    pronouns: 'she/her',
    birthDate: '1948-03-14',
    preferredLanguage: 'yo',
    interpreterNeeded: true,
    codeStatus: 'DNR/DNI',
    codeStatusRecordedAt: daysAgo(2),
    careTeam: [worker],
  });
  return { org, worker, patient };
}

describe('GET /api/patients/:patientId/chart', () => {
  it('shows a care-team member the header a social worker needs first, and audits the read', async () => {
    const { worker, patient } = await patientWithWorker();
    await insertFlag(t, patient, 'new-results');
    await insertFlag(t, patient, 'safety-concern', { note: 'Visitor restrictions' });
    await insertFlag(t, patient, 'crisis-risk', { clearedAt: new Date() });
    const guardian = await insertContact(t, patient, {
      name: 'Chidi Okafor',
      relationship: 'Son',
      isLegalGuardian: true,
      phones: [{ use: 'mobile', number: '+1 555 010 7788' }],
      sharingAuthorized: true,
      sharingScope: 'All care information',
    });
    await insertContact(t, patient, { name: 'Neighbour', relationship: 'Friend' });
    await insertContact(t, patient, {
      name: 'Old agent',
      isPersonalRepresentative: true,
      retiredAt: new Date(),
    });
    const encounter = await insertEncounter(t, patient, {
      unit: '6 North',
      room: '610',
      bed: 'B',
      attendingName: 'Dr. Hale',
      admittedAt: daysAgo(4.5),
      expectedDischargeOn: '2031-05-02',
    });
    const openCase = await insertCase(t, patient, {
      assignedTo: worker.id,
      status: 'assigned',
      urgency: 'emergent',
      firstContactDueAt: hoursAgo(1),
    });
    await insertCase(t, patient, { status: 'closed', closedAt: new Date() });
    await insertTask(t, patient, worker);
    await insertTask(t, patient, worker, { status: 'done' });

    const res = await (await signIn(t, worker)).get(`/api/patients/${patient.id}/chart`);
    expect(res.statusCode).toBe(200);
    const chart: PatientChart = res.json();
    expect(chart.patient).toMatchObject({
      id: patient.id,
      mrn: patient.mrn,
      preferredName: 'Ama',
      pronouns: 'she/her',
      birthDate: '1948-03-14',
      preferredLanguage: 'yo',
      interpreterNeeded: true,
      codeStatus: 'DNR/DNI',
    });
    // Most severe first; cleared flags gone; interpreter-needed comes from the record.
    expect(chart.flags.map((f) => f.kind)).toEqual(['safety-concern', 'interpreter-needed', 'new-results']);
    expect(chart.flags[0]).toMatchObject({ note: 'Visitor restrictions' });
    expect(chart.flags[1]).toEqual({ id: null, kind: 'interpreter-needed', note: null, raisedAt: null });
    expect(chart.representatives).toEqual([
      {
        id: guardian.id,
        name: 'Chidi Okafor',
        relationship: 'Son',
        legalGuardian: true,
        personalRepresentative: false,
        phone: '+1 555 010 7788',
        sharingAuthorized: true,
        sharingScope: 'All care information',
        sharingExpiresOn: null,
      },
    ]);
    expect(chart.careTeam).toEqual([
      {
        userId: worker.id,
        displayName: worker.displayName,
        role: 'social_worker',
        teamRole: 'Primary social worker',
      },
    ]);
    expect(chart.encounter).toEqual({
      id: encounter.id,
      encounterClass: 'inpatient',
      unit: '6 North',
      room: '610',
      bed: 'B',
      attendingName: 'Dr. Hale',
      admittedAt: encounter.admittedAt.toISOString(),
      daysSinceAdmission: 4,
      expectedDischargeOn: '2031-05-02',
    });
    expect(chart.openCases).toEqual([
      {
        id: openCase.id,
        version: 1,
        status: 'assigned',
        urgency: 'emergent',
        acuity: null,
        reasonCode: 'discharge-planning',
        requestedAt: openCase.requestedAt.toISOString(),
        firstContactOverdue: true,
        assignee: { id: worker.id, displayName: worker.displayName },
      },
    ]);
    expect(chart.openTasks).toBe(1);
    expect(chart.abilities).toEqual({ read: true, update: true, manageCareTeam: true });
    expect(chart.emergencyAccessUntil).toBeNull();
    expect(chart.timelineKinds.map((k) => k.code)).toEqual(TIMELINE_KIND_CODES);

    const [read] = await auditFor(patient.id, 'patient.chart.read');
    expect(read).toMatchObject({ actorUserId: worker.id, outcome: 'success', recordId: patient.id });
  });

  it('shows the first page of the timeline, newest first, with links', async () => {
    const { worker, patient } = await patientWithWorker();
    await insertTimelineEvent(t, patient, { kind: 'patient', summary: 'Registered', occurredAt: daysAgo(3) });
    const caseEvent = await insertTimelineEvent(t, patient, {
      kind: 'case',
      summary: 'Consult requested',
      occurredAt: daysAgo(1),
      recordKind: 'case',
      recordId: '5b0f3b1e-4a8e-4c55-9a43-2f6d8f1c0a11',
      actorId: worker.id,
    });
    await insertTimelineEvent(t, patient, { kind: 'task', summary: 'Task created', occurredAt: hoursAgo(2) });
    // A sensitive entry waits for its service's rules: not shown.
    await insertTimelineEvent(t, patient, { summary: 'Sensitive', sensitivity: 'counseling' });

    const chart: PatientChart = (
      await (await signIn(t, worker)).get(`/api/patients/${patient.id}/chart`)
    ).json();
    expect(chart.timeline).toMatchObject({ total: 3, page: 1, pageSize: 25 });
    expect(chart.timeline.items.map((e) => e.summary)).toEqual([
      'Task created',
      'Consult requested',
      'Registered',
    ]);
    expect(chart.timeline.items[1]).toEqual({
      id: caseEvent.id,
      kind: 'case',
      occurredAt: caseEvent.occurredAt.toISOString(),
      summary: 'Consult requested',
      actorName: worker.displayName,
      recordKind: 'case',
      recordId: caseEvent.recordId,
      link: `/patients/${patient.id}/cases/${caseEvent.recordId}`,
    });
  });

  it('returns 403 when a worker outside the care team opens the chart, and audits the refusal', async () => {
    const { org, patient } = await patientWithWorker();
    const outsider = await buildUser(t, { organization: org });
    const res = await (await signIn(t, outsider)).get(`/api/patients/${patient.id}/chart`);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ type: 'urn:kith:problem:forbidden', emergencyAccessAvailable: true });
    expect(res.body).not.toContain('Okafor');
    const denied = await auditFor(patient.id, 'patient.chart.read');
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ actorUserId: outsider.id, outcome: 'denied' });
  });

  it('opens under emergency access with the grant’s end shown', async () => {
    const { org, patient } = await patientWithWorker();
    const outsider = await buildUser(t, { organization: org });
    const client = await signIn(t, outsider);
    const grant = await client.post(`/api/patients/${patient.id}/emergency-access`, {
      reason: 'Patient collapsed in the lobby; family on the phone.',
    });
    expect(grant.statusCode).toBe(201);
    const res = await client.get(`/api/patients/${patient.id}/chart`);
    expect(res.statusCode).toBe(200);
    expect(res.json().emergencyAccessUntil).toBe(grant.json().expiresAt);
    const [read] = await auditFor(patient.id, 'patient.chart.read');
    expect(read).toMatchObject({ actorUserId: outsider.id, emergency: true });
  });

  it('returns 404 for a patient of another organisation and for an unknown patient', async () => {
    const { patient } = await patientWithWorker();
    const supervisorElsewhere = await buildUser(t, { role: 'supervisor' });
    const client = await signIn(t, supervisorElsewhere);
    expect((await client.get(`/api/patients/${patient.id}/chart`)).statusCode).toBe(404);
    expect((await client.get('/api/patients/5b0f3b1e-4a8e-4c55-9a43-2f6d8f1c0a11/chart')).statusCode).toBe(
      404,
    );
    expect((await client.get(`/api/patients/${patient.id}/timeline`)).statusCode).toBe(404);
    expect((await client.get('/api/patients/not-an-id/chart')).statusCode).toBe(422);
  });

  it('returns 404 for a merged (retired) record', async () => {
    const { worker, patient } = await patientWithWorker();
    await t.database.db.update(patients).set({ retiredAt: new Date() }).where(eq(patients.id, patient.id));
    expect((await (await signIn(t, worker)).get(`/api/patients/${patient.id}/chart`)).statusCode).toBe(404);
  });
});

describe('GET /api/patients/:patientId/timeline', () => {
  async function patientWithHistory() {
    const { org, worker, patient } = await patientWithWorker();
    // Seven entries, one hour apart: tasks at even hours, cases at odd ones.
    for (let h = 0; h < 7; h++) {
      await insertTimelineEvent(t, patient, {
        kind: h % 2 === 0 ? 'task' : 'case',
        summary: `Entry ${h}`,
        occurredAt: hoursAgo(h),
      });
    }
    return { client: await signIn(t, worker), patient, org };
  }
  const summaries = (page: TimelinePage) => page.items.map((e) => e.summary);

  it('pages newest first and filters by kind', async () => {
    const { client, patient } = await patientWithHistory();
    const get = async (query: string): Promise<TimelinePage> => {
      const res = await client.get(`/api/patients/${patient.id}/timeline?${query}`);
      expect(res.statusCode, query).toBe(200);
      return res.json();
    };
    expect(summaries(await get('pageSize=3'))).toEqual(['Entry 0', 'Entry 1', 'Entry 2']);
    expect(await get('pageSize=3&page=3')).toMatchObject({
      total: 7,
      page: 3,
      items: [{ summary: 'Entry 6' }],
    });
    expect(summaries(await get('kinds=case'))).toEqual(['Entry 1', 'Entry 3', 'Entry 5']);
    expect((await get('kinds=case,task')).total).toBe(7);
    expect((await get('kinds=message')).items).toEqual([]);
    const [read] = await auditFor(patient.id, 'patient.timeline.read');
    expect(read).toMatchObject({ outcome: 'success', recordKind: 'timeline' });
  });

  it('returns 422 for paging out of range and unknown kinds', async () => {
    const { client, patient } = await patientWithHistory();
    const cases: [string, string][] = [
      ['page=0', 'query.page'],
      ['pageSize=0', 'query.pageSize'],
      ['pageSize=201', 'query.pageSize'],
      ['page=two', 'query.page'],
      ['pageSize=3&page=4', 'query.page'],
      ['kinds=case,gossip', 'query.kinds'],
    ];
    for (const [query, field] of cases) {
      const res = await client.get(`/api/patients/${patient.id}/timeline?${query}`);
      expect(res.statusCode, query).toBe(422);
      expect(
        res.json().errors.map((e: { field: string }) => e.field.replace(/\.\d+$/, '')),
        query,
      ).toContain(field);
    }
  });

  it('returns 403 outside the care team', async () => {
    const { org, patient } = await patientWithHistory();
    const outsider = await buildUser(t, { organization: org });
    const res = await (await signIn(t, outsider)).get(`/api/patients/${patient.id}/timeline`);
    expect(res.statusCode).toBe(403);
  });
});
