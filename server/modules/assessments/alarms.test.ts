import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications } from '../../platform/notifications/notifications.tables.ts';
import { buildCase } from '../../test/casework-factories.ts';
import { buildUser, startTestApp, type TestContext } from '../../test/harness.ts';
import { patientFlags } from '../patients/patients.tables.ts';
import { tasks } from '../tasks/tasks.tables.ts';
import {
  AHC_SAFETY_POSITIVE,
  CSSRS_HIGH,
  department,
  giveScreen,
  HITS_HURT_RARELY,
  HITS_NEGATIVE,
  HITS_OVER_10,
  PHQ9_MODERATE_WITH_ITEM9,
  phq9,
  questionnaireResponse,
} from './assessments.fixtures.ts';
import { assessmentAlarms } from './assessments.tables.ts';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** A department whose patient has an active case held by `caseWorker`, not the worker giving the screen. */
async function patientWithCase() {
  const dept = await department(t);
  const caseWorker = await buildUser(t, { organization: dept.org });
  const { case: held } = await buildCase(t, { patient: dept.patient, status: 'active', worker: caseWorker });
  return { ...dept, caseWorker, held };
}

/** What the alarms of a patient left behind: flags, tasks and alarm notifications. */
async function alarmTrail(patientId: string) {
  const db = t.database.db;
  return {
    flags: await db.select().from(patientFlags).where(eq(patientFlags.patientId, patientId)),
    tasks: await db
      .select()
      .from(tasks)
      .where(and(eq(tasks.patientId, patientId), eq(tasks.kind, 'alarm'))),
    notices: await db
      .select()
      .from(notifications)
      .where(and(eq(notifications.patientId, patientId), eq(notifications.kind, 'alarm'))),
    alarms: await db.select().from(assessmentAlarms).where(eq(assessmentAlarms.patientId, patientId)),
  };
}

const RULES = [
  ['PHQ-9 item 9 above 0', 'phq-9', PHQ9_MODERATE_WITH_ITEM9, 'suicide-risk', 'crisis-risk'],
  ['C-SSRS high risk', 'cssrs-screener', CSSRS_HIGH, 'suicide-risk', 'crisis-risk'],
  ['HITS total above 10', 'hits', HITS_OVER_10, 'safety-review', 'safety-concern'],
  ['HITS "physically hurt" rarely', 'hits', HITS_HURT_RARELY, 'safety-review', 'safety-concern'],
  ['AHC interpersonal safety positive', 'ahc-hrsn', AHC_SAFETY_POSITIVE, 'safety-review', 'safety-concern'],
] as const;

describe('alarms', () => {
  for (const [rule, instrument, answers, code, flagKind] of RULES) {
    it(`${rule}: one flag, one urgent task due now for the case's worker, one supervisor notification`, async () => {
      const { patient, client, caseWorker, supervisor, held } = await patientWithCase();
      const before = Date.now();
      const screen = await giveScreen(client, patient.id, instrument, answers);
      expect(screen.result.alarms.map((a: { code: string }) => a.code)).toEqual([code]);

      const trail = await alarmTrail(patient.id);
      expect(trail.flags).toMatchObject([{ kind: flagKind, sourceKind: 'assessment', sourceId: screen.id }]);
      expect(trail.tasks).toMatchObject([
        { assigneeId: caseWorker.id, priority: 'urgent', status: 'open', caseId: null },
      ]);
      const dueAt = trail.tasks[0]!.dueAt!.getTime();
      expect(dueAt).toBeGreaterThanOrEqual(before - 1000);
      expect(dueAt).toBeLessThanOrEqual(Date.now());
      expect(trail.notices).toMatchObject([
        { userId: supervisor.id, link: `/patients/${patient.id}/assessments/${screen.id}` },
      ]);
      // Titles may travel by email: never the patient's name.
      for (const text of [trail.notices[0]!.title, trail.tasks[0]!.title]) {
        expect(text).not.toMatch(new RegExp(`${patient.familyName}|${patient.givenName}|${patient.mrn}`));
      }
      expect(trail.alarms).toMatchObject([
        { code, rootAssessmentId: screen.id, flagId: trail.flags[0]!.id, taskId: trail.tasks[0]!.id },
      ]);
      expect(held.patientId).toBe(patient.id);

      // Completing again is refused, and amending with the same answers raises nothing new.
      const again = await client.post(`/api/assessments/${screen.id}/complete`, {
        version: screen.version,
        response: questionnaireResponse(instrument, answers),
      });
      expect(again.statusCode).toBe(409);
      const amended = await client.post(`/api/assessments/${screen.id}/amend`, {
        version: screen.version,
        reason: 'Re-entered to check',
        response: questionnaireResponse(instrument, answers),
      });
      expect(amended.statusCode, amended.body).toBe(201);
      const after = await alarmTrail(patient.id);
      expect([after.flags.length, after.tasks.length, after.notices.length, after.alarms.length]).toEqual([
        1, 1, 1, 1,
      ]);
    });
  }

  it('raises nothing for a negative screen', async () => {
    const { patient, client } = await patientWithCase();
    await giveScreen(client, patient.id, 'hits', HITS_NEGATIVE);
    const trail = await alarmTrail(patient.id);
    expect([trail.flags, trail.tasks, trail.notices, trail.alarms]).toEqual([[], [], [], []]);
  });

  it('raises an alarm first found by an amendment, once, under the original chain', async () => {
    const { patient, client } = await patientWithCase();
    const original = await giveScreen(client, patient.id, 'phq-9', phq9());
    expect((await alarmTrail(patient.id)).alarms).toEqual([]);
    const res = await client.post(`/api/assessments/${original.id}/amend`, {
      version: original.version,
      reason: 'Item 9 was missed: several days',
      response: questionnaireResponse('phq-9', PHQ9_MODERATE_WITH_ITEM9),
    });
    const amendment = res.json();
    const trail = await alarmTrail(patient.id);
    expect(trail.alarms).toMatchObject([{ rootAssessmentId: original.id, assessmentId: amendment.id }]);
    expect(trail.flags).toMatchObject([{ sourceId: original.id }]);
    expect(trail.tasks).toHaveLength(1);
  });

  it("gives the task to the worker of the assessment's own case first", async () => {
    const { org, patient, client } = await patientWithCase();
    const otherWorker = await buildUser(t, { organization: org });
    const { case: own } = await buildCase(t, { patient, status: 'assigned', worker: otherWorker });
    await giveScreen(client, patient.id, 'hits', HITS_OVER_10, { caseId: own.id });
    const trail = await alarmTrail(patient.id);
    expect(trail.tasks).toMatchObject([{ assigneeId: otherWorker.id, caseId: own.id }]);
  });

  it('gives the task to the worker who completed the screen when the patient has no open case', async () => {
    const { patient, client, worker } = await department(t);
    await giveScreen(client, patient.id, 'cssrs-screener', CSSRS_HIGH);
    const trail = await alarmTrail(patient.id);
    expect(trail.tasks).toMatchObject([{ assigneeId: worker.id }]);
  });

  it('offers the C-SSRS screener next after a PHQ-9 with item 9 above 0, and not otherwise', async () => {
    const { patient, client } = await department(t);
    const flagged = await giveScreen(client, patient.id, 'phq-9', PHQ9_MODERATE_WITH_ITEM9);
    expect(flagged.suggestNext).toBe('cssrs-screener');
    const calm = await giveScreen(client, patient.id, 'phq-9', phq9({ '44250-9': 'LA6571-9' }));
    expect(calm.suggestNext).toBeNull();
  });
});
