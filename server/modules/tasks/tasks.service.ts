import { and, eq, sql } from 'drizzle-orm';
import { mayBeAssignedPatientTask, TASK_ASSIGNEE_ROLES, type TaskPriority } from '../../../domain/tasks.ts';
import type { DbOrTx } from '../../db/client.ts';
import type { PatientAccess } from '../../platform/access.ts';
import { type Actor, auditActor, type RequestOrigin } from '../../platform/actor.ts';
import { type AuditEntry, appendAudit } from '../../platform/audit/audit.service.ts';
import { conflict, invalid, notFound, staleVersion } from '../../platform/errors.ts';
import { notify } from '../../platform/notifications/notifications.service.ts';
import { users } from '../../platform/platform.tables.ts';
import { recordOnTimeline } from '../../platform/timeline/timeline.service.ts';
import { cases } from '../cases/cases.tables.ts';
import { tasks } from './tasks.tables.ts';

export type TaskRow = typeof tasks.$inferSelect;

/** A service acting on its own (an alarm, a stalled referral, a discharge follow-up), not a person. */
export interface SystemActor {
  system: string;
  organizationId: string;
}
export type TaskActor = Actor | SystemActor;
const isSystem = (by: TaskActor): by is SystemActor => 'system' in by;

/** Who did it, for the audit record: the patient access when there is one (it flags emergency access). */
export interface TaskAuditContext {
  access?: PatientAccess | undefined;
  origin?: RequestOrigin | undefined;
}

export interface NewTask {
  title: string;
  detail?: string | null | undefined;
  assigneeId: string;
  dueAt?: Date | null | undefined;
  priority?: TaskPriority | undefined;
  patientId?: string | null | undefined;
  caseId?: string | null | undefined;
  /** What made the task (general, follow-up-call, alarm, stalled-referral...). */
  kind?: string | undefined;
}

export interface TaskChanges {
  version: number;
  title?: string | undefined;
  detail?: string | null | undefined;
  assigneeId?: string | undefined;
  dueAt?: Date | null | undefined;
  priority?: TaskPriority | undefined;
}

function auditEntry(
  by: TaskActor,
  ctx: TaskAuditContext,
  action: string,
  extra: Partial<AuditEntry>,
): AuditEntry {
  if (ctx.access) return ctx.access.entry(action, extra);
  const who = isSystem(by)
    ? {
        organizationId: by.organizationId,
        actorUserId: null,
        actorRole: 'system',
        actorLabel: `system (${by.system})`,
      }
    : auditActor(by);
  return {
    ...who,
    action,
    outcome: 'success',
    ip: ctx.origin?.ip ?? null,
    userAgent: ctx.origin?.userAgent ?? null,
    ...extra,
  };
}

/** The patient a task is about: a case link implies the case's patient; another organisation's case is a 404. */
export async function resolveTaskTarget(
  db: DbOrTx,
  organizationId: string,
  input: { patientId?: string | null | undefined; caseId?: string | null | undefined },
): Promise<{ patientId: string | null; caseId: string | null }> {
  if (!input.caseId) return { patientId: input.patientId ?? null, caseId: null };
  const [found] = await db
    .select({ patientId: cases.patientId })
    .from(cases)
    .where(and(eq(cases.id, input.caseId), eq(cases.organizationId, organizationId)));
  if (!found) throw notFound('case');
  if (input.patientId && input.patientId !== found.patientId)
    throw invalid([{ field: 'caseId', message: 'belongs to another patient' }]);
  return { patientId: found.patientId, caseId: input.caseId };
}

