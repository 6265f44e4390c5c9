import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { fieldErrorsOf } from '../../components/field-errors.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ACTION_BUTTONS, NEED_STATUS_LABELS } from './labels.tsx';
import type { NeedPersonAction, NeedView } from './types.ts';
import { needsKey, useNeedTransition } from './use-needs.ts';

const CONFIRM: Record<NeedPersonAction, string> = {
  resolve: 'Resolve need',
  decline: 'Record the decline',
  reopen: 'Reopen need',
};
const NOTE_LABELS: Record<NeedPersonAction, string> = {
  resolve: 'How it was resolved',
  decline: 'The patient’s reason',
  reopen: 'Why it reopens',
};
const NOTE_HINTS: Record<NeedPersonAction, string> = {
  resolve: 'Optional. What met the need, e.g. “SNAP benefits started”.',
  decline: 'Required. In the patient’s words where you can.',
  reopen: 'Optional.',
};

const isStale = (error: unknown) =>
  error instanceof ApiError && error.status === 409 && error.is('stale-version');

/**
 * Confirms a change to a need, with its note: optional to resolve or reopen, the patient's reason to decline.
 * `need` is the need as last loaded, so that after a version conflict (someone else changed it) the dialog
 * retries against the reloaded version, or says the action no longer applies.
 */
export function NeedActionDialog({
  patientId,
  need,
  action,
  initialNote = '',
  onClose,
}: {
  patientId: string;
  need: NeedView | null;
  action: NeedPersonAction | null;
  /** A note to start from, e.g. what a completed referral delivered. */
  initialNote?: string;
  onClose: (changed?: NeedView) => void;
}) {
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState<string | null>(null);
  const transition = useNeedTransition(patientId, need?.id ?? '', (changed) => onClose(changed));

  // Each opening starts clean.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when another need or action opens
  useEffect(() => {
    setNote(initialNote);
    setMissing(null);
    transition.reset();
  }, [action, need?.id]);

  const stale = isStale(transition.error);
  useEffect(() => {
    if (stale) void queryClient.invalidateQueries({ queryKey: needsKey(patientId) });
  }, [stale, queryClient, patientId]);

  if (!need || !action) return null;
  const stillAllowed = need.allowedActions.includes(action);
  const errors = fieldErrorsOf(transition.error);

  function confirm(event: FormEvent) {
    event.preventDefault();
    if (!need || !action) return;
    if (action === 'decline' && !note.trim()) {
      setMissing('Write the patient’s reason for declining');
      return;
    }
    setMissing(null);
    transition.mutate({ action, version: need.version, ...(note.trim() ? { note: note.trim() } : {}) });
  }

  return (
    <Modal
      opened
      onClose={() => onClose()}
      title={`${ACTION_BUTTONS[action]}: ${need.label}`}
      closeButtonProps={{ 'aria-label': 'Close dialog' }}
      returnFocus={false}
    >
      <form onSubmit={confirm} noValidate>
        <Stack>
          {stale ? (
            <Alert color="yellow" role="alert" title="This need changed while you were looking at it">
              {stillAllowed
                ? 'Someone else changed it; it has been reloaded. Check it, then confirm again.'
                : `It is now ${NEED_STATUS_LABELS[need.status].toLowerCase()}, so this is no longer needed.`}
            </Alert>
          ) : (
            transition.error && !errors.note && <ProblemAlert error={transition.error} />
          )}
          <Text size="sm">Currently: {NEED_STATUS_LABELS[need.status]}.</Text>
          <Textarea
            label={NOTE_LABELS[action]}
            description={NOTE_HINTS[action]}
            required={action === 'decline'}
            autosize
            minRows={3}
            maxLength={2000}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            error={missing ?? errors.note}
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => onClose()}>
              Cancel
            </Button>
            <Button type="submit" loading={transition.isPending} disabled={!stillAllowed}>
              {CONFIRM[action]}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
