import { Button, Group, NativeSelect, Radio, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { REASONS_BY_ACTION } from '../../../domain/schemas/referrals.ts';
import { REFERRAL_TRANSITIONS, type ReferralAction } from '../../../domain/workflows/referral.ts';
import { type FieldErrors, fieldErrorsOf } from '../../components/field-errors.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { actionLabel, hasReasons } from './labels.tsx';
import type { ReferralTransition } from './types.ts';

/** Actions taken with one press: nothing to say but that it happened. */
export const ONE_PRESS: readonly ReferralAction[] = ['send', 'receive', 'accept', 'start', 'resume'];

/** What the organisation's or the department's answer needs, from the lifecycle (domain/workflows/referral.ts). */
function needsOf(action: ReferralAction, by: 'requester' | 'performer') {
  const rule = REFERRAL_TRANSITIONS.find((t) => t.action === action);
  return {
    reason: Boolean(rule?.needs?.includes('reason')),
    outcome: Boolean(rule?.needs?.includes('outcome')),
    note: by === 'requester' && Boolean(rule?.requesterNeedsNote),
  };
}

const REASON_LABELS: Partial<Record<ReferralAction, string>> = {
  reject: 'Why you decline',
  fail: 'Why it did not happen',
  cancel: 'Why it is cancelled',
  hold: 'Why it is on hold',
};

const today = () => new Date().toLocaleDateString('en-CA');

/**
 * The answer to one action: a coded reason (decline, did not happen, cancel, hold), the outcome (what was
 * provided, when), and a note. When the department records a step the organisation would take (they phoned),
 * the note saying how it learnt of it is required.
 */
export function ActionForm({
  action,
  by,
  pending,
  error,
  onSubmit,
  onCancel,
  label: givenLabel,
  large = false,
  askBedDate = false,
}: {
  action: ReferralAction;
  by: 'requester' | 'performer';
  pending: boolean;
  error: unknown;
  onSubmit: (body: Omit<ReferralTransition, 'version'>) => void;
  onCancel: () => void;
  /** The action's name when the page words it differently ("Report outcome"). */
  label?: string;
  /** The partner page: larger text and controls, for a phone. */
  large?: boolean;
  /** A post-acute placement being accepted: ask from which day the bed is offered. */
  askBedDate?: boolean;
}) {
  const needs = needsOf(action, by);
  const [reason, setReason] = useState('');
  const [delivered, setDelivered] = useState('yes');
  const [deliveredOn, setDeliveredOn] = useState(today);
  const [what, setWhat] = useState('');
  const [note, setNote] = useState('');
  const [bedDate, setBedDate] = useState(today);
  const [missing, setMissing] = useState<FieldErrors>({});
  const errors = { ...fieldErrorsOf(error), ...missing };
  const size = large ? 'md' : 'sm';
  const label = givenLabel ?? actionLabel(action);

  function submit(event: FormEvent) {
    event.preventDefault();
    const problems: FieldErrors = {};
    if (needs.reason && !reason) problems.reason = 'Choose a reason';
    if (needs.outcome && !what.trim()) problems['outcome.what'] = 'Say what was provided';
    if (needs.note && !note.trim()) problems.note = 'Say how the department learnt of it';
    if (askBedDate && !bedDate) problems.bedOfferedOn = 'Say from which day the bed is offered';
    setMissing(problems);
    if (Object.keys(problems).length) return;
    onSubmit({
      action,
      ...(needs.reason ? { reason } : {}),
      ...(needs.outcome
        ? {
            outcome: {
              delivered: delivered === 'yes',
              deliveredOn: deliveredOn || null,
              what: what.trim(),
            },
          }
        : {}),
      ...(note.trim() ? { note: note.trim() } : {}),
      ...(askBedDate ? { bedOfferedOn: bedDate } : {}),
    });
  }

  const reasons: Record<string, string> = hasReasons(action) ? REASONS_BY_ACTION[action] : {};
  return (
    <form onSubmit={submit} noValidate aria-label={label}>
      <Stack gap="sm">
        <Title order={3} size={large ? 'h3' : 'h5'}>
          {label}
        </Title>
        {error && Object.keys(fieldErrorsOf(error)).length === 0 ? <ProblemAlert error={error} /> : null}
        {askBedDate && (
          <TextInput
            type="date"
            label="Bed offered from"
            size={size}
            value={bedDate}
            onChange={(e) => setBedDate(e.currentTarget.value)}
            error={errors.bedOfferedOn}
            required
          />
        )}
        {needs.reason && (
          <NativeSelect
            size={size}
            label={REASON_LABELS[action] ?? 'Reason'}
            required
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={errors.reason}
            data={[
              { value: '', label: 'Choose a reason…' },
              ...Object.entries(reasons).map(([value, text]) => ({ value, label: text })),
            ]}
            data-autofocus
          />
        )}
        {needs.outcome && (
          <>
            <Radio.Group
              size={size}
              label="Was the service delivered?"
              required
              value={delivered}
              onChange={setDelivered}
              error={errors['outcome.delivered']}
            >
              <Group mt="xs">
                <Radio size={size} value="yes" label="Yes" />
                <Radio size={size} value="no" label="No" />
              </Group>
            </Radio.Group>
            <TextInput
              size={size}
              type="date"
              label="When"
              value={deliveredOn}
              onChange={(e) => setDeliveredOn(e.currentTarget.value)}
              error={errors['outcome.deliveredOn']}
            />
            <Textarea
              size={size}
              label="What was provided"
              required
              autosize
              minRows={3}
              maxLength={2000}
              value={what}
              onChange={(e) => setWhat(e.currentTarget.value)}
              error={errors['outcome.what'] ?? errors.outcome}
            />
          </>
        )}
        <Textarea
          size={size}
          label={needs.note ? 'How the department learnt of it' : 'Note'}
          description={needs.note ? 'Required, e.g. “The pantry phoned on Monday”.' : 'Optional.'}
          required={needs.note}
          autosize
          minRows={2}
          maxLength={2000}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          error={errors.note}
        />
        <Group>
          <Button type="submit" size={size} loading={pending}>
            {label}
          </Button>
          <Button variant="default" size={size} onClick={onCancel}>
            Back
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
