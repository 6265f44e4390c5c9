import { and, eq, inArray } from 'drizzle-orm';
import { generateSecret } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../platform/platform.tables.ts';
import { recordOnTimeline } from '../../platform/timeline/timeline.service.ts';
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
import { cases } from '../cases/cases.tables.ts';
import { encounters } from '../encounters/encounters.tables.ts';
import { insertAssessment } from '../needs/needs.fixtures.ts';
import { linkToNeed, recordNeedsFound } from '../needs/needs.service.ts';
import { needFindings, needLinks, needs } from '../needs/needs.tables.ts';
import { tasks } from '../tasks/tasks.tables.ts';
import { careTeamMembers, patientContacts, patientMerges, patients } from './patients.tables.ts';

let t: TestContext;
let org: Awaited<ReturnType<typeof buildOrganization>>;
let admin: Client;
let adminId: string;

beforeAll(async () => {
  t = await startTestApp();
  org = await buildOrganization(t);
  const user = await buildUser(t, { role: 'admin', organization: org, totpSecret: generateSecret() });
  adminId = user.id;
  admin = await signIn(t, user);
});
afterAll(() => t.close());

/** Two records of one person, each with its own history, and two workers: one on both teams, one on the duplicate's. */
async function twoRecords() {
  const both = await buildUser(t, { organization: org });
  const onlyDuplicate = await buildUser(t, { organization: org });
  const survivor = await buildPatient(t, { organization: org, careTeam: [both] });
  const duplicate = await buildPatient(t, { organization: org, careTeam: [both, onlyDuplicate] });
  const db = t.database.db;
  const base = { organizationId: org.id, patientId: duplicate.id };
  const [aCase] = await db
    .insert(cases)
    .values({
      ...base,
      status: 'new',
      source: 'consult',
      urgency: 'routine',
      reasonCode: 'discharge-planning',
      requestedAt: new Date(),
      firstContactDueAt: new Date(),
    })
    .returning();
  const [task] = await db
    .insert(tasks)
    .values({ ...base, title: 'Call the daughter', assigneeId: onlyDuplicate.id })
    .returning();
  const [contact] = await db
    .insert(patientContacts)
    .values({ ...base, name: 'Ana Smith', relationship: 'child' })
    .returning();
  const [visit] = await db
    .insert(encounters)
    .values({ ...base, encounterClass: 'inpatient', status: 'in-progress', admittedAt: new Date() })
    .returning();
  await recordOnTimeline(db, { ...base, kind: 'patient', summary: 'Registered' });
  const [entry] = await db.select().from(timelineEvents).where(eq(timelineEvents.patientId, duplicate.id));
  return { survivor, duplicate, both, onlyDuplicate, ids: { aCase, task, contact, visit, entry } };
}

const patientOf = async (
  table: typeof cases | typeof tasks | typeof patientContacts | typeof encounters | typeof timelineEvents,
  id: string,
) => {
  const [row] = await t.database.db
    .select({ patientId: table.patientId })
    .from(table)
    .where(eq(table.id, id));
  return row!.patientId;
};

