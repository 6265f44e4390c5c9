import { Progress, Stack, Text } from '@mantine/core';
import type { NewsletterIssueView } from '../../../domain/schemas/newsletter.ts';
import { formatDateTime } from '../../components/dates.ts';
import { describeProgress, handledOf } from './issue-labels.ts';

const SECTIONS = [
  ['sent', 'green.8', 'Sent'],
  ['kept', 'blue.7', 'Kept in the outbox'],
  ['failed', 'red.8', 'Failed'],
  ['skipped', 'gray.6', 'Skipped'],
  ['unknown', 'yellow.7', 'Unknown'],
] as const;

/** Where sending stands: one bar for every recipient, coloured by how each delivery ended, and in words. */
export function IssueProgress({ issue }: { issue: NewsletterIssueView }) {
  const p = issue.progress;
  const total = Math.max(p.recipients, 1);
  const handled = handledOf(p);
  const percent = Math.round((handled / total) * 100);
  const phase =
    issue.status === 'sending'
      ? 'Sending…'
      : issue.status === 'sent'
        ? `Done: sending finished ${formatDateTime(issue.finishedAt)}.`
        : issue.status === 'cancelled'
          ? 'Stopped: what was not sent yet was skipped.'
          : null;
  return (
    <Stack gap={6}>
      <Progress.Root
        size="xl"
        role="progressbar"
        aria-label="Recipients handled"
        aria-valuemin={0}
        aria-valuemax={p.recipients}
        aria-valuenow={handled}
        aria-valuetext={`${percent}%`}
      >
        {SECTIONS.map(([key, color, label]) =>
          p[key] > 0 ? (
            <Progress.Section
              key={key}
              value={(p[key] / total) * 100}
              color={color}
              withAria={false}
              title={label}
            />
          ) : null,
        )}
      </Progress.Root>
      <Text>{describeProgress(p)}</Text>
      {phase && (
        <Text role="status" fw={600}>
          {phase}
        </Text>
      )}
    </Stack>
  );
}
