import { FLAG_KINDS, type FlagKind } from '../../../domain/flags.ts';
import type { TaskPriority } from '../../../domain/tasks.ts';
import { messageMentions, messages } from '../../modules/messages/messages.tables.ts';
import { patientFlags } from '../../modules/patients/patients.tables.ts';
import { tasks } from '../../modules/tasks/tasks.tables.ts';
import type { DemoCase } from './cases.ts';
import { MESSAGE_OPENINGS, MESSAGE_REPLIES, MESSAGE_SUBJECTS, TASK_TITLES } from './casework-texts.ts';
import {
  between,
  DAY,
  type DemoContext,
  endOfLocalDay,
  HOUR,
  MINUTE,
  notifyDemo,
  onTimeline,
  type Person,
  past,
} from './context.ts';

/**
 * The tasks of a case. An open case has open tasks (some overdue, some due today, some later) and done ones;
 * a closed case's tasks are all done or cancelled.
 */
export function generateTasks(ctx: DemoContext, patientId: string, c: DemoCase, endBy: number): void {
  const { r } = ctx;
  const worker = c.worker;
  if (!worker || c.assignedAt === null) return;
  const open = c.closedAt === null;
  const count = open ? r.int(1, 4) : r.int(1, 2);
  const titles = [...(TASK_TITLES[c.reasonCode] ?? []), ...TASK_TITLES.general];
  const todayEnds = endOfLocalDay(ctx, ctx.now);
  for (let i = 0; i < count; i++) {
    const title = r.pick(titles);
    const creator = r.weighted([
      [75, worker],
      [15, r.pick(ctx.supervisors)],
      [10, r.pick(ctx.clinicians)],
    ] as const);
    const latest = Math.min(endBy, c.closedAt ?? endBy) - MINUTE;
    let createdAt = between(ctx, c.assignedAt, latest);
    let fate = open
      ? r.weighted([
          [30, 'done'],
          [18, 'overdue'],
          [24, 'today'],
          [20, 'later'],
          [8, 'undated'],
        ] as const)
      : r.chance(0.9)
        ? 'done'
        : 'cancelled';
    let dueAt: number | null = null;
    if (fate === 'overdue') {
      // Due between an hour after it was set and ten minutes ago; a case assigned minutes ago has none.
      const earliest = c.assignedAt + HOUR;
      if (earliest >= ctx.now - 10 * MINUTE) fate = 'today';
      else {
        dueAt = between(ctx, Math.max(earliest, ctx.now - 72 * HOUR), ctx.now - 10 * MINUTE);
        createdAt = between(ctx, c.assignedAt, dueAt - HOUR);
      }
    }
    if (fate === 'today') dueAt = between(ctx, ctx.now + 10 * MINUTE, todayEnds - MINUTE);
    if (fate === 'later') dueAt = ctx.now + r.int(1, 5) * DAY + r.int(0, 8) * HOUR;
    if (fate === 'done' || fate === 'cancelled') dueAt = createdAt + r.int(4, 72) * HOUR;
    const finishedAt =
      fate === 'done' || fate === 'cancelled'
        ? past(ctx, between(ctx, createdAt + 10 * MINUTE, latest))
        : null;
    const priority: TaskPriority =
      c.urgency === 'emergent'
        ? 'urgent'
        : r.weighted([
            [70, 'routine'],
            [22, 'high'],
            [8, 'urgent'],
          ] as const);
    const id = r.id(createdAt);
    const overdueReminded =
      fate === 'overdue' && dueAt !== null && dueAt + HOUR < ctx.now ? dueAt + HOUR : null;
    ctx.w.add(tasks, {
      id,
      organizationId: ctx.organizationId,
      patientId,
      caseId: c.id,
      title,
      detail: r.chance(0.3) ? 'See the case plan in the chart.' : null,
      kind: /^Call /.test(title) ? 'follow-up-call' : 'general',
      priority,
      assigneeId: worker.id,
      dueAt: dueAt === null ? null : new Date(dueAt),
      status: fate === 'done' ? 'done' : fate === 'cancelled' ? 'cancelled' : 'open',
      createdBy: creator.id,
      completedAt: finishedAt === null ? null : new Date(finishedAt),
      completedBy: finishedAt === null ? null : worker.id,
      dueRemindedAt:
        dueAt !== null && fate !== 'done' && fate !== 'cancelled' && dueAt < ctx.now ? new Date(dueAt) : null,
      overdueRemindedAt: overdueReminded === null ? null : new Date(overdueReminded),
      version: finishedAt === null ? 1 : 2,
      createdAt: new Date(createdAt),
      updatedAt: new Date(finishedAt ?? createdAt),
    });
    const record = { kind: 'task', id };
    onTimeline(ctx, patientId, 'task', createdAt, `Task for ${worker.displayName}: ${title}`, {
      ...record,
      actorId: creator.id,
    });
    const link = `/patients/${patientId}/tasks`;
    if (creator.id !== worker.id && ctx.now - createdAt < 14 * DAY)
      notifyDemo(
        ctx,
        worker.id,
        'task-assigned',
        createdAt,
        `${creator.displayName} assigned a task to you`,
        link,
        patientId,
      );
    if (overdueReminded !== null && ctx.now - overdueReminded < 14 * DAY)
      notifyDemo(
        ctx,
        worker.id,
        'task-overdue',
        overdueReminded,
        'A task of yours is overdue',
        link,
        patientId,
      );
    if (finishedAt !== null)
      onTimeline(
        ctx,
        patientId,
        'task',
        finishedAt,
        `Task ${fate === 'done' ? 'completed' : 'cancelled'}: ${title}`,
        {
          ...record,
          actorId: worker.id,
        },
      );
  }
}

