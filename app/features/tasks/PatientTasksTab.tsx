import { Button, Card, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Pager } from '../../components/Pager.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useChart } from '../chart/use-chart.ts';
import { TaskForm } from './TaskForm.tsx';
import { TaskTable } from './TaskTable.tsx';
import { useTaskActions, useTasks } from './use-tasks.ts';

const PAGE_SIZE = 25;

/** The chart's Tasks tab: everyone's tasks about this patient, and adding one. */
export function PatientTasksTab({ patientId }: { patientId: string }) {
  const [status, setStatus] = useState<'open' | 'all'>('open');
  const [page, setPage] = useState(1);
  const [adding, setAdding] = useState(false);
  const tasks = useTasks({ scope: 'patient', patientId, status, page, pageSize: PAGE_SIZE });
  // The chart around this tab has loaded the patient's abilities already: may this user add a task?
  const mayAdd = useChart(patientId).data?.abilities.update ?? false;
  const { complete } = useTaskActions();

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2} size="h3">
          Tasks
        </Title>
        {mayAdd && !adding && <Button onClick={() => setAdding(true)}>Add task</Button>}
      </Group>
      {adding && (
        <Card withBorder>
          <TaskForm patientId={patientId} onDone={() => setAdding(false)} />
        </Card>
      )}
      <SegmentedControl
        aria-label="Show"
        w="fit-content"
        value={status}
        onChange={(v) => {
          setStatus(v as 'open' | 'all');
          setPage(1);
        }}
        data={[
          { value: 'open', label: 'Open' },
          { value: 'all', label: 'All' },
        ]}
      />
      <ProblemAlert error={tasks.error ?? complete.error} />
      {tasks.data?.items.length === 0 && (
        <Text>No {status === 'open' ? 'open ' : ''}tasks for this patient.</Text>
      )}
      {tasks.data && tasks.data.items.length > 0 && (
        <TaskTable
          tasks={tasks.data.items}
          show="assignee"
          onComplete={(task) => complete.mutate(task)}
          completing={complete.isPending ? (complete.variables?.id ?? null) : null}
        />
      )}
      <Pager result={tasks.data} page={page} onChange={setPage} />
    </Stack>
  );
}
