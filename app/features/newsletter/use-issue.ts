import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { NewsletterIssueView } from '../../../domain/schemas/newsletter.ts';
import { api } from '../../api/client.ts';
import { issueKey } from './issue-labels.ts';

/** How often an issue is read again: every 2 s while it goes out, now and then while it waits for its time. */
const refreshEvery = (issue: NewsletterIssueView | undefined) =>
  issue?.status === 'sending' ? 2_000 : issue?.status === 'scheduled' ? 30_000 : false;

/** One issue; polled while it is being sent (in the background: watching is not activity that keeps a session). */
export function useIssue(issueId: string) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: issueKey(issueId),
    queryFn: () => {
      const path = `/api/newsletter/issues/${issueId}`;
      const known = queryClient.getQueryData<NewsletterIssueView>(issueKey(issueId));
      return known && refreshEvery(known)
        ? api.poll<NewsletterIssueView>(path)
        : api.get<NewsletterIssueView>(path);
    },
    refetchInterval: (query) => refreshEvery(query.state.data),
  });
}