/** The assignee must be an active colleague who does tasks and, for a patient's task, may read the patient. */
async function checkAssignee(
  db: DbOrTx,
  organizationId: string,
  assigneeId: string,
  patientId: string | null,
) {
  const [user] = await db
    .select({
      id: users.id,
      displayName: users.displayName,
      role: users.role,
      kind: users.kind,
      disabledAt: users.disabledAt,
      onCareTeam: patientId
        ? sql<boolean>`exists(select 1 from care_team_members c where c.patient_id = ${patientId} and c.user_id = ${assigneeId} and c.removed_at is null)`
        : sql<boolean>`false`,
    })
    .from(users)
    .where(and(eq(users.id, assigneeId), eq(users.organizationId, organizationId)));
  const doesTasks = (TASK_ASSIGNEE_ROLES as readonly string[]).includes(user?.role ?? '');
  if (user?.kind !== 'person' || user.disabledAt || !doesTasks)
    throw invalid([{ field: 'assigneeId', message: 'must be an active colleague who does tasks' }]);
  if (patientId && !mayBeAssignedPatientTask(user.role, Boolean(user.onCareTeam)))
    throw invalid([
      { field: 'assigneeId', message: "cannot see this patient: add them to the patient's care team first" },
    ]);
  return user;
}

const taskLink = (task: Pick<TaskRow, 'patientId'>) =>
  task.patientId ? `/patients/${task.patientId}/tasks` : '/tasks';

async function tellAssignee(db: DbOrTx, by: TaskActor, task: TaskRow): Promise<void> {
  if (!isSystem(by) && task.assigneeId === by.userId) return;
  await notify(db, {
    organizationId: task.organizationId,
    userIds: [task.assigneeId],
    kind: 'task-assigned',
    // Titles may travel by email: the task's own title can name the patient, so it stays out.
    title: isSystem(by) ? 'A task was assigned to you' : `${by.displayName} assigned a task to you`,
    link: taskLink(task),
    patientId: task.patientId,
  });
}

/**
 * Creates a task in the caller's transaction, with its audit record, its timeline entry (when it is about a
 * patient) and the assignee's notification. Other modules call it with a system actor; the caller checks
 * access to the patient first (routes through `requirePatient`).
 */
export async function createTask(
  tx: DbOrTx,
  by: TaskActor,
  input: NewTask,
  ctx: TaskAuditContext = {},
): Promise<TaskRow> {
  const { organizationId } = by;
  const target = await resolveTaskTarget(tx, organizationId, input);
  const assignee = await checkAssignee(tx, organizationId, input.assigneeId, target.patientId);
  const [task] = await tx
    .insert(tasks)
    .values({
      organizationId,
      patientId: target.patientId,
      caseId: target.caseId,
      title: input.title,
      detail: input.detail ?? null,
      kind: input.kind ?? 'general',
      priority: input.priority ?? 'routine',
      assigneeId: assignee.id,
      dueAt: input.dueAt ?? null,
      createdBy: isSystem(by) ? null : by.userId,
    })
    .returning();
  const created = task!;
  await appendAudit(
    tx,
    auditEntry(by, ctx, 'task.create', {
      patientId: created.patientId,
      recordKind: 'task',
      recordId: created.id,
      detail: { assigneeId: assignee.id, caseId: created.caseId, kind: created.kind },
    }),
  );
  if (created.patientId) {
    await recordOnTimeline(tx, {
      organizationId,
      patientId: created.patientId,
      kind: 'task',
      summary: `Task for ${assignee.displayName}: ${created.title}`,
      actorId: isSystem(by) ? null : by.userId,
      recordKind: 'task',
      recordId: created.id,
      detail: { event: 'created', dueAt: created.dueAt?.toISOString() ?? null },
    });
  }
  await tellAssignee(tx, by, created);
  return created;
}

/** A task of the organisation, or 404. */
export async function getTask(db: DbOrTx, organizationId: string, taskId: string): Promise<TaskRow> {
  const [task] = await db
    .select()
    .from(tasks)
    .where(and(eq(tasks.id, taskId), eq(tasks.organizationId, organizationId)));
  if (!task) throw notFound('task');
  return task;
}

