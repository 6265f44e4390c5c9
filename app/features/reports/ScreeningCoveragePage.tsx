import { Anchor, Autocomplete, Button, Group, Loader, Stack, Text, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { z } from 'zod';
import { CoverageQuery, type CoverageReport } from '../../../domain/schemas/needs.ts';
import { api, toQuery } from '../../api/client.ts';
import { checkWith, type FieldErrors, fieldErrorsOf } from '../../components/field-errors.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useSignedInUser } from '../auth/session.ts';
import { CoverageDefinitions } from './CoverageDefinitions.tsx';
import { CoverageTable } from './CoverageTable.tsx';
import { lastFullMonths } from './coverage-format.ts';

type Period = { from: string; to: string; unit: string };

/**
 * Screening coverage for supervisors: SDOH-1 (adult inpatients screened for all five AHC core domains during
 * their stay) and SDOH-2 (the positive rate per domain), by month of admission and unit. The period and unit
 * live in the address, so a report can be shared and reloaded.
 */
export function ScreeningCoveragePage() {
  const me = useSignedInUser();
  const [params, setParams] = useSearchParams();
  const defaults = lastFullMonths(me.organization.timeZone);
  const applied: Period = {
    from: params.get('from') ?? defaults.from,
    to: params.get('to') ?? defaults.to,
    unit: params.get('unit') ?? '',
  };
  const [draft, setDraft] = useState<Period>(applied);
  const [errors, setErrors] = useState<FieldErrors>({});

  const checked = checkWith(CoverageQuery, { ...applied, unit: applied.unit || undefined });
  const query = checked.ok ? checked.data : null;
  const report = useQuery({
    queryKey: ['reports', 'screening-coverage', query],
    queryFn: () =>
      api.get<z.infer<typeof CoverageReport>>(`/api/reports/screening-coverage${toQuery(query ?? {})}`),
    enabled: query !== null,
    placeholderData: keepPreviousData,
  });
  const units = useQuery({
    queryKey: ['worklist', 'units'],
    queryFn: () => api.get<string[]>('/api/worklist/units'),
    staleTime: 5 * 60_000,
  });
  const shownErrors = { ...fieldErrorsOf(report.error), ...errors };

  function apply(event: FormEvent) {
    event.preventDefault();
    const check = checkWith(CoverageQuery, { ...draft, unit: draft.unit.trim() || undefined });
    if (!check.ok) {
      setErrors(check.errors);
      return;
    }
    setErrors({});
    setParams(
      { from: check.data.from, to: check.data.to, ...(check.data.unit ? { unit: check.data.unit } : {}) },
      { replace: true },
    );
  }

  const field = (key: 'from' | 'to') => ({
    value: draft[key],
    onChange: (e: { currentTarget: { value: string } }) =>
      setDraft({ ...draft, [key]: e.currentTarget.value }),
    error: shownErrors[key],
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
      <form onSubmit={apply} noValidate aria-label="Report period and unit">
        <Group align="flex-start" gap="sm" wrap="wrap">
          <TextInput label="Admitted from" type="date" required {...field('from')} w={180} />
          <TextInput label="Admitted to" type="date" required {...field('to')} w={180} />
          <Autocomplete
            label="Unit"
            description="Leave empty for every unit"
            data={units.data ?? []}
            value={draft.unit}
            onChange={(unit) => setDraft({ ...draft, unit })}
            error={shownErrors.unit}
            w={220}
          />
          <Button type="submit" mt={25}>
            Show report
          </Button>
        </Group>
      </form>
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
