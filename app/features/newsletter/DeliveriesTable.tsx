import { Badge, Button, Group, Select, Stack, Table, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../../domain/newsletter.ts';
import type { NewsletterDeliveryPage } from '../../../domain/schemas/newsletter.ts';
import { api, toQuery } from '../../api/client.ts';
import { formatDateTime } from '../../components/dates.ts';
import { Pager } from '../../components/Pager.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { DELIVERY_STATUS_COLORS, DELIVERY_STATUS_LABELS, formatCount, ISSUES_KEY } from './issue-labels.ts';

/** Each recipient of an issue: how its delivery went, with the mail server's answer when it failed. */
export function DeliveriesTable({ issueId, live }: { issueId: string; live: boolean }) {
  const [status, setStatus] = useState<DeliveryStatus | ''>('');
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [page, setPage] = useState(1);
  // Not refreshed on a timer while the issue goes out (the progress above is): every read of addresses is
  // audited, so the list is read when it is asked for, and once more when sending ends (`live` changes).
  const deliveries = useQuery({
    queryKey: [...ISSUES_KEY, 'deliveries', issueId, status, q, page, live],
    queryFn: () =>
      api.get<NewsletterDeliveryPage>(
        `/api/newsletter/issues/${issueId}/deliveries${toQuery({ status, q, page, pageSize: 50 })}`,
      ),
    placeholderData: keepPreviousData,
    staleTime: Number.POSITIVE_INFINITY,
  });
  return (
    <Stack component="section" aria-labelledby="issue-deliveries-heading">
      <Title order={2} size="h4" id="issue-deliveries-heading">
        Deliveries
      </Title>
      <Group align="flex-end">
        <Select
          label="Delivery status"
          clearable
          w={200}
          data={DELIVERY_STATUSES.map((s) => ({ value: s, label: DELIVERY_STATUS_LABELS[s] }))}
          value={status || null}
          onChange={(value) => {
            setPage(1);
            setStatus((value as DeliveryStatus | null) ?? '');
          }}
        />
        <TextInput
          label="Address contains"
          w={260}
          value={search}
          onChange={(e) => {
            setPage(1);
            setSearch(e.currentTarget.value);
          }}
        />
        {live && (
          <Button variant="default" onClick={() => deliveries.refetch()} loading={deliveries.isFetching}>
            Refresh the list
          </Button>
        )}
      </Group>
      <ProblemAlert error={deliveries.error} />
      <Table.ScrollContainer minWidth={800}>
        <Table striped>
          <Table.Caption>
            {deliveries.data ? `${formatCount(deliveries.data.total)} recipient(s)` : 'Recipients'}
          </Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Address</Table.Th>
              <Table.Th scope="col">Status</Table.Th>
              <Table.Th scope="col">Attempts</Table.Th>
              <Table.Th scope="col">Last error (mail server&apos;s answer)</Table.Th>
              <Table.Th scope="col">Sent</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {deliveries.data?.items.map((d) => (
              <Table.Tr key={d.id}>
                <Table.Td>{d.email}</Table.Td>
                <Table.Td>
                  <Badge color={DELIVERY_STATUS_COLORS[d.status]} variant="light">
                    {DELIVERY_STATUS_LABELS[d.status]}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {d.attempts}
                  {d.nextAttemptAt && d.status === 'pending'
                    ? `, next ${formatDateTime(d.nextAttemptAt)}`
                    : ''}
                </Table.Td>
                <Table.Td>{d.lastError ?? '—'}</Table.Td>
                <Table.Td>{formatDateTime(d.sentAt)}</Table.Td>
              </Table.Tr>
            ))}
            {deliveries.data?.items.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={5}>No recipients match.</Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Pager result={deliveries.data} page={page} onChange={setPage} />
    </Stack>
  );
}
