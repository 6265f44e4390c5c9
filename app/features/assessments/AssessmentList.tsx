import {
  Anchor,
  Badge,
  Button,
  Group,
  Menu,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconChevronDown } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { ASSESSMENT_WRITER_ROLES } from '../../../domain/assessments.ts';
import { api, type Page, toQuery } from '../../api/client.ts';
import { formatDateTime } from '../../components/dates.ts';
import { Pager } from '../../components/Pager.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useSignedInUser } from '../auth/session.ts';
import { useChart } from '../chart/use-chart.ts';
import { bandLabel, declineLabel, domainLabel, STATUS_LABELS, TREND_INSTRUMENTS } from './labels.ts';
import { TrendChart } from './TrendChart.tsx';
import type { AssessmentInstrumentId, AssessmentSummary } from './types.ts';
import {
  assessmentListKey,
  assessmentPath,
  useAssessmentList,
  useInstruments,
  useStartAssessment,
} from './use-assessments.ts';

const PAGE_SIZE = 25;

/** "Give an instrument": every instrument Kith has, and the psychosocial assessment. */
function GiveMenu({ patientId }: { patientId: string }) {
  const instruments = useInstruments();
  const chart = useChart(patientId);
  const start = useStartAssessment(patientId);
  const give = (instrument: AssessmentInstrumentId) =>
    start.mutate({ instrument, encounterId: chart.data?.encounter?.id ?? null });
  return (
    <Stack gap={4} align="flex-end">
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button rightSection={<IconChevronDown size={16} aria-hidden />} loading={start.isPending}>
            Give an instrument
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>Screening instruments</Menu.Label>
          {instruments.isPending && <Menu.Item disabled>Loading…</Menu.Item>}
          {instruments.data?.items.map((i) => (
            <Menu.Item key={`${i.id}-${i.version}`} onClick={() => give(i.id)}>
              {i.title}
            </Menu.Item>
          ))}
          <Menu.Divider />
          <Menu.Item onClick={() => give('psychosocial')}>Psychosocial assessment</Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <ProblemAlert error={start.error ?? instruments.error} />
    </Stack>
  );
}

function StatusCell({ a }: { a: AssessmentSummary }) {
  return (
    <Group gap={4} wrap="wrap">
      <Badge
        variant="light"
        color={a.status === 'draft' ? 'blue' : a.status === 'completed' ? 'teal' : 'gray'}
        tt="none"
      >
        {STATUS_LABELS[a.status]}
      </Badge>
      {a.amendsId && (
        <Badge variant="light" color="blue" tt="none">
          Amendment
        </Badge>
      )}
      {a.supersededById && (
        <Badge variant="light" color="yellow" tt="none">
          Superseded
        </Badge>
      )}
      {a.status === 'declined' && <Text size="xs">{declineLabel(a.declineReason)}</Text>}
    </Group>
  );
}

/** Drafts this patient still has open, to pick up where they were left. */
function DraftsToResume({ patientId }: { patientId: string }) {
  const drafts = useQuery({
    queryKey: [...assessmentListKey(patientId), 'drafts'],
    queryFn: () =>
      api.get<Page<AssessmentSummary>>(
        `/api/patients/${patientId}/assessments${toQuery({ status: 'draft', pageSize: 20 })}`,
      ),
  });
  const items = drafts.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="drafts-to-resume">
      <Title order={3} size="h4" id="drafts-to-resume" mb="xs">
        Drafts to resume
      </Title>
      <Stack gap={4}>
        {items.map((d) => (
          <Group key={d.id} gap="xs">
            <Anchor component={Link} to={assessmentPath(patientId, d.id)}>
              Resume {d.title}
            </Anchor>
            <Text size="sm">started {formatDateTime(d.startedAt)}</Text>
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}

/** The chart's Assessments tab: every assessment of the patient, drafts to resume, and the PHQ-9 and GAD-7 trends. */
export function AssessmentList({ patientId }: { patientId: string }) {
  const me = useSignedInUser();
  const chart = useChart(patientId);
  const [page, setPage] = useState(1);
  const list = useAssessmentList(patientId, page, PAGE_SIZE);
  const mayGive =
    (ASSESSMENT_WRITER_ROLES as readonly string[]).includes(me.role) &&
    (chart.data?.abilities.update ?? false);

  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <Title order={2} size="h3">
          Assessments
        </Title>
        {mayGive && <GiveMenu patientId={patientId} />}
      </Group>
      {mayGive && <DraftsToResume patientId={patientId} />}
      <ProblemAlert error={list.error} />
      {list.isPending && <Text role="status">Loading assessments…</Text>}
      {list.data && list.data.items.length === 0 && (
        <Text>No assessment has been given to this patient yet.</Text>
      )}
      {list.data && list.data.items.length > 0 && (
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover>
            <Table.Caption>Assessments, newest first</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Assessment</Table.Th>
                <Table.Th scope="col">Date</Table.Th>
                <Table.Th scope="col">Score</Table.Th>
                <Table.Th scope="col">Band</Table.Th>
                <Table.Th scope="col">Positive domains</Table.Th>
                <Table.Th scope="col">Alarms</Table.Th>
                <Table.Th scope="col" miw={140}>
                  Status
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>
                    <Anchor component={Link} to={assessmentPath(patientId, a.id)}>
                      {a.status === 'draft' && mayGive ? `Resume ${a.title}` : a.title}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{formatDateTime(a.completedAt ?? a.startedAt)}</Table.Td>
                  <Table.Td>{a.score ?? '—'}</Table.Td>
                  <Table.Td>{bandLabel(a.band)}</Table.Td>
                  <Table.Td>
                    {a.positiveDomains.length ? a.positiveDomains.map(domainLabel).join(', ') : '—'}
                  </Table.Td>
                  <Table.Td>
                    {a.alarms.length ? (
                      <Text size="sm" fw={700} c="red.9">
                        {a.alarms.map((x) => x.reason).join('; ')}
                      </Text>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                  <Table.Td>
                    <StatusCell a={a} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Pager result={list.data} page={page} onChange={setPage} />
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        {TREND_INSTRUMENTS.map((instrument) => (
          <TrendChart key={instrument} patientId={patientId} instrument={instrument} />
        ))}
      </SimpleGrid>
    </Stack>
  );
}
