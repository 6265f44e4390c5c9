import { Alert, Anchor, Badge, Button, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import type { Questionnaire } from '../../../domain/instruments/fhir.ts';
import { formatDateTime } from '../../components/dates.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { listChartTabs } from '../chart/chart-tabs.ts';
import { useChart } from '../chart/use-chart.ts';
import { AmendmentNotes } from './AmendmentNotes.tsx';
import { declineLabel, domainLabel, LANGUAGE_LABELS, SHORT_NAMES } from './labels.ts';
import { answersFromResponse, questionsOf } from './questionnaire.ts';
import { ScoreSummary } from './ScoreSummary.tsx';
import type { AssessmentView } from './types.ts';
import { useStartAssessment } from './use-assessments.ts';

/** Who finished it and how: "Completed 28 Nov 2026, 14:05 by Sam Rivera · answered by the patient, in Spanish". */
export function completedLine(a: AssessmentView): string {
  const verb = a.status === 'declined' ? 'Declined' : a.status === 'discarded' ? 'Discarded' : 'Completed';
  const parts = [
    `${verb} ${formatDateTime(a.completedAt)}${a.completedBy ? ` by ${a.completedBy.displayName}` : ''}`,
  ];
  if (a.mode === 'patient')
    parts.push(`answered by the patient on a tablet, in ${LANGUAGE_LABELS[a.language]}`);
  return parts.join(' · ');
}

/** The answers as given, question by question (skipped questions are not listed). */
function AnswerList({
  assessment,
  questionnaire,
}: {
  assessment: AssessmentView;
  questionnaire: Questionnaire;
}) {
  const answers = answersFromResponse(assessment.response);
  const answered = questionsOf(questionnaire, 'en').filter((q) => answers[q.linkId]?.length);
  if (answered.length === 0) return <Text>No answers recorded.</Text>;
  return (
    <Stack component="dl" gap="xs" my={0}>
      {answered.map((q) => (
        <div key={q.linkId}>
          <Text component="dt" size="sm">
            {q.text}
          </Text>
          <Text component="dd" fw={600} m={0}>
            {(answers[q.linkId] ?? [])
              .map((code) => q.options.find((o) => o.code === code)?.label ?? code)
              .join('; ')}
          </Text>
        </div>
      ))}
    </Stack>
  );
}

/**
 * A completed screen, shown at once on completion: score, band, positive domains, alarms, the needs it
 * found, the instrument to give next, and the answers. Read-only; corrected only by an amendment.
 */
export function ResultView({
  patientId,
  assessment,
  questionnaire,
  onAmend,
  focusOnMount = false,
}: {
  patientId: string;
  assessment: AssessmentView;
  questionnaire: Questionnaire | undefined;
  onAmend: () => void;
  focusOnMount?: boolean;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const chart = useChart(patientId);
  const start = useStartAssessment(patientId);
  const hasNeedsTab = listChartTabs().some((t) => t.id === 'needs');
  const suggest = assessment.suggestNext;

  useEffect(() => {
    if (focusOnMount) heading.current?.focus();
  }, [focusOnMount]);

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={2} size="h3" ref={heading} tabIndex={-1}>
            Result: {assessment.title}
          </Title>
          <Text size="sm">{completedLine(assessment)}</Text>
        </Stack>
        {assessment.abilities.amend && !assessment.supersededById && (
          <Button variant="default" onClick={onAmend}>
            Amend
          </Button>
        )}
      </Group>
      <AmendmentNotes assessment={assessment} />
      {assessment.status === 'declined' ? (
        <Paper withBorder p="md">
          <Text fw={600}>Not done: {declineLabel(assessment.declineReason)}</Text>
          {assessment.note && <Text>{assessment.note}</Text>}
        </Paper>
      ) : (
        <Paper withBorder p="md" component="section" aria-label="Score">
          <ScoreSummary result={assessment.result} />
        </Paper>
      )}
      {suggest && !assessment.supersededById && (
        <Alert color="orange" variant="light" title={`Next: the ${SHORT_NAMES[suggest]}`}>
          <Stack gap="xs" align="flex-start">
            <Text size="sm">This result calls for a suicide risk screen now, before the patient leaves.</Text>
            <Button
              onClick={() =>
                start.mutate({ instrument: suggest, encounterId: chart.data?.encounter?.id ?? null })
              }
              loading={start.isPending}
            >
              Give the {SHORT_NAMES[suggest]} next
            </Button>
            <ProblemAlert error={start.error} />
          </Stack>
        </Alert>
      )}
      {assessment.status === 'completed' && (
        <section aria-labelledby={`needs-${assessment.id}`}>
          <Title order={3} size="h4" id={`needs-${assessment.id}`} mb="xs">
            Needs found
          </Title>
          {assessment.needs.length === 0 ? (
            <Text>No needs found by this screen.</Text>
          ) : (
            <List spacing={4}>
              {assessment.needs.map((need) => (
                <List.Item key={need.id}>
                  <Text component="span" fw={600}>
                    {domainLabel(need.domain)}
                  </Text>{' '}
                  <Badge variant="light" color={need.isNew ? 'orange' : 'gray'} tt="none">
                    {need.isNew ? 'New need' : 'Found again'}
                  </Badge>
                </List.Item>
              ))}
            </List>
          )}
          {hasNeedsTab && assessment.needs.length > 0 && (
            <Anchor component={Link} to={`/patients/${patientId}/needs`} size="sm">
              Open the patient's needs
            </Anchor>
          )}
        </section>
      )}
      {questionnaire && assessment.status === 'completed' && (
        <section aria-labelledby={`answers-${assessment.id}`}>
          <Title order={3} size="h4" id={`answers-${assessment.id}`} mb="xs">
            Answers
          </Title>
          <AnswerList assessment={assessment} questionnaire={questionnaire} />
        </section>
      )}
    </Stack>
  );
}