describe('merging two records of one person', () => {
  it('moves every linked record to the survivor, retires the duplicate and audits it once; undo moves exactly those back', async () => {
    const { survivor, duplicate, both, onlyDuplicate, ids } = await twoRecords();

    // The admin looks at both records side by side before merging.
    const preview = await admin.get(
      `/api/admin/patient-merges/preview?survivorMrn=${survivor.mrn}&mergedMrn=${duplicate.mrn}`,
    );
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toMatchObject({
      survivor: { id: survivor.id },
      merged: { id: duplicate.id },
      linked: {
        cases: 1,
        tasks: 1,
        patient_contacts: 1,
        encounters: 1,
        timeline_events: 1,
        care_team_members: 2,
      },
    });

    const res = await admin.post('/api/admin/patient-merges', {
      survivorId: survivor.id,
      mergedId: duplicate.id,
      reason: 'Registered twice in the emergency department',
    });
    expect(res.statusCode).toBe(201);
    const merge = res.json();
    expect(merge).toMatchObject({
      survivor: { id: survivor.id },
      merged: { id: duplicate.id },
      undoable: true,
      moved: {
        cases: 1,
        tasks: 1,
        patient_contacts: 1,
        encounters: 1,
        timeline_events: 1,
        care_team_members: 2,
        'care_team_members:ended-as-duplicate': 1,
      },
    });
    for (const [table, row] of [
      [cases, ids.aCase],
      [tasks, ids.task],
      [patientContacts, ids.contact],
      [encounters, ids.visit],
      [timelineEvents, ids.entry],
    ] as const) {
      expect(await patientOf(table, row!.id)).toBe(survivor.id);
    }
    // The worker on both teams is on the survivor's once; the other one followed the records.
    const team = await t.database.db
      .select()
      .from(careTeamMembers)
      .where(
        and(
          eq(careTeamMembers.patientId, survivor.id),
          inArray(careTeamMembers.userId, [both.id, onlyDuplicate.id]),
        ),
      );
    expect(
      team
        .filter((m) => !m.removedAt)
        .map((m) => m.userId)
        .sort(),
    ).toEqual([both.id, onlyDuplicate.id].sort());

    const [retired] = await t.database.db.select().from(patients).where(eq(patients.id, duplicate.id));
    expect(retired).toMatchObject({ retiredReason: 'merged', mergedIntoId: survivor.id });
    expect((await admin.get(`/api/patients/${duplicate.id}`)).statusCode).toBe(404);
    const audits = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.recordId, merge.id), eq(auditEvents.action, 'patient.merge')));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorUserId: adminId, patientId: survivor.id });

    // A task added to the survivor after the merge stays with it when the merge is undone.
    const [later] = await t.database.db
      .insert(tasks)
      .values({ organizationId: org.id, patientId: survivor.id, title: 'Follow up', assigneeId: both.id })
      .returning();
    // A task added since to the moved case, and its timeline entry, belong with that case: they go back with it.
    const [ofMovedCase] = await t.database.db
      .insert(tasks)
      .values({
        organizationId: org.id,
        patientId: survivor.id,
        caseId: ids.aCase!.id,
        title: 'Book the family meeting',
        assigneeId: both.id,
      })
      .returning();
    await recordOnTimeline(t.database.db, {
      organizationId: org.id,
      patientId: survivor.id,
      kind: 'task',
      summary: 'Task added',
      recordId: ofMovedCase!.id,
    });

    const undo = await admin.post(`/api/admin/patient-merges/${merge.id}/undo`, {
      reason: 'Two different people after all (twins)',
    });
    expect(undo.statusCode).toBe(200);
    expect(undo.json()).toMatchObject({
      undoable: false,
      undoReason: 'Two different people after all (twins)',
    });
    for (const [table, row] of [
      [cases, ids.aCase],
      [tasks, ids.task],
      [patientContacts, ids.contact],
      [encounters, ids.visit],
      [timelineEvents, ids.entry],
    ] as const) {
      expect(await patientOf(table, row!.id)).toBe(duplicate.id);
    }
    expect(await patientOf(tasks, later!.id)).toBe(survivor.id);
    expect(await patientOf(tasks, ofMovedCase!.id)).toBe(duplicate.id);
    const [taskEntry] = await t.database.db
      .select()
      .from(timelineEvents)
      .where(eq(timelineEvents.recordId, ofMovedCase!.id));
    expect(taskEntry!.patientId).toBe(duplicate.id);
    const restoredTeam = await t.database.db
      .select()
      .from(careTeamMembers)
      .where(and(eq(careTeamMembers.patientId, duplicate.id)));
    expect(
      restoredTeam
        .filter((m) => !m.removedAt)
        .map((m) => m.userId)
        .sort(),
    ).toEqual([both.id, onlyDuplicate.id].sort());
    expect((await admin.get(`/api/patients/${duplicate.id}`)).statusCode).toBe(200);
    expect(
      (await admin.post(`/api/admin/patient-merges/${merge.id}/undo`, { reason: 'Once more, to be sure' }))
        .statusCode,
    ).toBe(409);
  });

  it('lists recent merges, newest first', async () => {
    const { survivor, duplicate } = await twoRecords();
    await admin.post('/api/admin/patient-merges', {
      survivorId: survivor.id,
      mergedId: duplicate.id,
      reason: 'Registered twice in the clinic',
    });
    const list = await admin.get('/api/admin/patient-merges?pageSize=5');
    expect(list.json()).toMatchObject({ page: 1, pageSize: 5 });
    expect(list.json().items[0]).toMatchObject({
      merged: { id: duplicate.id },
      reason: 'Registered twice in the clinic',
      mergedByName: 'Test admin',
      undoable: true,
    });
  });

  it('refuses an undo after 30 days (409), leaving the records merged', async () => {
    const { survivor, duplicate, ids } = await twoRecords();
    const merge = (
      await admin.post('/api/admin/patient-merges', {
        survivorId: survivor.id,
        mergedId: duplicate.id,
        reason: 'Registered twice by the ADT feed',
      })
    ).json();
    await t.database.db
      .update(patientMerges)
      .set({ undoableUntil: new Date(Date.now() - 1000) })
      .where(eq(patientMerges.id, merge.id));
    const res = await admin.post(`/api/admin/patient-merges/${merge.id}/undo`, {
      reason: 'Too late to change',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().type).toBe('urn:kith:problem:undo-window-closed');
    expect(await patientOf(tasks, ids.task!.id)).toBe(survivor.id);
  });

  it('refuses a merge to anyone but an admin (403), a record of another organisation (404), a record with itself (422)', async () => {
    const { survivor, duplicate } = await twoRecords();
    const supervisor = await signIn(t, await buildUser(t, { role: 'supervisor', organization: org }));
    const body = { survivorId: survivor.id, mergedId: duplicate.id, reason: 'Registered twice, same person' };
    expect((await supervisor.post('/api/admin/patient-merges', body)).statusCode).toBe(403);
    expect((await supervisor.get('/api/admin/patient-merges')).statusCode).toBe(403);
    const elsewhere = await buildPatient(t, { organization: await buildOrganization(t) });
    expect(
      (await admin.post('/api/admin/patient-merges', { ...body, mergedId: elsewhere.id })).statusCode,
    ).toBe(404);
    const self = await admin.post('/api/admin/patient-merges', { ...body, mergedId: survivor.id });
    expect(self.statusCode).toBe(422);
    expect(self.json().errors).toEqual([{ field: 'mergedId', message: 'must be another record' }]);
    expect(
      (
        await admin.post('/api/admin/patient-merges/00000000-0000-7000-8000-000000000000/undo', {
          reason: 'No such merge here',
        })
      ).statusCode,
    ).toBe(404);
  });

  it('joins an open need of a domain open on both records into the survivor’s, and undo separates them again', async () => {
    const { survivor, duplicate, both } = await twoRecords();
    const found = async (
      patient: typeof survivor,
      domains: ('food-insecurity' | 'housing-instability')[],
    ) => {
      const screen = await insertAssessment(t, patient, both);
      const [first] = await t.database.db.transaction((tx) =>
        recordNeedsFound(tx, {
          organizationId: org.id,
          patientId: patient.id,
          assessmentId: screen.id,
          domains,
          foundAt: new Date(),
          actorId: both.id,
        }),
      );
      return { screen, need: first! };
    };
    // Food insecurity is open on both records; the duplicate's has a referral. Housing only on the duplicate.
    const kept = await found(survivor, ['food-insecurity']);
    const dup = await found(duplicate, ['food-insecurity', 'housing-instability']);
    const referralId = '00000000-0000-7000-8000-0000000000dd';
    await t.database.db.transaction((tx) =>
      linkToNeed(tx, {
        organizationId: org.id,
        needId: dup.need.id,
        kind: 'referral',
        targetId: referralId,
        actorId: both.id,
      }),
    );

    const lastFound = async (needId: string) =>
      (await t.database.db.select().from(needs).where(eq(needs.id, needId)))[0]!.lastFoundAt.getTime();
    const keptLastFound = await lastFound(kept.need.id);

    const res = await admin.post('/api/admin/patient-merges', {
      survivorId: survivor.id,
      mergedId: duplicate.id,
      reason: 'Registered twice in the emergency department',
    });
    expect(res.statusCode).toBe(201);
    expect(await lastFound(kept.need.id)).toBe(await lastFound(dup.need.id));
    expect(res.json().moved).toMatchObject({
      needs: 2,
      'needs:joined': 1,
      'need_findings:joined': 1,
      'need_links:joined': 1,
    });
    const list = await admin.get(`/api/patients/${survivor.id}/needs`);
    expect(list.statusCode).toBe(200);
    const items = list.json().items as {
      id: string;
      domain: string;
      status: string;
      findings: unknown[];
      links: unknown[];
      history: { action: string }[];
    }[];
    const food = items.find((n) => n.id === kept.need.id)!;
    // One open food need, with both screens and the referral: it is being addressed now.
    expect(food).toMatchObject({
      status: 'being-addressed',
      links: [{ kind: 'referral', targetId: referralId }],
    });
    expect(food.findings).toHaveLength(2);
    const joined = items.find((n) => n.id === dup.need.id)!;
    expect(joined).toMatchObject({ status: 'resolved', findings: [], links: [] });
    expect(joined.history.at(-1)).toMatchObject({
      action: 'merge',
      fromStatus: 'being-addressed',
      toStatus: 'resolved',
    });
    expect(
      items
        .filter((n) => n.status !== 'resolved')
        .map((n) => n.domain)
        .sort(),
    ).toEqual(['food-insecurity', 'housing-instability']);

    const undo = await admin.post(`/api/admin/patient-merges/${res.json().id}/undo`, {
      reason: 'Two different people after all',
    });
    expect(undo.statusCode).toBe(200);
    const [restored] = await t.database.db.select().from(needs).where(eq(needs.id, dup.need.id));
    expect(restored).toMatchObject({ patientId: duplicate.id, status: 'being-addressed' });
    const findingsOf = async (needId: string) =>
      (await t.database.db.select().from(needFindings).where(eq(needFindings.needId, needId))).map(
        (f) => f.assessmentId,
      );
    expect(await findingsOf(dup.need.id)).toEqual([dup.screen.id]);
    expect(await findingsOf(kept.need.id)).toEqual([kept.screen.id]);
    const [link] = await t.database.db.select().from(needLinks).where(eq(needLinks.targetId, referralId));
    expect(link!.needId).toBe(dup.need.id);
    const [survivorNeed] = await t.database.db.select().from(needs).where(eq(needs.id, kept.need.id));
    expect(survivorNeed!.patientId).toBe(survivor.id);
    expect(survivorNeed!.lastFoundAt.getTime()).toBe(keptLastFound);
  });
});
