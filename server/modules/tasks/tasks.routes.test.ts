import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications } from '../../platform/notifications/notifications.tables.ts';
import { auditEvents } from '../../platform/platform.tables.ts';
import { timelineEvents } from '../../platform/timeline/timeline.tables.ts';
import { buildCase } from '../../test/casework-factories.ts';
import {
  buildOrganization,
  buildPatient,
  buildUser,
  signIn,
  startTestApp,
  type TestContext,
} from '../../test/harness.ts';
import { department, inHours } from './tasks.fixtures.ts';
import { createTask } from './tasks.service.ts';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('creating a task', () => {
  it('creates a patient task for a colleague on the care team (201): audited, on the timeline, and the colleague is told without the patient being named', async () => {
    const { worker, colleague, patient, client } = await department(t);
    const res = await client.post('/api/tasks', {
      title: 'Call John Smith’s daughter about the rehab bed',
      assigneeId: colleague.id,
      dueAt: inHours(4),
      priority: 'high',
      patientId: patient.id,
    });
    expect(res.statusCode).toBe(201);
    const task = res.json();
    expect(task).toMatchObject({
      status: 'open',
      priority: 'high',
      overdue: false,
      version: 1,
      assignee: { id: colleague.id },
      createdBy: { id: worker.id },
      patient: { id: patient.id, name: 'Smith, John' },
      abilities: { update: true },
    });
    const db = t.database.db;
    const [audit] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.recordId, task.id), eq(auditEvents.action, 'task.create')));
    expect(audit).toMatchObject({ actorUserId: worker.id, patientId: patient.id, outcome: 'success' });
    const [entry] = await db.select().from(timelineEvents).where(eq(timelineEvents.recordId, task.id));
    expect(entry).toMatchObject({ kind: 'task', patientId: patient.id, actorId: worker.id });
    const told = await db.select().from(notifications).where(eq(notifications.userId, colleague.id));
    expect(told).toEqual([
      expect.objectContaining({
        kind: 'task-assigned',
        link: `/patients/${patient.id}/tasks`,
        patientId: patient.id,
      }),
    ]);
    expect(told[0]!.title).not.toMatch(/Smith|daughter/);
  });

  it('tells no one when I give myself a task about no patient', async () => {
    const { worker, client } = await department(t);
    const res = await client.post('/api/tasks', { title: 'Renew my licence', assigneeId: worker.id });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ patient: null, dueAt: null, priority: 'routine' });
    expect(
      await t.database.db.select().from(notifications).where(eq(notifications.userId, worker.id)),
    ).toEqual([]);
  });

  it('refuses (422 on assigneeId) a patient task for someone who cannot see the patient, but a supervisor can take it', async () => {
    const { outsider, supervisor, patient, client } = await department(t);
    const refused = await client.post('/api/tasks', {
      title: 'Visit',
      assigneeId: outsider.id,
      patientId: patient.id,
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors).toEqual([
      { field: 'assigneeId', message: expect.stringMatching(/care team/) },
    ]);
    const allowed = await client.post('/api/tasks', {
      title: 'Visit',
      assigneeId: supervisor.id,
      patientId: patient.id,
    });
    expect(allowed.statusCode).toBe(201);
  });

  it('refuses (422) an assignee of another organisation, a disabled one or a read-only user', async () => {
    const { org, client } = await department(t);
    const elsewhere = await buildUser(t);
    const disabled = await buildUser(t, { organization: org, disabled: true });
    const reader = await buildUser(t, { organization: org, role: 'read_only' });
    for (const assignee of [elsewhere, disabled, reader]) {
      const res = await client.post('/api/tasks', { title: 'Anything', assigneeId: assignee.id });
      expect(res.statusCode).toBe(422);
      expect(res.json().errors[0].field).toBe('assigneeId');
    }
  });

  it('links a case and takes its patient from it; a case of another patient is 422, an unknown case 404', async () => {
    const { org, worker, patient, client } = await department(t);
    const other = await buildPatient(t, { organization: org, careTeam: [worker] });
    const { case: kase } = await buildCase(t, { organization: org, patient, worker, status: 'assigned' });
    const res = await client.post('/api/tasks', {
      title: 'First contact',
      assigneeId: worker.id,
      caseId: kase.id,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ caseId: kase.id, patient: { id: patient.id } });
    const mismatch = await client.post('/api/tasks', {
      title: 'First contact',
      assigneeId: worker.id,
      caseId: kase.id,
      patientId: other.id,
    });
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.json().errors).toEqual([{ field: 'caseId', message: 'belongs to another patient' }]);
    const unknown = await client.post('/api/tasks', {
      title: 'First contact',
      assigneeId: worker.id,
      caseId: '01900000-0000-7000-8000-000000000000',
    });
    expect(unknown.statusCode).toBe(404);
  });

  it("refuses a task about a patient outside my care team (403, audited) and another organisation's patient (404)", async () => {
    const { outsider, worker, patient } = await department(t);
    const client = await signIn(t, outsider);
    const res = await client.post('/api/tasks', {
      title: 'Peek',
      assigneeId: outsider.id,
      patientId: patient.id,
    });
    expect(res.statusCode).toBe(403);
    const denied = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorUserId, outsider.id), eq(auditEvents.outcome, 'denied')));
    expect(denied).toHaveLength(1);
    const foreign = await buildPatient(t, { organization: await buildOrganization(t) });
    const elsewhere = await (await signIn(t, worker)).post('/api/tasks', {
      title: 'Peek',
      assigneeId: worker.id,
      patientId: foreign.id,
    });
    expect(elsewhere.statusCode).toBe(404);
  });

  it('refuses task creation to a read-only user (403) and an empty title (422 on title)', async () => {
    const { org, worker, client } = await department(t);
    const reader = await buildUser(t, { organization: org, role: 'read_only' });
    expect(
      (await (await signIn(t, reader)).post('/api/tasks', { title: 'x', assigneeId: worker.id })).statusCode,
    ).toBe(403);
    const empty = await client.post('/api/tasks', { title: '  ', assigneeId: worker.id });
    expect(empty.statusCode).toBe(422);
    expect(empty.json().errors).toEqual([{ field: 'title', message: 'is required' }]);
  });

  it('lets another module create a task as a system actor: no creator, audited as the system, the assignee told', async () => {
    const { org, worker, patient } = await department(t);
    const task = await t.database.db.transaction((tx) =>
      createTask(
        tx,
        { system: 'alarms', organizationId: org.id },
        {
          title: 'Screening alarm: call the patient',
          assigneeId: worker.id,
          patientId: patient.id,
          kind: 'alarm',
          priority: 'urgent',
        },
      ),
    );
    expect(task).toMatchObject({ createdBy: null, kind: 'alarm', status: 'open' });
    const [audit] = await t.database.db.select().from(auditEvents).where(eq(auditEvents.recordId, task.id));
    expect(audit).toMatchObject({ actorUserId: null, actorRole: 'system', actorLabel: 'system (alarms)' });
    const [told] = await t.database.db
      .select()
      .from(notifications)
      .where(eq(notifications.userId, worker.id));
    expect(told).toMatchObject({ kind: 'task-assigned', title: 'A task was assigned to you' });
  });
});

