import { Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useRef, useState } from 'react';
import { useParams } from 'react-router';
import { ASSESSMENT_WRITER_ROLES } from '../../../domain/assessments.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useSignedInUser } from '../auth/session.ts';
import { NeedActionDialog } from './NeedActionDialog.tsx';
import { actionButtonId, historyToggleId, NEED_COLUMNS, NeedRows } from './NeedRows.tsx';
import { RecordNeedForm } from './RecordNeedForm.tsx';
import type { NeedPersonAction, NeedView } from './types.ts';
import { useNeeds } from './use-needs.ts';

const PAST_TENSE: Record<NeedPersonAction, string> = {
  resolve: 'resolved',
  decline: 'recorded as declined by the patient',
  reopen: 'reopened',
};

/** Puts the focus on an element by id once React has drawn it (after a dialog or form goes away). */
const focusSoon = (id: string) => requestAnimationFrame(() => document.getElementById(id)?.focus());

/**
 * The chart's Needs tab: the patient's identified needs, the hub that referrals and goals hang on. Open needs
 * come first; each shows the screens that found it, what is linked to it, its history, and the actions the
 * user may take (the server's `allowedActions`).
 */
export function NeedsTab({ patientId }: { patientId: string }) {
  const me = useSignedInUser();
  // /patients/:patientId/needs/:needId points at one need.
  const focusId = useParams()['*']?.split('/')[0] || null;
  const needs = useNeeds(patientId);
  const [recording, setRecording] = useState(false);
  const [dialog, setDialog] = useState<{ needId: string; action: NeedPersonAction } | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const recordButton = useRef<HTMLButtonElement>(null);
  const mayRecord = (ASSESSMENT_WRITER_ROLES as readonly string[]).includes(me.role);
  const items = needs.data ?? [];
  const open = items.filter((n) => n.open).length;
  const dialogNeed = dialog ? (items.find((n) => n.id === dialog.needId) ?? null) : null;

  function closeDialog(changed?: NeedView) {
    if (!dialog) return;
    if (changed) {
      setAnnouncement(`${changed.label} ${PAST_TENSE[dialog.action]}.`);
      focusSoon(historyToggleId(changed.id));
    } else {
      focusSoon(actionButtonId(dialog.needId, dialog.action));
    }
    setDialog(null);
  }

  function closeRecording(recorded?: NeedView) {
    setRecording(false);
    if (recorded) setAnnouncement(`${recorded.label} recorded as a need.`);
    requestAnimationFrame(() => recordButton.current?.focus());
  }

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2} size="h3">
          Needs
        </Title>
        {mayRecord && !recording && (
          <Button ref={recordButton} onClick={() => setRecording(true)}>
            Record a need
          </Button>
        )}
      </Group>
      <Text size="sm">
        What the patient needs help with, found by screens or recorded by a worker. Referrals and goals are
        linked to these needs.
      </Text>
      {recording && <RecordNeedForm patientId={patientId} needs={items} onDone={closeRecording} />}
      <Text size="sm" role="status" aria-live="polite">
        {announcement}
      </Text>
      <ProblemAlert error={needs.error} />
      {needs.isPending && <Loader aria-label="Loading needs" />}
      {needs.data && items.length === 0 && <Text>No needs have been identified for this patient.</Text>}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={900}>
          <Table captionSide="top" verticalSpacing="xs" withRowBorders highlightOnHover={false}>
            <Table.Caption>
              {`${open} open ${open === 1 ? 'need' : 'needs'}, ${items.length - open} closed; open first`}
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                {NEED_COLUMNS.map((label) => (
                  <Table.Th key={label} scope="col">
                    {label}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((need) => (
                <NeedRows
                  key={need.id}
                  need={need}
                  patientId={patientId}
                  focused={need.id === focusId}
                  onAction={(n, action) => setDialog({ needId: n.id, action })}
                />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <NeedActionDialog
        patientId={patientId}
        need={dialogNeed}
        action={dialog?.action ?? null}
        onClose={closeDialog}
      />
    </Stack>
  );
}
