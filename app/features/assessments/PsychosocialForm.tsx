import { Alert, Badge, Button, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { PSYCHOSOCIAL_REQUIRED, PSYCHOSOCIAL_SECTIONS } from '../../../domain/assessments.ts';
import { ApiError, api } from '../../api/client.ts';
import { formatDateTime, formatTime } from '../../components/dates.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { AnswerProgress } from './AnswerProgress.tsx';
import { DraftActions } from './DraftActions.tsx';
import { placeErrors } from './field-errors.ts';
import type { AssessmentView } from './types.ts';
import { assessmentKey, assessmentPath, useRefreshPatient } from './use-assessments.ts';
import { useAutosave } from './use-autosave.ts';

type Sections = Record<string, string>;

const SECTION_KEYS: string[] = PSYCHOSOCIAL_SECTIONS.map((s) => s.key);

/** A section the reader may not see: that it exists, and why it is not shown. */
export function RestrictedSection({ label }: { label: string }) {
  return (
    <Paper withBorder p="sm" bg="gray.0">
      <Text fw={700}>{label}</Text>
      <Text size="sm">Restricted section: only social work staff may read it.</Text>
    </Paper>
  );
}

/**
 * The psychosocial assessment: the worker's structured narrative, section by section, saved as they write.
 * Substance use is a sensitive section. In `amend` mode the same form corrects a completed one, with a reason.
 */
export function PsychosocialForm({
  patientId,
  assessment,
  mode,
  onCancelAmend,
  onConflict,
}: {
  patientId: string;
  assessment: AssessmentView;
  mode: 'draft' | 'amend';
  onCancelAmend?: () => void;
  onConflict: () => void;
}) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const refresh = useRefreshPatient();
  const restricted = new Set(assessment.restricted);
  const editable = PSYCHOSOCIAL_SECTIONS.filter((s) => !restricted.has(s.key));
  const [content, setContent] = useState<Sections>(() =>
    Object.fromEntries(editable.map((s) => [s.key, assessment.content?.[s.key] ?? ''])),
  );
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState<Record<string, string>>({});
  const firstRef = useRef<HTMLTextAreaElement>(null);

  const autosave = useAutosave({
    payload: content,
    version: assessment.version,
    enabled: mode === 'draft',
    onConflict,
    save: async (body, version) => {
      const saved = await api.put<AssessmentView>(`/api/assessments/${assessment.id}/draft`, {
        version,
        content: body,
      });
      queryClient.setQueryData(assessmentKey(saved.id), saved);
      return saved;
    },
  });

  const finish = useMutation({
    mutationFn: async () => {
      if (mode === 'amend') {
        return api.post<AssessmentView>(`/api/assessments/${assessment.id}/amend`, {
          version: assessment.version,
          reason: reason.trim(),
          content,
        });
      }
      const version = await autosave.stop();
      return api.post<AssessmentView>(`/api/assessments/${assessment.id}/complete`, { version, content });
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
  const placed = placeErrors(finish.error, [...SECTION_KEYS, 'reason']);
  const errors = { ...placed.byField, ...missing };

  // Keyboard-first: the form opens on its first field.
  useEffect(() => {
    firstRef.current?.focus();
  }, []);

  function submit(event: FormEvent) {
    event.preventDefault();
    const problems: Record<string, string> = {};
    for (const key of PSYCHOSOCIAL_REQUIRED) {
      if (!restricted.has(key) && !content[key]?.trim())
        problems[key] = 'Write this section before completing';
    }
    if (mode === 'amend' && !reason.trim()) problems.reason = 'Say why the assessment is corrected';
    setMissing(problems);
    const first = Object.keys(problems)[0];
    if (first) {
      document.getElementById(`section-${first}`)?.focus();
      return;
    }
    finish.mutate();
  }

  const written = editable.filter((s) => content[s.key]?.trim()).length;
  const saveState = autosave.saving
    ? 'Saving…'
    : autosave.savedAt
      ? `Saved ${formatTime(autosave.savedAt)}`
      : `Started ${formatDateTime(assessment.startedAt)} by ${assessment.startedBy.displayName}`;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={2} size="h3">
            {mode === 'amend' ? 'Amend: psychosocial assessment' : 'Psychosocial assessment'}
          </Title>
          {mode === 'draft' && <Text size="sm">{saveState}</Text>}
        </Stack>
        {mode === 'draft' && (
          <DraftActions
            patientId={patientId}
            assessment={assessment}
            questionnaire={null}
            flush={autosave.flush}
            stop={autosave.stop}
            resume={autosave.resume}
          />
        )}
      </Group>
      <ProblemAlert error={autosave.error} title="The draft could not be saved" />
      <AnswerProgress
        answered={written}
        total={editable.length}
        label={`${written} of ${editable.length} sections written`}
      />
      <form onSubmit={submit} noValidate aria-label="Psychosocial assessment">
        <Stack gap="lg" maw={860}>
          {mode === 'amend' && (
            <Textarea
              ref={firstRef}
              id="section-reason"
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
          {PSYCHOSOCIAL_SECTIONS.map((section, index) =>
            restricted.has(section.key) ? (
              <RestrictedSection key={section.key} label={section.label} />
            ) : (
              <Textarea
                key={section.key}
                ref={index === 0 && mode === 'draft' ? firstRef : undefined}
                id={`section-${section.key}`}
                label={
                  section.sensitive ? (
                    <Group component="span" gap={8}>
                      <span>{section.label}</span>
                      <Badge color="grape" variant="light" tt="none">
                        Sensitive
                      </Badge>
                    </Group>
                  ) : (
                    section.label
                  )
                }
                description={
                  section.sensitive
                    ? 'Shown only to social work staff; every reading of it is recorded.'
                    : undefined
                }
                required={PSYCHOSOCIAL_REQUIRED.includes(section.key)}
                autosize
                minRows={3}
                maxLength={20_000}
                value={content[section.key] ?? ''}
                onChange={(e) => {
                  const text = e.currentTarget.value;
                  setContent((current) => ({ ...current, [section.key]: text }));
                }}
                error={errors[section.key]}
              />
            ),
          )}
          {placed.other.length > 0 && (
            <Alert color="red" role="alert" title="The assessment could not be completed">
              {placed.other.join('; ')}
            </Alert>
          )}
          {!(finish.error instanceof ApiError && finish.error.errors.length > 0) && (
            <ProblemAlert error={finish.error} />
          )}
          <Group>
            <Button type="submit" loading={finish.isPending}>
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
    </Stack>
  );
}
