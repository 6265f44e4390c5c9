import { ALARM_EFFECTS, alarmNotificationTitle, alarmTaskTitle } from '../../../domain/assessments.ts';
import { FLAG_KINDS } from '../../../domain/flags.ts';
import type { Instrument } from '../../../domain/instruments/index.ts';
import { TIMELINE_KINDS } from '../../../domain/timeline.ts';
import { assessmentAlarms } from '../../modules/assessments/assessments.tables.ts';
import { patientFlags } from '../../modules/patients/patients.tables.ts';
import { tasks } from '../../modules/tasks/tasks.tables.ts';
import { DAY, type DemoContext, HOUR, MINUTE, notifyDemo, onTimeline, type Person } from './context.ts';
import type { DemoStay, Given } from './screens.ts';

/**
 * Each alarm of a completed screen, as the assessments service raises it: a flag sourced to the chain's root,
 * an urgent task due then for the case worker (else whoever gave the screen), and the supervisors told.
 */
export function raiseAlarms(
  ctx: DemoContext,
  stay: DemoStay,
  screener: Person,
  given: Given,
  instrument: Instrument,
  caseId: string | null,
): void {
  const { r } = ctx;
  const patientId = ctx.screening!.patient.id;
  const assignee = stay.case?.worker ?? screener;
  for (const alarm of given.result.alarms) {
    const kind = ALARM_EFFECTS[alarm.code].flag;
    const at = given.at;
    const flagId = r.id(at);
    const clearedAt =
      stay.dischargedAt !== null && stay.dischargedAt + 4 * HOUR < ctx.now
        ? stay.dischargedAt + r.int(1, 4) * HOUR
        : null;
    ctx.w.add(patientFlags, {
      id: flagId,
      organizationId: ctx.organizationId,
      patientId,
      kind,
      note: `${instrument.title}: ${alarm.reason}`,
      sourceKind: 'assessment',
      sourceId: given.rootId,
      raisedBy: null,
      raisedAt: new Date(at),
      clearedAt: clearedAt === null ? null : new Date(clearedAt),
      clearedBy: clearedAt === null ? null : assignee.id,
      clearedNote: clearedAt === null ? null : 'Discharged with a safety plan in place.',
    });
    const flagLabel = FLAG_KINDS[kind].label;
    onTimeline(ctx, patientId, 'flag', at, `Flag raised: ${flagLabel}`, { kind: 'flag', id: flagId });
    if (clearedAt !== null)
      onTimeline(ctx, patientId, 'flag', clearedAt, `Flag cleared: ${flagLabel}`, {
        kind: 'flag',
        id: flagId,
        actorId: assignee.id,
      });

    const taskId = r.id(at);
    const title = alarmTaskTitle(alarm.code);
    const doneAt = at + r.int(15, 180) * MINUTE;
    const done = doneAt < ctx.now;
    ctx.w.add(tasks, {
      id: taskId,
      organizationId: ctx.organizationId,
      patientId,
      caseId,
      title,
      detail: `${instrument.title}: ${alarm.reason}`,
      kind: 'alarm',
      priority: 'urgent',
      assigneeId: assignee.id,
      dueAt: new Date(at),
      status: done ? 'done' : 'open',
      createdBy: null,
      completedAt: done ? new Date(doneAt) : null,
      completedBy: done ? assignee.id : null,
      dueRemindedAt: done ? null : new Date(at),
      version: done ? 2 : 1,
      createdAt: new Date(at),
      updatedAt: new Date(done ? doneAt : at),
    });
    onTimeline(ctx, patientId, 'task', at, `Task for ${assignee.displayName}: ${title}`, {
      kind: 'task',
      id: taskId,
      detail: { event: 'created', dueAt: new Date(at).toISOString() },
    });
    if (done)
      onTimeline(ctx, patientId, 'task', doneAt, `Task completed: ${title}`, {
        kind: 'task',
        id: taskId,
        actorId: assignee.id,
      });
    if (ctx.now - at < 14 * DAY) {
      const tasksLink = `/patients/${patientId}/tasks`;
      notifyDemo(ctx, assignee.id, 'task-assigned', at, 'A task was assigned to you', tasksLink, patientId);
      const link = TIMELINE_KINDS.assessment.link(patientId, given.id);
      const alarmTitle = alarmNotificationTitle(alarm.code, instrument.shortTitle);
      for (const supervisor of ctx.supervisors)
        notifyDemo(ctx, supervisor.id, 'alarm', at, alarmTitle, link, patientId);
    }
    ctx.w.add(assessmentAlarms, {
      id: r.id(at),
      organizationId: ctx.organizationId,
      patientId,
      rootAssessmentId: given.rootId,
      assessmentId: given.id,
      code: alarm.code,
      reason: alarm.reason,
      flagId,
      taskId,
      raisedAt: new Date(at),
    });
  }
}
