import { and, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { ALARM_EFFECTS, alarmNotificationTitle, alarmTaskTitle } from '../../../domain/assessments.ts';
import type { Alarm, Instrument } from '../../../domain/instruments/index.ts';
import { mayBeAssignedPatientTask } from '../../../domain/tasks.ts';
import { TIMELINE_KINDS } from '../../../domain/timeline.ts';
import { OPEN_CASELOAD_STATUSES } from '../../../domain/workflows/case.ts';
import type { DbOrTx } from '../../db/client.ts';
import { notify } from '../../platform/notifications/notifications.service.ts';
import { users } from '../../platform/platform.tables.ts';
import { activeSupervisors } from '../../platform/users.service.ts';
import { cases } from '../cases/cases.tables.ts';
import { raiseFlag } from '../patients/flags.service.ts';
import { createTask, type SystemActor } from '../tasks/tasks.service.ts';
import type { AssessmentRow } from './assessments.queries.ts';
import { assessmentAlarms } from './assessments.tables.ts';

/** The alarm acts on its own, not as the worker who saved the screen. */
const alarmActor = (organizationId: string): SystemActor => ({ system: 'assessment-alarm', organizationId });

/**
 * Claims the alarm once per amendment chain and code: the unique index (root_assessment_id, code) makes a
 * repeated save or an amendment find it taken. Returns the claimed row, or null when already raised.
 */
async function claimAlarm(tx: DbOrTx, row: AssessmentRow, alarm: Alarm) {
  const [claimed] = await tx
    .insert(assessmentAlarms)
    .values({
      organizationId: row.organizationId,
      patientId: row.patientId,
      rootAssessmentId: row.rootId,
      assessmentId: row.id,
      code: alarm.code,
      reason: alarm.reason,
    })
    .onConflictDoNothing({ target: [assessmentAlarms.rootAssessmentId, assessmentAlarms.code] })
    .returning();
  return claimed ?? null;
}

/** The worker holding the assessment's case, then the worker of the patient's latest open case. */
async function caseWorkers(tx: DbOrTx, row: AssessmentRow): Promise<string[]> {
  const open = await tx
    .select({ id: cases.id, assignedTo: cases.assignedTo })
    .from(cases)
    .where(
      and(
        eq(cases.patientId, row.patientId),
        inArray(cases.status, [...OPEN_CASELOAD_STATUSES]),
        isNotNull(cases.assignedTo),
      ),
    )
    .orderBy(desc(cases.assignedAt), desc(cases.requestedAt));
  const ofThisCase = open.filter((c) => c.id === row.caseId);
  return [...ofThisCase, ...open].map((c) => c.assignedTo!);
}

/** The first candidate who may be given a task about this patient (active, does tasks, may see the patient). */
async function firstAssignable(tx: DbOrTx, patientId: string, candidates: string[]): Promise<string | null> {
  const wanted = [...new Set(candidates)];
  if (!wanted.length) return null;
  const rows = await tx
    .select({
      id: users.id,
      role: users.role,
      // `users.id` written out: drizzle leaves columns unqualified in one-table queries, and a bare "id"
      // inside the subquery would be the care-team row's.
      onCareTeam: sql<boolean>`exists(select 1 from care_team_members c where c.patient_id = ${patientId} and c.user_id = users.id and c.removed_at is null)`,
    })
    .from(users)
    .where(and(inArray(users.id, wanted), eq(users.kind, 'person'), isNull(users.disabledAt)));
  const assignable = new Set(
    rows.filter((u) => mayBeAssignedPatientTask(u.role, Boolean(u.onCareTeam))).map((u) => u.id),
  );
  return wanted.find((id) => assignable.has(id)) ?? null;
}

/**
 * Who must act now: the worker assigned to the assessment's case, else to the patient's latest open case,
 * else whoever completed it (or handed the tablet over); a supervisor when none of them can take it, so
 * that an alarm never goes without an owner.
 */
async function alarmAssignee(tx: DbOrTx, row: AssessmentRow, supervisors: string[]) {
  const people = [...(await caseWorkers(tx, row)), ...(row.completedBy ? [row.completedBy] : [])];
  return (await firstAssignable(tx, row.patientId, people)) ?? supervisors[0] ?? null;
}

/**
 * Acts on each alarm of a completed screen, in the caller's transaction and exactly once per amendment chain
 * and code: a flag on the patient, an urgent task due now for the assigned worker, and a notification to
 * the supervisors.
 */
export async function raiseAlarms(tx: DbOrTx, row: AssessmentRow, instrument: Instrument): Promise<void> {
  const link = TIMELINE_KINDS.assessment.link(row.patientId, row.id);
  for (const alarm of row.alarms) {
    const claimed = await claimAlarm(tx, row, alarm);
    if (!claimed) continue;
    const { flag } = await raiseFlag(tx, {
      organizationId: row.organizationId,
      patientId: row.patientId,
      kind: ALARM_EFFECTS[alarm.code].flag,
      note: `${instrument.title}: ${alarm.reason}`,
      // The chain's root: an amendment of the same screen is the same source.
      sourceKind: 'assessment',
      sourceId: row.rootId,
    });
    const supervisors = await activeSupervisors(tx, row.organizationId);
    const assigneeId = await alarmAssignee(tx, row, supervisors);
    const task = assigneeId
      ? await createTask(tx, alarmActor(row.organizationId), {
          title: alarmTaskTitle(alarm.code),
          detail: `${instrument.title}: ${alarm.reason}`,
          assigneeId,
          dueAt: new Date(),
          priority: 'urgent',
          kind: 'alarm',
          patientId: row.patientId,
          caseId: row.caseId,
        })
      : null;
    await tx
      .update(assessmentAlarms)
      .set({ flagId: flag.id, taskId: task?.id ?? null })
      .where(eq(assessmentAlarms.id, claimed.id));
    await notify(tx, {
      organizationId: row.organizationId,
      userIds: supervisors,
      kind: 'alarm',
      title: alarmNotificationTitle(alarm.code, instrument.shortTitle),
      link,
      patientId: row.patientId,
    });
  }
}
