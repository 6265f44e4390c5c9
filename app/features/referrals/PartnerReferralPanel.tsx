import { Alert, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { SDOH_DOMAIN_LABELS } from '../../../domain/needs.ts';
import type { ReferralAction } from '../../../domain/workflows/referral.ts';
import { formatCalendarDate, formatDateTime } from '../../components/dates.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ActionForm, ONE_PRESS } from './ActionForm.tsx';
import { actionLabel, ReferralStatusBadge } from './labels.tsx';
import { contactRows, FactTable, OutcomeText } from './ReferralFacts.tsx';
import type { PartnerView, ReferralTransition } from './types.ts';

/** The organisation's words for its steps. */
const PARTNER_LABELS: Partial<Record<ReferralAction, string>> = {
  accept: 'Accept',
  reject: 'Decline',
  start: 'Service started',
  complete: 'Report outcome',
  fail: 'Did not happen',
  hold: 'Put on hold',
  resume: 'Resume',
  cancel: 'Cancel the referral',
};
export const partnerActionLabel = (action: ReferralAction) => PARTNER_LABELS[action] ?? actionLabel(action);

/** Past tense, for the confirmation once the department has been told. */
const DONE: Partial<Record<ReferralAction, string>> = {
  accept: 'You accepted the referral.',
  reject: 'You declined the referral.',
  start: 'You recorded that the service started.',
  complete: 'You reported the outcome.',
  fail: 'You recorded that the service did not happen.',
  hold: 'You put the referral on hold.',
  resume: 'You resumed the referral.',
  cancel: 'You cancelled the referral.',
};

const needLabel = (need: string) =>
  need in SDOH_DOMAIN_LABELS ? SDOH_DOMAIN_LABELS[need as keyof typeof SDOH_DOMAIN_LABELS] : need;

/** Only what the patient agreed to share: a row per shared item, nothing for the rest. */
function sharedRows(shared: PartnerView['shared']): [string, ReactNode][] {
  const rows: [string, ReactNode][] = [];
  if (shared.name) rows.push(['Name', shared.name]);
  if (shared.birthDate) rows.push(['Date of birth', formatCalendarDate(shared.birthDate)]);
  if (shared.phone) rows.push(['Phone', shared.phone]);
  if (shared.email) rows.push(['Email', shared.email]);
  if (shared.address) rows.push(['Address', shared.address]);
  if (shared.language) rows.push(['Language', shared.language]);
  if (shared.need) rows.push(['Needs help with', needLabel(shared.need)]);
  if (shared.note) rows.push(['Note from the department', shared.note]);
  return rows;
}

/**
 * A referral as the community organisation sees it, on the link page and in the partner inbox: who sent it,
 * for which service, what the patient agreed to share, and the steps the organisation may take now.
 */
export function PartnerReferralPanel({
  view,
  pending,
  error,
  onAct,
  headingLevel = 1,
}: {
  view: PartnerView;
  pending: boolean;
  error: unknown;
  /** Sends the step; resolves when the department has been told. */
  onAct: (body: ReferralTransition) => Promise<unknown>;
  headingLevel?: 1 | 2;
}) {
  const [acting, setActing] = useState<ReferralAction | null>(null);
  const [done, setDone] = useState('');
  const actions = view.actions.filter((a) => a !== 'receive');
  const shared = sharedRows(view.shared);
  const contact = view.shared.contactPreferences;
  const sub = headingLevel === 1 ? 2 : 3;
  const subsub = headingLevel === 1 ? 3 : 4;

  async function act(action: ReferralAction, body: Omit<ReferralTransition, 'version'> = { action }) {
    setDone('');
    try {
      await onAct({ ...body, action, version: view.version });
      setActing(null);
      setDone(DONE[action] ?? 'Done.');
    } catch {
      // The error shows below.
    }
  }

  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={headingLevel}>{view.service}</Title>
        <Text size="lg">
          Referral from {view.department}
          {view.organization ? ` to ${view.organization}` : ''}
          {view.sentAt ? `, sent ${formatDateTime(view.sentAt)}` : ''}
        </Text>
        <Group gap="xs">
          <ReferralStatusBadge status={view.status} label={view.statusLabel} />
          {view.priority === 'urgent' && (
            <Text fw={700} size="lg">
              Urgent
            </Text>
          )}
        </Group>
      </Stack>
      <Text size="lg" role="status" aria-live="polite" fw={done ? 600 : undefined}>
        {done ? `${done} The department has been told.` : ''}
      </Text>

      <Paper withBorder p="md" component="section" aria-labelledby="partner-shared-heading">
        <Stack gap="sm">
          <Title order={sub} size="h3" id="partner-shared-heading">
            What the patient agreed to share
          </Title>
          {shared.length === 0 ? (
            <Text size="lg">Nothing beyond the referral itself.</Text>
          ) : (
            <FactTable label="What the patient agreed to share" rows={shared} large />
          )}
          {contact && (
            <>
              <Title order={subsub} size="h4">
                How to reach the patient
              </Title>
              <FactTable label="How to reach the patient" rows={contactRows(contact)} large />
            </>
          )}
        </Stack>
      </Paper>

      {view.outcome && (
        <Paper withBorder p="md" component="section" aria-label="Outcome">
          <Text size="lg">
            <Text span fw={700}>
              Outcome:{' '}
            </Text>
            <OutcomeText outcome={view.outcome} />
          </Text>
        </Paper>
      )}

      {acting ? (
        <Paper withBorder p="md">
          <ActionForm
            action={acting}
            by="performer"
            label={partnerActionLabel(acting)}
            pending={pending}
            error={error}
            onSubmit={(body) => void act(acting, body)}
            onCancel={() => setActing(null)}
            large
            askBedDate={acting === 'accept' && Boolean(view.placement)}
          />
        </Paper>
      ) : (
        <Stack gap="sm">
          <ProblemAlert error={error} />
          {actions.length === 0 ? (
            <Alert color="gray" variant="light" role="note">
              <Text size="lg">There is nothing more to do on this referral.</Text>
            </Alert>
          ) : (
            <Group gap="sm" role="group" aria-label="What you can do now">
              {actions.map((action) => (
                <Button
                  key={action}
                  size="lg"
                  variant={action === 'accept' || action === 'complete' ? 'filled' : 'default'}
                  loading={pending && ONE_PRESS.includes(action)}
                  onClick={() =>
                    ONE_PRESS.includes(action) && !(action === 'accept' && view.placement)
                      ? void act(action)
                      : setActing(action)
                  }
                >
                  {partnerActionLabel(action)}
                </Button>
              ))}
            </Group>
          )}
        </Stack>
      )}
    </Stack>
  );
}
