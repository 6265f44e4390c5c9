import { Button, Card, Checkbox, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { NOTIFICATION_KIND_CODES, NOTIFICATION_KINDS } from '../../../domain/notifications.ts';
import { api } from '../../api/client.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import type { NotificationPreferencesView } from './types.ts';

const KEY = ['account', 'notification-preferences'] as const;
const PREFERENCES_PATH = '/api/account/notification-preferences';

/** The Account page's choice of which notifications also come by email. */
export function EmailPreferences({ email }: { email: string }) {
  const queryClient = useQueryClient();
  const saved = useQuery({
    queryKey: KEY,
    queryFn: () => api.get<NotificationPreferencesView>(PREFERENCES_PATH),
  });
  const [chosen, setChosen] = useState<string[]>([]);
  useEffect(() => {
    if (saved.data) setChosen(saved.data.emailKinds);
  }, [saved.data]);
  const save = useMutation({
    mutationFn: (body: NotificationPreferencesView) =>
      api.put<NotificationPreferencesView>(PREFERENCES_PATH, body),
    onSuccess: (data) => {
      queryClient.setQueryData(KEY, data);
      notifications.show({
        message: 'Your email choices are saved.',
        closeButtonProps: { 'aria-label': 'Dismiss' },
      });
    },
  });

  return (
    <Card withBorder component="section" aria-labelledby="email-notifications-heading">
      <Title order={2} size="h4" id="email-notifications-heading" mb="sm">
        Email notifications
      </Title>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate({ emailKinds: chosen as NotificationPreferencesView['emailKinds'] });
        }}
      >
        <Stack>
          <Checkbox.Group
            label={`Also email me, at ${email}, when:`}
            description="Every notification is in the bell. Emails never name a patient; they link to Kith."
            value={chosen}
            onChange={setChosen}
          >
            <Stack gap="xs" mt="xs">
              {NOTIFICATION_KIND_CODES.map((kind) => (
                <Checkbox key={kind} value={kind} label={NOTIFICATION_KINDS[kind]} />
              ))}
            </Stack>
          </Checkbox.Group>
          {saved.isPending && <Text size="sm">Loading your choices…</Text>}
          <ProblemAlert error={saved.error ?? save.error} />
          <Button type="submit" loading={save.isPending} disabled={!saved.data} w="fit-content">
            Save email choices
          </Button>
        </Stack>
      </form>
    </Card>
  );
}
