import { Anchor, Badge, Loader, Stack } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { IssueEditor } from './IssueEditor.tsx';
import { IssueView } from './IssueView.tsx';
import { ISSUE_STATUS_COLORS, ISSUE_STATUS_LABELS, issueKey } from './issue-labels.ts';
import { NewsletterTabs } from './NewsletterTabs.tsx';
import { useIssue } from './use-issue.ts';

/** One issue at /admin/newsletter/issues/:issueId: its editor while a draft, then how sending goes. */
export function IssuePage() {
  const { issueId = '' } = useParams();
  const queryClient = useQueryClient();
  const issue = useIssue(issueId);
  const [reloads, setReloads] = useState(0);
  const reload = async () => {
    await queryClient.refetchQueries({ queryKey: issueKey(issueId) });
    setReloads((n) => n + 1);
  };
  const data = issue.data;
  return (
    <Stack>
      <PageTitle
        actions={
          data && (
            <Badge size="lg" color={ISSUE_STATUS_COLORS[data.status]} variant="light">
              {ISSUE_STATUS_LABELS[data.status]}
            </Badge>
          )
        }
      >
        {data ? data.subject : 'Newsletter issue'}
      </PageTitle>
      <NewsletterTabs />
      <Anchor component={Link} to="/admin/newsletter/issues" size="sm">
        ← All issues
      </Anchor>
      <ProblemAlert error={issue.error} />
      {issue.isPending && <Loader aria-label="Loading the issue" />}
      {data &&
        (data.status === 'draft' ? (
          <IssueEditor key={`${data.id}-${reloads}`} issue={data} onReload={() => void reload()} />
        ) : (
          <IssueView issue={data} />
        ))}
    </Stack>
  );
}
