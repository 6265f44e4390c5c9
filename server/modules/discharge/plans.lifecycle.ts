import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { followUpWindow } from '../../../domain/discharge.ts';
import { DISPOSITIONS, type Disposition } from '../../../domain/schemas/encounters.ts';
import { TASK_ASSIGNEE_ROLES } from '../../../domain/tasks.ts';
import type { Tx } from '../../db/client.ts';
import { users } from '../../platform/platform.tables.ts';
import { recordOnTimeline } from '../../platform/timeline/timeline.service.ts';
import { type EncounterRecorder, zoneFor } from '../encounters/encounters.service.ts';
import type { encounters } from '../encounters/encounters.tables.ts';
import { primaryWorkerOf } from '../patients/care-team.service.ts';
import { closeTask, createTask, type TaskActor } from '../tasks/tasks.service.ts';
import { tasks } from '../tasks/tasks.tables.ts';
import { dischargeBarriers, dischargePlans } from './discharge.tables.ts';

/**
 * The discharge plan follows the stay: the hooks (hooks.ts) call these inside the transaction that admits,
 * discharges or cancels the encounter, for the ADT feed and for the manual routes alike. They write no audit
 * record of their own: the encounter change that causes them is audited by its caller, and the follow-up
 * task is audited by the task service.
 */

type EncounterRow = typeof encounters.$inferSelect;

const organizationOf = (by: EncounterRecorder) =>
  'actor' in by ? by.actor.organizationId : by.organizationId;
const actorIdOf = (by: EncounterRecorder) => ('actor' in by ? by.actor.userId : null);
const taskActorOf = (by: EncounterRecorder): TaskActor =>
  'actor' in by ? by.actor : { system: 'discharge', organizationId: by.organizationId };
const taskContextOf = (by: EncounterRecorder) => ('actor' in by ? { access: by.access } : {});

/** Dispositions after which nobody is called at home. */
const NO_FOLLOW_UP_CALL: readonly string[] = ['expired', 'transferred'];

async function planOf(tx: Tx, encounterId: string) {
  const [plan] = await tx
    .select()
    .from(dischargePlans)
    .where(eq(dischargePlans.encounterId, encounterId))
    .for('update');
  return plan;
}

/** Opens the plan of an inpatient stay (once; a cancelled one opens again when the stay comes back). */
export async function ensurePlan(tx: Tx, encounter: EncounterRow, by: EncounterRecorder): Promise<void> {
  if (encounter.encounterClass !== 'inpatient' || encounter.status === 'cancelled') return;
  // A new stay (the common case) has no plan: insert it straight away; an existing one is read after.
  const [created] = await tx
    .insert(dischargePlans)
    .values({
      organizationId: encounter.organizationId,
      patientId: encounter.patientId,
      encounterId: encounter.id,
      status: encounter.dischargedAt ? 'closed' : 'open',
      actualDisposition: encounter.dischargedAt ? encounter.dischargeDisposition : null,
      closedAt: encounter.dischargedAt,
      createdBy: actorIdOf(by),
    })
    .onConflictDoNothing({ target: dischargePlans.encounterId })
    .returning({ id: dischargePlans.id });
  const existing = created ? undefined : await planOf(tx, encounter.id);
  if (existing && existing.status !== 'cancelled') return;
  const planId = created?.id ?? existing?.id;
  if (existing) {
    await tx
      .update(dischargePlans)
      .set({
        status: encounter.dischargedAt ? 'closed' : 'open',
        actualDisposition: encounter.dischargedAt ? encounter.dischargeDisposition : null,
        closedAt: encounter.dischargedAt,
        followUpTaskId: null,
        version: existing.version + 1,
        updatedAt: new Date(),
      })
      .where(eq(dischargePlans.id, existing.id));
  }
  await recordOnTimeline(tx, {
    organizationId: encounter.organizationId,
    patientId: encounter.patientId,
    kind: 'discharge',
    summary: existing ? 'Discharge plan reopened' : 'Discharge plan opened',
    actorId: actorIdOf(by),
    occurredAt: existing ? new Date() : encounter.admittedAt,
    recordKind: 'discharge-plan',
    recordId: planId ?? null,
  });
}

/**
 * Who makes the follow-up call: the patient's primary worker on the care team (a member whose team role says
 * primary, else the longest-standing member who does tasks), else whoever opened the plan.
 */
async function followUpAssignee(tx: Tx, patientId: string, createdBy: string | null) {
  const member = await primaryWorkerOf(tx, patientId);
  if (member) return member;
  if (!createdBy) return null;
  const [creator] = await tx
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        eq(users.id, createdBy),
        isNull(users.disabledAt),
        eq(users.kind, 'person'),
        inArray(users.role, [...TASK_ASSIGNEE_ROLES]),
      ),
    );
  return creator?.id ?? null;
}

/**
 * At discharge: the actual disposition from the encounter, the plan closed, barriers still open end at the
 * discharge, and a follow-up call task due 48 hours after discharge (its detail gives the window to 72 hours,
 * in the organisation's time zone).
 */
