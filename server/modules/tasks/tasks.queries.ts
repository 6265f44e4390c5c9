import { TZDate } from '@date-fns/tz';
import { endOfDay, startOfDay } from 'date-fns';
import { and, asc, desc, eq, gte, lt, ne, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import { ORGANISATION_WIDE_ROLES } from '../../../domain/roles.ts';
import type { Task } from '../../../domain/schemas/tasks.ts';
import { isTaskOverdue, type TaskStatus } from '../../../domain/tasks.ts';
import type { DbOrTx } from '../../db/client.ts';
import { type Actor, auditActor, type RequestOrigin } from '../../platform/actor.ts';
import { appendAudit } from '../../platform/audit/audit.service.ts';
import { notFound } from '../../platform/errors.ts';
import { users } from '../../platform/platform.tables.ts';
import { getOrganization } from '../../platform/users.service.ts';
import { patients } from '../patients/patients.tables.ts';
import { mayUpdateListedTask } from './tasks.policy.ts';
import { tasks } from './tasks.tables.ts';

export interface TaskFilter {
  assigneeId?: string | undefined;
  patientId?: string | undefined;
  caseId?: string | undefined;
  status: 'open' | 'done' | 'all';
  due?: 'overdue' | 'today' | undefined;
  page: number;
  pageSize: number;
}

const assignee = alias(users, 'assignee');
const creator = alias(users, 'creator');
const completer = alias(users, 'completer');

/** A task with the names around it, and whether the actor may see its patient (care team or organisation-wide). */
function selectTasks(db: DbOrTx, actor: Actor) {
  return db
    .select({
      task: tasks,
      assigneeName: assignee.displayName,
      creatorName: creator.displayName,
      completerName: completer.displayName,
      familyName: patients.familyName,
      givenName: patients.givenName,
      onCareTeam: sql<boolean>`exists(select 1 from care_team_members c where c.patient_id = ${tasks.patientId} and c.user_id = ${actor.userId} and c.removed_at is null)`,
    })
    .from(tasks)
    .innerJoin(assignee, eq(assignee.id, tasks.assigneeId))
    .leftJoin(creator, eq(creator.id, tasks.createdBy))
    .leftJoin(completer, eq(completer.id, tasks.completedBy))
    .leftJoin(patients, eq(patients.id, tasks.patientId));
}

type TaskView = Awaited<ReturnType<ReturnType<typeof selectTasks>['execute']>>[number];

const mayNamePatient = (actor: Actor, view: TaskView) =>
  view.task.patientId !== null && (ORGANISATION_WIDE_ROLES.includes(actor.role) || Boolean(view.onCareTeam));

/** What leaves the server about a task (the response schema whitelists it again). */
export function presentTask(actor: Actor, view: TaskView, now = new Date()): z.infer<typeof Task> {
  const { task } = view;
  const person = (id: string | null, name: string | null) => (id && name ? { id, displayName: name } : null);
  // A task about a patient the reader may no longer see (off the care team since) keeps its text to itself:
  // titles and details often name the patient.
  const hidden = task.patientId !== null && !mayNamePatient(actor, view);
  return {
    id: task.id,
    title: hidden ? 'Task about a patient you can no longer open' : task.title,
    detail: hidden ? null : task.detail,
    kind: task.kind,
    priority: task.priority,
    status: task.status as TaskStatus,
    dueAt: task.dueAt?.toISOString() ?? null,
    overdue: isTaskOverdue(task, now),
    assignee: { id: task.assigneeId, displayName: view.assigneeName },
    createdBy: person(task.createdBy, view.creatorName),
    patient: task.patientId
      ? {
          id: task.patientId,
          name: mayNamePatient(actor, view) ? `${view.familyName}, ${view.givenName}` : null,
        }
      : null,
    caseId: task.caseId,
    completedAt: task.completedAt?.toISOString() ?? null,
    completedBy: person(task.completedBy, view.completerName),
    createdAt: task.createdAt.toISOString(),
    updatedAt: task.updatedAt.toISOString(),
    version: task.version,
    abilities: {
      update: task.status === 'open' && mayUpdateListedTask(actor, task, Boolean(view.onCareTeam)),
    },
  };
}

/** One task with its names, for the answer to a read or a write. */
export async function viewTask(db: DbOrTx, actor: Actor, taskId: string): Promise<TaskView> {
  const [view] = await selectTasks(db, actor).where(
    and(eq(tasks.id, taskId), eq(tasks.organizationId, actor.organizationId)),
  );
  if (!view) throw notFound('task');
  return view;
}

/** Today in the organisation's time zone. */
async function today(db: DbOrTx, organizationId: string, now: Date) {
  const { timeZone } = await getOrganization(db, organizationId);
  const local = new TZDate(now.getTime(), timeZone);
  return { from: new Date(startOfDay(local).getTime()), to: new Date(endOfDay(local).getTime()) };
}

/**
 * One page of tasks of the organisation: open ones by due time (overdue first, undated last), closed ones
 * after them, most recently closed first. When `auditNames` is set, the patients named are audited as a list read.
 */
export async function listTasks(
  db: DbOrTx,
  actor: Actor,
  origin: RequestOrigin,
  filter: TaskFilter,
  opts: { auditNames: boolean; now?: Date },
) {
  const now = opts.now ?? new Date();
  const day = filter.due === 'today' ? await today(db, actor.organizationId, now) : null;
  const statusIs: Record<TaskFilter['status'], SQL | undefined> = {
    open: eq(tasks.status, 'open'),
    done: eq(tasks.status, 'done'),
    all: undefined,
  };
  const where = and(
    eq(tasks.organizationId, actor.organizationId),
    filter.assigneeId ? eq(tasks.assigneeId, filter.assigneeId) : undefined,
    filter.patientId ? eq(tasks.patientId, filter.patientId) : undefined,
    filter.caseId ? eq(tasks.caseId, filter.caseId) : undefined,
    statusIs[filter.status],
    filter.due === 'overdue' ? and(eq(tasks.status, 'open'), lt(tasks.dueAt, now)) : undefined,
    day ? and(gte(tasks.dueAt, day.from), lt(tasks.dueAt, day.to)) : undefined,
    // A merged-away patient's tasks moved with the merge; anything left behind stays out of lists.
    sql`(${tasks.patientId} is null or ${patients.retiredAt} is null)`,
  );
  const [views, [count]] = await Promise.all([
    selectTasks(db, actor)
      .where(where)
      .orderBy(
        asc(ne(tasks.status, 'open')),
        sql`${tasks.dueAt} asc nulls last`,
        desc(tasks.completedAt),
        desc(tasks.createdAt),
        asc(tasks.id),
      )
      .limit(filter.pageSize)
      .offset((filter.page - 1) * filter.pageSize),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(tasks)
      .leftJoin(patients, eq(patients.id, tasks.patientId))
      .where(where),
  ]);
  const named = [...new Set(views.filter((v) => mayNamePatient(actor, v)).map((v) => v.task.patientId!))];
  if (opts.auditNames && named.length) {
    await appendAudit(db, {
      ...auditActor(actor),
      action: 'task.list',
      outcome: 'success',
      recordKind: 'task',
      ip: origin.ip,
      userAgent: origin.userAgent,
      detail: { patientIds: named },
    });
  }
  return { items: views.map((v) => presentTask(actor, v, now)), total: count?.n ?? 0 };
}
