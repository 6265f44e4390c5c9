import {
  Alert,
  Button,
  Card,
  Checkbox,
  Group,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { PatientMergeUndoRequest } from '../../../domain/schemas/patients.ts';
import { api, type Page, toQuery } from '../../api/client.ts';
import { formatCalendarDate, formatDateTime } from '../../components/dates.ts';
import { checkWith, fieldErrorsOf } from '../../components/field-errors.ts';
import { Pager } from '../../components/Pager.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import type { PatientMerge, PatientMergePreview } from '../patients/types.ts';

type Side = PatientMergePreview['survivor'];

const RECORD_WORDS: Record<string, [string, string]> = {
  cases: ['case', 'cases'],
  tasks: ['task', 'tasks'],
  patient_contacts: ['contact', 'contacts'],
  encounters: ['visit', 'visits'],
  timeline_events: ['timeline entry', 'timeline entries'],
  care_team_members: ['care-team membership', 'care-team memberships'],
  patient_flags: ['flag', 'flags'],
  messages: ['message', 'messages'],
  notifications: ['notification', 'notifications'],
};

/** "3 cases, 12 timeline entries": what a merge moves, in words. */
const movedText = (counts: Record<string, number>) =>
  Object.entries(counts)
    .filter(([table]) => !table.includes(':'))
    .map(([table, n]) => {
      const [one, many] = RECORD_WORDS[table] ?? [table.replaceAll('_', ' '), table.replaceAll('_', ' ')];
      return `${n} ${n === 1 ? one : many}`;
    })
    .join(', ') || 'nothing linked';

function RecordCard({ title, patient }: { title: string; patient: Side }) {
  const rows: [string, string][] = [
    [
      'Name',
      `${patient.familyName}, ${patient.givenName}${patient.middleName ? ` ${patient.middleName}` : ''}`,
    ],
    ['MRN', patient.mrn],
    ['Date of birth', formatCalendarDate(patient.birthDate)],
    ['Sex', patient.sex],
    ['Phones', patient.phones.map((p) => p.number).join(', ') || '—'],
    ['Address', patient.address ? `${patient.address.line1}, ${patient.address.city}` : '—'],
    ['Insurance', patient.insurance.map((c) => c.payerName ?? c.payerType).join(', ') || '—'],
    ['Care team', patient.careTeam.map((m) => m.displayName).join(', ') || '—'],
    ['Registered', formatDateTime(patient.createdAt)],
  ];
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        {title}
      </Title>
      <Table variant="vertical">
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th scope="row" w={130}>
                {label}
              </Table.Th>
              <Table.Td>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

function UndoForm({ merge, onDone }: { merge: PatientMerge; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const undo = useMutation({
    mutationFn: (body: { reason: string }) => api.post(`/api/admin/patient-merges/${merge.id}/undo`, body),
    onSuccess: onDone,
    onError: (e) => setError(fieldErrorsOf(e).reason ?? (e instanceof Error ? e.message : undefined)),
  });
  return (
    <Group align="flex-end" wrap="nowrap">
      <TextInput
        label={`Why undo the merge of MRN ${merge.merged.mrn}`}
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        error={error}
        w={260}
      />
      <Button
        size="sm"
        color="red"
        loading={undo.isPending}
        onClick={() => {
          const checked = checkWith(PatientMergeUndoRequest, { reason });
          if (!checked.ok) return setError(checked.errors.reason);
          undo.mutate(checked.data);
        }}
      >
        Undo merge
      </Button>
    </Group>
  );
}

function RecentMerges() {
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const merges = useQuery({
    queryKey: ['admin', 'patient-merges', page],
    queryFn: () => api.get<Page<PatientMerge>>(`/api/admin/patient-merges${toQuery({ page, pageSize: 20 })}`),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['admin', 'patient-merges'] });
  return (
    <Stack>
      <Title order={2} size="h3">
        Recent merges
      </Title>
      <ProblemAlert error={merges.error} />
      {merges.data?.items.length === 0 && <Text>No merges yet.</Text>}
      {Boolean(merges.data?.items.length) && (
        <Table.ScrollContainer minWidth={900}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Merged</Table.Th>
                <Table.Th scope="col">Kept</Table.Th>
                <Table.Th scope="col">Merged into it</Table.Th>
                <Table.Th scope="col">What moved</Table.Th>
                <Table.Th scope="col">Reason</Table.Th>
                <Table.Th scope="col">Undo</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {merges.data?.items.map((m) => (
                <Table.Tr key={m.id}>
                  <Table.Td>
                    {formatDateTime(m.mergedAt)}
                    <Text size="xs">by {m.mergedByName}</Text>
                  </Table.Td>
                  <Table.Td>
                    {m.survivor.familyName}, {m.survivor.givenName} · MRN {m.survivor.mrn}
                  </Table.Td>
                  <Table.Td>MRN {m.merged.mrn}</Table.Td>
                  <Table.Td>{movedText(m.moved)}</Table.Td>
                  <Table.Td>{m.reason}</Table.Td>
                  <Table.Td>
                    {m.undoneAt ? (
                      <Text size="sm">
                        Undone {formatDateTime(m.undoneAt)} by {m.undoneByName}
                      </Text>
                    ) : m.undoable ? (
                      <Stack gap={4}>
                        <Text size="xs">Until {formatDateTime(m.undoableUntil)}</Text>
                        <UndoForm merge={m} onDone={refresh} />
                      </Stack>
                    ) : (
                      <Text size="sm">Final (30 days passed)</Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Pager result={merges.data} page={page} onChange={setPage} />
    </Stack>
  );
}

/** Admin: join two records of one person (reversible for 30 days), after comparing them side by side. */
export function MergeRecordsPage() {
  const queryClient = useQueryClient();
  const [mrns, setMrns] = useState({ survivorMrn: '', mergedMrn: '' });
  const [compared, setCompared] = useState<{ survivorMrn: string; mergedMrn: string } | null>(null);
  const [reason, setReason] = useState('');
  const [sure, setSure] = useState(false);
  const [done, setDone] = useState<PatientMerge | null>(null);
  const preview = useQuery({
    queryKey: ['admin', 'patient-merges', 'preview', compared],
    queryFn: () =>
      api.get<PatientMergePreview>(`/api/admin/patient-merges/preview${toQuery(compared ?? {})}`),
    enabled: Boolean(compared),
    retry: false,
  });
  const merge = useMutation({
    mutationFn: (body: { survivorId: string; mergedId: string; reason: string }) =>
      api.post<PatientMerge>('/api/admin/patient-merges', body),
    onSuccess: async (result) => {
      setDone(result);
      setCompared(null);
      setReason('');
      setSure(false);
      await queryClient.invalidateQueries({ queryKey: ['admin', 'patient-merges'] });
    },
  });

  function compare(event: FormEvent) {
    event.preventDefault();
    setDone(null);
    merge.reset();
    setCompared({ survivorMrn: mrns.survivorMrn.trim(), mergedMrn: mrns.mergedMrn.trim() });
  }

  const data = preview.data;
  const errors = fieldErrorsOf(merge.error);
  return (
    <Stack>
      <PageTitle>Merge records</PageTitle>
      <Text maw={720}>
        When one person has two records, merge the duplicate into the record to keep: everything linked to the
        duplicate (cases, tasks, contacts, visits, timeline...) moves, and the duplicate is retired. An admin
        can undo a merge for 30 days.
      </Text>
      <form onSubmit={compare} noValidate aria-label="Pick the two records">
        <Group align="flex-end">
          <TextInput
            label="MRN of the record to keep"
            required
            value={mrns.survivorMrn}
            onChange={(e) => setMrns({ ...mrns, survivorMrn: e.currentTarget.value })}
          />
          <TextInput
            label="MRN of the duplicate"
            required
            value={mrns.mergedMrn}
            onChange={(e) => setMrns({ ...mrns, mergedMrn: e.currentTarget.value })}
          />
          <Button
            type="submit"
            variant="default"
            disabled={!mrns.survivorMrn.trim() || !mrns.mergedMrn.trim()}
          >
            Compare
          </Button>
        </Group>
      </form>
      <ProblemAlert error={preview.error} />
      {done && (
        <Alert color="green" role="status" title="Records merged">
          MRN {done.merged.mrn} was merged into MRN {done.survivor.mrn}: {movedText(done.moved)} moved.
        </Alert>
      )}
      {data && compared && (
        <Stack>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <RecordCard title="Record to keep" patient={data.survivor} />
            <RecordCard title="Duplicate, to be retired" patient={data.merged} />
          </SimpleGrid>
          <Text>Will move to the record kept: {movedText(data.linked)}.</Text>
          <ProblemAlert error={merge.error} />
          <Textarea
            label="Reason for the merge"
            description="At least 10 characters; it goes into the audit log"
            required
            autosize
            minRows={2}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            error={errors.reason}
            maw={720}
          />
          <Checkbox
            label="I compared both records: they are the same person"
            checked={sure}
            onChange={(e) => setSure(e.currentTarget.checked)}
          />
          <Group>
            <Button
              color="red"
              disabled={!sure || data.survivor.id === data.merged.id}
              loading={merge.isPending}
              onClick={() => merge.mutate({ survivorId: data.survivor.id, mergedId: data.merged.id, reason })}
            >
              Merge MRN {data.merged.mrn} into MRN {data.survivor.mrn}
            </Button>
          </Group>
        </Stack>
      )}
      <RecentMerges />
    </Stack>
  );
}
