import { Button, Group, NativeSelect, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import { FLAG_KIND_CODES, FLAG_KINDS, type FlagKind } from '../../../domain/flags.ts';
import type { Flag, FlagRaiseRequest } from '../../../domain/schemas/patients.ts';
import { api } from '../../api/client.ts';
import { formatDateTime } from '../../components/dates.ts';
import { fieldErrorsOf } from '../../components/field-errors.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { FlagBadge } from '../chart/FlagBadges.tsx';

// Interpreter need comes from the patient's record (Details), not from a flag raised by hand.
const RAISABLE = FLAG_KIND_CODES.filter((k) => k !== 'interpreter-needed');

const flagsKey = (patientId: string) => ['patients', patientId, 'flags'] as const;

/** Raises a flag with an optional note; the chart header shows it at once. */
function RaiseFlagForm({ patientId }: { patientId: string }) {
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<FlagKind>('crisis-risk');
  const [note, setNote] = useState('');
  const raise = useMutation({
    mutationFn: (body: z.input<typeof FlagRaiseRequest>) =>
      api.post<Flag>(`/api/patients/${patientId}/flags`, body),
    onSuccess: () => {
      setNote('');
      void queryClient.invalidateQueries({ queryKey: ['patients', patientId] });
    },
  });
  const errors = fieldErrorsOf(raise.error);
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        raise.mutate({ kind, ...(note.trim() ? { note } : {}) });
      }}
    >
      <Stack gap="xs" maw={520}>
        <Title order={3}>Raise a flag</Title>
        <NativeSelect
          label="Flag"
          value={kind}
          onChange={(event) => setKind(event.currentTarget.value as FlagKind)}
          data={RAISABLE.map((k) => ({ value: k, label: FLAG_KINDS[k].label }))}
          error={errors.kind}
        />
        <Textarea
          label="Note"
          description="What colleagues should know; it shows on the flag."
          value={note}
          onChange={(event) => setNote(event.currentTarget.value)}
          error={errors.note}
          autosize
          minRows={2}
        />
        {raise.error && !Object.keys(errors).length && <ProblemAlert error={raise.error} />}
        <Group>
          <Button type="submit" loading={raise.isPending}>
            Raise flag
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Clears one flag; a note saying why is required. */
function ClearFlag({ patientId, flag }: { patientId: string; flag: Flag }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const clear = useMutation({
    mutationFn: () => api.post<Flag>(`/api/patients/${patientId}/flags/${flag.id}/clear`, { note }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['patients', patientId] }),
  });
  if (!open)
    return (
      <Button size="xs" variant="default" onClick={() => setOpen(true)}>
        Clear…
      </Button>
    );
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        clear.mutate();
      }}
    >
      <Group align="end" gap="xs">
        <Textarea
          label={`Why clear "${flag.label}"?`}
          value={note}
          onChange={(event) => setNote(event.currentTarget.value)}
          error={fieldErrorsOf(clear.error).note}
          autosize
          data-autofocus
        />
        <Button size="xs" type="submit" loading={clear.isPending}>
          Clear flag
        </Button>
        <Button size="xs" variant="subtle" onClick={() => setOpen(false)}>
          Cancel
        </Button>
      </Group>
    </form>
  );
}

/** The patient's flags, active and cleared, with who raised and cleared each and why. */
export function FlagsTab({ patientId }: { patientId: string }) {
  const flags = useQuery({
    queryKey: flagsKey(patientId),
    queryFn: () => api.get<{ items: Flag[] }>(`/api/patients/${patientId}/flags?all=true`),
  });
  if (flags.error) return <ProblemAlert error={flags.error} />;
  const items = flags.data?.items ?? [];
  return (
    <Stack gap="lg">
      <Title order={2}>Flags</Title>
      {items.length === 0 ? (
        <Text>No flags have been raised for this patient.</Text>
      ) : (
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Flag</Table.Th>
              <Table.Th scope="col">Note</Table.Th>
              <Table.Th scope="col">Raised</Table.Th>
              <Table.Th scope="col">Cleared</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((flag) => (
              <Table.Tr key={flag.id}>
                <Table.Td>
                  <FlagBadge kind={flag.kind} />
                </Table.Td>
                <Table.Td>{flag.note ?? '—'}</Table.Td>
                <Table.Td>
                  {formatDateTime(flag.raisedAt)}
                  {flag.raisedByName ? ` by ${flag.raisedByName}` : ''}
                </Table.Td>
                <Table.Td>
                  {flag.clearedAt ? (
                    `${formatDateTime(flag.clearedAt)}${flag.clearedByName ? ` by ${flag.clearedByName}` : ''}: ${flag.clearedNote ?? ''}`
                  ) : (
                    <ClearFlag patientId={patientId} flag={flag} />
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <RaiseFlagForm patientId={patientId} />
    </Stack>
  );
}