/**
 * A thread of staff messages about the patient: opened by the clinician or the worker, with replies from the
 * team; some messages @mention a colleague, who is notified.
 */
export function generateThread(
  ctx: DemoContext,
  patientId: string,
  team: { worker: Person; clinician: Person; supervisor: Person },
  from: number,
  endBy: number,
): void {
  const { r } = ctx;
  const subject = r.pick(MESSAGE_SUBJECTS);
  const starter = r.chance(0.6) ? team.clinician : team.worker;
  const replies = r.int(0, 3);
  const span = endBy - from;
  // A case assigned minutes ago has no thread yet.
  if (span < 20 * MINUTE) return;
  let at = from + Math.floor(span * r.faker.number.float() * 0.5);
  let threadId: string | null = null;
  let author = starter;
  for (let i = 0; i <= replies; i++) {
    const id = r.id(at);
    const others = [team.worker, team.clinician, team.supervisor].filter((p) => p.id !== author.id);
    const mentioned =
      i === 0
        ? [starter === team.clinician ? team.worker : team.clinician]
        : r.chance(0.35)
          ? [r.pick(others)]
          : [];
    const text = i === 0 ? r.pick(MESSAGE_OPENINGS) : r.pick(MESSAGE_REPLIES);
    ctx.w.add(messages, {
      id,
      organizationId: ctx.organizationId,
      patientId,
      threadId,
      subject: threadId ? null : subject,
      body: mentioned.length ? `@${mentioned[0]!.displayName} ${text}` : text,
      authorId: author.id,
      createdAt: new Date(at),
    });
    for (const m of mentioned) {
      ctx.w.add(messageMentions, { messageId: id, userId: m.id });
      if (ctx.now - at < 14 * DAY)
        notifyDemo(
          ctx,
          m.id,
          'mention',
          at,
          `${author.displayName} mentioned you in a message`,
          `/patients/${patientId}/messages`,
          patientId,
        );
    }
    onTimeline(
      ctx,
      patientId,
      'message',
      at,
      threadId
        ? `${author.displayName} replied in the message thread "${subject}"`
        : `${author.displayName} started a message thread: "${subject}"`,
      { kind: 'message', id, actorId: author.id },
    );
    threadId ??= id;
    author = r.pick(others);
    at = past(ctx, Math.min(at + r.int(10, 360) * MINUTE, endBy - MINUTE));
  }
}

const FLAG_NOTES: Partial<Record<FlagKind, readonly string[]>> = {
  'crisis-risk': [
    'Passive suicidal ideation on screening; 1:1 sitter in place.',
    'Admitted after overdose; psychiatry following.',
  ],
  'safety-concern': [
    'Partner not to be given information; visitor restrictions in place.',
    'Possible neglect at home.',
  ],
  'new-results': ['Imaging results available.', 'Pathology report final.', 'Critical lab value reported.'],
  'advance-directive': ['Health care proxy on file.', 'MOLST on file.'],
  readmission: ['Readmitted within 30 days of the last discharge.'],
  'mandated-report': ['Report to Adult Protective Services due within 24 hours.'],
};

/** A flag raised on the patient (and cleared, when `clearedAt` is given), with its timeline entries. */
export function raiseFlag(
  ctx: DemoContext,
  patientId: string,
  kind: FlagKind,
  at: number,
  by: Person | null,
  clearedAt: number | null = null,
  clearedBy: Person | null = null,
): void {
  const { r } = ctx;
  const raisedAt = past(ctx, at);
  const id = r.id(raisedAt);
  const note = FLAG_NOTES[kind] ? r.pick(FLAG_NOTES[kind]!) : null;
  const cleared = clearedAt !== null && clearedAt > raisedAt && clearedAt < ctx.now ? clearedAt : null;
  ctx.w.add(patientFlags, {
    id,
    organizationId: ctx.organizationId,
    patientId,
    kind,
    note,
    raisedBy: by?.id ?? null,
    raisedAt: new Date(raisedAt),
    clearedAt: cleared === null ? null : new Date(cleared),
    clearedBy: cleared === null ? null : (clearedBy?.id ?? null),
    clearedNote: cleared === null ? null : 'No longer applies.',
  });
  const label = FLAG_KINDS[kind].label;
  onTimeline(ctx, patientId, 'flag', raisedAt, `Flag raised: ${label}`, {
    kind: 'flag',
    id,
    actorId: by?.id ?? null,
  });
  if (cleared !== null)
    onTimeline(ctx, patientId, 'flag', cleared, `Flag cleared: ${label}`, {
      kind: 'flag',
      id,
      actorId: clearedBy?.id ?? null,
    });
}
