import { Anchor, Badge, Button, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError, api, type Page, toQuery } from '../../api/client.ts';
import type { PatientListItem } from '../../api/types.ts';
import { formatCalendarDate } from '../../components/dates.ts';
import { languageName } from '../../components/language.ts';
import { Pager } from '../../components/Pager.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';

const PAGE_SIZE = 25;

/** Reaches a chart by MRN, including one the user is not on the care team of. */
function FindByMrn() {
  const navigate = useNavigate();
  const [mrn, setMrn] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function find(event: FormEvent) {
    event.preventDefault();
    if (!mrn.trim()) return setProblem('Enter an MRN');
    setBusy(true);
    setProblem(null);
    try {
      const { patientId } = await api.get<{ patientId: string }>(
        `/api/patients/lookup${toQuery({ mrn: mrn.trim() })}`,
      );
      await navigate(`/patients/${patientId}`);
    } catch (error) {
      setProblem(
        error instanceof ApiError && error.status === 404
          ? `No patient has MRN ${mrn.trim()}`
          : error instanceof Error
            ? error.message
            : 'Lookup failed',
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={find} noValidate aria-label="Find a patient by MRN">
      <Group align="flex-end">
        <TextInput
          label="Find by MRN"
          value={mrn}
          onChange={(e) => setMrn(e.currentTarget.value)}
          error={problem}
        />
        <Button type="submit" variant="default" loading={busy}>
          Open chart
        </Button>
      </Group>
    </form>
  );
}

/** Patients the user may see, searched and paged on the server. */
export function PatientListPage() {
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [q] = useDebouncedValue(search.trim(), 300);
  const birthDate = params.get('birthDate') ?? '';
  const page = Number(params.get('page') ?? '1') || 1;
  const patients = useQuery({
    queryKey: ['patients', 'list', q, birthDate, page],
    queryFn: () =>
      api.get<Page<PatientListItem>>(
        `/api/patients${toQuery({ q, birthDate: /^\d{4}-\d{2}-\d{2}$/.test(birthDate) ? birthDate : undefined, page, pageSize: PAGE_SIZE })}`,
      ),
    placeholderData: keepPreviousData,
  });
  const filters = (over: Record<string, string>) => {
    const next = { q: search, birthDate, ...over };
    return Object.fromEntries(Object.entries(next).filter(([, v]) => v));
  };

  return (
    <Stack>
      <PageTitle
        actions={
          <Button component={Link} to="/patients/new">
            New patient
          </Button>
        }
      >
        Patients
      </PageTitle>
      <Group align="flex-end" justify="space-between" wrap="wrap">
        <Group align="flex-end">
          <TextInput
            label="Search patients"
            description="Name (misspellings are fine) or MRN"
            type="search"
            value={search}
            onChange={(e) => {
              setSearch(e.currentTarget.value);
              setParams(filters({ q: e.currentTarget.value }), { replace: true });
            }}
            w={320}
          />
          <TextInput
            label="Date of birth"
            description="Only those born that day"
            type="date"
            value={birthDate}
            onChange={(e) => setParams(filters({ birthDate: e.currentTarget.value }), { replace: true })}
          />
        </Group>
        <FindByMrn />
      </Group>
      <ProblemAlert error={patients.error} />
      <Text size="sm" role="status" aria-live="polite">
        {patients.data
          ? `${patients.data.total} patient${patients.data.total === 1 ? '' : 's'}`
          : 'Loading patients…'}
      </Text>
      <Table.ScrollContainer minWidth={640}>
        <Table striped highlightOnHover>
          <Table.Caption>Patients on your care teams</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Name</Table.Th>
              <Table.Th scope="col">MRN</Table.Th>
              <Table.Th scope="col">Date of birth</Table.Th>
              <Table.Th scope="col">Sex</Table.Th>
              <Table.Th scope="col">Language</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {patients.data?.items.map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/patients/${p.id}`}>
                    {p.familyName}, {p.givenName}
                  </Anchor>
                </Table.Td>
                <Table.Td>{p.mrn}</Table.Td>
                <Table.Td>{formatCalendarDate(p.birthDate)}</Table.Td>
                <Table.Td>{p.sex}</Table.Td>
                <Table.Td>
                  {languageName(p.preferredLanguage)}{' '}
                  {p.interpreterNeeded && (
                    <Badge size="sm" color="orange" variant="light">
                      Interpreter
                    </Badge>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Pager
        result={patients.data}
        page={page}
        onChange={(next) => setParams(filters({ page: String(next) }))}
      />
    </Stack>
  );
}
