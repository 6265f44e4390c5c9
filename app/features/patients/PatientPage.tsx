import { Alert, Badge, Button, Group, Stack, Table, Tabs, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import { ApiError, api } from '../../api/client.ts';
import type { Patient, PatientCreate } from '../../api/types.ts';
import { formatCalendarDate, formatTime } from '../../components/dates.ts';
import { fieldErrorsOf } from '../../components/field-errors.ts';
import { languageName } from '../../components/language.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { AccessLogPanel } from './AccessLogPanel.tsx';
import { CareTeamPanel } from './CareTeamPanel.tsx';
import { EmergencyAccessRequest } from './EmergencyAccessRequest.tsx';
import { PatientForm } from './PatientForm.tsx';

function Demographics({ patient }: { patient: Patient }) {
  const rows: [string, string][] = [
    ['MRN', patient.mrn],
    ['Date of birth', formatCalendarDate(patient.birthDate)],
    ['Sex', patient.sex],
    ['Gender identity', patient.genderIdentity ?? '—'],
    ['Pronouns', patient.pronouns ?? '—'],
    [
      'Preferred language',
      `${languageName(patient.preferredLanguage)}${patient.interpreterNeeded ? ' (needs an interpreter)' : ''}`,
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

/** One patient's chart: demographics, care team and who has looked at it. */
export function PatientPage() {
  const { patientId = '' } = useParams();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const chart = useQuery({
    queryKey: ['patients', patientId],
    queryFn: () => api.get<Patient>(`/api/patients/${patientId}`),
  });
  const update = useMutation({
    mutationFn: (request: PatientCreate) => api.patch<Patient>(`/api/patients/${patientId}`, request),
    onSuccess: (patient) => {
      queryClient.setQueryData(['patients', patientId], patient);
      void queryClient.invalidateQueries({ queryKey: ['patients', 'list'] });
      setEditing(false);
    },
  });

  if (chart.error instanceof ApiError && chart.error.status === 403 && chart.error.is('forbidden')) {
    return <EmergencyAccessRequest patientId={patientId} onGranted={() => void chart.refetch()} />;
  }
  if (chart.error) {
    return (
      <Stack>
        <PageTitle>Patient chart</PageTitle>
        <ProblemAlert error={chart.error} />
      </Stack>
    );
  }
  const patient = chart.data;
  if (!patient) return <Text role="status">Loading the chart…</Text>;
  const name = `${patient.givenName}${patient.preferredName ? ` “${patient.preferredName}”` : ''} ${patient.familyName}`;

  return (
    <Stack>
      {patient.emergencyAccessUntil && (
        <Alert
          color="red"
          variant="filled"
          role="status"
          title={`Emergency access until ${formatTime(patient.emergencyAccessUntil)}`}
        >
          You opened this chart under emergency access. Everything you view is recorded and reviewed.
        </Alert>
      )}
      <PageTitle
        actions={
          patient.abilities.update && !editing ? (
            <Button variant="default" onClick={() => setEditing(true)}>
              Edit details
            </Button>
          ) : undefined
        }
      >
        {name}
      </PageTitle>
      <Group gap="xs">
        <Badge variant="light">MRN {patient.mrn}</Badge>
        <Badge variant="light">Born {formatCalendarDate(patient.birthDate)}</Badge>
        {patient.interpreterNeeded && (
          <Badge color="orange" variant="light">
            Interpreter: {languageName(patient.preferredLanguage)}
          </Badge>
        )}
      </Group>
      <Tabs defaultValue="overview" keepMounted={false}>
        <Tabs.List aria-label="Chart sections">
          <Tabs.Tab value="overview">Overview</Tabs.Tab>
          <Tabs.Tab value="care-team">Care team ({patient.careTeam.length})</Tabs.Tab>
          <Tabs.Tab value="access-log">Access log</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="overview" pt="md">
          {editing ? (
            <>
              <ProblemAlert error={update.error} />
              <PatientForm
                patient={patient}
                serverErrors={fieldErrorsOf(update.error)}
                busy={update.isPending}
                submitLabel="Save changes"
                onSubmit={(request) => update.mutate(request)}
                onCancel={() => setEditing(false)}
              />
            </>
          ) : (
            <Demographics patient={patient} />
          )}
        </Tabs.Panel>
        <Tabs.Panel value="care-team" pt="md">
          <CareTeamPanel patient={patient} />
        </Tabs.Panel>
        <Tabs.Panel value="access-log" pt="md">
          <AccessLogPanel patientId={patient.id} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
