import {
  Blockquote,
  Button,
  Card,
  Group,
  List,
  Loader,
  NativeSelect,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ACUITY_LABELS, URGENCIES, URGENCY_LABELS, type Urgency } from '../../../domain/casework.ts';
import { CASE_STATUS_LABELS, type CaseAction, caseActionLabel } from '../../../domain/workflows/case.ts';
import { api } from '../../api/client.ts';
import { formatDateTime } from '../../components/dates.ts';
import { fieldErrorsOf } from '../../components/field-errors.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { OverdueBadge, StatusBadge, UrgencyBadge } from './badges.tsx';
import { DIALOG_ACTIONS, type DialogAction } from './CaseActionDialog.tsx';
import { describeFirstContact } from './first-contact.ts';
import type { CaseTransitionEntry, CaseView } from './types.ts';
import { useCaseTransition, useRefreshCases } from './use-case-transition.ts';

/** Button names on a case, as the department says them. */
const ACTION_BUTTONS: Record<CaseAction, string> = {
  triage: 'Mark triaged',
  assign: 'Assign',
  reassign: 'Reassign',
  start: 'Record first contact',
  close: 'Close case',
  reopen: 'Reopen',
};

function History({ caseId }: { caseId: string }) {
  const history = useQuery({
    queryKey: ['cases', caseId, 'transitions'],
    queryFn: () => api.get<{ items: CaseTransitionEntry[] }>(`/api/cases/${caseId}/transitions`),
  });
  if (history.error) return <ProblemAlert error={history.error} />;
  if (!history.data) return <Loader size="sm" aria-label="Loading the history" />;
  return (
    <List spacing="xs" size="sm" aria-label="Case history">
      {history.data.items.map((h) => (
        <List.Item key={h.id}>
          <Text size="sm" span fw={600}>
            {formatDateTime(h.at)}
          </Text>{' '}
          {h.label}
          {h.toStatus && h.fromStatus !== h.toStatus ? ` → ${CASE_STATUS_LABELS[h.toStatus]}` : ''} by{' '}
          {h.by.displayName}
          {h.toAssignee && h.toAssignee.id !== h.fromAssignee?.id
            ? `; worker: ${h.toAssignee.displayName}`
            : ''}
          {h.closeReasonLabel ? `; reason: ${h.closeReasonLabel}` : ''}
          {h.note && (
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              “{h.note}”
            </Text>
          )}
        </List.Item>
      ))}
    </List>
  );
}

/** Urgency and acuity, for supervisors and the case's worker. */
function EditCase({ c, onDone }: { c: CaseView; onDone: () => void }) {
  const refresh = useRefreshCases();
  const [urgency, setUrgency] = useState<Urgency>(c.urgency);
  const [acuity, setAcuity] = useState(c.acuity ? String(c.acuity) : '');
  const save = useMutation({
    mutationFn: (body: object) => api.patch<CaseView>(`/api/cases/${c.id}`, body),
    onSuccess: () => {
      refresh(c.patientId);
      onDone();
    },
  });
  const errors = fieldErrorsOf(save.error);
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate({ version: c.version, urgency, acuity: acuity ? Number(acuity) : null });
  }
  return (
    <form onSubmit={submit} noValidate aria-label="Change urgency and acuity">
      <Stack gap="xs">
        <ProblemAlert error={save.error} />
        <Group align="flex-end">
          <NativeSelect
            label="Urgency"
            value={urgency}
            onChange={(e) => setUrgency(e.currentTarget.value as Urgency)}
            error={errors.urgency}
            data={URGENCIES.map((u) => ({ value: u, label: URGENCY_LABELS[u] }))}
          />
          <NativeSelect
            label="Acuity"
            value={acuity}
            onChange={(e) => setAcuity(e.currentTarget.value)}
            error={errors.acuity}
            data={[
              { value: '', label: 'Not rated' },
              ...[1, 2, 3, 4].map((n) => ({ value: String(n), label: `${n}: ${ACUITY_LABELS[n]}` })),
            ]}
          />
          <Button type="submit" loading={save.isPending}>
            Save
          </Button>
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
        </Group>
        <Text size="xs">
          A new urgency recomputes when first contact is due, from the time of the request.
        </Text>
      </Stack>
    </form>
  );
}

