import { Group, Loader, Paper, SegmentedControl, Tabs, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { NewsletterIssuePreview } from '../../../domain/schemas/newsletter.ts';
import { api } from '../../api/client.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ISSUES_KEY } from './issue-labels.ts';
import classes from './newsletter.module.css';

const WIDTHS = { desktop: 640, phone: 375 } as const;
type Device = keyof typeof WIDTHS;

/**
 * The email as a subscriber gets it, rendered by the server from the text as it is now (saved or not): the
 * HTML part in a sandboxed frame (no scripts, no same-origin access) at a desktop or a phone's width, and the
 * plain-text part.
 */
export function IssuePreview({
  issueId,
  subject,
  bodyMarkdown,
}: {
  issueId: string;
  subject: string;
  bodyMarkdown: string;
}) {
  const typed = useMemo(
    () => ({ subject: subject.trim() || 'Untitled issue', bodyMarkdown }),
    [subject, bodyMarkdown],
  );
  const [settled] = useDebouncedValue(typed, 400);
  const [device, setDevice] = useState<Device>('desktop');
  const preview = useQuery({
    queryKey: [...ISSUES_KEY, 'preview', issueId, settled],
    queryFn: () => api.post<NewsletterIssuePreview>(`/api/newsletter/issues/${issueId}/preview`, settled),
    placeholderData: keepPreviousData,
    staleTime: Number.POSITIVE_INFINITY,
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="issue-preview-heading">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="issue-preview-heading">
          Preview
        </Title>
        {preview.isFetching && <Loader size="xs" aria-label="Updating the preview" />}
      </Group>
      <ProblemAlert error={preview.error} />
      {preview.data && (
        <Text size="sm" mb="xs">
          <strong>Subject:</strong> {preview.data.subject}
        </Text>
      )}
      {/* Not kept mounted: the frame is only in the page while its tab shows. */}
      <Tabs defaultValue="html" keepMounted={false}>
        <Tabs.List mb="sm">
          <Tabs.Tab value="html">Email</Tabs.Tab>
          <Tabs.Tab value="text">Plain text</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="html">
          <Group mb="xs" gap="sm">
            <Text size="sm" id="issue-preview-width-label">
              Width
            </Text>
            <SegmentedControl
              aria-labelledby="issue-preview-width-label"
              size="xs"
              value={device}
              onChange={(value) => setDevice(value as Device)}
              data={[
                { value: 'desktop', label: `Desktop (${WIDTHS.desktop} px)` },
                { value: 'phone', label: `Phone (${WIDTHS.phone} px)` },
              ]}
            />
          </Group>
          <div className={classes.frameScroller}>
            <iframe
              title={`The email on a ${device === 'desktop' ? 'desktop' : 'phone'}`}
              className={classes.frame}
              // Empty sandbox: the email's HTML runs no script and cannot reach this app.
              sandbox=""
              srcDoc={preview.data?.html ?? ''}
              width={WIDTHS[device]}
              style={{ width: WIDTHS[device] }}
            />
          </div>
          <Text size="xs" c="dimmed" mt="xs">
            Images from other sites may not load here; mail clients load them.
          </Text>
        </Tabs.Panel>
        <Tabs.Panel value="text">
          <Text size="sm" c="dimmed" mb="xs">
            The plain-text part, for mail clients that do not show HTML.
          </Text>
          <pre className={classes.text}>{preview.data?.text ?? ''}</pre>
        </Tabs.Panel>
      </Tabs>
    </Paper>
  );
}
