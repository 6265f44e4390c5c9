import { Alert, Button, Drawer, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import type { ReferralAction } from '../../../domain/workflows/referral.ts';
import { isActiveReferral } from '../../../domain/workflows/referral.ts';
import { ApiError } from '../../api/client.ts';
import { formatDateTime } from '../../components/dates.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ActionForm, ONE_PRESS } from './ActionForm.tsx';
import { HandoutButton } from './HandoutButton.tsx';
import { actionLabel, ReferralStatusBadge, reasonLabel, StalledBadge } from './labels.tsx';
import { contactRows, FactTable, OutcomeText } from './ReferralFacts.tsx';
import { ReferralHistory } from './ReferralHistory.tsx';
import type { ReferralView } from './types.ts';
import { useReferral, useReferralTransition, useResendLink } from './use-referrals.ts';

const isStale = (error: unknown) =>
  error instanceof ApiError && error.status === 409 && error.is('stale-version');

function PartnerLink({ referral, patientId }: { referral: ReferralView; patientId: string }) {
  const resend = useResendLink(patientId, referral.id);
  const link = referral.link;
  const mayResend = isActiveReferral(referral.status);
  return (
    <Stack gap="xs" component="section" aria-labelledby="referral-link-heading">
      <Title order={3} size="h5" id="referral-link-heading">
        Link for the organisation
      </Title>
      {link ? (
        <FactTable
          label="Link for the organisation"
          rows={[
            ['Sent to', link.sentTo],
            ['Works until', formatDateTime(link.expiresAt)],
            ['Last used', link.lastUsedAt ? formatDateTime(link.lastUsedAt) : 'Not opened yet'],
          ]}
        />
      ) : (
        <Text size="sm">
          {referral.status === 'draft'
            ? 'Not sent yet.'
            : 'No link was sent: the organisation answers in its Kith inbox, or has no referral email.'}
        </Text>
      )}
      {mayResend && link && (
        <Group>
          <Button
            variant="default"
            size="compact-sm"
            onClick={() => resend.mutate()}
            loading={resend.isPending}
          >
            Resend link
          </Button>
          <Text size="sm" role="status">
            {resend.isSuccess ? 'A new link was sent; the old one no longer works.' : ''}
          </Text>
        </Group>
      )}
      <ProblemAlert error={resend.error} />
    </Stack>
  );
}

function ReferralBody({
  referral,
  patientId,
  needOpen,
  onResolveNeed,
}: {
  referral: ReferralView;
  patientId: string;
  needOpen: boolean;
  onResolveNeed: (referral: ReferralView) => void;
}) {
  const [acting, setActing] = useState<ReferralAction | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [proposed, setProposed] = useState(false);
  const transition = useReferralTransition(patientId, referral.id, (changed) => {
    setActing(null);
    setProposed(changed.resolveProposed);
    setAnnouncement(`Referral is now ${changed.statusLabel.toLowerCase()}.`);
  });
  const stale = isStale(transition.error);
  const reason = reasonLabel(referral.status, referral.statusReason);

  function act(action: ReferralAction) {
    transition.reset();
    if (ONE_PRESS.includes(action)) transition.mutate({ action, version: referral.version });
    else setActing(action);
  }

  return (
    <Stack gap="md">
      <Group gap="xs">
        <ReferralStatusBadge status={referral.status} label={referral.statusLabel} />
        {referral.stalled && <StalledBadge />}
        {referral.priority === 'urgent' && <Text fw={700}>Urgent</Text>}
      </Group>
      <Text size="sm" role="status" aria-live="polite">
        {announcement}
      </Text>
      {needOpen && (proposed || referral.status === 'completed') && (
        <Alert color="teal" title="Resolve the need?" role="note">
          <Stack gap="xs">
            <Text size="sm">
              The organisation reported the service delivered. If the need is met, resolve it.
            </Text>
            <Group>
              <Button size="compact-sm" onClick={() => onResolveNeed(referral)}>
                Resolve the need
              </Button>
            </Group>
          </Stack>
        </Alert>
      )}
      <FactTable
        label="Referral"
        rows={[
          ['Organisation', referral.organization.name],
          ...(referral.location?.address ? [['Where', referral.location.address] as [string, string]] : []),
          [
            'Status',
            `${referral.statusLabel}${reason ? `: ${reason}` : ''} since ${formatDateTime(referral.statusChangedAt)}`,
          ],
          [
            'Requested',
            referral.requestedAt
              ? `${formatDateTime(referral.requestedAt)} by ${referral.requestedBy.displayName}`
              : `Draft by ${referral.requestedBy.displayName}`,
          ],
          ['Priority', referral.priority === 'urgent' ? 'Urgent' : 'Routine'],
          ...(referral.note ? [['Note', referral.note] as [string, string]] : []),
          ...(referral.outcome
            ? [['Outcome', <OutcomeText key="o" outcome={referral.outcome} />] as [string, ReactNode]]
            : []),
        ]}
      />
      <Stack gap="xs" component="section" aria-labelledby="referral-contact-heading">
        <Title order={3} size="h5" id="referral-contact-heading">
          Contact preferences
        </Title>
        <FactTable label="Contact preferences" rows={contactRows(referral.contactPreferences)} />
      </Stack>
      <PartnerLink referral={referral} patientId={patientId} />
      <Group>
        <HandoutButton
          patientId={patientId}
          serviceIds={[]}
          referralIds={[referral.id]}
          size="compact-sm"
          label="Handout for the patient"
        />
      </Group>
      {stale && (
        <Alert color="yellow" role="alert" title="This referral changed while you were looking at it">
          It has been reloaded. Check it, then try again.
        </Alert>
      )}
      {acting ? (
        <ActionForm
          action={acting}
          by="requester"
          pending={transition.isPending}
          error={stale ? null : transition.error}
          onSubmit={(body) => transition.mutate({ ...body, version: referral.version })}
          onCancel={() => setActing(null)}
        />
      ) : (
        <>
          {!stale && <ProblemAlert error={transition.error} />}
          {referral.actions.length > 0 && (
            <Group gap="xs" role="group" aria-label="Actions">
              {referral.actions.map((action) => (
                <Button
                  key={action}
                  size="compact-sm"
                  variant={action === 'send' ? 'filled' : 'default'}
                  onClick={() => act(action)}
                  loading={transition.isPending && transition.variables?.action === action}
                >
                  {actionLabel(action)}
                </Button>
              ))}
            </Group>
          )}
        </>
      )}
      <Stack gap="xs" component="section" aria-labelledby="referral-history-heading">
        <Title order={3} size="h5" id="referral-history-heading">
          History
        </Title>
        <ReferralHistory referral={referral} />
      </Stack>
    </Stack>
  );
}

/**
 * One referral, beside the needs: the service and organisation, the status and why, the history, the
 * outcome, the link the organisation answers through, and the actions the server allows.
 */
export function ReferralDrawer({
  referralId,
  patientId,
  needOpen,
  onResolveNeed,
  onClose,
}: {
  referralId: string | null;
  patientId: string;
  /** Whether the referral's need is still open: a completed referral then proposes resolving it. */
  needOpen: (needId: string) => boolean;
  onResolveNeed: (referral: ReferralView) => void;
  onClose: () => void;
}) {
  const referral = useReferral(referralId);
  const data = referral.data;
  return (
    <Drawer
      opened={Boolean(referralId)}
      onClose={onClose}
      position="right"
      size="lg"
      title={data ? `Referral: ${data.service.name}` : 'Referral'}
      closeButtonProps={{ 'aria-label': 'Close referral' }}
    >
      <ProblemAlert error={referral.error} />
      {referral.isPending && referralId && <Loader aria-label="Loading referral" />}
      {data && (
        <ReferralBody
          key={data.id}
          referral={data}
          patientId={patientId}
          needOpen={data.needId ? needOpen(data.needId) : false}
          onResolveNeed={onResolveNeed}
        />
      )}
    </Drawer>
  );
}
