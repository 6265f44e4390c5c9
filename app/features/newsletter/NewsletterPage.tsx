import {
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { SUBSCRIBER_STATUSES, type SubscriberStatus } from '../../../domain/newsletter.ts';
import type { NewsletterListView, NewsletterSubscriber } from '../../../domain/schemas/newsletter.ts';
import { api, type Page, toQuery } from '../../api/client.ts';
import { formatDateTime } from '../../components/dates.ts';
import { Pager } from '../../components/Pager.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { describeProblem, ProblemAlert } from '../../components/ProblemAlert.tsx';
import { LISTS_KEY, ListsEditor } from './ListsEditor.tsx';
import { NewsletterTabs } from './NewsletterTabs.tsx';

const STATUS_LABELS: Record<SubscriberStatus, string> = {
  pending: 'Not confirmed',
  active: 'Subscribed',
  unsubscribed: 'Unsubscribed',
};
const STATUS_COLORS: Record<SubscriberStatus, string> = {
  pending: 'yellow',
  active: 'green',
  unsubscribed: 'gray',
};

/** The newsletter's subscribers (filter, search, export, erase) and its lists. */
export function NewsletterPage() {
  const queryClient = useQueryClient();
  const [filters, setFilters] = useState({ status: '', list: '' });
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [page, setPage] = useState(1);
  const [erasing, setErasing] = useState<NewsletterSubscriber | null>(null);
  const lists = useQuery({
    queryKey: LISTS_KEY,
    queryFn: () => api.get<NewsletterListView[]>('/api/newsletter/lists'),
  });
  const subscribers = useQuery({
    queryKey: ['newsletter', 'subscribers', filters, q, page],
    queryFn: () =>
      api.get<Page<NewsletterSubscriber>>(
        `/api/newsletter/subscribers${toQuery({ ...filters, q, page, pageSize: 50 })}`,
      ),
    placeholderData: keepPreviousData,
  });
  const erase = useMutation({
    mutationFn: (id: string) => api.delete(`/api/newsletter/subscribers/${id}`),
    onSuccess: async () => {
      setErasing(null);
      notifications.show({ message: 'The subscriber is erased; only a hash of the address remains.' });
      await queryClient.invalidateQueries({ queryKey: ['newsletter'] });
    },
    onError: (error) => notifications.show({ color: 'red', message: describeProblem(error) }),
  });
  const listName = (slug: string) => lists.data?.find((l) => l.slug === slug)?.name ?? slug;
  const exportUrl = `/api/newsletter/subscribers.csv${toQuery(filters)}`;
  const filter = (change: Partial<typeof filters>) => {
    setPage(1);
    setFilters({ ...filters, ...change });
  };
  return (
    <Stack>
      <PageTitle>Newsletter</PageTitle>
      <NewsletterTabs />
      <Text c="dimmed" size="sm">
        People who signed up on the public site. An address receives nothing until its owner confirms it from
        the email; unconfirmed addresses are forgotten after 7 days. Looking subscribers up and exporting them
        is recorded in the audit log.
      </Text>
      <Stack component="section" aria-labelledby="newsletter-subscribers-heading">
        <Title order={2} size="h4" id="newsletter-subscribers-heading">
          Subscribers
        </Title>
        <Group align="flex-end">
          <Select
            label="Status"
            clearable
            w={180}
            data={SUBSCRIBER_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))}
            value={filters.status || null}
            onChange={(status) => filter({ status: status ?? '' })}
          />
          <Select
            label="List"
            clearable
            w={220}
            data={(lists.data ?? []).map((l) => ({ value: l.slug, label: l.name }))}
            value={filters.list || null}
            onChange={(list) => filter({ list: list ?? '' })}
          />
          <TextInput
            label="Address contains"
            w={240}
            value={search}
            onChange={(e) => {
              setPage(1);
              setSearch(e.currentTarget.value);
            }}
          />
          <Anchor href={exportUrl} download>
            Export as CSV
          </Anchor>
        </Group>
        <ProblemAlert error={subscribers.error} />
        <Table.ScrollContainer minWidth={800}>
          <Table striped>
            <Table.Caption>
              {subscribers.data ? `${subscribers.data.total} subscriber(s), newest first` : 'Subscribers'}
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Address</Table.Th>
                <Table.Th scope="col">Status</Table.Th>
                <Table.Th scope="col">Lists</Table.Th>
                <Table.Th scope="col">Signed up</Table.Th>
                <Table.Th scope="col">Confirmed</Table.Th>
                <Table.Th scope="col">Unsubscribed</Table.Th>
                <Table.Th scope="col">Action</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {subscribers.data?.items.map((s) => (
                <Table.Tr key={s.id}>
                  <Table.Td>{s.email}</Table.Td>
                  <Table.Td>
                    <Badge color={STATUS_COLORS[s.status]} variant="light">
                      {STATUS_LABELS[s.status]}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {[...s.lists.map(listName), ...s.pendingLists.map((p) => `${listName(p)} (asked)`)].join(
                      ', ',
                    ) || '—'}
                  </Table.Td>
                  <Table.Td>{formatDateTime(s.consentAt)}</Table.Td>
                  <Table.Td>{formatDateTime(s.confirmedAt)}</Table.Td>
                  <Table.Td>{formatDateTime(s.unsubscribedAt)}</Table.Td>
                  <Table.Td>
                    <Button variant="subtle" color="red" size="xs" onClick={() => setErasing(s)}>
                      Erase {s.email}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
              {subscribers.data?.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={7}>No subscribers match.</Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <Pager result={subscribers.data} page={page} onChange={setPage} />
      </Stack>
      <ListsEditor />
      <Modal opened={erasing !== null} onClose={() => setErasing(null)} title="Erase this subscriber?">
        <Stack>
          <Text>
            {erasing?.email} and its consent record are deleted for good, and copies of the address in sent
            mail are blanked. Only a hash of the address stays, so that nothing is sent to it again unless its
            owner signs up and confirms anew.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setErasing(null)}>
              Keep
            </Button>
            <Button color="red" loading={erase.isPending} onClick={() => erasing && erase.mutate(erasing.id)}>
              Erase
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
