import { Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { type DischargeFigures, DischargeFiguresQuery } from '../../../domain/schemas/discharge.ts';
import { api, toQuery } from '../../api/client.ts';
import { fieldErrorsOf } from '../../components/field-errors.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { PeriodUnitForm, usePeriodInAddress } from '../reports/PeriodUnitForm.tsx';

type Figures = z.infer<typeof DischargeFigures>;

const days = (v: number | null) => (v === null ? '—' : `${v} days`);
const percent = (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`);

function lastNinetyDays(): { from: string; to: string } {
  const to = new Date();
  const from = new Date(to.getTime() - 90 * 86_400_000);
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
}

/** Department figures of discharge planning for supervisors: stays, avoidable days, placement, readmissions. */
export function DischargeFiguresPage() {
  const { query, form } = usePeriodInAddress(DischargeFiguresQuery, lastNinetyDays());
  const figures = useQuery({
    queryKey: ['reports', 'discharge', query],
    queryFn: () => api.get<Figures>(`/api/reports/discharge${toQuery(query ?? {})}`),
    enabled: query !== null,
    placeholderData: keepPreviousData,
  });
  const f = figures.data;

  return (
    <Stack>
      <PageTitle>Discharge figures</PageTitle>
      <Text maw={760}>
        Inpatient stays discharged in the period: length of stay against the expected date, avoidable days by
        barrier, time from a placement referral to the provider’s acceptance, and readmissions within 30 days.
      </Text>
      <PeriodUnitForm
        form={form}
        serverErrors={fieldErrorsOf(figures.error)}
        label="Period and unit"
        fromLabel="Discharged from"
        toLabel="Discharged to"
        submitLabel="Show figures"
      />
      <ProblemAlert error={figures.error} />
      <Text size="sm" role="status" aria-live="polite">
        {figures.isFetching
          ? 'Loading the figures…'
          : f
            ? `${f.discharges} discharges${f.unit ? ` from ${f.unit}` : ''}`
            : ''}
      </Text>
      {f && (
        <>
          <section aria-labelledby="los-heading">
            <Title order={2} size="h4" id="los-heading" mb="xs">
              Length of stay
            </Title>
            <Table maw={640}>
              <Table.Caption>Length of stay against the expected discharge date</Table.Caption>
              <Table.Tbody>
                <Table.Tr>
                  <Table.Th scope="row">Mean (median) length of stay</Table.Th>
                  <Table.Td>
                    {days(f.lengthOfStay.mean)} ({days(f.lengthOfStay.median)})
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row">Mean (median) expected length of stay</Table.Th>
                  <Table.Td>
                    {days(f.lengthOfStay.expectedMean)} ({days(f.lengthOfStay.expectedMedian)})
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row">Discharged by the expected date</Table.Th>
                  <Table.Td>
                    {f.lengthOfStay.dischargedByExpected} of {f.lengthOfStay.withExpected} (
                    {percent(f.lengthOfStay.shareByExpected)})
                  </Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
          </section>
          <section aria-labelledby="avoidable-heading">
            <Title order={2} size="h4" id="avoidable-heading" mb="xs">
              Avoidable days: {f.avoidableDays.total}
            </Title>
            {f.avoidableDays.byBarrier.length === 0 ? (
              <Text>No avoidable days recorded.</Text>
            ) : (
              <Table maw={640} striped>
                <Table.Caption>
                  Avoidable days by barrier (a day held by two barriers counts for each)
                </Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Barrier</Table.Th>
                    <Table.Th scope="col">Days</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {f.avoidableDays.byBarrier.map((b) => (
                    <Table.Tr key={b.code}>
                      <Table.Th scope="row" fw={400}>
                        {b.label}
                      </Table.Th>
                      <Table.Td>{b.days}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </section>
          <section aria-labelledby="placement-figures-heading">
            <Title order={2} size="h4" id="placement-figures-heading" mb="xs">
              Placement and readmissions
            </Title>
            <Table maw={640}>
              <Table.Caption>Placement referrals sent in the period, and 30-day readmissions</Table.Caption>
              <Table.Tbody>
                <Table.Tr>
                  <Table.Th scope="row">Placement referrals (accepted)</Table.Th>
                  <Table.Td>
                    {f.placement.referrals} ({f.placement.accepted})
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row">Median time from referral to acceptance</Table.Th>
                  <Table.Td>
                    {f.placement.medianHoursToAcceptance === null
                      ? '—'
                      : `${f.placement.medianHoursToAcceptance} hours`}
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th scope="row">Readmitted within 30 days</Table.Th>
                  <Table.Td>
                    {f.readmissions.count} ({percent(f.readmissions.rate)})
                  </Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
          </section>
        </>
      )}
    </Stack>
  );
}
