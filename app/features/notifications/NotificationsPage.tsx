import { Anchor, Badge, Button, Group, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'react-router';
import { formatDateTime } from '../../components/dates.ts';
import { Pager } from '../../components/Pager.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useMarkRead, useNotifications, useUnreadCount } from './use-notifications.ts';

const PAGE_SIZE = 25;

/** Every notification of mine, newest first, where the bell's "See all" and the emails lead. */
export function NotificationsPage() {
  const [page, setPage] = useState(1);
  const [show, setShow] = useState<'all' | 'unread'>('all');
  const list = useNotifications({ page, pageSize: PAGE_SIZE, unread: show === 'unread' });
  const count = useUnreadCount();
  const { one, all } = useMarkRead();

  return (
    <Stack>
      <PageTitle
        actions={
          <Button
            variant="light"
            disabled={!count.data?.unread}
            loading={all.isPending}
            onClick={() => all.mutate()}
          >
            Mark all read
          </Button>
        }
      >
        Notifications
      </PageTitle>
      <SegmentedControl
        aria-label="Show"
        w="fit-content"
        value={show}
        onChange={(v) => {
          setShow(v as 'all' | 'unread');
          setPage(1);
        }}
        data={[
          { value: 'all', label: 'All' },
          { value: 'unread', label: `Unread (${count.data?.unread ?? 0})` },
        ]}
      />
      <ProblemAlert error={list.error ?? one.error ?? all.error} />
      {list.data?.items.length === 0 && <Text>No notifications.</Text>}
      {list.data && list.data.items.length > 0 && (
        <Table.ScrollContainer minWidth={600}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Notification</Table.Th>
                <Table.Th scope="col">Patient</Table.Th>
                <Table.Th scope="col">Received</Table.Th>
                <Table.Th scope="col">Status</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((n) => (
                <Table.Tr key={n.id}>
                  <Table.Td>
                    {n.link ? (
                      <Anchor
                        component={Link}
                        to={n.link}
                        fw={n.readAt ? 400 : 700}
                        onClick={() => !n.readAt && one.mutate(n.id)}
                      >
                        {n.title}
                      </Anchor>
                    ) : (
                      <Text fw={n.readAt ? 400 : 700}>{n.title}</Text>
                    )}
                  </Table.Td>
                  <Table.Td>{n.patient?.name ?? '—'}</Table.Td>
                  <Table.Td>{formatDateTime(n.createdAt)}</Table.Td>
                  <Table.Td>
                    {n.readAt ? (
                      <Text size="sm">Read</Text>
                    ) : (
                      <Group gap="xs" wrap="nowrap">
                        <Badge variant="light" color="blue">
                          Unread
                        </Badge>
                        <Button
                          size="compact-sm"
                          variant="subtle"
                          onClick={() => one.mutate(n.id)}
                          aria-label={`Mark read: ${n.title}`}
                        >
                          Mark read
                        </Button>
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Pager result={list.data} page={page} onChange={setPage} />
    </Stack>
  );
}
