import { Button, Group, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useRef } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { URGENCIES, URGENCY_LABELS } from '../../../domain/casework.ts';
import { FLAG_KIND_CODES, FLAG_KINDS } from '../../../domain/flags.ts';
import { ORGANISATION_WIDE_ROLES } from '../../../domain/roles.ts';
import {
  DEFAULT_SORT_DIRECTION,
  WORKLIST_SCOPES,
  WORKLIST_SORTS,
  type WorklistScope,
  type WorklistSort,
} from '../../../domain/schemas/worklist.ts';
import { api, type Page, toQuery } from '../../api/client.ts';
import type { DirectoryUser, WorklistItem } from '../../api/types.ts';
import { Pager } from '../../components/Pager.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useSignedInUser } from '../auth/session.ts';
import { useRowNavigation } from './use-row-navigation.ts';
import { WorklistTable } from './WorklistTable.tsx';
import classes from './worklist.module.css';

const PAGE_SIZE = 50;
const SCOPE_LABELS: Record<WorklistScope, string> = {
  mine: 'My cases',
  unassigned: 'Unassigned',
  worker: 'A worker’s caseload',
  all: 'All',
};
const SORT_LABELS: Record<WorklistSort, string> = {
  priority: 'Priority',
  admitted: 'Admission',
  expectedDischarge: 'Expected discharge',
  name: 'Name',
  tasksDue: 'Tasks due',
};

const oneOf = <T extends string>(values: readonly T[], value: string | null, fallback: T): T =>
  values.includes(value as T) ? (value as T) : fallback;