export async function closePlanOnDischarge(
  tx: Tx,
  encounter: EncounterRow,
  by: EncounterRecorder,
): Promise<void> {
  if (encounter.encounterClass !== 'inpatient' || !encounter.dischargedAt) return;
  let plan = await planOf(tx, encounter.id);
  if (!plan) {
    // A stay the plan never saw opened (entered before issue 6, or admitted as another class).
    [plan] = await tx
      .insert(dischargePlans)
      .values({
        organizationId: encounter.organizationId,
        patientId: encounter.patientId,
        encounterId: encounter.id,
        createdBy: actorIdOf(by),
      })
      .returning();
  }
  if (!plan || plan.status === 'closed') return;
  const dischargedAt = encounter.dischargedAt;
  await tx
    .update(dischargeBarriers)
    .set({ endedAt: dischargedAt, updatedAt: new Date(), version: sql`${dischargeBarriers.version} + 1` })
    .where(
      and(
        eq(dischargeBarriers.planId, plan.id),
        isNull(dischargeBarriers.endedAt),
        isNull(dischargeBarriers.retiredAt),
      ),
    );
  const disposition = encounter.dischargeDisposition;
  let followUpTaskId: string | null = null;
  let assigned = false;
  if (!NO_FOLLOW_UP_CALL.includes(disposition ?? '')) {
    const assigneeId = await followUpAssignee(tx, encounter.patientId, plan.createdBy);
    if (assigneeId) {
      const zone = await zoneFor(tx, by, encounter.organizationId);
      const window = followUpWindow(dischargedAt);
      const at = (d: Date) => format(new TZDate(d.getTime(), zone), "EEE d MMM yyyy 'at' HH:mm");
      const task = await createTask(
        tx,
        taskActorOf(by),
        {
          title: 'Post-discharge follow-up call',
          detail: `Call the patient between ${at(window.opensAt)} and ${at(window.closesAt)}: reached, services started, new needs. Record the call on the Discharge tab.`,
          assigneeId,
          dueAt: window.opensAt,
          priority: 'routine',
          patientId: encounter.patientId,
          kind: 'follow-up-call',
        },
        taskContextOf(by),
      );
      followUpTaskId = task.id;
      assigned = true;
    }
  }
  await tx
    .update(dischargePlans)
    .set({
      status: 'closed',
      actualDisposition: disposition,
      closedAt: dischargedAt,
      followUpTaskId,
      version: plan.version + 1,
      updatedAt: new Date(),
    })
    .where(eq(dischargePlans.id, plan.id));
  const label = disposition
    ? (DISPOSITIONS[disposition as Disposition] ?? disposition)
    : 'disposition not given';
  await recordOnTimeline(tx, {
    organizationId: encounter.organizationId,
    patientId: encounter.patientId,
    kind: 'discharge',
    summary: `Discharge plan closed: ${label}${
      NO_FOLLOW_UP_CALL.includes(disposition ?? '')
        ? ''
        : assigned
          ? '; follow-up call due in 48 to 72 hours'
          : '; no worker to assign the follow-up call to'
    }`,
    actorId: actorIdOf(by),
    occurredAt: dischargedAt,
    recordKind: 'discharge-plan',
    recordId: plan.id,
  });
}

async function cancelOpenFollowUp(tx: Tx, taskId: string | null, by: EncounterRecorder) {
  if (!taskId) return;
  const [task] = await tx
    .select()
    .from(tasks)
    .where(and(eq(tasks.id, taskId), eq(tasks.status, 'open')));
  if (task) await closeTask(tx, taskActorOf(by), task, 'cancelled', task.version, taskContextOf(by));
}

/** The admission was cancelled (A11): the plan is cancelled with its open follow-up call. */
export async function cancelPlan(tx: Tx, encounter: EncounterRow, by: EncounterRecorder): Promise<void> {
  const plan = await planOf(tx, encounter.id);
  if (!plan || plan.status === 'cancelled') return;
  await cancelOpenFollowUp(tx, plan.followUpTaskId, by);
  await tx
    .update(dischargePlans)
    .set({ status: 'cancelled', version: plan.version + 1, updatedAt: new Date() })
    .where(eq(dischargePlans.id, plan.id));
  await recordOnTimeline(tx, {
    organizationId: organizationOf(by),
    patientId: encounter.patientId,
    kind: 'discharge',
    summary: 'Discharge plan cancelled: the admission was cancelled',
    actorId: actorIdOf(by),
    recordKind: 'discharge-plan',
    recordId: plan.id,
  });
}

/**
 * The discharge was cancelled (A13): the plan opens again, the open follow-up call is cancelled, and the
 * barriers that the discharge ended are open again.
 */
export async function reopenPlan(tx: Tx, encounter: EncounterRow, by: EncounterRecorder): Promise<void> {
  const plan = await planOf(tx, encounter.id);
  if (!plan) {
    await ensurePlan(tx, encounter, by);
    return;
  }
  if (plan.status === 'open') return;
  await cancelOpenFollowUp(tx, plan.followUpTaskId, by);
  if (plan.closedAt) {
    await tx
      .update(dischargeBarriers)
      .set({ endedAt: null, updatedAt: new Date(), version: sql`${dischargeBarriers.version} + 1` })
      .where(
        and(
          eq(dischargeBarriers.planId, plan.id),
          eq(dischargeBarriers.endedAt, plan.closedAt),
          isNull(dischargeBarriers.retiredAt),
        ),
      );
  }
  await tx
    .update(dischargePlans)
    .set({
      status: 'open',
      actualDisposition: null,
      closedAt: null,
      followUpTaskId: null,
      version: plan.version + 1,
      updatedAt: new Date(),
    })
    .where(eq(dischargePlans.id, plan.id));
  await recordOnTimeline(tx, {
    organizationId: organizationOf(by),
    patientId: encounter.patientId,
    kind: 'discharge',
    summary:
      plan.status === 'cancelled'
        ? 'Discharge plan reopened'
        : 'Discharge plan reopened: the discharge was cancelled',
    actorId: actorIdOf(by),
    recordKind: 'discharge-plan',
    recordId: plan.id,
  });
}
