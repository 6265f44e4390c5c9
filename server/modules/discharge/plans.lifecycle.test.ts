import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPatient, buildUser, startTestApp, type TestContext } from '../../test/harness.ts';
import { encounters } from '../encounters/encounters.tables.ts';
import { tasks } from '../tasks/tasks.tables.ts';
import { dischargePlans } from './discharge.tables.ts';
import { cancelPlan, closePlanOnDischarge, ensurePlan } from './plans.lifecycle.ts';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const HOUR = 3_600_000;

/** A stay as the ADT feed leaves it, and the feed as the recorder. */
async function stay(opts: { careTeam: boolean; encounterClass?: string }) {
  const worker = await buildUser(t);
  const patient = await buildPatient(t, {
    organization: worker.organization,
    careTeam: opts.careTeam ? [worker] : [],
  });
  const [encounter] = await t.database.db
    .insert(encounters)
    .values({
      organizationId: worker.organization.id,
      patientId: patient.id,
      encounterClass: opts.encounterClass ?? 'inpatient',
      status: 'in-progress',
      admittedAt: new Date(Date.now() - 72 * HOUR),
      source: 'adt',
    })
    .returning();
  const by = { system: 'adt' as const, organizationId: worker.organization.id };
  return { worker, patient, encounter: encounter!, by };
}

const discharge = async (id: string, disposition: string) => {
  const [row] = await t.database.db
    .update(encounters)
    .set({ dischargedAt: new Date(Date.now() - HOUR), dischargeDisposition: disposition, status: 'finished' })
    .where(eq(encounters.id, id))
    .returning();
  return row!;
};

const planOf = async (encounterId: string) =>
  (await t.database.db.select().from(dischargePlans).where(eq(dischargePlans.encounterId, encounterId)))[0];

describe('the plan lifecycle driven by the feed', () => {
  it('opens once per inpatient stay, and not for other visits', async () => {
    const { encounter, by } = await stay({ careTeam: true });
    await t.database.db.transaction((tx) => ensurePlan(tx, encounter, by));
    await t.database.db.transaction((tx) => ensurePlan(tx, encounter, by));
    const plans = await t.database.db
      .select()
      .from(dischargePlans)
      .where(eq(dischargePlans.encounterId, encounter.id));
    expect(plans).toHaveLength(1);
    expect(plans[0]).toMatchObject({ status: 'open', createdBy: null });

    const clinic = await stay({ careTeam: true, encounterClass: 'outpatient' });
    await t.database.db.transaction((tx) => ensurePlan(tx, clinic.encounter, clinic.by));
    expect(await planOf(clinic.encounter.id)).toBeUndefined();
  });

  it('gives the follow-up call to the primary worker, due 48 hours after discharge', async () => {
    const { encounter, by, worker, patient } = await stay({ careTeam: true });
    await t.database.db.transaction((tx) => ensurePlan(tx, encounter, by));
    const row = await discharge(encounter.id, 'home');
    await t.database.db.transaction((tx) => closePlanOnDischarge(tx, row, by));
    const plan = await planOf(encounter.id);
    expect(plan).toMatchObject({ status: 'closed', actualDisposition: 'home' });
    const [task] = await t.database.db
      .select()
      .from(tasks)
      .where(and(eq(tasks.patientId, patient.id), eq(tasks.kind, 'follow-up-call')));
    expect(task).toMatchObject({ id: plan!.followUpTaskId, assigneeId: worker.id, status: 'open' });
    expect(task!.dueAt!.getTime()).toBe(row.dischargedAt!.getTime() + 48 * HOUR);
  });

  it('makes no call task after a death, nor without anyone to call, and opens a plan it never saw', async () => {
    const died = await stay({ careTeam: true });
    const row = await discharge(died.encounter.id, 'expired');
    // No plan yet (a stay from before the feed): closing makes and closes one.
    await t.database.db.transaction((tx) => closePlanOnDischarge(tx, row, died.by));
    expect(await planOf(died.encounter.id)).toMatchObject({ status: 'closed', followUpTaskId: null });

    const alone = await stay({ careTeam: false });
    await t.database.db.transaction((tx) => ensurePlan(tx, alone.encounter, alone.by));
    const home = await discharge(alone.encounter.id, 'home');
    await t.database.db.transaction((tx) => closePlanOnDischarge(tx, home, alone.by));
    expect(await planOf(alone.encounter.id)).toMatchObject({ status: 'closed', followUpTaskId: null });
  });

  it('cancels the plan and its open follow-up call with the admission', async () => {
    const { encounter, by, patient } = await stay({ careTeam: true });
    await t.database.db.transaction((tx) => ensurePlan(tx, encounter, by));
    const row = await discharge(encounter.id, 'snf');
    await t.database.db.transaction((tx) => closePlanOnDischarge(tx, row, by));
    await t.database.db.transaction((tx) => cancelPlan(tx, row, by));
    expect(await planOf(encounter.id)).toMatchObject({ status: 'cancelled' });
    const [task] = await t.database.db.select().from(tasks).where(eq(tasks.patientId, patient.id));
    expect(task!.status).toBe('cancelled');
    // Admitted again (the cancellation undone): the same plan opens again.
    await t.database.db.transaction((tx) => ensurePlan(tx, { ...encounter, dischargedAt: null }, by));
    expect(await planOf(encounter.id)).toMatchObject({
      status: 'open',
      actualDisposition: null,
      closedAt: null,
    });
  });
});
