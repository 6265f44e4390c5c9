import { Button, Group, Modal, NativeSelect, Stack, Text, Textarea } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { CLOSE_REASONS, type CloseReason } from '../../../domain/casework.ts';
import type { CaseAction } from '../../../domain/workflows/case.ts';
import { api } from '../../api/client.ts';
import { fieldErrorsOf } from '../../components/field-errors.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import type { Caseload, CaseView } from './types.ts';
import { useCaseTransition } from './use-case-transition.ts';

/** Actions that ask for something first: a worker, a close reason, a hand-off note. */
export type DialogAction = Extract<CaseAction, 'assign' | 'reassign' | 'close' | 'reopen'>;
export const DIALOG_ACTIONS: readonly CaseAction[] = ['assign', 'reassign', 'close', 'reopen'];

const TITLES: Record<DialogAction, string> = {
  assign: 'Assign case',
  reassign: 'Hand off to another worker',
  close: 'Close case',
  reopen: 'Reopen case',
};
const CONFIRM: Record<DialogAction, string> = {
  assign: 'Assign',
  reassign: 'Reassign',
  close: 'Close case',
  reopen: 'Reopen',
};

/** "Dana Reyes — 7 open cases, acuity 15, 1 overdue": what a supervisor weighs when choosing. */
export function caseloadLabel(load: Caseload): string {
  const parts = [
    `${load.openCases} open case${load.openCases === 1 ? '' : 's'}`,
    `acuity ${load.acuitySum}`,
    ...(load.overdueFirstContact ? [`${load.overdueFirstContact} overdue`] : []),
  ];
  return `${load.displayName}${load.role === 'supervisor' ? ' (supervisor)' : ''} — ${parts.join(', ')}`;
}

export function useCaseloads(enabled = true) {
  return useQuery({
    queryKey: ['caseloads'],
    queryFn: () => api.get<{ items: Caseload[] }>('/api/caseloads'),
    enabled,
  });
}

/** One dialog for the actions that need input; the confirm button carries the action's name. */
export function CaseActionDialog({
  action,
  target,
  onClose,
}: {
  action: DialogAction | null;
  /** The case acted on: its id, version and current worker. */
  target: { id: string; version: number; assigneeId: string | null; label?: string } | null;
  onClose: (updated?: CaseView) => void;
}) {
  const opened = Boolean(action && target);
  const needsWorker = action === 'assign' || action === 'reassign';
  const loads = useCaseloads(opened && needsWorker);
  const [assigneeId, setAssigneeId] = useState('');
  const [closeReason, setCloseReason] = useState<CloseReason | ''>('');
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState<Record<string, string>>({});
  const transition = useCaseTransition(target?.id ?? '', (updated) => onClose(updated));

  // Each opening starts clean.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when another case or action opens
  useEffect(() => {
    setAssigneeId('');
    setCloseReason('');
    setNote('');
    setMissing({});
    transition.reset();
  }, [action, target?.id]);

  if (!action || !target) return null;
  const errors = { ...fieldErrorsOf(transition.error), ...missing };
  const workers = (loads.data?.items ?? []).filter((w) => w.userId !== target.assigneeId);

  function confirm(event: FormEvent) {
    event.preventDefault();
    if (!action || !target) return;
    const problems: Record<string, string> = {};
    if (needsWorker && !assigneeId) problems.assigneeId = 'Choose a social worker';
    if (action === 'close' && !closeReason) problems.closeReason = 'Choose why the case closes';
    if ((action === 'reassign' || action === 'reopen') && !note.trim())
      problems.note =
        action === 'reassign' ? 'Write a hand-off note for the next worker' : 'Say why it reopens';
    setMissing(problems);
    if (Object.keys(problems).length) return;
    transition.mutate({
      action,
      version: target.version,
      ...(needsWorker ? { assigneeId } : {}),
      ...(action === 'close' ? { closeReason: closeReason as CloseReason } : {}),
      ...(note.trim() ? { note: note.trim() } : {}),
    });
  }

  return (
    <Modal
      opened={opened}
      onClose={() => onClose()}
      title={TITLES[action]}
      size="lg"
      closeButtonProps={{ 'aria-label': 'Close dialog' }}
    >
      <form onSubmit={confirm} noValidate>
        <Stack>
          {target.label && <Text size="sm">{target.label}</Text>}
          <ProblemAlert error={transition.error} />
          {needsWorker && (
            <NativeSelect
              label="Social worker"
              description="Open cases and their total acuity, so the work is shared fairly"
              required
              value={assigneeId}
              onChange={(e) => setAssigneeId(e.currentTarget.value)}
              error={errors.assigneeId}
              disabled={loads.isPending}
              data={[
                { value: '', label: loads.isPending ? 'Loading caseloads…' : 'Choose a worker…' },
                ...workers.map((w) => ({ value: w.userId, label: caseloadLabel(w) })),
              ]}
            />
          )}
          <ProblemAlert error={loads.error} />
          {action === 'close' && (
            <NativeSelect
              label="Close reason"
              required
              value={closeReason}
              onChange={(e) => setCloseReason(e.currentTarget.value as CloseReason | '')}
              error={errors.closeReason}
              data={[
                { value: '', label: 'Choose a reason…' },
                ...Object.entries(CLOSE_REASONS).map(([value, label]) => ({ value, label })),
              ]}
            />
          )}
          {action !== 'assign' && (
            <Textarea
              label={
                action === 'reassign'
                  ? 'Hand-off note'
                  : action === 'reopen'
                    ? 'Why it reopens'
                    : 'Closing note'
              }
              description={
                action === 'reassign'
                  ? 'What the next worker must know: plan, pending referrals, family, safety'
                  : undefined
              }
              required={action === 'reassign' || action === 'reopen'}
              autosize
              minRows={3}
              maxLength={4000}
              value={note}
              onChange={(e) => setNote(e.currentTarget.value)}
              error={errors.note}
            />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => onClose()}>
              Cancel
            </Button>
            <Button type="submit" loading={transition.isPending}>
              {CONFIRM[action]}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
