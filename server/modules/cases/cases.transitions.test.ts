import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allowedCaseActions,
  CASE_ACTIONS,
  CASE_STATUSES,
  type CaseAction,
  type CaseStatus,
  decideCaseTransition,
} from '../../../domain/workflows/case.ts';
import { notifications } from '../../platform/notifications/notifications.tables.ts';
import { auditEvents, type organizations, users } from '../../platform/platform.tables.ts';
import { timelineEvents } from '../../platform/timeline/timeline.tables.ts';
import { buildCase, type CaseRow, joinCareTeam } from '../../test/casework-factories.ts';
import {
  buildOrganization,
  buildUser,
  type Client,
  signIn,
  startTestApp,
  type TestContext,
} from '../../test/harness.ts';
import { careTeamMembers } from '../patients/patients.tables.ts';
import { cases, caseTransitions } from './cases.tables.ts';

let t: TestContext;
let org: typeof organizations.$inferSelect;
let supervisor: typeof users.$inferSelect;
let lead: Client;
let worker: typeof users.$inferSelect;
let workerClient: Client;

beforeAll(async () => {
  t = await startTestApp();
  org = await buildOrganization(t);
  supervisor = await buildUser(t, { role: 'supervisor', organization: org });
  lead = await signIn(t, supervisor);
  worker = await buildUser(t, { role: 'social_worker', organization: org });
  workerClient = await signIn(t, worker);
});
afterAll(() => t.close());

const historyOf = (caseId: string) =>
  t.database.db.select().from(caseTransitions).where(eq(caseTransitions.caseId, caseId));
const caseRow = async (caseId: string) =>
  (await t.database.db.select().from(cases).where(eq(cases.id, caseId)))[0]!;

const stateOf = (c: CaseRow) => ({
  status: c.status as CaseStatus,
  assignedTo: c.assignedTo,
  firstContactAt: c.firstContactAt,
});

/** A request body with everything the action needs. */
async function bodyFor(action: CaseAction, c: CaseRow) {
  const needsWorker = action === 'assign' || action === 'reassign';
  const next = needsWorker ? await buildUser(t, { role: 'social_worker', organization: org }) : undefined;
  return {
    action,
    version: c.version,
    ...(next ? { assigneeId: next.id } : {}),
    ...(action === 'close' ? { closeReason: 'goals-met' } : {}),
    ...(action === 'reassign' || action === 'reopen'
      ? { note: 'Family meeting set for Thursday at 2pm' }
      : {}),
  };
}

describe.each(CASE_STATUSES)('a supervisor acting on a %s case', (status: CaseStatus) => {
  it.each(CASE_ACTIONS)(
    '%s: moves it as the state machine says, or answers 409 with the allowed actions',
    async (action) => {
      const { case: c } = await buildCase(t, { organization: org, status });
      const expected = decideCaseTransition(stateOf(c), action, { id: supervisor.id, role: 'supervisor' });
      const res = await lead.post(`/api/cases/${c.id}/transitions`, await bodyFor(action, c));
      const history = await historyOf(c.id);
      if (expected.ok) {
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({ status: expected.to, version: c.version + 1 });
        expect(history.map((h) => h.action)).toEqual(['open', action]);
        expect(history[1]).toMatchObject({
          fromStatus: status,
          toStatus: expected.to,
          byUser: supervisor.id,
        });
      } else {
        expect(res.statusCode).toBe(409);
        expect(res.json()).toMatchObject({
          type: 'urn:kith:problem:transition-not-allowed',
          caseStatus: status,
          allowed: allowedCaseActions(stateOf(c), { id: supervisor.id, role: 'supervisor' }),
        });
        expect(history).toHaveLength(1);
        expect((await caseRow(c.id)).version).toBe(c.version);
      }
    },
  );
});

