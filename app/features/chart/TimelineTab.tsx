import { Anchor, Badge, Chip, Group, Stack, Text } from '@mantine/core';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link } from 'react-router';
import { TIMELINE_PAGE_SIZE } from '../../../domain/schemas/chart.ts';
import { TIMELINE_KIND_CODES, TIMELINE_KINDS, type TimelineKind } from '../../../domain/timeline.ts';
import { api, type Page, toQuery } from '../../api/client.ts';
import type { PatientChart, TimelineEntry } from '../../api/types.ts';
import { formatDateTime } from '../../components/dates.ts';
import { Pager } from '../../components/Pager.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import classes from './chart.module.css';
import { chartKey } from './use-chart.ts';

const kindLabel = (kind: string) => TIMELINE_KINDS[kind as TimelineKind]?.label ?? kind;

/** One timeline of everything done for the patient, newest first, filtered by kind and paged on the server. */
export function TimelineTab({ patientId }: { patientId: string }) {
  const queryClient = useQueryClient();
  const [kinds, setKinds] = useState<string[]>([]);
  const [page, setPage] = useState(1);
  const showId = useId();
  // The chart request brought the first unfiltered page: no second request for it.
  const chart = queryClient.getQueryState<PatientChart>(chartKey(patientId));
  const firstPage = page === 1 && kinds.length === 0;
  const timeline = useQuery({
    queryKey: ['patients', patientId, 'timeline', kinds, page],
    queryFn: () =>
      api.get<Page<TimelineEntry>>(
        `/api/patients/${patientId}/timeline${toQuery({ page, pageSize: TIMELINE_PAGE_SIZE, kinds: kinds.join(',') })}`,
      ),
    initialData: firstPage ? chart?.data?.timeline : undefined,
    initialDataUpdatedAt: firstPage ? chart?.dataUpdatedAt : undefined,
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });
  const data = timeline.data;

  return (
    <Stack gap="sm">
      <Group gap="xs" align="center" role="group" aria-labelledby={showId}>
        <Text id={showId} size="sm" fw={700}>
          Show
        </Text>
        <Chip.Group
          multiple
          value={kinds}
          onChange={(next) => {
            setKinds(TIMELINE_KIND_CODES.filter((k) => next.includes(k)));
            setPage(1);
          }}
        >
          {TIMELINE_KIND_CODES.map((kind) => (
            <Chip key={kind} value={kind} size="xs" variant="outline">
              {kindLabel(kind)}
            </Chip>
          ))}
        </Chip.Group>
      </Group>
      <ProblemAlert error={timeline.error} />
      <Text size="sm" role="status" aria-live="polite">
        {data
          ? `${data.total} ${data.total === 1 ? 'entry' : 'entries'}${kinds.length ? ` of ${kinds.map(kindLabel).join(', ')}` : ''}`
          : 'Loading the timeline…'}
      </Text>
      {data && data.items.length > 0 && (
        <ol className={classes.timeline} aria-label="Timeline, newest first">
          {data.items.map((entry) => (
            <li key={entry.id} className={classes.timelineEntry}>
              <Group gap="xs" wrap="nowrap" align="baseline">
                <Text size="sm" c="gray.8" miw={150} component="time" dateTime={entry.occurredAt}>
                  {formatDateTime(entry.occurredAt)}
                </Text>
                <Badge size="sm" radius="sm" variant="light" color="gray" miw={90}>
                  {kindLabel(entry.kind)}
                </Badge>
                <Text size="sm">
                  <Anchor component={Link} to={entry.link}>
                    {entry.summary}
                  </Anchor>
                  {entry.actorName && (
                    <Text span size="sm" c="gray.8">
                      {' '}
                      · {entry.actorName}
                    </Text>
                  )}
                </Text>
              </Group>
            </li>
          ))}
        </ol>
      )}
      <Pager result={data} page={page} onChange={setPage} />
    </Stack>
  );
}
