import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../platform/ids.ts';
import { auditEvents } from '../../platform/platform.tables.ts';
import { timelineEvents } from '../../platform/timeline/timeline.tables.ts';
import { buildPatient, buildUser, signIn, startTestApp, type TestContext } from '../../test/harness.ts';
import { raiseFlag } from './flags.service.ts';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

async function setup() {
  const worker = await buildUser(t);
  const patient = await buildPatient(t, { organization: worker.organization, careTeam: [worker] });
  return { worker, patient, client: await signIn(t, worker), url: `/api/patients/${patient.id}/flags` };
}

describe("a patient's flags", () => {
  it('raises a flag (201) on the timeline and in the audit log; raising it again while up returns the same flag (200)', async () => {
    const { client, url, patient, worker } = await setup();
    const res = await client.post(url, { kind: 'crisis-risk', note: 'Said he has no reason to go on' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      kind: 'crisis-risk',
      label: 'Crisis risk',
      severity: 'high',
      raisedByName: worker.displayName,
      clearedAt: null,
    });
    const again = await client.post(url, { kind: 'crisis-risk' });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(res.json().id);
    const timeline = await t.database.db
      .select()
      .from(timelineEvents)
      .where(and(eq(timelineEvents.patientId, patient.id), eq(timelineEvents.kind, 'flag')));
    expect(timeline.map((e) => e.summary)).toEqual(['Flag raised: Crisis risk']);
    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.patientId, patient.id), eq(auditEvents.action, 'flag.raise')));
    expect(audit).toMatchObject({ actorUserId: worker.id, recordId: res.json().id });
  });

  it('lists active flags most severe first; cleared ones only when asked', async () => {
    const { client, url } = await setup();
    await client.post(url, { kind: 'interpreter-needed' });
    const crisis = (await client.post(url, { kind: 'crisis-risk' })).json();
    await client.post(url, { kind: 'readmission' });
    expect((await client.get(url)).json().items.map((f: { kind: string }) => f.kind)).toEqual([
      'crisis-risk',
      'readmission',
      'interpreter-needed',
    ]);
    const cleared = await client.post(`${url}/${crisis.id}/clear`, {
      note: 'Safety plan in place, psychiatry saw him',
    });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json()).toMatchObject({ clearedNote: 'Safety plan in place, psychiatry saw him' });
    expect((await client.get(url)).json().items).toHaveLength(2);
    const all = (await client.get(`${url}?all=true`)).json().items;
    expect(all.map((f: { kind: string }) => f.kind)).toEqual([
      'readmission',
      'interpreter-needed',
      'crisis-risk',
    ]);
  });

  it('clears only with a note (422), once (409), and only known flags (404)', async () => {
    const { client, url } = await setup();
    const flag = (await client.post(url, { kind: 'new-results' })).json();
    expect((await client.post(`${url}/${flag.id}/clear`, { note: '' })).statusCode).toBe(422);
    expect((await client.post(`${url}/${flag.id}/clear`, { note: 'Reviewed' })).statusCode).toBe(200);
    expect((await client.post(`${url}/${flag.id}/clear`, { note: 'Reviewed' })).statusCode).toBe(409);
    expect((await client.post(`${url}/${newId()}/clear`, { note: 'Reviewed' })).statusCode).toBe(404);
    expect((await client.post(url, { kind: 'haunted' })).statusCode).toBe(422);
  });

  it('lets a read-only member see flags but not raise them (403), and keeps outsiders out (403)', async () => {
    const { worker, url } = await setup();
    const reader = await signIn(
      t,
      await buildUser(t, { role: 'read_only', organization: worker.organization }),
    );
    expect((await reader.post(url, { kind: 'crisis-risk' })).statusCode).toBe(403);
    const outsider = await signIn(t, await buildUser(t, { organization: worker.organization }));
    expect((await outsider.get(url)).statusCode).toBe(403);
  });

  it('raises one flag per source when a service asks twice, even after it was cleared', async () => {
    const { client, url, patient } = await setup();
    const assessmentId = newId();
    const input = {
      organizationId: patient.organizationId,
      patientId: patient.id,
      kind: 'crisis-risk' as const,
      sourceKind: 'assessment',
      sourceId: assessmentId,
    };
    const first = await t.database.db.transaction((tx) => raiseFlag(tx, input));
    expect(first.raised).toBe(true);
    await client.post(`${url}/${first.flag.id}/clear`, { note: 'Reassessed: low risk' });
    const second = await t.database.db.transaction((tx) => raiseFlag(tx, input));
    expect(second).toMatchObject({ raised: false, flag: { id: first.flag.id } });
    // The service's audit record names no person.
    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.recordId, first.flag.id), eq(auditEvents.action, 'flag.raise')));
    expect(audit).toMatchObject({ actorUserId: null, actorLabel: 'Kith' });
  });
});
