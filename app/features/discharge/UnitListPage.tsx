import { Anchor, Badge, Group, Select, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import type { z } from 'zod';
import type { UnitList } from '../../../domain/schemas/discharge.ts';
import { DISPOSITIONS } from '../../../domain/schemas/encounters.ts';
import { api, toQuery } from '../../api/client.ts';
import { formatCalendarDate } from '../../components/dates.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';

type List = z.infer<typeof UnitList>;

const PLACEMENT_LABELS: Record<List['items'][number]['placementStatus'], string> = {
  none: '—',
  'list-given': 'Choice list given',
  referred: 'Referred, awaiting answers',
  accepted: 'Accepted by a provider',
  confirmed: 'Confirmed',
};
const BAND_COLOURS = { low: '#1e6b30', moderate: '#8a5300', high: '#b02a2a' } as const;

/**
 * The unit list: the patients in hospital now on one unit (or every unit), with their expected discharge, days
 * in, barriers, placement and LACE band. Each name opens the patient's Discharge tab. The unit is in the address.
 */
export function UnitListPage() {
  const [params, setParams] = useSearchParams();
  const unit = params.get('unit') ?? '';
  const list = useQuery({
    queryKey: ['discharge', 'unit-list', unit],
    queryFn: () => api.get<List>(`/api/discharge/unit-list${toQuery({ unit })}`),
  });
  const units = list.data?.units ?? [];
  return (
    <Stack>
      <PageTitle>Unit list</PageTitle>
      <Group align="flex-end">
        <Select
          label="Unit"
          placeholder="Every unit"
          data={[...new Set([...(unit ? [unit] : []), ...units])]}
          value={unit || null}
          onChange={(v) => setParams(v ? { unit: v } : {}, { replace: true })}
          clearable
          w={240}
        />
      </Group>
      <ProblemAlert error={list.error} />
      <Text size="sm" role="status" aria-live="polite">
        {list.isFetching
          ? 'Loading the unit list…'
          : list.data
            ? `${list.data.items.length} ${list.data.items.length === 1 ? 'patient' : 'patients'} in hospital${unit ? ` on ${unit}` : ''}`
            : ''}
      </Text>
      {list.data && list.data.items.length > 0 && (
        <Table.ScrollContainer minWidth={1000}>
          <Table striped highlightOnHover>
            <Table.Caption>Patients in hospital{unit ? ` on ${unit}` : ''}, by room and bed</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Patient</Table.Th>
                <Table.Th scope="col">Room</Table.Th>
                <Table.Th scope="col">Days in</Table.Th>
                <Table.Th scope="col">Expected discharge</Table.Th>
                <Table.Th scope="col">Target</Table.Th>
                <Table.Th scope="col">Barriers</Table.Th>
                <Table.Th scope="col">Avoidable days</Table.Th>
                <Table.Th scope="col">Placement</Table.Th>
                <Table.Th scope="col">LACE</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((i) => (
                <Table.Tr key={i.encounterId}>
                  <Table.Th scope="row" fw={400}>
                    <Anchor component={Link} to={`/patients/${i.patient.id}/discharge`}>
                      {i.patient.name}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      MRN {i.patient.mrn}
                    </Text>
                  </Table.Th>
                  <Table.Td>
                    {[i.unit, [i.room, i.bed].filter(Boolean).join('-')].filter(Boolean).join(' ') || '—'}
                  </Table.Td>
                  <Table.Td>{i.daysIn}</Table.Td>
                  <Table.Td>
                    {formatCalendarDate(i.expectedDischargeOn)}
                    {i.pastExpected && (
                      <Badge ml="xs" color="#8a5300" variant="filled" tt="none" size="sm">
                        Past expected date
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {i.targetDisposition
                      ? DISPOSITIONS[i.targetDisposition as keyof typeof DISPOSITIONS]
                      : '—'}
                  </Table.Td>
                  <Table.Td>{i.barriers.length ? i.barriers.map((b) => b.label).join('; ') : '—'}</Table.Td>
                  <Table.Td>{i.avoidableDays}</Table.Td>
                  <Table.Td>{PLACEMENT_LABELS[i.placementStatus]}</Table.Td>
                  <Table.Td>
                    {i.lace ? (
                      <Badge color={BAND_COLOURS[i.lace.band]} variant="filled" tt="none">
                        {i.lace.total} {i.lace.band}
                      </Badge>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {list.data && list.data.items.length === 0 && (
        <Text>No patients of yours in hospital{unit ? ` on ${unit}` : ''}.</Text>
      )}
    </Stack>
  );
}
