import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../platform/platform.tables.ts';
import { buildCase } from '../../test/casework-factories.ts';
import { signIn, startTestApp, type TestContext } from '../../test/harness.ts';
import { careTeamMembers } from '../patients/patients.tables.ts';
import { department, inHours } from './tasks.fixtures.ts';
import { listTasks } from './tasks.queries.ts';
import { createTask } from './tasks.service.ts';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('listing tasks', () => {
  it('lists my open tasks by due time, overdue first and undated last, with other people’s and closed ones left out', async () => {
    const { worker, colleague, patient, client } = await department(t);
    const make = async (title: string, dueAt: string | null, assigneeId = worker.id) =>
      (await client.post('/api/tasks', { title, assigneeId, dueAt, patientId: patient.id })).json();
    await make('Later', inHours(5));
    await make('Undated', null);
    await make('Overdue', inHours(-2));
    await make('Soon', inHours(1));
    await make('Someone else’s', inHours(-1), colleague.id);
    const done = await make('Done already', inHours(-3));
    await client.post(`/api/tasks/${done.id}/complete`, { version: 1 });

    const mine = (await client.get('/api/tasks?scope=mine')).json();
    expect(mine.items.map((i: { title: string }) => i.title)).toEqual([
      'Overdue',
      'Soon',
      'Later',
      'Undated',
    ]);
    expect(mine.items.map((i: { overdue: boolean }) => i.overdue)).toEqual([true, false, false, false]);
    expect(mine.total).toBe(4);
    expect((await client.get('/api/tasks?due=overdue')).json().items).toHaveLength(1);
    expect(
      (await client.get('/api/tasks?status=done')).json().items.map((i: { title: string }) => i.title),
    ).toEqual(['Done already']);
    const paged = (await client.get('/api/tasks?scope=mine&page=2&pageSize=3')).json();
    expect(paged).toMatchObject({ page: 2, pageSize: 3, total: 4 });
    expect(paged.items.map((i: { title: string }) => i.title)).toEqual(['Undated']);
  });

  it("takes 'due today' as the organisation's calendar day, not UTC's", async () => {
    const { org, worker } = await department(t);
    const due = (iso: string, title: string) =>
      t.database.db.transaction((tx) =>
        createTask(
          tx,
          { system: 'test', organizationId: org.id },
          { title, assigneeId: worker.id, dueAt: new Date(iso) },
        ),
      );
    // The organisation is in New York: 15 January runs from 05:00 UTC to 05:00 UTC the next day.
    await due('2030-01-15T04:59:00Z', 'Late on the 14th');
    await due('2030-01-15T05:00:00Z', 'Midnight of the 15th');
    await due('2030-01-16T04:30:00Z', 'Late on the 15th');
    await due('2030-01-16T05:00:00Z', 'Midnight of the 16th');
    const actor = {
      userId: worker.id,
      organizationId: org.id,
      role: 'social_worker' as const,
      email: worker.email,
      displayName: worker.displayName,
      via: 'session' as const,
      sessionId: null,
      tokenId: null,
      mfaEnrolmentRequired: false,
    };
    const { items } = await listTasks(
      t.database.db,
      actor,
      { ip: null, userAgent: null },
      { assigneeId: worker.id, status: 'open', due: 'today', page: 1, pageSize: 50 },
      { auditNames: false, now: new Date('2030-01-15T15:00:00Z') },
    );
    expect(items.map((i) => i.title)).toEqual(['Midnight of the 15th', 'Late on the 15th']);
  });

  it("lists a patient's tasks and a case's tasks for the care team, audited as a read of the patient", async () => {
    const { org, worker, colleague, patient, client } = await department(t);
    const { case: kase } = await buildCase(t, { organization: org, patient, worker, status: 'assigned' });
    await client.post('/api/tasks', { title: 'About the case', assigneeId: colleague.id, caseId: kase.id });
    await client.post('/api/tasks', {
      title: 'About the patient',
      assigneeId: worker.id,
      patientId: patient.id,
    });
    const forPatient = (await client.get(`/api/tasks?scope=patient&patientId=${patient.id}`)).json();
    expect(forPatient.items.map((i: { title: string }) => i.title).sort()).toEqual([
      'About the case',
      'About the patient',
    ]);
    const forCase = (await client.get(`/api/tasks?scope=case&caseId=${kase.id}`)).json();
    expect(forCase.items.map((i: { title: string }) => i.title)).toEqual(['About the case']);
    const reads = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.patientId, patient.id), eq(auditEvents.action, 'task.list')));
    expect(reads).toHaveLength(2);
  });

  it("refuses a patient's tasks to someone outside the care team (403) and wants the patient's id with scope=patient (422)", async () => {
    const { outsider, patient, client } = await department(t);
    expect(
      (await (await signIn(t, outsider)).get(`/api/tasks?scope=patient&patientId=${patient.id}`)).statusCode,
    ).toBe(403);
    const missing = await client.get('/api/tasks?scope=patient');
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors).toEqual([
      { field: 'query.patientId', message: 'is required with scope=patient' },
    ]);
    expect((await client.get('/api/tasks?pageSize=500')).statusCode).toBe(422);
    expect((await client.get('/api/tasks?page=0')).statusCode).toBe(422);
  });

  it('names the patient of my task only while I may see the patient', async () => {
    const { worker, colleague, patient, client } = await department(t);
    await client.post('/api/tasks', { title: 'Follow up', assigneeId: colleague.id, patientId: patient.id });
    const colleagueClient = await signIn(t, colleague);
    expect((await colleagueClient.get('/api/tasks')).json().items[0].patient).toEqual({
      id: patient.id,
      name: 'Smith, John',
    });
    await t.database.db
      .update(careTeamMembers)
      .set({ removedAt: new Date(), removedBy: worker.id })
      .where(and(eq(careTeamMembers.patientId, patient.id), eq(careTeamMembers.userId, colleague.id)));
    const [item] = (await colleagueClient.get('/api/tasks')).json().items;
    expect(item.patient).toEqual({ id: patient.id, name: null });
    // Nor does its text, which may name the patient.
    expect(item.title).toBe('Task about a patient you can no longer open');
    expect(item.detail).toBeNull();
    expect(item.abilities).toEqual({ update: false });
  });
});
