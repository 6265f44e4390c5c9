import { Button, Group, Modal, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { NewsletterIssueTestSent, NewsletterIssueView } from '../../../domain/schemas/newsletter.ts';
import { api } from '../../api/client.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useMe } from '../auth/session.ts';
import { explainProblem, issueKey, issueListKey } from './issue-labels.ts';
import { SendDialog, type SendIntent } from './SendDialog.tsx';

const TEST_RESULTS: Record<NewsletterIssueTestSent['status'], (to: string) => string> = {
  sent: (to) => `A test was sent to ${to}.`,
  queued: (to) => `The test to ${to} is kept in the outbox: no mail server is set up.`,
  failed: (to) => `The mail server refused the test to ${to}: see the outbox for its answer.`,
};

/**
 * A draft's way out: a test to oneself, sending now or at a time (each saves unsaved changes first), or
 * deleting it. `saveNow` gives the issue as saved, or null when it could not be saved (the form says why).
 */
export function SendPanel({
  issue,
  saveNow,
  listName,
  onNoLists,
}: {
  issue: NewsletterIssueView;
  saveNow: () => Promise<NewsletterIssueView | null>;
  listName: (id: string) => string;
  onNoLists: () => void;
}) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const me = useMe();
  const [result, setResult] = useState<string | null>(null);
  const [sendAt, setSendAt] = useState('');
  const [sendAtError, setSendAtError] = useState<string | null>(null);
  const [preparing, setPreparing] = useState<'now' | 'later' | null>(null);
  const [intent, setIntent] = useState<SendIntent | null>(null);
  const [deleting, setDeleting] = useState(false);

  const test = useMutation({
    mutationFn: async () => {
      setResult(null);
      const current = await saveNow();
      return current ? api.post<NewsletterIssueTestSent>(`/api/newsletter/issues/${issue.id}/test`) : null;
    },
    onSuccess: (sent) => sent && setResult(TEST_RESULTS[sent.status](sent.to)),
    onError: (error) => setResult(`The test was not sent: ${explainProblem(error)}`),
  });

  const remove = useMutation({
    mutationFn: () => api.delete(`/api/newsletter/issues/${issue.id}`),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: issueKey(issue.id) });
      await navigate('/admin/newsletter/issues');
      await queryClient.invalidateQueries({ queryKey: issueListKey });
    },
  });

  /** Saves, checks there is someone to send to, then asks (the dialog names how many and which lists). */
  async function prepare(when: 'now' | 'later') {
    setResult(null);
    let at: string | undefined;
    if (when === 'later') {
      const time = new Date(sendAt);
      if (!sendAt || Number.isNaN(time.getTime()))
        return setSendAtError('Choose the date and time to send at');
      if (time.getTime() <= Date.now() + 60_000) return setSendAtError('Choose a time in the future');
      at = time.toISOString();
    }
    setSendAtError(null);
    setPreparing(when);
    try {
      const current = await saveNow();
      if (!current) return;
      if (current.listIds.length === 0) return onNoLists();
      setIntent({ issue: current, listNames: current.listIds.map(listName), at });
    } finally {
      setPreparing(null);
    }
  }

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="issue-send-heading">
      <Stack gap="sm">
        <Title order={2} size="h4" id="issue-send-heading">
          Test and send
        </Title>
        <Group>
          <Button variant="light" loading={test.isPending} onClick={() => test.mutate()}>
            Send test to me
          </Button>
          <Text size="sm" c="dimmed">
            To {me.data?.user.email ?? 'your address'}, as saved.
          </Text>
        </Group>
        <Text role="status" size="sm" fw={600}>
          {result}
        </Text>
        <Group>
          <Button loading={preparing === 'now'} onClick={() => void prepare('now')}>
            Send now…
          </Button>
        </Group>
        <Group align="flex-end">
          <TextInput
            type="datetime-local"
            label="Send at"
            description="In this computer's time zone"
            value={sendAt}
            error={sendAtError}
            onChange={(e) => setSendAt(e.currentTarget.value)}
          />
          <Button variant="default" loading={preparing === 'later'} onClick={() => void prepare('later')}>
            Schedule…
          </Button>
        </Group>
        <Group>
          <Button variant="subtle" color="red" onClick={() => setDeleting(true)}>
            Delete this draft
          </Button>
        </Group>
      </Stack>
      <SendDialog intent={intent} onClose={() => setIntent(null)} />
      <Modal opened={deleting} onClose={() => setDeleting(false)} title="Delete this draft?">
        <Stack>
          <Text>“{issue.subject}” is deleted for good. Nothing was sent.</Text>
          <ProblemAlert error={remove.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeleting(false)}>
              Keep it
            </Button>
            <Button color="red" loading={remove.isPending} onClick={() => remove.mutate()}>
              Delete
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}
