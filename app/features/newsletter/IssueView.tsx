import { Anchor, Button, Grid, Group, Modal, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { NewsletterIssueView, NewsletterListView } from '../../../domain/schemas/newsletter.ts';
import { api } from '../../api/client.ts';
import { formatDateTime } from '../../components/dates.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { DeliveriesTable } from './DeliveriesTable.tsx';
import { IssuePreview } from './IssuePreview.tsx';
import { IssueProgress } from './IssueProgress.tsx';
import { formatCount, issueKey, issueListKey } from './issue-labels.ts';
import { LISTS_KEY } from './ListsEditor.tsx';

/** An issue that is no longer a draft: what was sent, to whom, how it is going; stop or unschedule it. */
export function IssueView({ issue }: { issue: NewsletterIssueView }) {
  const queryClient = useQueryClient();
  const [stopping, setStopping] = useState(false);
  const lists = useQuery({
    queryKey: LISTS_KEY,
    queryFn: () => api.get<NewsletterListView[]>('/api/newsletter/lists'),
  });
  const cancel = useMutation({
    mutationFn: () =>
      api.post<NewsletterIssueView>(`/api/newsletter/issues/${issue.id}/cancel`, { version: issue.version }),
    onSuccess: async (next) => {
      setStopping(false);
      queryClient.setQueryData(issueKey(next.id), next);
      await queryClient.invalidateQueries({ queryKey: issueListKey });
    },
  });
  const listNames =
    issue.listIds.map((id) => lists.data?.find((l) => l.id === id)?.name ?? '…').join(', ') || '—';
  const facts: [string, string][] = [
    ['Lists', listNames],
    ['Send rate', `${formatCount(issue.ratePerMinute)} messages a minute`],
    ['Scheduled for', formatDateTime(issue.scheduledAt)],
    ['Started', formatDateTime(issue.startedAt)],
    ['Finished', formatDateTime(issue.finishedAt)],
  ];
  return (
    <Stack>
      <Grid>
        <Grid.Col span={{ base: 12, xl: 5 }}>
          <Stack>
            <Paper withBorder p="md" component="section" aria-labelledby="issue-sending-heading">
              <Stack gap="sm">
                <Title order={2} size="h4" id="issue-sending-heading">
                  {issue.status === 'scheduled' ? 'Waiting to be sent' : 'Delivery'}
                </Title>
                <Table variant="vertical" withTableBorder={false}>
                  <Table.Tbody>
                    {facts.map(([label, value]) => (
                      <Table.Tr key={label}>
                        <Table.Th scope="row" w={140}>
                          {label}
                        </Table.Th>
                        <Table.Td>{value}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
                {issue.status === 'scheduled' ? (
                  <Text>
                    It goes to the {formatCount(issue.audience)} subscriber(s) of these lists at that time.
                  </Text>
                ) : (
                  <IssueProgress issue={issue} />
                )}
                {issue.archiveUrl && (
                  <Anchor href={issue.archiveUrl} target="_blank" rel="noopener">
                    Read it in the public archive (new tab)
                  </Anchor>
                )}
                <ProblemAlert error={cancel.error} />
                {issue.status === 'scheduled' && (
                  <Group>
                    <Button variant="default" loading={cancel.isPending} onClick={() => cancel.mutate()}>
                      Cancel the schedule and edit again
                    </Button>
                  </Group>
                )}
                {issue.status === 'sending' && (
                  <Group>
                    <Button variant="light" color="red" onClick={() => setStopping(true)}>
                      Stop sending…
                    </Button>
                  </Group>
                )}
              </Stack>
            </Paper>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, xl: 7 }}>
          <IssuePreview issueId={issue.id} subject={issue.subject} bodyMarkdown={issue.bodyMarkdown} />
        </Grid.Col>
      </Grid>
      {issue.progress.recipients > 0 && (
        <DeliveriesTable issueId={issue.id} live={issue.status === 'sending'} />
      )}
      <Modal opened={stopping} onClose={() => setStopping(false)} title="Stop sending this issue?">
        <Stack>
          <Text>
            Those who have not received “{issue.subject}” yet will not receive it. What was already sent stays
            sent. A stopped issue cannot be sent again.
          </Text>
          <ProblemAlert error={cancel.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setStopping(false)}>
              Keep sending
            </Button>
            <Button color="red" loading={cancel.isPending} onClick={() => cancel.mutate()}>
              Stop sending
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
