import { Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useRef, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { ASSESSMENT_WRITER_ROLES } from '../../../domain/assessments.ts';
import { isActiveReferral } from '../../../domain/workflows/referral.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useSignedInUser } from '../auth/session.ts';
import { HandoutButton } from '../referrals/HandoutButton.tsx';
import { REFERRER_ROLES, referralButtonId } from '../referrals/NeedReferralList.tsx';
import { ReferDialog } from '../referrals/ReferDialog.tsx';
import { ReferralDrawer } from '../referrals/ReferralDrawer.tsx';
import type { ReferralView } from '../referrals/types.ts';
import { NeedActionDialog } from './NeedActionDialog.tsx';
import { actionButtonId, historyToggleId, NEED_COLUMNS, NeedRows, referButtonId } from './NeedRows.tsx';
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
  const [dialog, setDialog] = useState<{ needId: string; action: NeedPersonAction; note?: string } | null>(
    null,
  );
  const [referring, setReferring] = useState<string | null>(null);
  // ?referral=<id> opens one referral beside the needs (a link from a task or a notification lands here).
  const [params, setParams] = useSearchParams();
  const openReferralId = params.get('referral');
  const mayRefer = REFERRER_ROLES.includes(me.role);
  const [announcement, setAnnouncement] = useState('');
  const recordButton = useRef<HTMLButtonElement>(null);
  const mayRecord = (ASSESSMENT_WRITER_ROLES as readonly string[]).includes(me.role);
  const items = needs.data ?? [];
  const open = items.filter((n) => n.open).length;
  const dialogNeed = dialog ? (items.find((n) => n.id === dialog.needId) ?? null) : null;
  const referNeed = referring ? (items.find((n) => n.id === referring) ?? null) : null;
  // The patient's handout lists the services of the referrals still going or delivered.
  const handoutReferrals = items.flatMap((n) =>
    n.referrals.filter((r) => isActiveReferral(r.status) || r.status === 'completed').map((r) => r.id),
  );

  function openReferral(referralId: string | null) {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (referralId) next.set('referral', referralId);
        else next.delete('referral');
        return next;
      },
      { replace: true },
    );
  }

  function closeReferral() {
    const id = openReferralId;
    openReferral(null);
    if (id) focusSoon(referralButtonId(id));
  }

  function closeRefer(created?: ReferralView[], sent?: boolean) {
    const need = referNeed;
    setReferring(null);
    if (!need) return;
    if (created && created.length > 0) {
      const to = created.map((r) => r.organization.name).join(', ');
      setAnnouncement(
        sent
          ? `${created.length === 1 ? 'Referral' : `${created.length} referrals`} for ${need.label} sent to ${to}.`
          : `${created.length === 1 ? 'Draft referral' : `${created.length} draft referrals`} for ${need.label} saved.`,
      );
    }
    focusSoon(referButtonId(need.id));
  }

  /** A completed referral proposes resolving its need: the resolve dialog, with what was delivered as note. */
  function resolveFromReferral(referral: ReferralView) {
    openReferral(null);
    if (!referral.needId) return;
    const what = referral.outcome?.what ? `: ${referral.outcome.what}` : '';
    setDialog({
      needId: referral.needId,
      action: 'resolve',
      note: `${referral.service.name} (${referral.organization.name}) delivered the service${what}`,
    });
  }

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
        <Group gap="xs">
          {handoutReferrals.length > 0 && (
            <HandoutButton patientId={patientId} serviceIds={[]} referralIds={handoutReferrals} />
          )}
          {mayRecord && !recording && (
            <Button ref={recordButton} onClick={() => setRecording(true)}>
              Record a need
            </Button>
          )}
        </Group>
      </Group>
      <Text size="sm">
        What the patient needs help with, found by screens or recorded by a worker, with the referrals that
        answer each need and where they stand.
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
                  mayRefer={mayRefer}
                  onAction={(n, action) => setDialog({ needId: n.id, action })}
                  onRefer={(n) => setReferring(n.id)}
                  onOpenReferral={openReferral}
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
        initialNote={dialog?.note}
        onClose={closeDialog}
      />
      {referNeed && <ReferDialog patientId={patientId} need={referNeed} onClose={closeRefer} />}
      <ReferralDrawer
        referralId={openReferralId}
        patientId={patientId}
        needOpen={(needId) => items.some((n) => n.id === needId && n.open)}
        onResolveNeed={resolveFromReferral}
        onClose={closeReferral}
      />
    </Stack>
  );
}
