import { and, eq, inArray, isNull, lte, ne, type SQL, sql } from 'drizzle-orm';
import { URGENCY_LABELS, type Urgency } from '../../../domain/casework.ts';
import { TIMELINE_KINDS } from '../../../domain/timeline.ts';
import type { Db, Tx } from '../../db/client.ts';
import { defineJob } from '../../platform/jobs.ts';
import { notify } from '../../platform/notifications/notifications.service.ts';
import { users } from '../../platform/platform.tables.ts';
import { cases } from '../cases/cases.tables.ts';
import { tasks } from './tasks.tables.ts';

export interface ReminderSettings {
  /** How long past its due time an open task gets its overdue reminder. */
  overdueAfterMinutes: number;
  /** Rows claimed per transaction. */
  batchSize?: number;
}

const taskLink = (patientId: string | null) => (patientId ? TIMELINE_KINDS.task.link(patientId) : '/tasks');

/**
 * Claims up to a batch of open tasks matching `owed`, marks them with `mark` and tells their assignees, in one
 * transaction. The claim is the UPDATE of the rows selected FOR UPDATE SKIP LOCKED, so two workers never
 * remind twice.
 */
async function claimAndRemind(
  tx: Tx,
  owed: SQL,
  mark: Partial<Record<'dueRemindedAt' | 'overdueRemindedAt', Date | SQL>>,
  reminder: { kind: 'task-due' | 'task-overdue'; title: string },
  batchSize: number,
): Promise<number> {
  const batch = tx
    .select({ id: tasks.id })
    .from(tasks)
    .where(and(eq(tasks.status, 'open'), owed))
    .orderBy(tasks.dueAt)
    .limit(batchSize)
    .for('update', { skipLocked: true });
  const claimed = await tx.update(tasks).set(mark).where(inArray(tasks.id, batch)).returning({
    organizationId: tasks.organizationId,
    assigneeId: tasks.assigneeId,
    patientId: tasks.patientId,
  });
  for (const task of claimed) {
    await notify(tx, {
      organizationId: task.organizationId,
      userIds: [task.assigneeId],
      ...reminder,
      link: taskLink(task.patientId),
      patientId: task.patientId,
    });
  }
  return claimed.length;
}

/** Overdue reminders owed; a task first seen when already overdue gets only this one. */
function remindOverdue(tx: Tx, now: Date, settings: Required<ReminderSettings>): Promise<number> {
  const threshold = new Date(now.getTime() - settings.overdueAfterMinutes * 60_000);
  return claimAndRemind(
    tx,
    and(lte(tasks.dueAt, threshold), isNull(tasks.overdueRemindedAt))!,
    {
      overdueRemindedAt: now,
      dueRemindedAt: sql`coalesce(${tasks.dueRemindedAt}, ${now.toISOString()}::timestamptz)`,
    },
    { kind: 'task-overdue', title: 'A task of yours is overdue' },
    settings.batchSize,
  );
}

/** Due reminders owed: tasks that have just come due, with no reminder yet. */
function remindDue(tx: Tx, now: Date, settings: Required<ReminderSettings>): Promise<number> {
  return claimAndRemind(
    tx,
    and(lte(tasks.dueAt, now), isNull(tasks.dueRemindedAt), isNull(tasks.overdueRemindedAt))!,
    { dueRemindedAt: now },
    { kind: 'task-due', title: 'A task of yours is due' },
    settings.batchSize,
  );
}

/** Claims open cases whose first contact is overdue and tells the organisation's supervisors, once. */
async function warnOverdueConsults(tx: Tx, now: Date, settings: Required<ReminderSettings>): Promise<number> {
  const owed = tx
    .select({ id: cases.id })
    .from(cases)
    .where(
      and(
        isNull(cases.closedAt),
        ne(cases.status, 'closed'),
        lte(cases.firstContactDueAt, now),
        isNull(cases.firstContactAt),
        isNull(cases.overdueNotifiedAt),
      ),
    )
    .limit(settings.batchSize)
    .for('update', { skipLocked: true });
  const claimed = await tx
    .update(cases)
    .set({ overdueNotifiedAt: now })
    .where(inArray(cases.id, owed))
    .returning({
      id: cases.id,
      organizationId: cases.organizationId,
      patientId: cases.patientId,
      urgency: cases.urgency,
    });
  if (!claimed.length) return 0;
  const supervisors = await tx
    .select({ id: users.id, organizationId: users.organizationId })
    .from(users)
    .where(
      and(
        inArray(users.organizationId, [...new Set(claimed.map((c) => c.organizationId))]),
        eq(users.role, 'supervisor'),
        eq(users.kind, 'person'),
        isNull(users.disabledAt),
      ),
    );
  for (const overdue of claimed) {
    await notify(tx, {
      organizationId: overdue.organizationId,
      userIds: supervisors.filter((s) => s.organizationId === overdue.organizationId).map((s) => s.id),
      kind: 'consult-overdue',
      title: `A consult missed its first-contact target (${URGENCY_LABELS[overdue.urgency as Urgency] ?? overdue.urgency})`,
      link: TIMELINE_KINDS.case.link(overdue.patientId, overdue.id),
      patientId: overdue.patientId,
    });
  }
  return claimed.length;
}

/**
 * One sweep at `now`: overdue reminders, then due reminders, then overdue consults. Each batch is its own
 * transaction (claim and notifications commit together); a full batch means there may be more.
 */
export async function sweepReminders(db: Db, now: Date, settings: ReminderSettings) {
  const full = { batchSize: 500, ...settings };
  const counts = { overdue: 0, due: 0, consults: 0 };
  const passes = [
    ['overdue', remindOverdue],
    ['due', remindDue],
    ['consults', warnOverdueConsults],
  ] as const;
  for (const [key, pass] of passes) {
    for (;;) {
      const n = await db.transaction((tx) => pass(tx, now, full));
      counts[key] += n;
      if (n < full.batchSize) break;
    }
  }
  return counts;
}

/** The sweep runs every minute on one worker at a time. */
export const taskJobs = [
  defineJob({
    name: 'tasks.reminders',
    cron: '* * * * *',
    policy: 'singleton',
    // Sweeps that piled up while no worker ran are one sweep.
    batchSize: 10,
    // A late sweep is replaced by the next one: no point retrying it.
    retryLimit: 0,
    handler: async (_jobs, ctx) => {
      await sweepReminders(ctx.database.db, new Date(), {
        overdueAfterMinutes: ctx.config.taskOverdueReminderMinutes,
      });
    },
  }),
];
