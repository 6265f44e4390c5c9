import { Button, Group, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client.ts';
import type { Patient, PatientCreate } from '../../api/types.ts';
import { formatCalendarDate } from '../../components/dates.ts';
import { fieldErrorsOf } from '../../components/field-errors.ts';
import { languageName } from '../../components/language.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { chartKey } from '../chart/use-chart.ts';
import { HouseholdSummary } from './HouseholdFields.tsx';
import { InsuranceAndGuardians } from './InsuranceAndGuardians.tsx';
import { PatientForm } from './PatientForm.tsx';

/** The full patient record (care team and abilities included), shared by the Details and Care team tabs. */
export function usePatient(patientId: string) {
  return useQuery({
    queryKey: ['patients', patientId],
    queryFn: () => api.get<Patient>(`/api/patients/${patientId}`),
  });
}

function Demographics({ patient }: { patient: Patient }) {
  const rows: [string, string][] = [
    ['MRN', patient.mrn],
    ['Date of birth', formatCalendarDate(patient.birthDate)],
    ['Sex', patient.sex],
    ['Gender identity', patient.genderIdentity ?? '—'],
    ['Pronouns', patient.pronouns ?? '—'],
    [
      'Preferred language',
      `${languageName(patient.preferredLanguage)}${patient.interpreterNeeded ? ', needs an interpreter' : ''}`,
    ],
    [
      'Address',
      patient.address
        ? [
            patient.address.line1,
            patient.address.line2,
            `${patient.address.city}, ${patient.address.state} ${patient.address.postalCode}`,
          ]
            .filter(Boolean)
            .join(', ')
        : '—',
    ],
    ['Phones', patient.phones.map((p) => `${p.number} (${p.use})`).join(', ') || '—'],
  ];
  return (
    <Table maw={720} variant="vertical" withTableBorder>
      <Table.Caption>Demographics</Table.Caption>
      <Table.Tbody>
        {rows.map(([label, value]) => (
          <Table.Tr key={label}>
            <Table.Th scope="row" w={200}>
              {label}
            </Table.Th>
            <Table.Td>{value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** The chart's Details tab: demographics, and editing them when the user may. */
export function PatientDetailsTab({ patientId }: { patientId: string }) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const patient = usePatient(patientId);
  const update = useMutation({
    // The version read: if someone else saved in between, the server refuses (409) rather than overwrite.
    mutationFn: (request: PatientCreate) =>
      api.patch<Patient>(`/api/patients/${patientId}`, { ...request, version: patient.data?.version }),
    onSuccess: (saved) => {
      queryClient.setQueryData(['patients', patientId], saved);
      void queryClient.invalidateQueries({ queryKey: chartKey(patientId) });
      void queryClient.invalidateQueries({ queryKey: ['patients', 'list'] });
      setEditing(false);
    },
  });
  if (patient.error) return <ProblemAlert error={patient.error} />;
  if (!patient.data) return <Text role="status">Loading the details…</Text>;
  if (editing) {
    return (
      <Stack>
        <ProblemAlert error={update.error} />
        <PatientForm
          patient={patient.data}
          serverErrors={fieldErrorsOf(update.error)}
          busy={update.isPending}
          submitLabel="Save changes"
          onSubmit={(request) => update.mutate(request)}
          onCancel={() => setEditing(false)}
        />
      </Stack>
    );
  }
  return (
    <Stack>
      {patient.data.abilities.update && (
        <Group>
          <Button variant="default" onClick={() => setEditing(true)}>
            Edit details
          </Button>
        </Group>
      )}
      <Demographics patient={patient.data} />
      <HouseholdSummary patient={patient.data} />
      <InsuranceAndGuardians patient={patient.data} />
    </Stack>
  );
}
