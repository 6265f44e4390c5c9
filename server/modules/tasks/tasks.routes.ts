import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageOf, Uuid } from '../../../domain/schemas/common.ts';
import {
  Task,
  TaskCreateRequest,
  TaskListQuery,
  TaskUpdateRequest,
  TaskVersionRequest,
} from '../../../domain/schemas/tasks.ts';
import { TASK_READER_ROLES, TASK_WRITER_ROLES } from '../../../domain/tasks.ts';
import type { Db } from '../../db/client.ts';
import { type PatientAccess, requirePatient } from '../../platform/access.ts';
import type { Actor, RequestOrigin } from '../../platform/actor.ts';
import { forbidden } from '../../platform/errors.ts';
import { actorOf } from '../../platform/http.ts';
import { mayWorkPlainTask } from './tasks.policy.ts';
import { listTasks, presentTask, viewTask } from './tasks.queries.ts';
import {
  closeTask,
  createTask,
  getTask,
  resolveTaskTarget,
  type TaskRow,
  updateTask,
} from './tasks.service.ts';

const TaskParams = z.object({ taskId: Uuid });
const readers = { roles: TASK_READER_ROLES };
const writers = { roles: TASK_WRITER_ROLES };
const toDate = (iso: string | null | undefined) =>
  iso === undefined ? undefined : iso === null ? null : new Date(iso);

/** A patient's task follows the patient's rules (audited); a task about no patient, its assignee's and creator's. */
async function authorizeTask(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  task: TaskRow,
  action: 'read' | 'update',
): Promise<PatientAccess | undefined> {
  if (task.patientId) {
    const readAs = { action: 'task.read', recordKind: 'task', recordId: task.id };
    return requirePatient(db, actor, origin, task.patientId, action, action === 'read' ? readAs : undefined);
  }
  if (!mayWorkPlainTask(actor, task)) throw forbidden('This task belongs to someone else');
  return undefined;
}

/** The one task system: tasks with an assignee, a due time and a link to a patient or a case. */
export const tasksRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.kith.database.db;

  app.get(
    '/api/tasks',
    {
      config: { access: readers },
      schema: { tags: ['tasks'], querystring: TaskListQuery, response: { 200: pageOf(Task) } },
    },
    async (request) => {
      const actor = actorOf(request);
      const { scope, status, due, page, pageSize } = request.query;
      const filter = { status, due, page, pageSize };
      if (scope === 'mine') {
        const { items, total } = await listTasks(
          db,
          actor,
          request.origin,
          { ...filter, assigneeId: actor.userId },
          { auditNames: true },
        );
        return { items, total, page, pageSize };
      }
      const { patientId, caseId } = request.query;
      const target = await resolveTaskTarget(
        db,
        actor.organizationId,
        scope === 'case' ? { caseId } : { patientId },
      );
      await requirePatient(db, actor, request.origin, target.patientId!, 'read', {
        action: 'task.list',
        recordKind: 'task',
        detail: target.caseId ? { caseId: target.caseId } : undefined,
      });
      const scoped = scope === 'case' ? { caseId: target.caseId! } : { patientId: target.patientId! };
      const { items, total } = await listTasks(
        db,
        actor,
        request.origin,
        { ...filter, ...scoped },
        { auditNames: false },
      );
      return { items, total, page, pageSize };
    },
  );

  app.post(
    '/api/tasks',
    {
      config: { access: writers },
      schema: { tags: ['tasks'], body: TaskCreateRequest, response: { 201: Task } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const target = await resolveTaskTarget(db, actor.organizationId, request.body);
      const access = target.patientId
        ? await requirePatient(db, actor, request.origin, target.patientId, 'update')
        : undefined;
      const created = await db.transaction((tx) =>
        createTask(
          tx,
          actor,
          { ...request.body, ...target, dueAt: toDate(request.body.dueAt) },
          { access, origin: request.origin },
        ),
      );
      return reply.status(201).send(presentTask(actor, await viewTask(db, actor, created.id)));
    },
  );

  app.get(
    '/api/tasks/:taskId',
    {
      config: { access: readers },
      schema: { tags: ['tasks'], params: TaskParams, response: { 200: Task } },
    },
    async (request) => {
      const actor = actorOf(request);
      const task = await getTask(db, actor.organizationId, request.params.taskId);
      await authorizeTask(db, actor, request.origin, task, 'read');
      return presentTask(actor, await viewTask(db, actor, task.id));
    },
  );

  app.patch(
    '/api/tasks/:taskId',
    {
      config: { access: writers },
      schema: { tags: ['tasks'], params: TaskParams, body: TaskUpdateRequest, response: { 200: Task } },
    },
    async (request) => {
      const actor = actorOf(request);
      const task = await getTask(db, actor.organizationId, request.params.taskId);
      const access = await authorizeTask(db, actor, request.origin, task, 'update');
      const changes = { ...request.body, dueAt: toDate(request.body.dueAt) };
      await db.transaction((tx) => updateTask(tx, actor, task, changes, { access, origin: request.origin }));
      return presentTask(actor, await viewTask(db, actor, task.id));
    },
  );

  for (const [path, outcome] of [
    ['complete', 'done'],
    ['cancel', 'cancelled'],
  ] as const) {
    app.post(
      `/api/tasks/:taskId/${path}`,
      {
        config: { access: writers },
        schema: { tags: ['tasks'], params: TaskParams, body: TaskVersionRequest, response: { 200: Task } },
      },
      async (request) => {
        const actor = actorOf(request);
        const task = await getTask(db, actor.organizationId, request.params.taskId);
        const access = await authorizeTask(db, actor, request.origin, task, 'update');
        await db.transaction((tx) =>
          closeTask(tx, actor, task, outcome, request.body.version, { access, origin: request.origin }),
        );
        return presentTask(actor, await viewTask(db, actor, task.id));
      },
    );
  }
};
