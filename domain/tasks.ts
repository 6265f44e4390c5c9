import { ORGANISATION_WIDE_ROLES, type Role } from './roles.ts';

/** How pressing a task is. */
export const TASK_PRIORITIES = { routine: 'Routine', high: 'High', urgent: 'Urgent' } as const;
export type TaskPriority = keyof typeof TASK_PRIORITIES;
export const TASK_PRIORITY_CODES = Object.keys(TASK_PRIORITIES) as [TaskPriority, ...TaskPriority[]];

/** A task is open until someone completes or cancels it; both are recorded with who and when. */
export const TASK_STATUSES = ['open', 'done', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Roles that do tasks: the people a task can be assigned to. */
export const TASK_ASSIGNEE_ROLES = [
  'admin',
  'supervisor',
  'social_worker',
  'clinician',
] as const satisfies readonly Role[];

/** Roles that create and change tasks (read-only users and community partners do not). */
export const TASK_WRITER_ROLES = TASK_ASSIGNEE_ROLES;
/** Roles that see tasks. */
export const TASK_READER_ROLES = [...TASK_WRITER_ROLES, 'read_only'] as const satisfies readonly Role[];

/** After how long past its due time an open task counts as overdue for the reminder (configurable). */
export const DEFAULT_OVERDUE_REMINDER_MINUTES = 60;

/** True when an open task's due time has passed. */
export function isTaskOverdue(task: { status: string; dueAt: Date | string | null }, now: Date): boolean {
  return task.status === 'open' && task.dueAt !== null && new Date(task.dueAt).getTime() < now.getTime();
}

/** True when a user of this role may be given tasks about a patient: organisation-wide, or on the care team. */
export function mayBeAssignedPatientTask(role: string, onCareTeam: boolean): boolean {
  return (
    (TASK_ASSIGNEE_ROLES as readonly string[]).includes(role) &&
    (onCareTeam || ORGANISATION_WIDE_ROLES.includes(role as Role))
  );
}
