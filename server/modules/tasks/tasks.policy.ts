import { ORGANISATION_WIDE_ROLES } from '../../../domain/roles.ts';
import { TASK_WRITER_ROLES } from '../../../domain/tasks.ts';
import type { Actor } from '../../platform/actor.ts';

/** What the rules need to know about a task. */
export interface TaskFacts {
  patientId: string | null;
  assigneeId: string;
  createdBy: string | null;
}

/**
 * A task about a patient follows the patient's rules (`requirePatient`: read to see it, update to change it).
 * A task about no patient belongs to its assignee and its creator, and organisation-wide roles oversee it.
 */
export function mayWorkPlainTask(actor: Actor, task: TaskFacts): boolean {
  return (
    task.assigneeId === actor.userId ||
    task.createdBy === actor.userId ||
    ORGANISATION_WIDE_ROLES.includes(actor.role)
  );
}

/**
 * Whether the actor may change a task in a list, computed from facts the list query selects: for a patient
 * task, an organisation-wide role or a place on the care team (an emergency grant is checked on the action).
 */
export function mayUpdateListedTask(actor: Actor, task: TaskFacts, onCareTeam: boolean): boolean {
  if (!(TASK_WRITER_ROLES as readonly string[]).includes(actor.role)) return false;
  if (task.patientId) return onCareTeam || ORGANISATION_WIDE_ROLES.includes(actor.role);
  return mayWorkPlainTask(actor, task);
}
