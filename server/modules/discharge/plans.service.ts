import { and, asc, desc, eq, gte, inArray, isNull, lt, ne, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import {
  BARRIERS,
  type BarrierCode,
  countAvoidableDays,
  type LaceInputs,
  laceForStay,
  lengthOfStayDays,
} from '../../../domain/discharge.ts';
import type { DischargePlan, PlanUpdateRequest } from '../../../domain/schemas/discharge.ts';
import type { Db, DbOrTx, Tx } from '../../db/client.ts';
import type { PatientAccess } from '../../platform/access.ts';
import { patientAbilities } from '../../platform/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { type AuditEntry, appendAudit } from '../../platform/audit/audit.service.ts';
import { conflict, invalid, notFound, staleVersion } from '../../platform/errors.ts';
import { zoneOf } from '../../platform/organizations.ts';
import { users } from '../../platform/platform.tables.ts';
import { recordOnTimeline } from '../../platform/timeline/timeline.service.ts';
import { lockEncounter, updateEncounterIn } from '../encounters/encounters.service.ts';
import { encounters } from '../encounters/encounters.tables.ts';
import { createTask } from '../tasks/tasks.service.ts';
import { tasks } from '../tasks/tasks.tables.ts';
import {
  dischargeBarriers,
  dischargeChoiceLists,
  dischargeFollowUpCalls,
  dischargePlans,
} from './discharge.tables.ts';
import { DISCHARGE_WRITERS } from './plans.policy.ts';

export type PlanRow = typeof dischargePlans.$inferSelect;
export type EncounterRow = typeof encounters.$inferSelect;

/** Kinds of task shown on the plan: the ones made from it and the follow-up call. */
export const PLAN_TASK_KINDS = ['discharge', 'follow-up-call'] as const;

/** A plan of the actor's organisation, or 404 (the caller then checks access to its patient). */
export async function loadPlan(db: DbOrTx, organizationId: string, planId: string): Promise<PlanRow> {
  const [plan] = await db
    .select()
    .from(dischargePlans)
    .where(and(eq(dischargePlans.id, planId), eq(dischargePlans.organizationId, organizationId)));
  if (!plan) throw notFound('discharge plan');
  return plan;
}

const SIX_MONTHS_DAYS = 183;
/** An emergency visit that began within this long before the admission is the one that led to it. */
const LEADING_VISIT_MS = 24 * 3_600_000;

/**
 * Emergency department visits in the record in the 6 months before the admission, not counting the visit
 * that led to it (an emergency encounter that began within 24 hours before the admission).
 */
export async function edVisitsBefore(db: DbOrTx, patientId: string, admittedAt: Date): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(encounters)
    .where(
      and(
        eq(encounters.patientId, patientId),
        eq(encounters.encounterClass, 'emergency'),
        ne(encounters.status, 'cancelled'),
        gte(encounters.admittedAt, new Date(admittedAt.getTime() - SIX_MONTHS_DAYS * 86_400_000)),
        lt(encounters.admittedAt, new Date(admittedAt.getTime() - LEADING_VISIT_MS)),
      ),
    );
  return row?.n ?? 0;
}

const recorder = alias(users, 'recorder');
const assignee = alias(users, 'assignee');