describe.each(CASE_STATUSES)("the case's own worker acting on a %s case", (status: CaseStatus) => {
  it.each(CASE_ACTIONS)(
    '%s: allowed as the state machine says for the assignee, else 409',
    async (action) => {
      const held = status !== 'new' && status !== 'triaged';
      const { case: c, patient } = await buildCase(t, {
        organization: org,
        status,
        ...(held ? { worker } : {}),
      });
      // A queued case has no worker: this worker is only on the care team.
      if (!held) await joinCareTeam(t, patient, worker);
      const me = { id: worker.id, role: 'social_worker' as const };
      const expected = decideCaseTransition(stateOf(c), action, me);
      const res = await workerClient.post(`/api/cases/${c.id}/transitions`, await bodyFor(action, c));
      if (expected.ok) {
        expect(['start', 'close', 'reopen']).toContain(action);
        expect(res.statusCode).toBe(200);
        expect(res.json().status).toBe(expected.to);
      } else {
        expect(res.statusCode).toBe(409);
        expect(res.json().allowed).toEqual(allowedCaseActions(stateOf(c), me));
        expect(await historyOf(c.id)).toHaveLength(1);
      }
    },
  );
});

describe('people who may never move a case', () => {
  it.each(CASE_STATUSES)(
    'another worker and a clinician on the care team get 409 with nothing allowed (%s)',
    async (status) => {
      const { case: c, patient } = await buildCase(t, { organization: org, status });
      const other = await buildUser(t, { role: 'social_worker', organization: org });
      const clinician = await buildUser(t, { role: 'clinician', organization: org });
      await joinCareTeam(t, patient, other);
      await joinCareTeam(t, patient, clinician);
      for (const user of [other, clinician]) {
        const client = await signIn(t, user);
        for (const action of CASE_ACTIONS) {
          const res = await client.post(`/api/cases/${c.id}/transitions`, await bodyFor(action, c));
          expect(res.statusCode, `${user.role} ${action}`).toBe(409);
          expect(res.json()).toMatchObject({ allowed: [], caseStatus: status });
        }
      }
      expect(await historyOf(c.id)).toHaveLength(1);
    },
  );

  it('returns 403 when a worker neither assigned nor on the care team acts on a case', async () => {
    const { case: c } = await buildCase(t, { organization: org, status: 'assigned' });
    const res = await workerClient.post(`/api/cases/${c.id}/transitions`, { action: 'start', version: 1 });
    expect(res.statusCode).toBe(403);
    expect(await historyOf(c.id)).toHaveLength(1);
  });
});

