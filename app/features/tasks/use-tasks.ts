import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Page, toQuery } from '../../api/client.ts';
import { chartKey } from '../chart/use-chart.ts';
import type { TaskCreate, TaskListParams, TaskView } from './types.ts';

export const TASKS_KEY = ['tasks'] as const;

/** A page of tasks: mine, or a patient's. */
export function useTasks(params: TaskListParams) {
  return useQuery({
    queryKey: [...TASKS_KEY, params],
    queryFn: () => api.get<Page<TaskView>>(`/api/tasks${toQuery({ ...params })}`),
  });
}

/** Creating, completing: every task list refreshes after, and so does the bell. */
export function useTaskActions() {
  const queryClient = useQueryClient();
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: TASKS_KEY });
    await queryClient.invalidateQueries({ queryKey: ['notifications'] });
  };
  const create = useMutation({
    mutationFn: (body: TaskCreate) => api.post<TaskView>('/api/tasks', body),
    onSuccess: async (task) => {
      await refresh();
      // The chart header counts the patient's open tasks.
      if (task.patient) await queryClient.invalidateQueries({ queryKey: chartKey(task.patient.id) });
    },
  });
  const complete = useMutation({
    mutationFn: (task: Pick<TaskView, 'id' | 'version'>) =>
      api.post<TaskView>(`/api/tasks/${task.id}/complete`, { version: task.version }),
    // A 409 means someone else changed it: show the fresh list either way.
    onSettled: async (task) => {
      await refresh();
      if (task?.patient) await queryClient.invalidateQueries({ queryKey: chartKey(task.patient.id) });
    },
  });
  return { create, complete };
}