/** Everything the Discharge tab shows of one plan. */
export async function presentPlan(
  db: DbOrTx,
  actor: Actor,
  access: PatientAccess,
  plan: PlanRow,
  now = new Date(),
): Promise<DischargePlan> {
  const [encounter] = await db.select().from(encounters).where(eq(encounters.id, plan.encounterId));
  if (!encounter) throw notFound('encounter');
  const zone = await zoneOf(db, plan.organizationId);
  const [barrierRows, edVisits, calls, planTasks, lists] = await Promise.all([
    db
      .select({
        barrier: dischargeBarriers,
        recordedBy: { id: recorder.id, displayName: recorder.displayName },
      })
      .from(dischargeBarriers)
      .leftJoin(recorder, eq(recorder.id, dischargeBarriers.recordedBy))
      .where(and(eq(dischargeBarriers.planId, plan.id), isNull(dischargeBarriers.retiredAt)))
      .orderBy(asc(dischargeBarriers.startedAt), asc(dischargeBarriers.id)),
    edVisitsBefore(db, plan.patientId, encounter.admittedAt),
    db
      .select({ call: dischargeFollowUpCalls, calledBy: { id: users.id, displayName: users.displayName } })
      .from(dischargeFollowUpCalls)
      .innerJoin(users, eq(users.id, dischargeFollowUpCalls.calledBy))
      .where(eq(dischargeFollowUpCalls.planId, plan.id))
      .orderBy(desc(dischargeFollowUpCalls.calledAt)),
    db
      .select({ task: tasks, assignee: { id: assignee.id, displayName: assignee.displayName } })
      .from(tasks)
      .innerJoin(assignee, eq(assignee.id, tasks.assigneeId))
      .where(
        and(
          eq(tasks.patientId, plan.patientId),
          inArray(tasks.kind, [...PLAN_TASK_KINDS]),
          gte(tasks.createdAt, plan.createdAt),
        ),
      )
      .orderBy(asc(tasks.dueAt), asc(tasks.createdAt)),
    db
      .select({
        id: dischargeChoiceLists.id,
        kind: dischargeChoiceLists.kind,
        createdAt: dischargeChoiceLists.createdAt,
        confirmedAt: dischargeChoiceLists.confirmedAt,
      })
      .from(dischargeChoiceLists)
      .where(eq(dischargeChoiceLists.planId, plan.id))
      .orderBy(asc(dischargeChoiceLists.createdAt)),
  ]);
  const until = encounter.dischargedAt ?? now;
  const days = countAvoidableDays(
    barrierRows.map(({ barrier }) => ({
      code: barrier.code,
      startedAt: barrier.startedAt,
      endedAt: barrier.endedAt,
    })),
    { zone, until, admittedAt: encounter.admittedAt },
  );
  const lace = laceForStay(
    {
      admittedAt: encounter.admittedAt,
      dischargedAt: encounter.dischargedAt,
      now,
      zone,
      admissionType: encounter.admissionType,
      admitSource: encounter.admitSource,
      edVisitsInRecord: edVisits,
    },
    plan.laceInputs as LaceInputs,
  );
  const presentTask = ({ task, assignee: a }: (typeof planTasks)[number]) => ({
    id: task.id,
    title: task.title,
    kind: task.kind,
    status: task.status,
    dueAt: task.dueAt?.toISOString() ?? null,
    assignee: a,
  });
  const followUp = planTasks.find((t) => t.task.id === plan.followUpTaskId);
  return {
    id: plan.id,
    patientId: plan.patientId,
    status: plan.status as DischargePlan['status'],
    targetDisposition: plan.targetDisposition,
    anticipatedNeeds: plan.anticipatedNeeds,
    laceInputs: plan.laceInputs as LaceInputs,
    note: plan.note,
    actualDisposition: plan.actualDisposition,
    closedAt: plan.closedAt?.toISOString() ?? null,
    encounter: {
      id: encounter.id,
      unit: encounter.unit,
      room: encounter.room,
      bed: encounter.bed,
      admittedAt: encounter.admittedAt.toISOString(),
      dischargedAt: encounter.dischargedAt?.toISOString() ?? null,
      expectedDischargeOn: encounter.expectedDischargeOn,
      admissionType: encounter.admissionType,
      admitSource: encounter.admitSource,
      daysIn: lengthOfStayDays(encounter.admittedAt, until, zone),
      version: encounter.version,
    },
    lace,
    barriers: barrierRows.map(({ barrier, recordedBy }, i) => ({
      id: barrier.id,
      code: barrier.code,
      label: BARRIERS[barrier.code as BarrierCode] ?? barrier.code,
      note: barrier.note,
      startedAt: barrier.startedAt.toISOString(),
      endedAt: barrier.endedAt?.toISOString() ?? null,
      avoidableDays: days.perBarrier[i] ?? 0,
      recordedBy: recordedBy?.id ? { id: recordedBy.id, displayName: recordedBy.displayName } : null,
      version: barrier.version,
    })),
    avoidableDays: { total: days.total, byCode: days.byCode },
    followUpTask: followUp ? presentTask(followUp) : null,
    followUpCalls: calls.map(({ call, calledBy }) => ({
      id: call.id,
      calledAt: call.calledAt.toISOString(),
      reached: call.reached,
      servicesStarted: call.servicesStarted,
      newNeeds: call.newNeeds,
      note: call.note,
      calledBy,
    })),
    tasks: planTasks.filter((t) => t.task.id !== plan.followUpTaskId).map(presentTask),
    choiceLists: lists.map((l) => ({
      id: l.id,
      kind: l.kind,
      createdAt: l.createdAt.toISOString(),
      confirmed: l.confirmedAt !== null,
    })),
    version: plan.version,
    createdAt: plan.createdAt.toISOString(),
    updatedAt: plan.updatedAt.toISOString(),
    abilities: {
      update:
        (DISCHARGE_WRITERS as readonly string[]).includes(actor.role) &&
        patientAbilities(actor, access.relation).update &&
        plan.status !== 'cancelled',
    },
  };
}

