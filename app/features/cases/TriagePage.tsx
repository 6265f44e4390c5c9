import { Anchor, Button, Grid, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, type Page, toQuery } from '../../api/client.ts';
import { formatDateTime } from '../../components/dates.ts';
import { Pager } from '../../components/Pager.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { OverdueBadge, StatusBadge, UrgencyBadge } from './badges.tsx';
import { CaseActionDialog, type DialogAction, useCaseloads } from './CaseActionDialog.tsx';
import { ConsultTargetsPanel } from './ConsultTargetsPanel.tsx';
import { formatDue, formatMinutes } from './first-contact.ts';
import type { TriageQueueItem } from './types.ts';
import { useCaseTransition } from './use-case-transition.ts';

const PAGE_SIZE = 25;
const NOWRAP = { whiteSpace: 'nowrap' } as const;

function DueCell({ item }: { item: TriageQueueItem }) {
  const minutes = (Date.parse(item.dueAt) - Date.now()) / 60_000;
  return (
    <Stack gap={2}>
      <Text size="sm">{formatDue(item.dueAt)}</Text>
      {item.overdue ? (
        <Group gap={4}>
          <OverdueBadge />
          <Text size="xs">by {formatMinutes(-minutes)}</Text>
        </Group>
      ) : (
        <Text size="xs">in {formatMinutes(minutes)}</Text>
      )}
    </Stack>
  );
}

function TriageButton({ item }: { item: TriageQueueItem }) {
  const triage = useCaseTransition(item.id);
  return (
    <Button
      size="xs"
      variant="default"
      loading={triage.isPending}
      onClick={() => triage.mutate({ action: 'triage', version: item.version })}
      aria-label={`Mark triaged: ${item.patient.name}`}
    >
      Mark triaged
    </Button>
  );
}

function Queue({ onAssign }: { onAssign: (item: TriageQueueItem) => void }) {
  const [page, setPage] = useState(1);
  const queue = useQuery({
    queryKey: ['triage', 'queue', page],
    queryFn: () =>
      api.get<Page<TriageQueueItem>>(`/api/triage/queue${toQuery({ page, pageSize: PAGE_SIZE })}`),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
  return (
    <Stack>
      <Title order={2} size="h3">
        Waiting for a worker{queue.data ? ` (${queue.data.total})` : ''}
      </Title>
      <ProblemAlert error={queue.error} />
      {queue.isPending && <Loader aria-label="Loading the queue" />}
      {queue.data && queue.data.items.length === 0 && <Text>No consult is waiting. Nicely done.</Text>}
      {queue.data && queue.data.items.length > 0 && (
        <Table.ScrollContainer minWidth={900}>
          <Table highlightOnHover aria-label="Triage queue">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Patient</Table.Th>
                <Table.Th scope="col">Where</Table.Th>
                <Table.Th scope="col">Reason</Table.Th>
                <Table.Th scope="col">Urgency</Table.Th>
                <Table.Th scope="col">Requested</Table.Th>
                <Table.Th scope="col">First contact due</Table.Th>
                <Table.Th scope="col">Status</Table.Th>
                <Table.Th scope="col">Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {queue.data.items.map((item) => (
                <Table.Tr
                  key={item.id}
                  style={
                    item.overdue
                      ? {
                          background: 'var(--mantine-color-red-0)',
                          boxShadow: 'inset 4px 0 0 var(--mantine-color-red-9)',
                        }
                      : undefined
                  }
                >
                  <Table.Td>
                    <Anchor component={Link} to={`/patients/${item.patient.id}/cases`}>
                      {item.patient.name}
                    </Anchor>
                    <Text size="xs">MRN {item.patient.mrn}</Text>
                  </Table.Td>
                  <Table.Td>
                    {[item.unit, item.room && `room ${item.room}`].filter(Boolean).join(', ') || '—'}
                  </Table.Td>
                  <Table.Td maw={260}>
                    <Text size="sm">{item.reasonLabel}</Text>
                    {item.reasonText && (
                      <Text size="xs" lineClamp={2} title={item.reasonText}>
                        {item.reasonText}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td style={NOWRAP}>
                    <UrgencyBadge urgency={item.urgency} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatDateTime(item.requestedAt)}</Text>
                    <Text size="xs">{item.requestedBy?.displayName ?? '—'}</Text>
                  </Table.Td>
                  <Table.Td style={NOWRAP}>
                    <DueCell item={item} />
                  </Table.Td>
                  <Table.Td style={NOWRAP}>
                    <StatusBadge status={item.status} />
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      {item.allowedActions.includes('assign') && (
                        <Button size="xs" onClick={() => onAssign(item)}>
                          Assign
                        </Button>
                      )}
                      {item.allowedActions.includes('triage') && <TriageButton item={item} />}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Pager result={queue.data} page={page} onChange={setPage} />
    </Stack>
  );
}

function Caseloads() {
  const loads = useCaseloads();
  return (
    <Stack>
      <Title order={2} size="h3">
        Caseloads
      </Title>
      <ProblemAlert error={loads.error} />
      {loads.isPending && <Loader aria-label="Loading caseloads" />}
      {loads.data && (
        <Table aria-label="Caseloads">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Worker</Table.Th>
              <Table.Th scope="col">Open</Table.Th>
              <Table.Th scope="col">Acuity</Table.Th>
              <Table.Th scope="col" style={NOWRAP}>
                <abbr title="Emergent / urgent / routine">E / U / R</abbr>
              </Table.Th>
              <Table.Th scope="col">Overdue</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {loads.data.items.map((w) => (
              <Table.Tr key={w.userId}>
                <Table.Th scope="row" fw="normal">
                  {w.displayName}
                  {w.role === 'supervisor' && <Text size="xs">Supervisor</Text>}
                </Table.Th>
                <Table.Td>{w.openCases}</Table.Td>
                <Table.Td>{w.acuitySum}</Table.Td>
                <Table.Td style={NOWRAP}>
                  {w.byUrgency.emergent} / {w.byUrgency.urgent} / {w.byUrgency.routine}
                </Table.Td>
                <Table.Td>{w.overdueFirstContact ? <strong>{w.overdueFirstContact}</strong> : 0}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

/** The supervisor's triage desk: consults waiting for a worker, overdue first, beside each worker's caseload. */
export function TriagePage() {
  const [assigning, setAssigning] = useState<TriageQueueItem | null>(null);
  const [dialog, setDialog] = useState<DialogAction | null>(null);
  return (
    <Stack>
      <PageTitle>Triage</PageTitle>
      <Grid gap="xl">
        <Grid.Col span={{ base: 12, xl: 8 }}>
          <Queue
            onAssign={(item) => {
              setAssigning(item);
              setDialog('assign');
            }}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, xl: 4 }}>
          <Caseloads />
        </Grid.Col>
      </Grid>
      <ConsultTargetsPanel />
      <CaseActionDialog
        action={dialog}
        target={
          assigning
            ? {
                id: assigning.id,
                version: assigning.version,
                assigneeId: null,
                label: `${assigning.patient.name} (MRN ${assigning.patient.mrn}): ${assigning.reasonLabel}`,
              }
            : null
        }
        onClose={() => {
          setDialog(null);
          setAssigning(null);
        }}
      />
    </Stack>
  );
}