describe('what each transition records', () => {
  it('assigning puts the worker on the care team, notifies them, and writes history, timeline and audit', async () => {
    // The supervisor picks a worker for a triaged consult.
    const { case: c, patient } = await buildCase(t, {
      organization: org,
      status: 'triaged',
      urgency: 'emergent',
    });
    const chosen = await buildUser(t, { role: 'social_worker', organization: org });
    const res = await lead.post(`/api/cases/${c.id}/transitions`, {
      action: 'assign',
      version: c.version,
      assigneeId: chosen.id,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'assigned',
      assignee: { id: chosen.id, displayName: chosen.displayName },
      allowedActions: ['reassign', 'start', 'close'],
    });
    const team = await t.database.db
      .select()
      .from(careTeamMembers)
      .where(and(eq(careTeamMembers.patientId, patient.id), isNull(careTeamMembers.removedAt)));
    expect(team.map((m) => m.userId)).toContain(chosen.id);
    const [told] = await t.database.db
      .select()
      .from(notifications)
      .where(eq(notifications.userId, chosen.id));
    expect(told).toMatchObject({ kind: 'case-assigned', patientId: patient.id });
    expect(told!.title).not.toContain(patient.familyName);
    const [entry] = await t.database.db
      .select()
      .from(timelineEvents)
      .where(and(eq(timelineEvents.recordId, c.id), eq(timelineEvents.kind, 'case')));
    expect(entry!.summary).toBe(`Case assigned to ${chosen.displayName}`);
    const audits = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.recordId, c.id), eq(auditEvents.action, 'case.transition')));
    expect(audits[0]).toMatchObject({
      actorUserId: supervisor.id,
      patientId: patient.id,
      outcome: 'success',
    });

    // Now on the care team, the worker opens the case and sees what they may do.
    const mine = await (await signIn(t, chosen)).get(`/api/cases/${c.id}`);
    expect(mine.statusCode).toBe(200);
    expect(mine.json().allowedActions).toEqual(['start', 'close']);
  });

  it('refuses an assignment without a worker, or to someone who carries no caseload (422 on assigneeId)', async () => {
    const { case: c } = await buildCase(t, { organization: org, status: 'new' });
    const clinician = await buildUser(t, { role: 'clinician', organization: org });
    const disabled = await buildUser(t, { role: 'social_worker', organization: org, disabled: true });
    const elsewhere = await buildUser(t, { role: 'social_worker' });
    for (const assigneeId of [undefined, clinician.id, disabled.id, elsewhere.id]) {
      const res = await lead.post(`/api/cases/${c.id}/transitions`, {
        action: 'assign',
        version: 1,
        assigneeId,
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().errors).toEqual([expect.objectContaining({ field: 'assigneeId' })]);
    }
    expect((await caseRow(c.id)).status).toBe('new');
  });

  it('requires a hand-off note to change worker, stores it, and shows it to the new worker', async () => {
    const { case: c, worker: first } = await buildCase(t, { organization: org, status: 'active' });
    const next = await buildUser(t, { role: 'social_worker', organization: org });
    const bare = await lead.post(`/api/cases/${c.id}/transitions`, {
      action: 'reassign',
      version: c.version,
      assigneeId: next.id,
    });
    expect(bare.statusCode).toBe(422);
    expect(bare.json().errors).toEqual([expect.objectContaining({ field: 'note' })]);
    const blank = await lead.post(`/api/cases/${c.id}/transitions`, {
      action: 'reassign',
      version: c.version,
      assigneeId: next.id,
      note: '   ',
    });
    expect(blank.statusCode).toBe(422);

    const note = 'Daughter is the health care proxy; SNF referrals sent to two facilities, awaiting replies.';
    const res = await lead.post(`/api/cases/${c.id}/transitions`, {
      action: 'reassign',
      version: c.version,
      assigneeId: next.id,
      note,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'active', assignee: { id: next.id } });
    const [handOff] = (await historyOf(c.id)).filter((h) => h.action === 'reassign');
    expect(handOff).toMatchObject({ note, fromAssignee: first!.id, toAssignee: next.id });

    const seen = (await (await signIn(t, next)).get(`/api/cases/${c.id}`)).json();
    expect(seen.handOff).toMatchObject({ note, from: { id: first!.id }, by: { id: supervisor.id } });
    const told = await t.database.db.select().from(notifications).where(eq(notifications.userId, next.id));
    expect(told[0]!.title).toContain('hand-off note');
  });

  it('records first contact when the worker starts the case', async () => {
    const { case: c } = await buildCase(t, { organization: org, status: 'assigned', worker });
    const before = Date.now();
    const res = await workerClient.post(`/api/cases/${c.id}/transitions`, { action: 'start', version: 1 });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.status).toBe('active');
    expect(Date.parse(body.firstContact.metAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(body.firstContact.minutesToFirstContact).toBeGreaterThanOrEqual(10);
    expect((await caseRow(c.id)).firstContactAt).not.toBeNull();
  });

  it('needs a close reason from the list to close, and a note to reopen', async () => {
    const { case: c } = await buildCase(t, { organization: org, status: 'active', worker });
    const none = await workerClient.post(`/api/cases/${c.id}/transitions`, { action: 'close', version: 1 });
    expect(none.statusCode).toBe(422);
    expect(none.json().errors).toEqual([expect.objectContaining({ field: 'closeReason' })]);
    const unknown = await workerClient.post(`/api/cases/${c.id}/transitions`, {
      action: 'close',
      version: 1,
      closeReason: 'bored',
    });
    expect(unknown.statusCode).toBe(422);
    const closed = await workerClient.post(`/api/cases/${c.id}/transitions`, {
      action: 'close',
      version: 1,
      closeReason: 'discharged',
    });
    expect(closed.json()).toMatchObject({
      status: 'closed',
      closeReason: 'discharged',
      closeReasonLabel: 'Patient discharged, plan complete',
      allowedActions: ['reopen'],
    });
    const noNote = await workerClient.post(`/api/cases/${c.id}/transitions`, {
      action: 'reopen',
      version: 2,
    });
    expect(noNote.statusCode).toBe(422);
    const reopened = await workerClient.post(`/api/cases/${c.id}/transitions`, {
      action: 'reopen',
      version: 2,
      note: 'Readmitted the next day',
    });
    expect(reopened.json()).toMatchObject({
      status: 'active',
      closedAt: null,
      closeReason: null,
      version: 3,
    });
    // Closed again for another reason: the history keeps both reasons, the case only the latest.
    await workerClient.post(`/api/cases/${c.id}/transitions`, {
      action: 'close',
      version: 3,
      closeReason: 'goals-met',
    });
    const history = (await workerClient.get(`/api/cases/${c.id}/transitions`)).json().items;
    expect(
      history
        .filter((h: { action: string }) => h.action === 'close')
        .map((h: { closeReason: string }) => h.closeReason),
    ).toEqual(['discharged', 'goals-met']);
  });

  it('returns a reopened case to the queue when its worker has left', async () => {
    const gone = await buildUser(t, { role: 'social_worker', organization: org });
    const { case: c } = await buildCase(t, { organization: org, status: 'closed', worker: gone });
    await t.database.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, gone.id));
    const res = await lead.post(`/api/cases/${c.id}/transitions`, {
      action: 'reopen',
      version: 1,
      note: 'Patient back in the ED',
    });
    expect(res.json()).toMatchObject({ status: 'triaged', assignee: null });
  });
});