describe('changing a task', () => {
  async function openTask() {
    const d = await department(t);
    const task = (
      await d.client.post('/api/tasks', {
        title: 'Call the family',
        assigneeId: d.worker.id,
        patientId: d.patient.id,
      })
    ).json();
    return { ...d, task };
  }

  it('updates at the version read; a stale version is 409 with the current version and nothing overwritten', async () => {
    const { task, client } = await openTask();
    const first = await client.patch(`/api/tasks/${task.id}`, { version: 1, title: 'Call the son' });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ title: 'Call the son', version: 2 });
    const stale = await client.patch(`/api/tasks/${task.id}`, { version: 1, title: 'Call the daughter' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ type: 'urn:kith:problem:stale-version', currentVersion: 2 });
    expect((await client.get(`/api/tasks/${task.id}`)).json().title).toBe('Call the son');
  });

  it('tells the new assignee when a task is handed over, and a new due time re-arms the reminders', async () => {
    const { task, colleague, client } = await openTask();
    const { tasks } = await import('./tasks.tables.ts');
    await t.database.db.update(tasks).set({ dueRemindedAt: new Date() }).where(eq(tasks.id, task.id));
    const res = await client.patch(`/api/tasks/${task.id}`, {
      version: 1,
      assigneeId: colleague.id,
      dueAt: inHours(2),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().assignee.id).toBe(colleague.id);
    const [row] = await t.database.db.select().from(tasks).where(eq(tasks.id, task.id));
    expect(row!.dueRemindedAt).toBeNull();
    const told = await t.database.db
      .select()
      .from(notifications)
      .where(eq(notifications.userId, colleague.id));
    expect(told.map((n) => n.kind)).toEqual(['task-assigned']);
  });

  it('completes a task recording who and when, on the timeline and in the audit log; completing it again is 409', async () => {
    const { task, worker, patient, client } = await openTask();
    const res = await client.post(`/api/tasks/${task.id}/complete`, { version: 1 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'done', completedBy: { id: worker.id }, version: 2 });
    expect(res.json().completedAt).toEqual(expect.any(String));
    const entries = await t.database.db
      .select()
      .from(timelineEvents)
      .where(and(eq(timelineEvents.patientId, patient.id), eq(timelineEvents.recordId, task.id)));
    expect(entries.map((e) => e.summary).sort()).toEqual([
      expect.stringMatching(/^Task completed: Call the family$/),
      expect.stringMatching(/^Task for .*: Call the family$/),
    ]);
    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.recordId, task.id), eq(auditEvents.action, 'task.complete')));
    expect(audit).toMatchObject({ actorUserId: worker.id, patientId: patient.id });
    const again = await client.post(`/api/tasks/${task.id}/complete`, { version: 2 });
    expect(again.statusCode).toBe(409);
    expect(again.json().type).toBe('urn:kith:problem:task-not-open');
    expect((await client.post(`/api/tasks/${task.id}/complete`, { version: 1 })).json().currentVersion).toBe(
      2,
    );
  });

  it('cancels a task, recording who and when', async () => {
    const { task, worker, client } = await openTask();
    const res = await client.post(`/api/tasks/${task.id}/cancel`, { version: 1 });
    expect(res.json()).toMatchObject({ status: 'cancelled', completedBy: { id: worker.id } });
    // A closed task is a record of what happened: it cannot be edited afterwards.
    const edit = await client.patch(`/api/tasks/${task.id}`, { version: 2, title: 'Something else' });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().type).toBe('urn:kith:problem:task-not-open');
  });

  it("answers 404 for an unknown task and another organisation's task, and 403 for a colleague's own task about no patient", async () => {
    const { task, org, worker, client } = await openTask();
    expect((await client.get('/api/tasks/01900000-0000-7000-8000-000000000000')).statusCode).toBe(404);
    const stranger = await signIn(t, await buildUser(t));
    expect((await stranger.get(`/api/tasks/${task.id}`)).statusCode).toBe(404);
    expect((await stranger.post(`/api/tasks/${task.id}/complete`, { version: 1 })).statusCode).toBe(404);
    const own = (await client.post('/api/tasks', { title: 'Private errand', assigneeId: worker.id })).json();
    const peer = await signIn(t, await buildUser(t, { organization: org }));
    expect((await peer.get(`/api/tasks/${own.id}`)).statusCode).toBe(403);
    expect((await peer.patch(`/api/tasks/${own.id}`, { version: 1, title: 'Mine now' })).statusCode).toBe(
      403,
    );
  });
});
