import { Anchor, Button, Group, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, type Page, toQuery } from '../../api/client.ts';
import type { AuditEvent } from '../../api/types.ts';
import { AuditTable } from '../../components/AuditTable.tsx';
import { Pager } from '../../components/Pager.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';

const NO_FILTERS = { userId: '', patientId: '', action: '', emergency: '', from: '', to: '' };
type AuditFilters = typeof NO_FILTERS;

/** Every recorded access and change, filtered, with a CSV export of the same query. */
export function AuditLogPage() {
  const [draft, setDraft] = useState<AuditFilters>(NO_FILTERS);
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  const [page, setPage] = useState(1);
  const log = useQuery({
    queryKey: ['admin', 'audit', filters, page],
    queryFn: () => api.get<Page<AuditEvent>>(`/api/admin/audit${toQuery({ ...filters, page })}`),
    placeholderData: keepPreviousData,
  });
  const field = (key: keyof AuditFilters) => ({
    value: draft[key],
    onChange: (e: { currentTarget: { value: string } }) =>
      setDraft({ ...draft, [key]: e.currentTarget.value }),
  });

  function apply(event: FormEvent) {
    event.preventDefault();
    setFilters(draft);
    setPage(1);
  }

  return (
    <Stack>
      <PageTitle
        actions={
          <Anchor href={`/api/admin/audit.csv${toQuery(filters)}`} download>
            Export CSV
          </Anchor>
        }
      >
        Audit log
      </PageTitle>
      <form onSubmit={apply} noValidate aria-label="Audit log filters">
        <SimpleGrid cols={{ base: 1, sm: 3, lg: 6 }}>
          <TextInput label="User id" {...field('userId')} />
          <TextInput label="Patient id" {...field('patientId')} />
          <TextInput label="Action" placeholder="e.g. patient.read" {...field('action')} />
          <Select
            label="Emergency access"
            data={[
              { value: '', label: 'Any' },
              { value: 'true', label: 'Only emergency' },
              { value: 'false', label: 'Not emergency' },
            ]}
            value={draft.emergency}
            onChange={(v) => setDraft({ ...draft, emergency: v ?? '' })}
            allowDeselect={false}
          />
          <TextInput label="From" type="date" {...field('from')} />
          <TextInput label="To" type="date" {...field('to')} />
        </SimpleGrid>
        <Group mt="sm">
          <Button type="submit">Apply filters</Button>
          <Button
            variant="default"
            onClick={() => {
              setDraft(NO_FILTERS);
              setFilters(NO_FILTERS);
              setPage(1);
            }}
          >
            Clear
          </Button>
        </Group>
      </form>
      <ProblemAlert error={log.error} />
      <Text size="sm" role="status">
        {log.data ? `${log.data.total} event${log.data.total === 1 ? '' : 's'}` : 'Loading…'}
      </Text>
      {log.data && <AuditTable events={log.data.items} caption="Audit events, newest first" showPatient />}
      <Pager result={log.data} page={page} onChange={setPage} />
    </Stack>
  );
}