describe('optimistic concurrency and unknown cases', () => {
  it('answers 409 with the current version to a stale transition, and writes nothing', async () => {
    const { case: c } = await buildCase(t, { organization: org, status: 'assigned', worker });
    // The supervisor raises the acuity while the worker still has version 1 on screen.
    expect((await lead.patch(`/api/cases/${c.id}`, { version: 1, acuity: 3 })).statusCode).toBe(200);
    const timelineBefore = await t.database.db
      .select()
      .from(timelineEvents)
      .where(eq(timelineEvents.recordId, c.id));
    const res = await workerClient.post(`/api/cases/${c.id}/transitions`, { action: 'start', version: 1 });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ type: 'urn:kith:problem:stale-version', currentVersion: 2 });
    const after = await caseRow(c.id);
    expect(after).toMatchObject({ status: 'assigned', firstContactAt: null, version: 2, acuity: 3 });
    expect(await historyOf(c.id)).toHaveLength(1);
    const timelineAfter = await t.database.db
      .select()
      .from(timelineEvents)
      .where(eq(timelineEvents.recordId, c.id));
    expect(timelineAfter).toHaveLength(timelineBefore.length);
  });

  it('lets only one of two simultaneous transitions through', async () => {
    const { case: c } = await buildCase(t, { organization: org, status: 'new' });
    const [a, b] = await Promise.all([
      lead.post(`/api/cases/${c.id}/transitions`, { action: 'triage', version: 1 }),
      lead.post(`/api/cases/${c.id}/transitions`, { action: 'close', version: 1, closeReason: 'duplicate' }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    expect(await historyOf(c.id)).toHaveLength(2);
    expect((await caseRow(c.id)).version).toBe(2);
  });

  it('returns 404 for an unknown case and for a case of another organisation', async () => {
    const unknown = await lead.post('/api/cases/0190a5b4-0000-7000-8000-000000000000/transitions', {
      action: 'triage',
      version: 1,
    });
    expect(unknown.statusCode).toBe(404);
    const { case: theirs } = await buildCase(t, { status: 'new' });
    const res = await lead.post(`/api/cases/${theirs.id}/transitions`, { action: 'triage', version: 1 });
    expect(res.statusCode).toBe(404);
    expect((await caseRow(theirs.id)).status).toBe('new');
  });
});
