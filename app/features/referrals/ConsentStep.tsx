import { Alert, Button, Checkbox, Group, Paper, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import {
  CONSENT_METHODS,
  REQUIRED_SHARES,
  SHARE_ITEM_KEYS,
  SHARE_ITEMS,
  type ShareItem,
} from '../../../domain/referrals.ts';
import { formatCalendarDate, formatDateTime } from '../../components/dates.ts';
import { fieldErrorsOf } from '../../components/field-errors.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { CONSENT_METHOD_LABELS } from './labels.tsx';
import type { ConsentView } from './types.ts';
import { useRecordConsent } from './use-referrals.ts';

/** A consent the referral can go out under: in force, and sharing at least what every referral carries. */
export function usableConsent(
  consents: readonly ConsentView[],
  organizationId: string,
): ConsentView | undefined {
  return consents.find(
    (c) =>
      c.inForce &&
      c.directoryOrganization.id === organizationId &&
      REQUIRED_SHARES.every((s) => c.shares.includes(s)),
  );
}

/** A year from today, as a calendar date: the default term of a consent to share. */
function aYearFromToday(): string {
  const d = new Date();
  d.setFullYear(d.getFullYear() + 1);
  return d.toISOString().slice(0, 10);
}

const sharesText = (shares: readonly ShareItem[]) => shares.map((s) => SHARE_ITEMS[s]).join(', ');

function ConsentInForce({ consent }: { consent: ConsentView }) {
  return (
    <Alert color="teal" variant="light" title="Consent in force" role="note">
      <Text size="sm">
        The patient agreed to share: {sharesText(consent.shares)}. {CONSENT_METHOD_LABELS[consent.method]}{' '}
        consent given by {consent.givenBy} on {formatDateTime(consent.givenAt)}, until{' '}
        {formatCalendarDate(consent.expiresOn)}; recorded by {consent.recordedBy.displayName}. It is used for
        this referral.
      </Text>
    </Alert>
  );
}

/** The patient's consent to share with one organisation, asked before anything is sent to it. */
function ConsentForm({
  patientId,
  organization,
  patientName,
}: {
  patientId: string;
  organization: { id: string; name: string };
  patientName: string;
}) {
  const [shares, setShares] = useState<string[]>([...REQUIRED_SHARES]);
  const [method, setMethod] = useState<string>('verbal');
  const [givenBy, setGivenBy] = useState(patientName);
  const [expiresOn, setExpiresOn] = useState(aYearFromToday);
  const [missing, setMissing] = useState<Record<string, string>>({});
  const record = useRecordConsent(patientId);
  const errors = { ...fieldErrorsOf(record.error), ...missing };
  const prefix = `consent-${organization.id}`;

  function submit(event: FormEvent) {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!givenBy.trim()) problems.givenBy = 'Write who gave consent';
    if (!expiresOn) problems.expiresOn = 'Choose until when the consent holds';
    setMissing(problems);
    if (Object.keys(problems).length) return;
    record.mutate({
      directoryOrganizationId: organization.id,
      shares: SHARE_ITEM_KEYS.filter((s) => shares.includes(s)),
      method: method as (typeof CONSENT_METHODS)[number],
      givenBy: givenBy.trim(),
      expiresOn,
    });
  }

  return (
    <form onSubmit={submit} noValidate aria-label={`Consent to share with ${organization.name}`}>
      <Stack gap="sm">
        {record.error && Object.keys(fieldErrorsOf(record.error)).length === 0 && (
          <ProblemAlert error={record.error} />
        )}
        <Checkbox.Group
          label="What the patient agrees to share"
          description="Name, a way to reach the patient and the need are required: without them the organisation cannot act on the referral. The organisation sees nothing else."
          value={shares}
          onChange={setShares}
          error={errors.shares}
        >
          <Stack gap={6} mt="xs">
            {SHARE_ITEM_KEYS.map((key) => {
              const required = REQUIRED_SHARES.includes(key);
              return (
                <Checkbox
                  key={key}
                  value={key}
                  id={`${prefix}-${key}`}
                  label={required ? `${SHARE_ITEMS[key]} (required)` : SHARE_ITEMS[key]}
                  disabled={required}
                />
              );
            })}
          </Stack>
        </Checkbox.Group>
        <Radio.Group
          label="How consent was given"
          value={method}
          onChange={setMethod}
          error={errors.method}
          required
        >
          <Group mt="xs">
            {CONSENT_METHODS.map((m) => (
              <Radio key={m} value={m} label={CONSENT_METHOD_LABELS[m]} />
            ))}
          </Group>
        </Radio.Group>
        <Group grow align="flex-start">
          <TextInput
            label="Given by"
            description="The patient, or who decides for them"
            required
            value={givenBy}
            onChange={(e) => setGivenBy(e.currentTarget.value)}
            error={errors.givenBy}
          />
          <TextInput
            type="date"
            label="Until"
            description="The consent ends on this day"
            required
            value={expiresOn}
            onChange={(e) => setExpiresOn(e.currentTarget.value)}
            error={errors.expiresOn}
          />
        </Group>
        <Group>
          <Button type="submit" loading={record.isPending}>
            Record consent for {organization.name}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * Consent per organisation before anything is sent: a consent in force is shown and reused; otherwise the
 * worker records what the patient agreed to share, how, by whom, and until when.
 */
export function ConsentStep({
  patientId,
  patientName,
  organizations,
  consents,
}: {
  patientId: string;
  patientName: string;
  organizations: readonly { id: string; name: string }[];
  consents: readonly ConsentView[];
}) {
  return (
    <Stack gap="md">
      <Text size="sm">
        Ask the patient before anything is sent. Each organisation sees only what the patient agrees to share
        with it.
      </Text>
      {organizations.map((org) => {
        const consent = usableConsent(consents, org.id);
        return (
          <Paper key={org.id} withBorder p="md" component="section" aria-labelledby={`consent-h-${org.id}`}>
            <Stack gap="sm">
              <Title order={4} size="h5" id={`consent-h-${org.id}`}>
                {org.name}
              </Title>
              {consent ? (
                <ConsentInForce consent={consent} />
              ) : (
                <ConsentForm patientId={patientId} organization={org} patientName={patientName} />
              )}
            </Stack>
          </Paper>
        );
      })}
    </Stack>
  );
}
