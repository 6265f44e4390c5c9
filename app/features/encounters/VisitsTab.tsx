import { Badge, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { DISPOSITIONS, ENCOUNTER_CLASSES } from '../../../domain/schemas/encounters.ts';
import { api } from '../../api/client.ts';
import { formatCalendarDate, formatDateTime } from '../../components/dates.ts';
import { fieldErrorsOf } from '../../components/field-errors.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { DischargeForm, EncounterForm } from './EncounterForms.tsx';
import type {
  Encounter,
  EncounterAdmit,
  EncounterDischarge,
  EncounterList,
  EncounterUpdate,
} from './types.ts';

type Editing = { mode: 'admit' } | { mode: 'edit' | 'discharge'; encounter: Encounter } | null;

const where = (e: Encounter) =>
  [e.unit, e.room && `room ${e.room}`, e.bed && `bed ${e.bed}`].filter(Boolean).join(', ') || '—';

/** The chart's Visits tab: admissions, emergency and clinic visits, newest first, recorded by hand or by ADT. */
export function VisitsTab({ patientId }: { patientId: string }) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<Editing>(null);
  const visits = useQuery({
    queryKey: ['patients', patientId, 'encounters'],
    queryFn: () => api.get<EncounterList>(`/api/patients/${patientId}/encounters`),
  });
  const save = useMutation({
    mutationFn: (request: EncounterAdmit | EncounterUpdate | EncounterDischarge) => {
      if (editing?.mode === 'edit')
        return api.patch<Encounter>(`/api/encounters/${editing.encounter.id}`, request);
      if (editing?.mode === 'discharge')
        return api.post<Encounter>(`/api/encounters/${editing.encounter.id}/discharge`, request);
      return api.post<Encounter>(`/api/patients/${patientId}/encounters`, request);
    },
    onSuccess: () => setEditing(null),
    // Both ways the header (unit, days since admission) and this list are refreshed.
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['patients', patientId] }),
  });
  const open = (next: Editing) => {
    save.reset();
    setEditing(next);
  };

  if (visits.error) return <ProblemAlert error={visits.error} />;
  if (!visits.data) return <Text role="status">Loading visits…</Text>;
  const { items, abilities } = visits.data;
  const form = editing && (
    <Card withBorder>
      <Stack>
        <Title order={3} size="h5">
          {editing.mode === 'admit'
            ? 'Record a visit'
            : editing.mode === 'edit'
              ? 'Change the visit'
              : 'Record the discharge'}
        </Title>
        <ProblemAlert error={save.error} />
        {editing.mode === 'discharge' ? (
          <DischargeForm
            encounter={editing.encounter}
            serverErrors={fieldErrorsOf(save.error)}
            busy={save.isPending}
            onSubmit={(r) => save.mutate(r)}
            onCancel={() => open(null)}
          />
        ) : (
          <EncounterForm
            encounter={editing.mode === 'edit' ? editing.encounter : undefined}
            serverErrors={fieldErrorsOf(save.error)}
            busy={save.isPending}
            onSubmit={(r) => save.mutate(r)}
            onCancel={() => open(null)}
          />
        )}
      </Stack>
    </Card>
  );

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2} size="h3">
          Visits
        </Title>
        {abilities.update && !editing && (
          <Button onClick={() => open({ mode: 'admit' })}>Record an admission or visit</Button>
        )}
      </Group>
      {form}
      {items.length === 0 ? (
        <Text>No visits recorded.</Text>
      ) : (
        <Table.ScrollContainer minWidth={820}>
          <Table striped>
            <Table.Caption>Hospital and clinic visits, newest first</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Visit</Table.Th>
                <Table.Th scope="col">Where</Table.Th>
                <Table.Th scope="col">Attending</Table.Th>
                <Table.Th scope="col">Admitted</Table.Th>
                <Table.Th scope="col">Expected discharge</Table.Th>
                <Table.Th scope="col">Discharged</Table.Th>
                {abilities.update && <Table.Th scope="col">Actions</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>
                    {ENCOUNTER_CLASSES[e.encounterClass]}
                    {!e.dischargedAt && (
                      <Badge ml="xs" size="sm" color="#1e6b30" variant="filled" tt="none">
                        Open
                      </Badge>
                    )}
                    {e.visitNumber && (
                      <Text size="xs" c="dimmed">
                        Visit {e.visitNumber}
                        {e.source === 'adt' ? ' · from ADT' : ''}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{where(e)}</Table.Td>
                  <Table.Td>{e.attendingName ?? '—'}</Table.Td>
                  <Table.Td>{formatDateTime(e.admittedAt)}</Table.Td>
                  <Table.Td>{formatCalendarDate(e.expectedDischargeOn)}</Table.Td>
                  <Table.Td>
                    {e.dischargedAt ? (
                      <>
                        {formatDateTime(e.dischargedAt)}
                        {e.disposition && <Text size="xs">{DISPOSITIONS[e.disposition]}</Text>}
                      </>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                  {abilities.update && (
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() => open({ mode: 'edit', encounter: e })}
                        >
                          {e.dischargedAt ? 'Correct' : 'Change or transfer'}
                        </Button>
                        {!e.dischargedAt && (
                          <Button
                            size="xs"
                            onClick={() => open({ mode: 'discharge', encounter: e })}
                            aria-label={`Discharge from the visit admitted ${formatDateTime(e.admittedAt)}`}
                          >
                            Discharge
                          </Button>
                        )}
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
