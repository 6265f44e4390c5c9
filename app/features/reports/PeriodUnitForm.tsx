import { Autocomplete, Button, Group, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { z } from 'zod';
import { api } from '../../api/client.ts';
import { checkWith, type FieldErrors } from '../../components/field-errors.ts';

type Period = { from: string; to: string; unit: string };
type PeriodQuery = { from: string; to: string; unit?: string | undefined };

/**
 * A department report's period and unit, kept in the address (`?from=&to=&unit=`) so that a report can be
 * shared and reloaded: `query` is the applied period checked against the report's query schema (null when
 * the address holds something the schema refuses); `form` is what `PeriodUnitForm` edits.
 */
export function usePeriodInAddress<Q extends PeriodQuery>(
  schema: z.ZodType<Q>,
  defaults: { from: string; to: string },
) {
  const [params, setParams] = useSearchParams();
  const applied: Period = {
    from: params.get('from') ?? defaults.from,
    to: params.get('to') ?? defaults.to,
    unit: params.get('unit') ?? '',
  };
  const [draft, setDraft] = useState<Period>(applied);
  const [errors, setErrors] = useState<FieldErrors>({});
  const checked = checkWith(schema, { ...applied, unit: applied.unit || undefined });

  function apply(event: FormEvent) {
    event.preventDefault();
    const check = checkWith(schema, { ...draft, unit: draft.unit.trim() || undefined });
    if (!check.ok) {
      setErrors(check.errors);
      return;
    }
    setErrors({});
    const { from, to, unit } = check.data;
    setParams({ from, to, ...(unit ? { unit } : {}) }, { replace: true });
  }

  return {
    applied,
    query: checked.ok ? checked.data : null,
    form: { draft, setDraft, errors, apply },
  };
}

/** The period (two dates) and unit (any of the organisation's units, or all) of a department report. */
export function PeriodUnitForm({
  form,
  serverErrors,
  label,
  fromLabel,
  toLabel,
  submitLabel,
}: {
  form: ReturnType<typeof usePeriodInAddress>['form'];
  /** Field errors the server answered with, shown beside the form's own. */
  serverErrors: FieldErrors;
  label: string;
  fromLabel: string;
  toLabel: string;
  submitLabel: string;
}) {
  const units = useQuery({
    queryKey: ['worklist', 'units'],
    queryFn: () => api.get<string[]>('/api/worklist/units'),
    staleTime: 5 * 60_000,
  });
  const { draft, setDraft, apply } = form;
  const errors = { ...serverErrors, ...form.errors };
  const field = (key: 'from' | 'to') => ({
    value: draft[key],
    onChange: (e: { currentTarget: { value: string } }) =>
      setDraft({ ...draft, [key]: e.currentTarget.value }),
    error: errors[key],
  });
  return (
    <form onSubmit={apply} noValidate aria-label={label}>
      <Group align="flex-start" gap="sm" wrap="wrap">
        <TextInput label={fromLabel} type="date" required {...field('from')} w={180} />
        <TextInput label={toLabel} type="date" required {...field('to')} w={180} />
        <Autocomplete
          label="Unit"
          description="Leave empty for every unit"
          data={units.data ?? []}
          value={draft.unit}
          onChange={(unit) => setDraft({ ...draft, unit })}
          error={errors.unit}
          w={220}
        />
        <Button type="submit" mt={25}>
          {submitLabel}
        </Button>
      </Group>
    </form>
  );
}
