import { Anchor, Badge, Button, Table, Text } from '@mantine/core';
import { IconCheck } from '@tabler/icons-react';
import { Link } from 'react-router';
import { TASK_PRIORITIES, type TaskPriority } from '../../../domain/tasks.ts';
import { formatDateTime } from '../../components/dates.ts';
import type { TaskView } from './types.ts';

const STATUS_LABELS = { open: 'Open', done: 'Done', cancelled: 'Cancelled' } as const;

function Due({ task }: { task: TaskView }) {
  if (!task.dueAt) return <Text size="sm">—</Text>;
  return (
    <Text size="sm" c={task.overdue ? 'red.9' : undefined} fw={task.overdue ? 700 : undefined}>
      {formatDateTime(task.dueAt)}{' '}
      {task.overdue && (
        <Badge color="red" variant="light" size="sm">
          Overdue
        </Badge>
      )}
    </Text>
  );
}

/** Tasks in a table: one click completes an open task the user may change; overdue ones stand out. */
export function TaskTable({
  tasks,
  show,
  onComplete,
  completing,
}: {
  tasks: TaskView[];
  /** The patient column on My tasks, the assignee column on the chart. */
  show: 'patient' | 'assignee';
  onComplete: (task: TaskView) => void;
  completing: string | null;
}) {
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Task</Table.Th>
            <Table.Th scope="col">{show === 'patient' ? 'Patient' : 'Assigned to'}</Table.Th>
            <Table.Th scope="col">Due</Table.Th>
            <Table.Th scope="col">Priority</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tasks.map((task) => (
            <Table.Tr key={task.id}>
              <Table.Td>
                <Text size="sm" fw={600}>
                  {task.title}
                </Text>
                {task.detail && (
                  <Text size="xs" c="dimmed" lineClamp={2}>
                    {task.detail}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {show === 'assignee' ? (
                  task.assignee.displayName
                ) : task.patient ? (
                  <Anchor component={Link} to={`/patients/${task.patient.id}`} size="sm">
                    {task.patient.name ?? 'Patient (not on your care team)'}
                  </Anchor>
                ) : (
                  '—'
                )}
              </Table.Td>
              <Table.Td>
                <Due task={task} />
              </Table.Td>
              <Table.Td>{TASK_PRIORITIES[task.priority as TaskPriority] ?? task.priority}</Table.Td>
              <Table.Td>
                {task.status === 'open' && task.abilities.update ? (
                  <Button
                    size="compact-sm"
                    variant="light"
                    leftSection={<IconCheck size={14} aria-hidden />}
                    loading={completing === task.id}
                    onClick={() => onComplete(task)}
                    aria-label={`Complete: ${task.title}`}
                  >
                    Complete
                  </Button>
                ) : (
                  <Text size="sm">
                    {STATUS_LABELS[task.status]}
                    {task.completedAt && task.status !== 'open' ? ` ${formatDateTime(task.completedAt)}` : ''}
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
