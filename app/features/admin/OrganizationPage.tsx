import { Button, Checkbox, Select, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { OrganizationUpdateRequest } from '../../../domain/schemas/admin.ts';
import { api } from '../../api/client.ts';
import type { OrganizationSettings } from '../../api/types.ts';
import { checkWith, type FieldErrors, fieldErrorsOf } from '../../components/field-errors.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ME_KEY } from '../auth/session.ts';

const TIME_ZONES = Intl.supportedValuesOf('timeZone');

/** The department's name, time zone, and whether everyone must use two-step sign-in. */
export function OrganizationPage() {
  const queryClient = useQueryClient();
  const settings = useQuery({
    queryKey: ['admin', 'organization'],
    queryFn: () => api.get<OrganizationSettings>('/api/admin/organization'),
  });
  const [values, setValues] = useState<OrganizationSettings | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  useEffect(() => {
    if (settings.data) setValues(settings.data);
  }, [settings.data]);
  const save = useMutation({
    mutationFn: (body: Partial<OrganizationSettings>) =>
      api.patch<OrganizationSettings>('/api/admin/organization', body),
    onSuccess: async (saved) => {
      queryClient.setQueryData(['admin', 'organization'], saved);
      await queryClient.invalidateQueries({ queryKey: ME_KEY });
      notifications.show({ message: 'Organisation settings saved.' });
    },
    onError: (error) => setErrors(fieldErrorsOf(error)),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkWith(OrganizationUpdateRequest, values);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    save.mutate(checked.data);
  }

  return (
    <Stack maw={520}>
      <PageTitle>Organisation settings</PageTitle>
      <ProblemAlert error={settings.error} />
      {values && (
        <form onSubmit={submit} noValidate>
          <Stack>
            <TextInput
              label="Department name"
              required
              value={values.name}
              onChange={(e) => setValues({ ...values, name: e.currentTarget.value })}
              error={errors.name}
            />
            <Select
              label="Time zone"
              description="Dates and times are shown in this zone."
              searchable
              required
              allowDeselect={false}
              data={TIME_ZONES}
              value={values.timeZone}
              onChange={(timeZone) => setValues({ ...values, timeZone: timeZone ?? values.timeZone })}
              error={errors.timeZone}
            />
            <Checkbox
              label="Everyone must use two-step sign-in"
              checked={values.requireMfa}
              onChange={(e) => setValues({ ...values, requireMfa: e.currentTarget.checked })}
            />
            <ProblemAlert error={save.error && Object.keys(errors).length === 0 ? save.error : null} />
            <Button type="submit" loading={save.isPending} w="fit-content">
              Save settings
            </Button>
          </Stack>
        </form>
      )}
    </Stack>
  );
}