/** Why an update matched no row: someone else's newer version, or a task no longer open. */
async function refusal(db: DbOrTx, task: TaskRow, version: number, mustBeOpen: boolean) {
  const current = await getTask(db, task.organizationId, task.id);
  if (current.version !== version) return staleVersion(current.version);
  if (mustBeOpen && current.status !== 'open')
    return conflict('task-not-open', 'This task is already closed');
  return staleVersion(current.version);
}

/** Changes a task at the version the caller read; a new due time re-arms its reminders. */
export async function updateTask(
  tx: DbOrTx,
  by: TaskActor,
  task: TaskRow,
  changes: TaskChanges,
  ctx: TaskAuditContext = {},
): Promise<TaskRow> {
  const { version, ...fields } = changes;
  const changed = Object.keys(fields).filter((k) => fields[k as keyof typeof fields] !== undefined);
  if (fields.assigneeId && fields.assigneeId !== task.assigneeId)
    await checkAssignee(tx, task.organizationId, fields.assigneeId, task.patientId);
  const dueChanged =
    fields.dueAt !== undefined && (fields.dueAt?.getTime() ?? null) !== (task.dueAt?.getTime() ?? null);
  const [updated] = await tx
    .update(tasks)
    .set({
      ...(fields.title !== undefined ? { title: fields.title } : {}),
      ...(fields.detail !== undefined ? { detail: fields.detail } : {}),
      ...(fields.assigneeId !== undefined ? { assigneeId: fields.assigneeId } : {}),
      ...(fields.priority !== undefined ? { priority: fields.priority } : {}),
      ...(dueChanged ? { dueAt: fields.dueAt ?? null, dueRemindedAt: null, overdueRemindedAt: null } : {}),
      version: sql`${tasks.version} + 1`,
      updatedAt: new Date(),
    })
    // A done or cancelled task is a record of what happened: it is not edited afterwards.
    .where(and(eq(tasks.id, task.id), eq(tasks.version, version), eq(tasks.status, 'open')))
    .returning();
  if (!updated) throw await refusal(tx, task, version, true);
  await appendAudit(
    tx,
    auditEntry(by, ctx, 'task.update', {
      patientId: updated.patientId,
      recordKind: 'task',
      recordId: updated.id,
      detail: { fields: changed },
    }),
  );
  if (updated.assigneeId !== task.assigneeId) await tellAssignee(tx, by, updated);
  return updated;
}

/** Completes or cancels an open task, recording who and when, on the timeline too. */
export async function closeTask(
  tx: DbOrTx,
  by: TaskActor,
  task: TaskRow,
  outcome: 'done' | 'cancelled',
  version: number,
  ctx: TaskAuditContext = {},
): Promise<TaskRow> {
  const now = new Date();
  const actorId = isSystem(by) ? null : by.userId;
  const [closed] = await tx
    .update(tasks)
    .set({
      status: outcome,
      completedAt: now,
      completedBy: actorId,
      version: sql`${tasks.version} + 1`,
      updatedAt: now,
    })
    .where(and(eq(tasks.id, task.id), eq(tasks.version, version), eq(tasks.status, 'open')))
    .returning();
  if (!closed) throw await refusal(tx, task, version, true);
  const verb = outcome === 'done' ? 'completed' : 'cancelled';
  await appendAudit(
    tx,
    auditEntry(by, ctx, outcome === 'done' ? 'task.complete' : 'task.cancel', {
      patientId: closed.patientId,
      recordKind: 'task',
      recordId: closed.id,
    }),
  );
  if (closed.patientId) {
    await recordOnTimeline(tx, {
      organizationId: closed.organizationId,
      patientId: closed.patientId,
      kind: 'task',
      summary: `Task ${verb}: ${closed.title}`,
      actorId,
      occurredAt: now,
      recordKind: 'task',
      recordId: closed.id,
      detail: { event: verb },
    });
  }
  return closed;
}
