import {
  ActionIcon,
  Anchor,
  Button,
  Group,
  Indicator,
  Loader,
  Popover,
  Stack,
  Text,
  UnstyledButton,
  VisuallyHidden,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconBell } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router';
import { formatDateTime } from '../../components/dates.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import classes from './notifications.module.css';
import type { NotificationItem } from './types.ts';
import { useMarkRead, useNotifications, useUnreadCount } from './use-notifications.ts';

/** "Notifications, 3 unread": what the bell says to a screen reader. */
export function bellLabel(unread: number | undefined): string {
  if (unread === undefined) return 'Notifications';
  return `Notifications, ${unread} unread`;
}

/** One notification: its title, the patient when the user may see them, and when it came. */
export function NotificationSummary({ item }: { item: NotificationItem }) {
  return (
    <div>
      <Text size="sm" fw={item.readAt ? 400 : 700}>
        {!item.readAt && <VisuallyHidden>Unread: </VisuallyHidden>}
        {item.title}
      </Text>
      <Text size="xs" c="dimmed">
        {item.patient ? `${item.patient.name} · ` : ''}
        {formatDateTime(item.createdAt)}
      </Text>
    </div>
  );
}

/** The bell in the top bar: the unread count, and the latest notifications one click away. */
export function NotificationBell() {
  const [opened, { toggle, close }] = useDisclosure(false);
  const navigate = useNavigate();
  const count = useUnreadCount();
  const latest = useNotifications({ page: 1, pageSize: 8 }, opened);
  const { one, all } = useMarkRead();
  const unread = count.data?.unread;

  async function open(item: NotificationItem) {
    close();
    if (!item.readAt) one.mutate(item.id);
    await navigate(item.link ?? '/notifications');
  }

  return (
    <Popover
      opened={opened}
      onChange={(o) => (o ? undefined : close())}
      position="bottom-end"
      width={360}
      trapFocus
      returnFocus
      withinPortal
      shadow="md"
    >
      <Indicator
        label={unread && unread > 99 ? '99+' : unread}
        disabled={!unread}
        size={18}
        color="red.8"
        offset={6}
      >
        {/* The target gets aria-expanded and aria-controls from the popover. */}
        <Popover.Target>
          <ActionIcon
            variant="subtle"
            color="white"
            size="lg"
            onClick={toggle}
            aria-label={bellLabel(unread)}
            className={classes.bell}
          >
            <IconBell size={22} aria-hidden />
          </ActionIcon>
        </Popover.Target>
      </Indicator>
      <Popover.Dropdown aria-labelledby="bell-heading" role="dialog">
        <Group justify="space-between" mb="xs">
          <Text fw={700} id="bell-heading">
            Notifications
          </Text>
          <Button
            size="compact-sm"
            variant="subtle"
            disabled={!unread}
            loading={all.isPending}
            onClick={() => all.mutate()}
          >
            Mark all read
          </Button>
        </Group>
        <ProblemAlert error={latest.error ?? all.error} />
        {latest.isPending && <Loader size="sm" aria-label="Loading notifications" />}
        {latest.data?.items.length === 0 && <Text size="sm">Nothing yet.</Text>}
        <Stack gap={4} component="ul" className={classes.list}>
          {latest.data?.items.map((item) => (
            <li key={item.id}>
              <UnstyledButton className={classes.item} onClick={() => open(item)} w="100%">
                <NotificationSummary item={item} />
              </UnstyledButton>
            </li>
          ))}
        </Stack>
        <Anchor component={Link} to="/notifications" size="sm" onClick={close} mt="xs" display="block">
          See all notifications
        </Anchor>
      </Popover.Dropdown>
    </Popover>
  );
}
