import { Anchor, Button, Group, List, Stack, Table, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { isActiveReferral } from '../../../domain/workflows/referral.ts';
import { formatDateTime } from '../../components/dates.ts';
import { NeedReferralList } from '../referrals/NeedReferralList.tsx';
import {
  ACTION_BUTTONS,
  describeGoals,
  findingName,
  historyActionLabel,
  NeedStatusBadge,
  statusLabel,
} from './labels.tsx';
import type { NeedPersonAction, NeedView } from './types.ts';

export const NEED_COLUMNS = ['Need', 'Status', 'Identified', 'Found by', 'Referrals', 'Actions'] as const;

const PERSON_ACTIONS: readonly string[] = ['resolve', 'decline', 'reopen'] satisfies NeedPersonAction[];
export const actionButtonId = (needId: string, action: string) => `need-${needId}-${action}`;
export const historyToggleId = (needId: string) => `need-${needId}-history-toggle`;
export const referButtonId = (needId: string) => `need-${needId}-refer`;
const assessmentPath = (patientId: string, assessmentId: string) =>
  `/patients/${patientId}/assessments/${assessmentId}`;

function History({ need }: { need: NeedView }) {
  if (need.history.length === 0) return <Text size="sm">No changes recorded yet.</Text>;
  return (
    <List spacing={4} size="sm" aria-label={`History of ${need.label}`}>
      {need.history.map((h, index) => (
        // History entries have no id; their order is fixed by the server.
        // biome-ignore lint/suspicious/noArrayIndexKey: the list never reorders
        <List.Item key={index}>
          <Text size="sm" span fw={600}>
            {formatDateTime(h.at)}
          </Text>{' '}
          {historyActionLabel(h.action)}
          {h.fromStatus && h.fromStatus !== h.toStatus
            ? ` (${statusLabel(h.fromStatus)} → ${statusLabel(h.toStatus)})`
            : ''}
          {h.by ? ` by ${h.by.displayName}` : ''}
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

/** The expanded part of a need: its note, the screens that found it, what is linked, and its history. */
function NeedDetails({ need, patientId }: { need: NeedView; patientId: string }) {
  return (
    <Stack gap="xs" py="xs">
      {need.note && (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          <Text span fw={600} size="sm">
            Note:
          </Text>{' '}
          {need.note}
        </Text>
      )}
      <Text size="sm">
        {statusLabel(need.status)} since {formatDateTime(need.statusChangedAt)}
        {need.statusChangedBy ? ` by ${need.statusChangedBy.displayName}` : ''}. Last found{' '}
        {formatDateTime(need.lastFoundAt)}.
      </Text>
      {need.findings.length > 0 && (
        <List size="sm" spacing={2} aria-label={`Assessments that found ${need.label}`}>
          {need.findings.map((f) => (
            <List.Item key={f.assessmentId}>
              <Anchor component={Link} to={assessmentPath(patientId, f.assessmentId)} size="sm">
                {f.title}
              </Anchor>
              , {formatDateTime(f.foundAt)}
            </List.Item>
          ))}
        </List>
      )}
      {need.links.length > 0 && (
        <List size="sm" spacing={2} aria-label={`Linked to ${need.label}`}>
          {need.links.map((l) => (
            <List.Item key={`${l.kind}-${l.targetId}`}>
              {l.kind === 'referral' ? 'Referral' : 'Goal'} linked {formatDateTime(l.linkedAt)}
            </List.Item>
          ))}
        </List>
      )}
      <Text size="sm" fw={600}>
        History
      </Text>
      <History need={need} />
    </Stack>
  );
}

/** An open need whose referral delivered the service, with none still being worked: time to resolve it. */
export function proposesResolving(need: NeedView): boolean {
  return (
    need.open &&
    need.referrals.some((r) => r.status === 'completed') &&
    !need.referrals.some((r) => isActiveReferral(r.status))
  );
}

/** One need as two table rows: the summary, and (when expanded) its details and history. */
export function NeedRows({
  need,
  patientId,
  focused,
  mayRefer,
  onAction,
  onRefer,
  onOpenReferral,
}: {
  need: NeedView;
  patientId: string;
  /** The need a link pointed at: expanded, outlined and scrolled into view. */
  focused: boolean;
  /** Whether the user refers (the department's social work staff). */
  mayRefer: boolean;
  onAction: (need: NeedView, action: NeedPersonAction) => void;
  onRefer: (need: NeedView) => void;
  onOpenReferral: (referralId: string) => void;
}) {
  const [expanded, setExpanded] = useState(focused);
  const row = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    if (!focused) return;
    setExpanded(true);
    row.current?.scrollIntoView?.({ block: 'center' });
  }, [focused]);
  const detailsId = `need-${need.id}-details`;
  const actions = need.allowedActions.filter((a): a is NeedPersonAction => PERSON_ACTIONS.includes(a));
  // One filled button, the likely next step: resolve once a referral delivered, else refer while nothing is
  // being worked, else (for those who do not refer) resolve.
  const primary = proposesResolving(need)
    ? 'resolve'
    : mayRefer && !need.referrals.some((r) => isActiveReferral(r.status))
      ? 'refer'
      : mayRefer
        ? null
        : 'resolve';
  const outline = focused
    ? { outline: '3px solid var(--mantine-color-blue-7)', outlineOffset: -3 }
    : undefined;

  return (
    <>
      <Table.Tr ref={row} id={`need-${need.id}`} style={outline}>
        <Table.Th scope="row" fw={600}>
          {need.label}
        </Table.Th>
        <Table.Td>
          <NeedStatusBadge status={need.status} />
        </Table.Td>
        <Table.Td>
          <Text size="sm">{formatDateTime(need.identifiedAt)}</Text>
          <Text size="xs">{need.identifiedBy ? `by ${need.identifiedBy.displayName}` : 'from a screen'}</Text>
        </Table.Td>
        <Table.Td>
          {need.findings.length === 0 ? (
            <Text size="sm">Recorded by a worker</Text>
          ) : (
            <Stack gap={0}>
              {need.findings.map((f) => (
                <Anchor
                  key={f.assessmentId}
                  component={Link}
                  to={assessmentPath(patientId, f.assessmentId)}
                  size="sm"
                >
                  {findingName(f)}, {formatDateTime(f.foundAt)}
                </Anchor>
              ))}
            </Stack>
          )}
        </Table.Td>
        <Table.Td miw={220}>
          <Stack gap={4}>
            <NeedReferralList referrals={need.referrals} needLabel={need.label} onOpen={onOpenReferral} />
            {proposesResolving(need) && (
              <Text size="sm" fw={600}>
                Service delivered: resolve the need?
              </Text>
            )}
            {describeGoals(need.links) && <Text size="sm">{describeGoals(need.links)}</Text>}
          </Stack>
        </Table.Td>
        <Table.Td>
          <Group gap={6} wrap="nowrap">
            {mayRefer && need.open && (
              <Button
                id={referButtonId(need.id)}
                size="compact-sm"
                variant={primary === 'refer' ? 'filled' : 'default'}
                aria-label={`Refer: ${need.label}`}
                onClick={() => onRefer(need)}
              >
                Refer
              </Button>
            )}
            {actions.map((action) => (
              <Button
                key={action}
                id={actionButtonId(need.id, action)}
                size="compact-sm"
                variant={action === primary ? 'filled' : 'default'}
                aria-label={`${ACTION_BUTTONS[action]}: ${need.label}`}
                onClick={() => onAction(need, action)}
              >
                {ACTION_BUTTONS[action]}
              </Button>
            ))}
            <Button
              id={historyToggleId(need.id)}
              size="compact-sm"
              variant="default"
              aria-expanded={expanded}
              aria-controls={expanded ? detailsId : undefined}
              aria-label={`History of ${need.label}`}
              onClick={() => setExpanded((v) => !v)}
            >
              History
            </Button>
          </Group>
        </Table.Td>
      </Table.Tr>
      {expanded && (
        <Table.Tr id={detailsId} style={outline}>
          <Table.Td colSpan={NEED_COLUMNS.length}>
            <NeedDetails need={need} patientId={patientId} />
          </Table.Td>
        </Table.Tr>
      )}
    </>
  );
}
