import { Button, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { MessageListResponse } from '../../../domain/schemas/messages.ts';
import { api, toQuery } from '../../api/client.ts';
import type { Patient } from '../../api/types.ts';
import { Pager } from '../../components/Pager.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useSignedInUser } from '../auth/session.ts';
import { MessageComposer } from './MessageComposer.tsx';
import { MessageThreadView } from './MessageThreadView.tsx';

const PAGE_SIZE = 20;

/** The chart's Messages tab: staff threads about this patient, newest activity first, and a composer. */
export function MessagesTab({ patientId }: { patientId: string }) {
  const me = useSignedInUser();
  const [page, setPage] = useState(1);
  const [composing, setComposing] = useState(false);
  const threads = useQuery({
    queryKey: ['patients', patientId, 'messages', page],
    queryFn: () =>
      api.get<MessageListResponse>(
        `/api/patients/${patientId}/messages${toQuery({ page, pageSize: PAGE_SIZE })}`,
      ),
  });
  // The care team, for the Notify picker; the chart has usually loaded it already.
  const patient = useQuery({
    queryKey: ['patients', patientId],
    queryFn: () => api.get<Patient>(`/api/patients/${patientId}`),
  });
  const careTeam = patient.data?.careTeam ?? [];
  const mayPost = threads.data?.abilities.post ?? false;

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2} size="h3">
          Messages
        </Title>
        {mayPost && !composing && <Button onClick={() => setComposing(true)}>New message</Button>}
      </Group>
      {mayPost && composing && (
        <Card withBorder>
          <MessageComposer
            patientId={patientId}
            careTeam={careTeam}
            selfId={me.id}
            onDone={(sent) => {
              setComposing(false);
              if (sent) setPage(1);
            }}
          />
        </Card>
      )}
      <ProblemAlert error={threads.error} />
      {threads.isPending && <Loader aria-label="Loading messages" />}
      {threads.data && threads.data.items.length === 0 && (
        <Text c="dimmed">No messages about this patient yet.</Text>
      )}
      {threads.data?.items.map((thread) => (
        <MessageThreadView
          key={thread.id}
          patientId={patientId}
          thread={thread}
          careTeam={careTeam}
          selfId={me.id}
          mayPost={mayPost}
        />
      ))}
      <Pager result={threads.data} page={page} onChange={setPage} />
    </Stack>
  );
}
