import type { z } from 'zod';
import type * as Tasks from '../../../domain/schemas/tasks.ts';

export type TaskView = z.infer<typeof Tasks.Task>;
export type TaskCreate = z.input<typeof Tasks.TaskCreateRequest>;
export interface TaskListParams {
  scope: 'mine' | 'patient';
  patientId?: string;
  status: 'open' | 'done' | 'all';
  due?: 'overdue' | 'today' | undefined;
  page: number;
  pageSize: number;
}
