import { Anchor, Badge, Button, Group, Select, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ISSUE_STATUSES, type IssueStatus } from '../../../domain/newsletter.ts';
import type { NewsletterIssuePage, NewsletterIssueView } from '../../../domain/schemas/newsletter.ts';
import { api, toQuery } from '../../api/client.ts';
import { formatDateTime } from '../../components/dates.ts';
import { Pager } from '../../components/Pager.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { describeProblem, ProblemAlert } from '../../components/ProblemAlert.tsx';
import {
  formatCount,
  ISSUE_STATUS_COLORS,
  ISSUE_STATUS_LABELS,
  issueKey,
  issueListKey,
  issuePath,
} from './issue-labels.ts';
import { NewsletterTabs } from './NewsletterTabs.tsx';

/** The newsletter's issues, newest first: drafts to finish, scheduled ones, and how sent ones went. */
export function IssuesPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<IssueStatus | ''>('');
  const [page, setPage] = useState(1);
  const issues = useQuery({
    queryKey: [...issueListKey, status, page],
    queryFn: () =>
      api.get<NewsletterIssuePage>(`/api/newsletter/issues${toQuery({ status, page, pageSize: 25 })}`),
    placeholderData: keepPreviousData,
    // Issues going out show their progress as it changes.
    refetchInterval: (query) => (query.state.data?.items.some((i) => i.status === 'sending') ? 5_000 : false),
  });
  const create = useMutation({
    mutationFn: () => api.post<NewsletterIssueView>('/api/newsletter/issues', { subject: 'Untitled issue' }),
    onSuccess: async (issue) => {
      queryClient.setQueryData(issueKey(issue.id), issue);
      await navigate(issuePath(issue.id));
      await queryClient.invalidateQueries({ queryKey: issueListKey });
    },
    onError: (error) => notifications.show({ color: 'red', message: describeProblem(error) }),
  });
  return (
    <Stack>
      <PageTitle
        actions={
          <Button loading={create.isPending} onClick={() => create.mutate()}>
            New issue
          </Button>
        }
      >
        Newsletter issues
      </PageTitle>
      <NewsletterTabs />
      <Text c="dimmed" size="sm">
        Write an issue, preview it as a desktop and a phone show it, send yourself a test, then send it to the
        lists you choose, now or at a set time. Sent issues appear in the public site&apos;s newsletter
        archive.
      </Text>
      <Group align="flex-end">
        <Select
          label="Status"
          clearable
          w={200}
          data={ISSUE_STATUSES.map((s) => ({ value: s, label: ISSUE_STATUS_LABELS[s] }))}
          value={status || null}
          onChange={(value) => {
            setPage(1);
            setStatus((value as IssueStatus | null) ?? '');
          }}
        />
      </Group>
      <ProblemAlert error={issues.error} />
      <Table.ScrollContainer minWidth={860}>
        <Table striped>
          <Table.Caption>
            {issues.data ? `${formatCount(issues.data.total)} issue(s), newest first` : 'Issues'}
          </Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Subject</Table.Th>
              <Table.Th scope="col">Status</Table.Th>
              <Table.Th scope="col">Scheduled for</Table.Th>
              <Table.Th scope="col">Started</Table.Th>
              <Table.Th scope="col">Finished</Table.Th>
              <Table.Th scope="col">Sent</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {issues.data?.items.map((issue) => (
              <Table.Tr key={issue.id}>
                <Table.Td>
                  <Anchor component={Link} to={issuePath(issue.id)}>
                    {issue.subject}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Badge color={ISSUE_STATUS_COLORS[issue.status]} variant="light">
                    {ISSUE_STATUS_LABELS[issue.status]}
                  </Badge>
                </Table.Td>
                <Table.Td>{formatDateTime(issue.scheduledAt)}</Table.Td>
                <Table.Td>{formatDateTime(issue.startedAt)}</Table.Td>
                <Table.Td>{formatDateTime(issue.finishedAt)}</Table.Td>
                <Table.Td>
                  {issue.progress.recipients > 0
                    ? `${formatCount(issue.progress.sent)} of ${formatCount(issue.progress.recipients)}`
                    : '—'}
                </Table.Td>
              </Table.Tr>
            ))}
            {issues.data?.items.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={6}>
                  {status ? 'No issues with this status.' : 'No issues yet: start one with “New issue”.'}
                </Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Pager result={issues.data} page={page} onChange={setPage} />
    </Stack>
  );
}