/** The social worker's home screen: their open cases, most pressing first; supervisors see every caseload. */
export function WorklistPage() {
  const user = useSignedInUser();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const lead = ORGANISATION_WIDE_ROLES.includes(user.role);
  const scope = lead ? oneOf(WORKLIST_SCOPES, params.get('scope'), 'mine') : 'mine';
  const workerId = scope === 'worker' ? params.get('workerId') : null;
  const sort = oneOf(WORKLIST_SORTS, params.get('sort'), 'priority');
  const reversed = params.get('dir') !== null && params.get('dir') !== DEFAULT_SORT_DIRECTION[sort];
  const dir = reversed ? (DEFAULT_SORT_DIRECTION[sort] === 'asc' ? 'desc' : 'asc') : undefined;
  const filters = { unit: params.get('unit'), urgency: params.get('urgency'), flag: params.get('flag') };
  const page = Number(params.get('page') ?? '1') || 1;
  const filterRef = useRef<HTMLInputElement>(null);
  const tableRef = useRef<HTMLTableElement>(null);

  /** Changes some parameters and goes back to the first page. */
  function update(changes: Record<string, string | null>) {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next, { replace: true });
  }

  const waitingForWorker = scope === 'worker' && !workerId;
  const query = { scope, workerId, sort, dir, ...filters, page, pageSize: PAGE_SIZE };
  const worklist = useQuery({
    queryKey: ['worklist', query],
    queryFn: () => api.get<Page<WorklistItem>>(`/api/worklist${toQuery(query)}`),
    placeholderData: keepPreviousData,
    enabled: !waitingForWorker,
  });
  const units = useQuery({
    queryKey: ['worklist', 'units'],
    queryFn: () => api.get<string[]>('/api/worklist/units'),
    staleTime: 5 * 60_000,
  });
  const workers = useQuery({
    queryKey: ['directory', 'users'],
    queryFn: () => api.get<DirectoryUser[]>('/api/directory/users'),
    enabled: lead,
  });
  const workerChoices = (workers.data ?? [])
    .filter((u) => u.role === 'social_worker' || u.role === 'supervisor')
    .map((u) => ({ value: u.id, label: u.displayName }));

  const items = waitingForWorker ? [] : (worklist.data?.items ?? []);
  const rows = useRowNavigation({
    count: items.length,
    resetKey: JSON.stringify(query),
    open: (index) => {
      const item = items[index];
      if (item) void navigate(`/patients/${item.patient.id}`);
    },
    filterRef,
    tableRef,
  });

  const workerName = workerChoices.find((w) => w.value === workerId)?.label;
  const caption =
    scope === 'mine'
      ? 'My worklist'
      : scope === 'unassigned'
        ? 'Unassigned cases'
        : scope === 'worker'
          ? workerName
            ? `Caseload of ${workerName}`
            : 'A worker’s caseload'
          : 'All open cases';
  const total = worklist.data?.total ?? 0;

  return (
    <Stack gap="sm">
      <PageTitle>{scope === 'mine' ? 'My worklist' : 'Worklist'}</PageTitle>
      {lead && (
        <Group align="flex-end" gap="md" wrap="wrap">
          <Stack gap={4}>
            <Text size="sm" fw={500} id="worklist-scope-label">
              Whose cases
            </Text>
            <SegmentedControl
              aria-labelledby="worklist-scope-label"
              value={scope}
              onChange={(value) => update({ scope: value === 'mine' ? null : value, workerId: null })}
              data={WORKLIST_SCOPES.map((value) => ({ value, label: SCOPE_LABELS[value] }))}
            />
          </Stack>
          {scope === 'worker' && (
            <Select
              label="Worker"
              placeholder="Choose a worker"
              searchable
              data={workerChoices}
              value={workerId}
              onChange={(value) => update({ workerId: value })}
              w={240}
            />
          )}
        </Group>
      )}
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          ref={filterRef}
          label="Unit"
          placeholder="All units"
          searchable
          clearable
          data={units.data ?? []}
          value={filters.unit}
          onChange={(value) => update({ unit: value })}
          w={180}
        />
        <Select
          label="Urgency"
          placeholder="Any urgency"
          clearable
          data={URGENCIES.map((u) => ({ value: u, label: URGENCY_LABELS[u] }))}
          value={filters.urgency}
          onChange={(value) => update({ urgency: value })}
          w={160}
        />
        <Select
          label="Flag"
          placeholder="Any flag"
          clearable
          data={FLAG_KIND_CODES.map((f) => ({ value: f, label: FLAG_KINDS[f].label }))}
          value={filters.flag}
          onChange={(value) => update({ flag: value })}
          w={220}
        />
        <Select
          label="Sort by"
          allowDeselect={false}
          data={WORKLIST_SORTS.map((s) => ({ value: s, label: SORT_LABELS[s] }))}
          value={sort}
          onChange={(value) => update({ sort: value === 'priority' ? null : value, dir: null })}
          w={180}
        />
        <Button
          variant="default"
          aria-pressed={reversed}
          onClick={() =>
            update({
              dir: reversed ? null : (dir ?? (DEFAULT_SORT_DIRECTION[sort] === 'asc' ? 'desc' : 'asc')),
            })
          }
        >
          Reverse order
        </Button>
      </Group>
      <Text size="xs" className={classes.keys}>
        Keys: <kbd>j</kbd>/<kbd>k</kbd> or arrows move between rows, <kbd>Enter</kbd> opens the chart,{' '}
        <kbd>/</kbd> goes to the filters.
      </Text>
      <ProblemAlert error={worklist.error} />
      <Text size="sm" role="status" aria-live="polite">
        {waitingForWorker
          ? 'Choose a worker to see their caseload.'
          : worklist.data
            ? `${total} ${total === 1 ? 'case' : 'cases'}`
            : 'Loading the worklist…'}
      </Text>
      <WorklistTable
        items={items}
        caption={caption}
        hideCaption={scope === 'mine'}
        showWorker={scope !== 'mine'}
        sort={sort}
        descending={(dir ?? DEFAULT_SORT_DIRECTION[sort]) === 'desc'}
        selected={rows.selected}
        linkProps={rows.linkProps}
        tableRef={tableRef}
      />
      {worklist.data && items.length === 0 && !waitingForWorker && (
        <Text size="sm">
          {scope === 'mine' && !filters.unit && !filters.urgency && !filters.flag
            ? 'No open cases are assigned to you.'
            : 'No cases match these filters.'}
        </Text>
      )}
      <Pager result={worklist.data} page={page} onChange={(next) => update({ page: String(next) })} />
    </Stack>
  );
}
