import { Alert, Button, Grid, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import type { Questionnaire } from '../../../domain/instruments/fhir.ts';
import { ApiError, api } from '../../api/client.ts';
import { formatDateTime, formatTime } from '../../components/dates.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { AnswerProgress } from './AnswerProgress.tsx';
import classes from './assessments.module.css';
import { DraftActions } from './DraftActions.tsx';
import { placeErrors } from './field-errors.ts';
import { focusQuestion, QuestionField } from './QuestionField.tsx';
import {
  answersFromResponse,
  enabledLinkIds,
  type FormAnswers,
  introOf,
  missingRequired,
  progressOf,
  questionsOf,
  toResponse,
  withAnswer,
} from './questionnaire.ts';
import { ScoreSummary } from './ScoreSummary.tsx';
import type { AssessmentView } from './types.ts';
import { assessmentKey, assessmentPath, useLiveScore, useRefreshPatient } from './use-assessments.ts';
import { useAutosave } from './use-autosave.ts';

/**
 * Giving an instrument on screen, on one page and from the keyboard: each question a radio or checkbox
 * group, questions skipped by earlier answers left out, the live score beside them, the draft saved as the
 * worker goes. In `amend` mode the same form corrects a completed assessment, with the reason, in one post.
 */
export function InstrumentForm({
  patientId,
  assessment,
  questionnaire,
  mode,
  onCancelAmend,
  onConflict,
}: {
  patientId: string;
  assessment: AssessmentView;
  questionnaire: Questionnaire;
  mode: 'draft' | 'amend';
  onCancelAmend?: () => void;
  onConflict: () => void;
}) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const refresh = useRefreshPatient();
  const [answers, setAnswers] = useState<FormAnswers>(() => answersFromResponse(assessment.response));
  const [missing, setMissing] = useState<Record<string, string>>({});
  const [reason, setReason] = useState('');
  const completeRef = useRef<HTMLButtonElement>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);

  const questions = useMemo(() => questionsOf(questionnaire, 'en'), [questionnaire]);
  const linkIds = useMemo(() => questions.map((q) => q.linkId), [questions]);
  const enabled = enabledLinkIds(questions, answers);
  const asked = questions.filter((q) => enabled.has(q.linkId));
  const progress = progressOf(questions, answers);
  const response = useMemo(() => toResponse(questionnaire, answers), [questionnaire, answers]);
  const intro = introOf(questionnaire, 'en');

  const autosave = useAutosave({
    payload: response,
    version: assessment.version,
    enabled: mode === 'draft',
    onConflict,
    save: async (body, version) => {
      const saved = await api.put<AssessmentView>(`/api/assessments/${assessment.id}/draft`, {
        version,
        response: body,
      });
      queryClient.setQueryData(assessmentKey(saved.id), saved);
      return saved;
    },
  });
  const live = useLiveScore(
    assessment.instrument,
    assessment.instrumentVersion,
    response,
    progress.answered > 0,
  );

  const finish = useMutation({
    mutationFn: async () => {
      const finished = toResponse(questionnaire, answers, 'completed');
      if (mode === 'amend') {
        return api.post<AssessmentView>(`/api/assessments/${assessment.id}/amend`, {
          version: assessment.version,
          reason: reason.trim(),
          response: finished,
        });
      }
      const version = await autosave.stop();
      return api.post<AssessmentView>(`/api/assessments/${assessment.id}/complete`, {
        version,
        response: finished,
      });
    },
    onSuccess: async (done) => {
      refresh(patientId, done);
      if (done.id !== assessment.id) await navigate(assessmentPath(patientId, done.id));
    },
    onError: (error) => {
      autosave.resume();
      if (error instanceof ApiError && error.status === 409) onConflict();
    },
  });

  const placed = placeErrors(finish.error, [...linkIds, 'reason']);
  const liveErrors = placeErrors(live.error, linkIds).byField;
  const errors: Record<string, string> = { ...liveErrors, ...placed.byField, ...missing };

  // Keyboard-first: the form opens on its first unanswered question (or the reason, to amend).
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when the form opens
  useEffect(() => {
    if (mode === 'amend') {
      reasonRef.current?.focus();
      return;
    }
    const first = asked.find((q) => !answers[q.linkId]?.length) ?? asked[0];
    if (first) focusQuestion(first.linkId);
  }, []);

  function answer(linkId: string, codes: string[]) {
    setAnswers((current) => withAnswer(current, linkId, codes));
    if (missing[linkId]) setMissing(({ [linkId]: _, ...rest }) => rest);
  }

  function next(linkId: string) {
    const index = asked.findIndex((q) => q.linkId === linkId);
    const following = asked[index + 1];
    if (following) focusQuestion(following.linkId);
    else completeRef.current?.focus();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const unanswered = missingRequired(questions, answers);
    const problems: Record<string, string> = Object.fromEntries(
      unanswered.map((linkId) => [linkId, 'Answer this question']),
    );
    if (mode === 'amend' && !reason.trim()) problems.reason = 'Say why the assessment is corrected';
    setMissing(problems);
    if (unanswered[0]) {
      focusQuestion(unanswered[0]);
      return;
    }
    if (problems.reason) {
      reasonRef.current?.focus();
      return;
    }
    finish.mutate();
  }

  const answeredLabel = `${progress.answered} of ${progress.total} answered`;
  const saveState = autosave.saving
    ? 'Saving…'
    : autosave.savedAt
      ? `Saved ${formatTime(autosave.savedAt)}`
      : `Started ${formatDateTime(assessment.startedAt)} by ${assessment.startedBy.displayName}`;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Stack gap={2}>
          <Title order={2} size="h3">
            {mode === 'amend' ? `Amend: ${assessment.title}` : assessment.title}
          </Title>
          {mode === 'draft' && <Text size="sm">{saveState}</Text>}
        </Stack>
        {mode === 'draft' && (
          <DraftActions
            patientId={patientId}
            assessment={assessment}
            questionnaire={questionnaire}
            flush={autosave.flush}
            stop={autosave.stop}
            resume={autosave.resume}
          />
        )}
      </Group>
      <ProblemAlert error={autosave.error} title="The draft could not be saved" />
      {intro && <Text fw={600}>{intro}</Text>}
      <Text size="sm">
        Keys: Tab moves to the next question, arrow keys or number keys choose an answer, Enter goes on.
      </Text>
      <AnswerProgress answered={progress.answered} total={progress.total} label={answeredLabel} />
      <Grid gap="xl">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <form onSubmit={submit} noValidate aria-label={assessment.title}>
            <Stack gap="lg">
              {mode === 'amend' && (
                <Textarea
                  ref={reasonRef}
                  label="Reason for the amendment"
                  description="The original stays on the chart, marked as superseded by this correction."
                  required
                  autosize
                  minRows={2}
                  maxLength={2000}
                  value={reason}
                  onChange={(e) => setReason(e.currentTarget.value)}
                  error={errors.reason}
                />
              )}
              {asked.map((q, index) => (
                <QuestionField
                  key={q.linkId}
                  question={q}
                  number={index + 1}
                  value={answers[q.linkId] ?? []}
                  onChange={(codes) => answer(q.linkId, codes)}
                  onEnter={() => next(q.linkId)}
                  error={errors[q.linkId]}
                  showKeys
                />
              ))}
              {placed.other.length > 0 && (
                <Alert color="red" role="alert" title="The assessment could not be completed">
                  {placed.other.join('; ')}
                </Alert>
              )}
              {!(finish.error instanceof ApiError && finish.error.errors.length > 0) && (
                <ProblemAlert error={finish.error} />
              )}
              <Group>
                <Button ref={completeRef} type="submit" loading={finish.isPending}>
                  {mode === 'amend' ? 'Save amendment' : 'Complete'}
                </Button>
                {mode === 'amend' && (
                  <Button variant="default" onClick={onCancelAmend}>
                    Cancel
                  </Button>
                )}
              </Group>
            </Stack>
          </form>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Paper
            withBorder
            p="md"
            component="section"
            aria-labelledby={`live-${assessment.id}`}
            className={classes.livePanel}
          >
            <Title order={3} size="h4" id={`live-${assessment.id}`} mb="sm">
              Live score
            </Title>
            <ScoreSummary result={live.data} live empty={progress.answered === 0} />
            {live.error && !Object.keys(liveErrors).length ? <ProblemAlert error={live.error} /> : null}
          </Paper>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