/** A patient's plans, newest stay first (cancelled ones left out). */
export async function plansOfPatient(db: DbOrTx, organizationId: string, patientId: string) {
  return db
    .select({ plan: dischargePlans })
    .from(dischargePlans)
    .innerJoin(encounters, eq(encounters.id, dischargePlans.encounterId))
    .where(
      and(
        eq(dischargePlans.patientId, patientId),
        eq(dischargePlans.organizationId, organizationId),
        ne(dischargePlans.status, 'cancelled'),
      ),
    )
    .orderBy(desc(encounters.admittedAt))
    .then((rows) => rows.map((r) => r.plan));
}

async function lockPlan(tx: Tx, organizationId: string, planId: string, version: number) {
  const [plan] = await tx
    .select()
    .from(dischargePlans)
    .where(and(eq(dischargePlans.id, planId), eq(dischargePlans.organizationId, organizationId)))
    .for('update');
  if (!plan) throw notFound('discharge plan');
  if (plan.version !== version) throw staleVersion(plan.version);
  return plan;
}

/** A cancelled plan (its admission was cancelled) is a record: it is not edited. */
export function refuseCancelled(plan: PlanRow) {
  if (plan.status === 'cancelled')
    throw conflict('plan-cancelled', 'This discharge plan was cancelled with its admission');
}

/**
 * Changes the plan at the version read. The expected discharge date is the encounter's, changed through the
 * encounters service in the same transaction (its own audit and timeline).
 */
export async function updatePlan(
  db: Db,
  actor: Actor,
  access: PatientAccess,
  planId: string,
  input: PlanUpdateRequest,
): Promise<PlanRow> {
  return db.transaction(async (tx) => {
    const plan = await lockPlan(tx, actor.organizationId, planId, input.version);
    refuseCancelled(plan);
    const fields: string[] = [];
    const set: Partial<typeof dischargePlans.$inferInsert> = {};
    if (input.targetDisposition !== undefined) {
      set.targetDisposition = input.targetDisposition;
      fields.push('targetDisposition');
    }
    if (input.anticipatedNeeds !== undefined) {
      set.anticipatedNeeds = [...new Set(input.anticipatedNeeds)];
      fields.push('anticipatedNeeds');
    }
    if (input.note !== undefined) {
      set.note = input.note || null;
      fields.push('note');
    }
    if (input.laceInputs !== undefined) {
      set.laceInputs = { ...(plan.laceInputs as LaceInputs), ...input.laceInputs };
      fields.push('laceInputs');
    }
    const audit: AuditEntry[] = [];
    if (input.expectedDischargeOn !== undefined) {
      const encounter = await lockEncounter(tx, actor.organizationId, plan.encounterId);
      if (encounter.expectedDischargeOn !== input.expectedDischargeOn) {
        if (encounter.dischargedAt)
          throw invalid([{ field: 'expectedDischargeOn', message: 'cannot change after the discharge' }]);
        await updateEncounterIn(
          tx,
          { actor, access },
          encounter,
          { expectedDischargeOn: input.expectedDischargeOn },
          audit,
        );
        fields.push('expectedDischargeOn');
      }
    }
    const [updated] = await tx
      .update(dischargePlans)
      .set({ ...set, version: plan.version + 1, updatedAt: new Date() })
      .where(eq(dischargePlans.id, plan.id))
      .returning();
    await recordOnTimeline(tx, {
      organizationId: actor.organizationId,
      patientId: plan.patientId,
      kind: 'discharge',
      summary: 'Discharge plan updated',
      actorId: actor.userId,
      recordKind: 'discharge-plan',
      recordId: plan.id,
      detail: { fields },
    });
    await appendAudit(
      tx,
      ...audit,
      access.entry('discharge-plan.update', {
        recordKind: 'discharge-plan',
        recordId: plan.id,
        detail: { fields },
      }),
    );
    return updated!;
  });
}

/** A task of the plan (kind `discharge`), linked to the patient, through the task service. */
export async function addPlanTask(
  db: Db,
  actor: Actor,
  access: PatientAccess,
  plan: PlanRow,
  input: { title: string; assigneeId: string; dueAt?: string | null | undefined },
) {
  refuseCancelled(plan);
  return db.transaction((tx) =>
    createTask(
      tx,
      actor,
      {
        title: input.title,
        assigneeId: input.assigneeId,
        dueAt: input.dueAt ? new Date(input.dueAt) : null,
        patientId: plan.patientId,
        kind: 'discharge',
      },
      { access },
    ),
  );
}
