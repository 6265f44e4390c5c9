import { Button, Card, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { Pager } from '../../components/Pager.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { TaskForm } from './TaskForm.tsx';
import { TaskTable } from './TaskTable.tsx';
import type { TaskListParams } from './types.ts';
import { useTaskActions, useTasks } from './use-tasks.ts';

const PAGE_SIZE = 50;

/** The signed-in user's tasks: open ones by due time, overdue first. */
export function MyTasksPage() {
  const [status, setStatus] = useState<TaskListParams['status']>('open');
  const [due, setDue] = useState<'any' | 'overdue' | 'today'>('any');
  const [page, setPage] = useState(1);
  const [adding, setAdding] = useState(false);
  const tasks = useTasks({
    scope: 'mine',
    status,
    due: due === 'any' ? undefined : due,
    page,
    pageSize: PAGE_SIZE,
  });
  const { complete } = useTaskActions();

  return (
    <Stack>
      <PageTitle actions={!adding && <Button onClick={() => setAdding(true)}>New task</Button>}>
        My tasks
      </PageTitle>
      {adding && (
        <Card withBorder>
          <TaskForm onDone={() => setAdding(false)} />
        </Card>
      )}
      <Group>
        <SegmentedControl
          aria-label="Status"
          value={status}
          onChange={(v) => {
            setStatus(v as TaskListParams['status']);
            setPage(1);
          }}
          data={[
            { value: 'open', label: 'Open' },
            { value: 'done', label: 'Done' },
            { value: 'all', label: 'All' },
          ]}
        />
        <SegmentedControl
          aria-label="Due"
          value={due}
          onChange={(v) => {
            setDue(v as typeof due);
            setPage(1);
          }}
          data={[
            { value: 'any', label: 'Any time' },
            { value: 'overdue', label: 'Overdue' },
            { value: 'today', label: 'Due today' },
          ]}
        />
      </Group>
      <ProblemAlert error={tasks.error ?? complete.error} />
      {tasks.data?.items.length === 0 && <Text>No tasks here.</Text>}
      {tasks.data && tasks.data.items.length > 0 && (
        <TaskTable
          tasks={tasks.data.items}
          show="patient"
          onComplete={(task) => complete.mutate(task)}
          completing={complete.isPending ? (complete.variables?.id ?? null) : null}
        />
      )}
      <Pager result={tasks.data} page={page} onChange={setPage} />
    </Stack>
  );
}
