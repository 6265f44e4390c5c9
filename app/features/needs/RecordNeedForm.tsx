import { Alert, Anchor, Button, Card, Group, NativeSelect, Stack, Textarea, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { SDOH_DOMAIN_LABELS, SDOH_DOMAINS, type SdohDomain } from '../../../domain/needs.ts';
import { ApiError } from '../../api/client.ts';
import { formatDateTime } from '../../components/dates.ts';
import { fieldErrorsOf } from '../../components/field-errors.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import type { NeedView } from './types.ts';
import { needsKey, useRecordNeed } from './use-needs.ts';

const DOMAIN_CHOICES = [...SDOH_DOMAINS].sort((a, b) =>
  SDOH_DOMAIN_LABELS[a].localeCompare(SDOH_DOMAIN_LABELS[b]),
);

/**
 * A need the worker found outside a screen (in the psychosocial, at the bedside). A domain that already has an
 * open need is refused by the server (409 need-open): the form says so and links to that need.
 */
export function RecordNeedForm({
  patientId,
  needs,
  onDone,
}: {
  patientId: string;
  /** The patient's needs as loaded, to name the open need a refusal points at. */
  needs: readonly NeedView[];
  onDone: (recorded?: NeedView) => void;
}) {
  const [domain, setDomain] = useState<SdohDomain | ''>('');
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState<string | null>(null);
  const domainRef = useRef<HTMLSelectElement>(null);
  useEffect(() => domainRef.current?.focus(), []);
  const queryClient = useQueryClient();
  const record = useRecordNeed(patientId, (need) => onDone(need));
  const refused = record.error instanceof ApiError && record.error.status === 409;
  // The open need the server names may be newer than the list: reload it to link to it.
  useEffect(() => {
    if (refused) void queryClient.invalidateQueries({ queryKey: needsKey(patientId) });
  }, [refused, queryClient, patientId]);
  const errors = fieldErrorsOf(record.error);
  const alreadyOpen = refused
    ? needs.find((n) => n.open && n.domain === record.variables?.domain)
    : undefined;
  const openRefusal = record.error instanceof ApiError && record.error.is('need-open');

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!domain) {
      setMissing('Choose what the patient needs');
      return;
    }
    setMissing(null);
    record.mutate({ domain, ...(note.trim() ? { note: note.trim() } : {}) });
  }

  return (
    <Card withBorder component="section" aria-labelledby="record-need-heading">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm" maw={560}>
          <Title order={3} size="h4" id="record-need-heading">
            Record a need
          </Title>
          {alreadyOpen || openRefusal ? (
            <Alert color="yellow" role="alert" title="This need is already open">
              {alreadyOpen ? (
                <>
                  {alreadyOpen.label} was identified {formatDateTime(alreadyOpen.identifiedAt)} and is still
                  open: add to that need instead of recording it twice.{' '}
                  <Anchor
                    component={Link}
                    to={`/patients/${patientId}/needs/${alreadyOpen.id}`}
                    onClick={() => onDone()}
                  >
                    Go to the open need: {alreadyOpen.label}
                  </Anchor>
                </>
              ) : (
                'The patient already has an open need in this domain; it is in the list below.'
              )}
            </Alert>
          ) : (
            record.error && !errors.domain && !errors.note && <ProblemAlert error={record.error} />
          )}
          <NativeSelect
            label="Need"
            required
            value={domain}
            onChange={(e) => setDomain(e.currentTarget.value as SdohDomain | '')}
            error={missing ?? errors.domain}
            data={[
              { value: '', label: 'Choose a domain…' },
              ...DOMAIN_CHOICES.map((d) => ({
                value: d,
                label: needs.some((n) => n.open && n.domain === d)
                  ? `${SDOH_DOMAIN_LABELS[d]} (already open)`
                  : SDOH_DOMAIN_LABELS[d],
              })),
            ]}
            ref={domainRef}
          />
          <Textarea
            label="Note"
            description="Optional. How you learned of it, and what the patient said."
            autosize
            minRows={2}
            maxLength={2000}
            value={note}
            onChange={(e) => setNote(e.currentTarget.value)}
            error={errors.note}
          />
          <Group>
            <Button type="submit" loading={record.isPending}>
              Record need
            </Button>
            <Button variant="default" onClick={() => onDone()}>
              Cancel
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
