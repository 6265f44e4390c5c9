import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organizations, users } from '../../platform/platform.tables.ts';
import { buildUser, signIn, startTestApp, type TestContext } from '../../test/harness.ts';
import { tasks } from '../tasks/tasks.tables.ts';
import { addPartnerMember, insertReferral, referralScene } from './referrals.fixtures.ts';
import { followUpStalledReferrals, referralJobs } from './referrals.followup.ts';
import { referrals } from './referrals.tables.ts';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(Date.now() - d * DAY);

const stallTasksOf = (patientId: string) =>
  t.database.db
    .select()
    .from(tasks)
    .where(and(eq(tasks.patientId, patientId), eq(tasks.kind, 'stalled-referral')));

describe('the stalled referral follow-up', () => {
  it('gives the worker one task for a referral unmoved past the stall days, and closes it when it moves', async () => {
    const scene = await referralScene(t);
    const partnerUser = await buildUser(t, { organization: scene.organization, role: 'community_partner' });
    await addPartnerMember(t, scene.organization, partnerUser.id, scene.pantry.id);
    const stalled = await insertReferral(t, {
      patient: scene.patient,
      needId: scene.need.id,
      service: scene.service,
      requestedBy: scene.user.id,
      status: 'requested',
      statusChangedAt: daysAgo(9),
    });
    const recent = await insertReferral(t, {
      patient: scene.patient,
      needId: scene.need.id,
      service: scene.service,
      requestedBy: scene.user.id,
      status: 'accepted',
      statusChangedAt: daysAgo(6),
    });
    await insertReferral(t, {
      patient: scene.patient,
      needId: scene.need.id,
      service: scene.service,
      requestedBy: scene.user.id,
      status: 'completed',
      statusChangedAt: daysAgo(60),
    });

    expect(await followUpStalledReferrals(t.database.db)).toMatchObject({ tasks: 1 });
    const [task] = await stallTasksOf(scene.patient.id);
    expect(task).toMatchObject({
      assigneeId: scene.user.id,
      status: 'open',
      title: `Referral to ${scene.pantry.name} has not moved for 9 days`,
      dueAt: expect.any(Date),
    });
    const [row] = await t.database.db.select().from(referrals).where(eq(referrals.id, stalled.id));
    expect(row!.stalledTaskId).toBe(task!.id);

    // The next hour finds nothing new to do.
    expect(await followUpStalledReferrals(t.database.db)).toMatchObject({ tasks: 0 });
    expect(await stallTasksOf(scene.patient.id)).toHaveLength(1);

    // The organisation opens it: the referral moves, the task closes by itself.
    const partner = await signIn(t, partnerUser);
    expect((await partner.get(`/api/partner/referrals/${stalled.id}`)).json()).toMatchObject({
      status: 'received',
    });
    const [closed] = await stallTasksOf(scene.patient.id);
    expect(closed).toMatchObject({ id: task!.id, status: 'done' });
    const [moved] = await t.database.db.select().from(referrals).where(eq(referrals.id, stalled.id));
    expect(moved!.stalledTaskId).toBeNull();
    const [untouched] = await t.database.db.select().from(referrals).where(eq(referrals.id, recent.id));
    expect(untouched!.stalledTaskId).toBeNull();
  });

  it('follows the department’s stall days, and waits as long again after the worker closes the task', async () => {
    const scene = await referralScene(t);
    await t.database.db
      .update(organizations)
      .set({ referralStallDays: 3 })
      .where(eq(organizations.id, scene.organization.id));
    await insertReferral(t, {
      patient: scene.patient,
      needId: scene.need.id,
      service: scene.service,
      requestedBy: scene.user.id,
      status: 'on-hold',
      statusChangedAt: daysAgo(4),
    });
    await followUpStalledReferrals(t.database.db);
    expect(await stallTasksOf(scene.patient.id)).toHaveLength(1);

    // The worker called and closed the task; the referral still sits.
    const [task] = await stallTasksOf(scene.patient.id);
    const done = await scene.worker.post(`/api/tasks/${task!.id}/complete`, { version: task!.version });
    expect(done.statusCode, done.body).toBe(200);
    await followUpStalledReferrals(t.database.db);
    expect(await stallTasksOf(scene.patient.id)).toHaveLength(1);
    // Three days after the task was closed, another one.
    // (Other tests' referrals may stall by then too: count this patient's.)
    await followUpStalledReferrals(t.database.db, new Date(Date.now() + 3.1 * DAY));
    expect(await stallTasksOf(scene.patient.id)).toHaveLength(2);
  });

  it('skips a worker who can no longer take the task, without failing the others', async () => {
    const scene = await referralScene(t);
    const other = await referralScene(t, { organization: scene.organization });
    for (const s of [scene, other]) {
      await insertReferral(t, {
        patient: s.patient,
        needId: s.need.id,
        service: s.service,
        requestedBy: s.user.id,
        status: 'requested',
        statusChangedAt: daysAgo(20),
      });
    }
    await t.database.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, scene.user.id));
    const { tasks: made } = await followUpStalledReferrals(t.database.db);
    expect(made).toBeGreaterThanOrEqual(1);
    expect(await stallTasksOf(scene.patient.id)).toHaveLength(0);
    expect(await stallTasksOf(other.patient.id)).toHaveLength(1);
  });

  it('runs every hour as a singleton job', () => {
    expect(referralJobs).toEqual([
      expect.objectContaining({ name: 'referrals.follow-up', cron: '17 * * * *', policy: 'singleton' }),
    ]);
  });
});
