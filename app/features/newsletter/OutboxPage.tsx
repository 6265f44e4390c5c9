import { Badge, Group, Select, Stack, Table, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { OutboxPage as OutboxResult } from '../../../domain/schemas/admin.ts';
import { api, toQuery } from '../../api/client.ts';
import { formatDateTime } from '../../components/dates.ts';
import { Pager } from '../../components/Pager.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { formatCount } from './issue-labels.ts';
import { NewsletterTabs } from './NewsletterTabs.tsx';

const OUTBOX_STATUSES = ['queued', 'sent', 'failed'] as const;
type OutboxStatus = (typeof OUTBOX_STATUSES)[number];
const LABELS: Record<OutboxStatus, string> = { queued: 'Kept', sent: 'Sent', failed: 'Refused' };
const COLORS: Record<OutboxStatus, string> = { queued: 'blue', sent: 'green', failed: 'red' };
const labelOf = (status: string) => LABELS[status as OutboxStatus] ?? status;
const colorOf = (status: string) => COLORS[status as OutboxStatus] ?? 'gray';

/** The mail outbox: what Kith kept instead of sending, and what the mail server refused. */
export function OutboxPage() {
  const [status, setStatus] = useState<OutboxStatus | ''>('');
  const [page, setPage] = useState(1);
  const outbox = useQuery({
    queryKey: ['newsletter', 'outbox', status, page],
    queryFn: () => api.get<OutboxResult>(`/api/admin/outbox${toQuery({ status, page, pageSize: 50 })}`),
    placeholderData: keepPreviousData,
  });
  return (
    <Stack>
      <PageTitle>Mail outbox</PageTitle>
      <NewsletterTabs />
      <Text c="dimmed" size="sm">
        When no mail server is set up (SMTP_URL), Kith keeps every email it would send here instead, and mail
        the server refused is kept here with its answer.
      </Text>
      <Group align="flex-end">
        <Select
          label="Status"
          clearable
          w={200}
          data={OUTBOX_STATUSES.map((s) => ({ value: s, label: LABELS[s] }))}
          value={status || null}
          onChange={(value) => {
            setPage(1);
            setStatus((value as OutboxStatus | null) ?? '');
          }}
        />
      </Group>
      <ProblemAlert error={outbox.error} />
      <Table.ScrollContainer minWidth={900}>
        <Table striped>
          <Table.Caption>
            {outbox.data ? `${formatCount(outbox.data.total)} message(s), newest first` : 'Messages'}
          </Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">To</Table.Th>
              <Table.Th scope="col">Subject</Table.Th>
              <Table.Th scope="col">Status</Table.Th>
              <Table.Th scope="col">Attempts</Table.Th>
              <Table.Th scope="col">Last error</Table.Th>
              <Table.Th scope="col">Created</Table.Th>
              <Table.Th scope="col">Sent</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {outbox.data?.items.map((m) => (
              <Table.Tr key={m.id}>
                <Table.Td>{m.to}</Table.Td>
                <Table.Td>{m.subject}</Table.Td>
                <Table.Td>
                  <Badge color={colorOf(m.status)} variant="light">
                    {labelOf(m.status)}
                  </Badge>
                </Table.Td>
                <Table.Td>{m.attempts}</Table.Td>
                <Table.Td>{m.lastError ?? '—'}</Table.Td>
                <Table.Td>{formatDateTime(m.createdAt)}</Table.Td>
                <Table.Td>{formatDateTime(m.sentAt)}</Table.Td>
              </Table.Tr>
            ))}
            {outbox.data?.items.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={7}>No messages.</Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Pager result={outbox.data} page={page} onChange={setPage} />
    </Stack>
  );
}
