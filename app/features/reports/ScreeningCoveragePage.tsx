import { Anchor, Loader, Stack, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { CoverageQuery, type CoverageReport } from '../../../domain/schemas/needs.ts';
import { api, toQuery } from '../../api/client.ts';
import { fieldErrorsOf } from '../../components/field-errors.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useSignedInUser } from '../auth/session.ts';
import { CoverageDefinitions } from './CoverageDefinitions.tsx';
import { CoverageTable } from './CoverageTable.tsx';
import { lastFullMonths } from './coverage-format.ts';
import { PeriodUnitForm, usePeriodInAddress } from './PeriodUnitForm.tsx';

/**
 * Screening coverage for supervisors: SDOH-1 (adult inpatients screened for all five AHC core domains during
 * their stay) and SDOH-2 (the positive rate per domain), by month of admission and unit. The period and unit
 * live in the address, so a report can be shared and reloaded.
 */
export function ScreeningCoveragePage() {
  const me = useSignedInUser();
  const { applied, query, form } = usePeriodInAddress(
    CoverageQuery,
    lastFullMonths(me.organization.timeZone),
  );
  const report = useQuery({
    queryKey: ['reports', 'screening-coverage', query],
    queryFn: () =>
      api.get<z.infer<typeof CoverageReport>>(`/api/reports/screening-coverage${toQuery(query ?? {})}`),
    enabled: query !== null,
    placeholderData: keepPreviousData,
  });

  return (
    <Stack>
      <PageTitle
        actions={
          query && (
            <Anchor href={`/api/reports/screening-coverage${toQuery({ ...query, format: 'csv' })}`} download>
              Download CSV
            </Anchor>
          )
        }
      >
        Screening coverage
      </PageTitle>
      <Text maw={760}>
        Adults admitted as inpatients who were screened for all five social needs during their stay (SDOH-1),
        and how many of them screened positive in each (SDOH-2), by month of admission and unit.
      </Text>
      <PeriodUnitForm
        form={form}
        serverErrors={fieldErrorsOf(report.error)}
        label="Report period and unit"
        fromLabel="Admitted from"
        toLabel="Admitted to"
        submitLabel="Show report"
      />
      <ProblemAlert error={report.error} />
      <Text size="sm" role="status" aria-live="polite">
        {report.isFetching
          ? 'Loading the report…'
          : report.data
            ? `${report.data.rows.length} ${report.data.rows.length === 1 ? 'row' : 'rows'}${applied.unit ? ` for ${applied.unit}` : ''}`
            : ''}
      </Text>
      {report.isPending && query && <Loader aria-label="Loading the report" />}
      {report.data &&
        (report.data.rows.length === 0 ? (
          <Text>
            No adult inpatient admissions in this period{applied.unit ? ` on ${applied.unit}` : ''}.
          </Text>
        ) : (
          <>
            <CoverageTable report={report.data} />
            <Text size="sm">
              Days and months of admission are counted in the organisation’s time zone ({report.data.timeZone}
              ).
            </Text>
          </>
        ))}
      <section aria-labelledby="coverage-definitions">
        <Title order={2} size="h4" id="coverage-definitions" mb="xs">
          How the measures are counted
        </Title>
        <CoverageDefinitions />
      </section>
    </Stack>
  );
}
