import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { NewsletterIssueView } from '../../../domain/schemas/newsletter.ts';
import { api } from '../../api/client.ts';
import { formatDateTime } from '../../components/dates.ts';
import { explainProblem, formatCount, issueKey, issueListKey, subscribersText } from './issue-labels.ts';

/** What the admin is about to do: send the saved issue now, or at `at` (an ISO time). */
export interface SendIntent {
  issue: NewsletterIssueView;
  listNames: string[];
  at?: string;
}

/** Asks before an issue goes out, naming how many people of which lists receive it, and sends it. */
export function SendDialog({ intent, onClose }: { intent: SendIntent | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  const send = useMutation({
    mutationFn: ({ issue, at }: SendIntent) =>
      api.post<NewsletterIssueView>(`/api/newsletter/issues/${issue.id}/send`, {
        version: issue.version,
        ...(at ? { at } : {}),
      }),
    onSuccess: async (next) => {
      queryClient.setQueryData(issueKey(next.id), next);
      onClose();
      await queryClient.invalidateQueries({ queryKey: issueListKey });
    },
  });
  const close = () => {
    send.reset();
    onClose();
  };
  const issue = intent?.issue;
  return (
    <Modal
      opened={intent !== null}
      onClose={close}
      title={intent?.at ? 'Schedule this issue?' : 'Send this issue now?'}
    >
      {issue && intent && (
        <Stack>
          <Text>
            “{issue.subject}” goes to <strong>{subscribersText(issue.audience)}</strong> of{' '}
            {intent.listNames.join(', ')}
            {intent.at ? `, on ${formatDateTime(intent.at)}` : ', starting now'}, at up to{' '}
            {formatCount(issue.ratePerMinute)} messages a minute.
          </Text>
          <Text size="sm" c="dimmed">
            {intent.at
              ? 'Until then you can cancel the schedule and edit the issue again.'
              : 'Once it is going out it can be stopped, but what was sent cannot be taken back.'}
          </Text>
          {send.error && (
            <Alert color="red" role="alert" variant="light" title={intent.at ? 'Not scheduled' : 'Not sent'}>
              {explainProblem(send.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Keep editing
            </Button>
            <Button loading={send.isPending} onClick={() => send.mutate(intent)}>
              {intent.at ? 'Schedule' : 'Send now'}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
