import { Alert, Anchor, Stack, Text } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { formatDateTime } from '../../components/dates.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { AssessmentList } from './AssessmentList.tsx';
import { InstrumentForm } from './InstrumentForm.tsx';
import { PsychosocialForm } from './PsychosocialForm.tsx';
import { PsychosocialView } from './PsychosocialView.tsx';
import { completedLine, ResultView } from './ResultView.tsx';
import { assessmentKey, useAssessment, useQuestionnaire } from './use-assessments.ts';

/**
 * One assessment: its form while a draft (or while being amended), its result once completed. A save that
 * lost to another (409) reloads the latest and says so.
 */
function AssessmentPage({ patientId, assessmentId }: { patientId: string; assessmentId: string }) {
  const queryClient = useQueryClient();
  const assessment = useAssessment(assessmentId);
  const a = assessment.data;
  const isScreen = Boolean(a && a.instrument !== 'psychosocial');
  const questionnaire = useQuestionnaire(a?.instrument ?? '', a?.instrumentVersion, isScreen);
  const [amending, setAmending] = useState(false);
  const [reloads, setReloads] = useState(0);
  const [reloaded, setReloaded] = useState(false);
  const previousStatus = useRef(a?.status);
  const justCompleted = previousStatus.current === 'draft' && a?.status === 'completed';
  useEffect(() => {
    previousStatus.current = a?.status;
  });

  async function reload() {
    await queryClient.invalidateQueries({ queryKey: assessmentKey(assessmentId) });
    setReloaded(true);
    setReloads((n) => n + 1);
  }

  if (assessment.error) return <ProblemAlert error={assessment.error} />;
  if (!a || (isScreen && !questionnaire.data && !questionnaire.error))
    return <Text role="status">Loading the assessment…</Text>;
  if (questionnaire.error) return <ProblemAlert error={questionnaire.error} />;

  const notice = reloaded && (
    <Alert color="yellow" variant="light" role="status" title="Reloaded">
      Someone else saved this assessment meanwhile (perhaps the patient, on the tablet). The latest answers
      are shown; check them before you go on.
    </Alert>
  );
  const editing =
    a.status === 'draft' && a.abilities.update
      ? 'draft'
      : amending && a.status === 'completed'
        ? 'amend'
        : null;
  if (a.status === 'draft' && !editing)
    return (
      <Text>
        {`${a.title}: a draft started ${formatDateTime(a.startedAt)} by ${a.startedBy.displayName}. Its result shows here once it is completed.`}
      </Text>
    );

  if (a.instrument === 'psychosocial') {
    if (editing)
      return (
        <Stack>
          {notice}
          <PsychosocialForm
            key={`${a.id}-${editing}-${reloads}`}
            patientId={patientId}
            assessment={a}
            mode={editing}
            onCancelAmend={() => setAmending(false)}
            onConflict={reload}
          />
        </Stack>
      );
    if (a.status === 'completed')
      return <PsychosocialView patientId={patientId} assessment={a} onAmend={() => setAmending(true)} />;
  } else if (editing && questionnaire.data) {
    return (
      <Stack>
        {notice}
        <InstrumentForm
          key={`${a.id}-${editing}-${reloads}`}
          patientId={patientId}
          assessment={a}
          questionnaire={questionnaire.data}
          mode={editing}
          onCancelAmend={() => setAmending(false)}
          onConflict={reload}
        />
      </Stack>
    );
  }
  if (a.status === 'discarded')
    return <Text>{`${a.title}: ${completedLine(a)}. It was never completed.`}</Text>;
  return (
    <ResultView
      patientId={patientId}
      assessment={a}
      questionnaire={questionnaire.data}
      onAmend={() => setAmending(true)}
      focusOnMount={justCompleted}
    />
  );
}

/** The chart's Assessments tab at /patients/:id/assessments, and one assessment at …/assessments/:assessmentId. */
export function AssessmentsTab({ patientId }: { patientId: string }) {
  const assessmentId = useParams()['*']?.split('/')[0] || null;
  if (!assessmentId) return <AssessmentList patientId={patientId} />;
  return (
    <Stack gap="sm">
      <Anchor component={Link} to={`/patients/${patientId}/assessments`} size="sm" w="fit-content">
        <IconArrowLeft size={14} aria-hidden /> All assessments
      </Anchor>
      <AssessmentPage key={assessmentId} patientId={patientId} assessmentId={assessmentId} />
    </Stack>
  );
}