/** One case on the chart: where it stands, its first-contact timing, its hand-off, and what the user may do. */
export function CaseCard({
  c,
  focused = false,
  onDialog,
}: {
  c: CaseView;
  /** The case a link pointed at: outlined and scrolled into view. */
  focused?: boolean;
  onDialog: (action: DialogAction, c: CaseView) => void;
}) {
  const [showHistory, setShowHistory] = useState(focused);
  const card = useRef<HTMLElement>(null);
  useEffect(() => {
    if (focused) card.current?.scrollIntoView({ block: 'start' });
  }, [focused]);
  const [editing, setEditing] = useState(false);
  const direct = useCaseTransition(c.id);
  const headingId = `case-${c.id}`;

  function act(action: CaseAction) {
    if (DIALOG_ACTIONS.includes(action)) onDialog(action as DialogAction, c);
    else direct.mutate({ action, version: c.version });
  }

  return (
    <Card
      ref={card}
      withBorder
      component="article"
      aria-labelledby={headingId}
      style={focused ? { outline: '3px solid var(--mantine-color-blue-7)' } : undefined}
    >
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start">
          <Title order={3} size="h4" id={headingId}>
            {c.reasonLabel}
          </Title>
          <Group gap="xs">
            <StatusBadge status={c.status} />
            <UrgencyBadge urgency={c.urgency} />
            {c.firstContact.overdue && <OverdueBadge />}
          </Group>
        </Group>
        {c.reasonText && <Text style={{ whiteSpace: 'pre-wrap' }}>{c.reasonText}</Text>}
        <Text size="sm">
          {c.source === 'consult' ? 'Consult requested' : 'Opened'} {formatDateTime(c.requestedAt)}
          {c.requestedBy ? ` by ${c.requestedBy.displayName}` : ''}.{' '}
          {c.assignee
            ? `Worker: ${c.assignee.displayName}${c.assignedAt ? ` since ${formatDateTime(c.assignedAt)}` : ''}.`
            : 'No worker assigned yet.'}
          {c.acuity ? ` Acuity ${c.acuity} (${ACUITY_LABELS[c.acuity]}).` : ''}
        </Text>
        <Text size="sm" fw={c.firstContact.overdue ? 700 : undefined}>
          {describeFirstContact(c.firstContact)}
        </Text>
        {c.closedAt && (
          <Text size="sm">
            Closed {formatDateTime(c.closedAt)}: {c.closeReasonLabel}.
          </Text>
        )}
        {c.handOff && (
          <Blockquote
            p="sm"
            color="gray"
            cite={`Hand-off from ${c.handOff.from?.displayName ?? 'the previous worker'}, ${formatDateTime(c.handOff.at)}`}
          >
            <Text size="sm" fw={600}>
              Hand-off note
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {c.handOff.note}
            </Text>
          </Blockquote>
        )}
        <ProblemAlert error={direct.error} />
        {editing && <EditCase c={c} onDone={() => setEditing(false)} />}
        <Group gap="xs">
          {c.allowedActions.map((action) => (
            <Button
              key={action}
              size="xs"
              variant={action === 'close' ? 'default' : 'filled'}
              loading={direct.isPending && direct.variables?.action === action}
              onClick={() => act(action)}
              title={caseActionLabel(action)}
            >
              {ACTION_BUTTONS[action]}
            </Button>
          ))}
          {c.abilities.update && !editing && (
            <Button size="xs" variant="default" onClick={() => setEditing(true)}>
              Change urgency or acuity
            </Button>
          )}
          <Button
            size="xs"
            variant="default"
            aria-expanded={showHistory}
            onClick={() => setShowHistory((v) => !v)}
          >
            {showHistory ? 'Hide history' : 'Show history'}
          </Button>
        </Group>
        {showHistory && <History caseId={c.id} />}
      </Stack>
    </Card>
  );
}
