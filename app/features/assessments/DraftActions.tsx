import { Button, Group, Modal, Radio, Stack, Text, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { DECLINE_REASON_CODES, DECLINE_REASONS, type DeclineReason } from '../../../domain/assessments.ts';
import type { Questionnaire } from '../../../domain/instruments/fhir.ts';
import { api } from '../../api/client.ts';
import { fieldErrorsOf } from '../../components/field-errors.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { HandoffDialog } from './HandoffDialog.tsx';
import type { AssessmentView } from './types.ts';
import { useRefreshPatient } from './use-assessments.ts';

type Dialog = 'handoff' | 'decline' | 'discard' | null;

/**
 * What else can become of a draft: handed to the patient on a tablet, declined by the patient (with the
 * reason SDOH-1 excludes it for), or discarded. Each first waits for the draft's save in flight.
 */
export function DraftActions({
  patientId,
  assessment,
  questionnaire,
  flush,
  stop,
  resume,
}: {
  patientId: string;
  assessment: AssessmentView;
  /** Null for the psychosocial assessment, which is never handed over. */
  questionnaire: Questionnaire | null;
  flush: () => Promise<number>;
  stop: () => Promise<number>;
  resume: () => void;
}) {
  const [dialog, setDialog] = useState<Dialog>(null);
  const mayHandOff = assessment.abilities.handoff && questionnaire !== null;
  const isScreen = questionnaire !== null;
  return (
    <Group gap="xs">
      {mayHandOff && (
        <Button variant="default" onClick={() => setDialog('handoff')}>
          Hand to patient
        </Button>
      )}
      {isScreen && (
        <Button variant="default" onClick={() => setDialog('decline')}>
          Record decline
        </Button>
      )}
      <Button variant="subtle" color="red" onClick={() => setDialog('discard')}>
        Discard draft
      </Button>
      {questionnaire && (
        <HandoffDialog
          opened={dialog === 'handoff'}
          onClose={() => setDialog(null)}
          patientId={patientId}
          assessment={assessment}
          questionnaire={questionnaire}
          flush={flush}
        />
      )}
      <DeclineDialog
        opened={dialog === 'decline'}
        onClose={() => setDialog(null)}
        patientId={patientId}
        assessment={assessment}
        stop={stop}
        resume={resume}
      />
      <DiscardDialog
        opened={dialog === 'discard'}
        onClose={() => setDialog(null)}
        patientId={patientId}
        assessment={assessment}
        stop={stop}
        resume={resume}
      />
    </Group>
  );
}

interface EndDialogProps {
  opened: boolean;
  onClose: () => void;
  patientId: string;
  assessment: AssessmentView;
  stop: () => Promise<number>;
  resume: () => void;
}

/** The patient would not, or could not, do the screen. */
function DeclineDialog({ opened, onClose, patientId, assessment, stop, resume }: EndDialogProps) {
  const refresh = useRefreshPatient();
  const [reason, setReason] = useState<DeclineReason | ''>('');
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState<string | null>(null);
  const decline = useMutation({
    mutationFn: async () =>
      api.post<AssessmentView>(`/api/assessments/${assessment.id}/decline`, {
        version: await stop(),
        reason,
        ...(note.trim() ? { note: note.trim() } : {}),
      }),
    onSuccess: (declined) => {
      onClose();
      refresh(patientId, declined);
    },
    onError: resume,
  });
  const errors = fieldErrorsOf(decline.error);

  function confirm(event: FormEvent) {
    event.preventDefault();
    if (!reason) {
      setMissing('Choose why the screen was not done');
      return;
    }
    setMissing(null);
    decline.mutate();
  }

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title="Record that the screen was not done"
      size="lg"
      closeButtonProps={{ 'aria-label': 'Close dialog' }}
    >
      <form onSubmit={confirm} noValidate>
        <Stack>
          <Radio.Group
            label="Why"
            required
            value={reason}
            onChange={(v) => setReason(v as DeclineReason)}
            error={missing ?? errors.reason}
          >
            <Stack gap="xs" mt="xs">
              {DECLINE_REASON_CODES.map((code) => (
                <Radio key={code} value={code} label={DECLINE_REASONS[code]} />
              ))}
            </Stack>
          </Radio.Group>
          <Textarea
            label="Note"
            autosize
            minRows={2}
            maxLength={4000}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            error={errors.note}
          />
          <ProblemAlert error={Object.keys(errors).length ? null : decline.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={decline.isPending}>
              Record decline
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** A draft that will not be finished: gone from the list of drafts to resume. */
function DiscardDialog({ opened, onClose, patientId, assessment, stop, resume }: EndDialogProps) {
  const refresh = useRefreshPatient();
  const navigate = useNavigate();
  const discard = useMutation({
    mutationFn: async () =>
      api.post<AssessmentView>(`/api/assessments/${assessment.id}/discard`, { version: await stop() }),
    onSuccess: async (discarded) => {
      onClose();
      refresh(patientId, discarded);
      await navigate(`/patients/${patientId}/assessments`);
    },
    onError: resume,
  });
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title="Discard this draft?"
      closeButtonProps={{ 'aria-label': 'Close dialog' }}
    >
      <Stack>
        <Text>The answers so far are not kept as a result. This cannot be undone.</Text>
        <ProblemAlert error={discard.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Keep the draft
          </Button>
          <Button color="red" onClick={() => discard.mutate()} loading={discard.isPending}>
            Discard draft
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
