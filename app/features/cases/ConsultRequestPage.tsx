import {
  Button,
  Checkbox,
  Group,
  NativeSelect,
  Radio,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import {
  CONSULT_REASONS,
  type ConsultReason,
  URGENCY_LABELS,
  type Urgency,
} from '../../../domain/casework.ts';
import type { Encounter } from '../../../domain/schemas/encounters.ts';
import { api, type Page, toQuery } from '../../api/client.ts';
import type { Patient, PatientListItem } from '../../api/types.ts';
import { formatCalendarDate, formatDateTime } from '../../components/dates.ts';
import { fieldErrorsOf } from '../../components/field-errors.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useSignedInUser } from '../auth/session.ts';
import type { CaseView } from './types.ts';

/** Most urgent last in the list is how consult forms read on the wards: routine is the usual answer. */
const URGENCY_ORDER: Urgency[] = ['routine', 'urgent', 'emergent'];
const URGENCY_HINTS: Record<Urgency, string> = {
  routine: 'Within a business day',
  urgent: 'Within hours',
  emergent: 'Now: safety at risk',
};

/** Finds the patient to ask about, when the page was opened without one. */
function PatientPicker({ onPick }: { onPick: (patientId: string) => void }) {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const found = useQuery({
    queryKey: ['patients', 'list', q, 1],
    queryFn: () => api.get<Page<PatientListItem>>(`/api/patients${toQuery({ q, page: 1, pageSize: 10 })}`),
    enabled: q.length >= 2,
  });
  return (
    <Stack maw={720}>
      <TextInput
        label="Patient"
        description="Search by name or MRN"
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
      />
      <ProblemAlert error={found.error} />
      {found.data && found.data.items.length === 0 && <Text>No patient matches.</Text>}
      {found.data && found.data.items.length > 0 && (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Name</Table.Th>
              <Table.Th scope="col">MRN</Table.Th>
              <Table.Th scope="col">Born</Table.Th>
              <Table.Th scope="col">
                <VisuallyHidden>Choose</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {found.data.items.map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>
                  {p.familyName}, {p.givenName}
                </Table.Td>
                <Table.Td>{p.mrn}</Table.Td>
                <Table.Td>{formatCalendarDate(p.birthDate)}</Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    variant="default"
                    onClick={() => onPick(p.id)}
                    aria-label={`Choose ${p.givenName} ${p.familyName}`}
                  >
                    Choose
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

/**
 * "Request a social work consult" (clinicians), or "Open a case" (`mode="case"`, social workers and
 * supervisors, who may keep the case themselves). Reached from the chart's Cases tab and at
 * /consults/new?patientId= (or /cases/new?patientId=).
 */
export function ConsultRequestPage({ mode = 'consult' }: { mode?: 'consult' | 'case' }) {
  const me = useSignedInUser();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const patientId = params.get('patientId') ?? '';
  const [reasonCode, setReasonCode] = useState<ConsultReason | ''>('');
  const [urgency, setUrgency] = useState<Urgency | ''>('');
  const [details, setDetails] = useState('');
  const [encounterId, setEncounterId] = useState('');
  const carriesCaseload = me.role === 'social_worker' || me.role === 'supervisor';
  const [assignToMe, setAssignToMe] = useState(carriesCaseload);
  const [missing, setMissing] = useState<Record<string, string>>({});

  const patient = useQuery({
    queryKey: ['patients', patientId],
    queryFn: () => api.get<Patient>(`/api/patients/${patientId}`),
    enabled: Boolean(patientId),
  });
  const visits = useQuery({
    queryKey: ['patients', patientId, 'encounters'],
    queryFn: () => api.get<{ items: Encounter[] }>(`/api/patients/${patientId}/encounters`),
    enabled: Boolean(patientId),
  });
  const openVisits = (visits.data?.items ?? []).filter((v) => !v.dischargedAt);

  const submit = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api.post<CaseView>(mode === 'case' ? '/api/cases' : '/api/consults', body),
    onSuccess: (created) => navigate(`/patients/${created.patientId}/cases`),
  });
  const errors = { ...fieldErrorsOf(submit.error), ...missing };
  const title = mode === 'case' ? 'Open a case' : 'Request a social work consult';

  function send(event: FormEvent) {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!reasonCode) problems.reasonCode = 'Choose a reason';
    if (!urgency) problems.urgency = 'Choose how urgent it is';
    setMissing(problems);
    if (Object.keys(problems).length) return;
    submit.mutate({
      patientId,
      reasonCode,
      urgency,
      ...(details.trim() ? { reasonText: details.trim() } : {}),
      ...(encounterId ? { encounterId } : {}),
      ...(mode === 'case' ? { assignToMe: carriesCaseload && assignToMe } : {}),
    });
  }

  if (!patientId) {
    return (
      <Stack>
        <PageTitle>{title}</PageTitle>
        <Text>Which patient is this about?</Text>
        <PatientPicker onPick={(id) => setParams({ patientId: id })} />
      </Stack>
    );
  }

  const name = patient.data ? `${patient.data.givenName} ${patient.data.familyName}` : null;
  return (
    <Stack maw={720}>
      <PageTitle>{title}</PageTitle>
      <ProblemAlert error={patient.error} />
      {patient.data && (
        <Text>
          For <strong>{name}</strong>, MRN {patient.data.mrn}, born{' '}
          {formatCalendarDate(patient.data.birthDate)}.{' '}
          <Link to={`/patients/${patientId}`}>Back to the chart</Link>
        </Text>
      )}
      <ProblemAlert error={submit.error} />
      <form onSubmit={send} noValidate aria-label={title}>
        <Stack>
          <NativeSelect
            label="Reason"
            required
            value={reasonCode}
            onChange={(e) => setReasonCode(e.currentTarget.value as ConsultReason | '')}
            error={errors.reasonCode}
            data={[
              { value: '', label: 'Choose a reason…' },
              ...Object.entries(CONSULT_REASONS).map(([value, label]) => ({ value, label })),
            ]}
          />
          <Radio.Group
            label="Urgency"
            required
            value={urgency}
            onChange={(value) => setUrgency(value as Urgency)}
            error={errors.urgency}
          >
            <Group mt="xs">
              {URGENCY_ORDER.map((u) => (
                <Radio key={u} value={u} label={URGENCY_LABELS[u]} description={URGENCY_HINTS[u]} />
              ))}
            </Group>
          </Radio.Group>
          <Textarea
            label="Details"
            description="What the social worker should know: situation, family, safety, what has been tried"
            autosize
            minRows={4}
            maxLength={4000}
            value={details}
            onChange={(e) => setDetails(e.currentTarget.value)}
            error={errors.reasonText}
          />
          {openVisits.length > 0 && (
            <NativeSelect
              label="Visit"
              value={encounterId}
              onChange={(e) => setEncounterId(e.currentTarget.value)}
              error={errors.encounterId}
              data={[
                { value: '', label: 'Not tied to a visit' },
                ...openVisits.map((v) => ({
                  value: v.id,
                  label: [v.unit, v.room && `room ${v.room}`, `admitted ${formatDateTime(v.admittedAt)}`]
                    .filter(Boolean)
                    .join(', '),
                })),
              ]}
            />
          )}
          {mode === 'case' && carriesCaseload && (
            <Checkbox
              label="Assign to me (I will work this case)"
              checked={assignToMe}
              onChange={(e) => setAssignToMe(e.currentTarget.checked)}
              error={errors.assignToMe}
            />
          )}
          <Group>
            <Button type="submit" loading={submit.isPending}>
              {mode === 'case' ? 'Open case' : 'Request consult'}
            </Button>
            <Button component={Link} to={`/patients/${patientId}`} variant="default">
              Cancel
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
