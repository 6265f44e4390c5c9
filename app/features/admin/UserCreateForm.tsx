import { Button, PasswordInput, SegmentedControl, Select, Stack, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ROLE_LABELS, ROLES } from '../../../domain/roles.ts';
import { UserCreateRequest } from '../../../domain/schemas/admin.ts';
import { api } from '../../api/client.ts';
import type { UserSummary } from '../../api/types.ts';
import { checkWith, type FieldErrors, fieldErrorsOf } from '../../components/field-errors.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';

export const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));

/** Adds a person (with a first password) or a service account (signs in with API tokens only). */
export function UserCreateForm({ onCreated }: { onCreated: (user: UserSummary) => void }) {
  const [kind, setKind] = useState<'person' | 'service'>('person');
  const [values, setValues] = useState({ email: '', displayName: '', role: 'social_worker', password: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const create = useMutation({
    mutationFn: (body: unknown) => api.post<UserSummary>('/api/admin/users', body),
    onSuccess: onCreated,
    onError: (error) => setErrors(fieldErrorsOf(error)),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const request =
      kind === 'person'
        ? { kind, ...values }
        : { kind, email: values.email, displayName: values.displayName, role: values.role };
    const checked = checkWith(UserCreateRequest, request);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    create.mutate(checked.data);
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <SegmentedControl
          aria-label="Kind of account"
          value={kind}
          onChange={(v) => setKind(v as 'person' | 'service')}
          data={[
            { value: 'person', label: 'Person' },
            { value: 'service', label: 'Service account' },
          ]}
        />
        <TextInput
          label="Email"
          type="email"
          required
          value={values.email}
          onChange={(e) => setValues({ ...values, email: e.currentTarget.value })}
          error={errors.email}
          data-autofocus
        />
        <TextInput
          label="Display name"
          required
          value={values.displayName}
          onChange={(e) => setValues({ ...values, displayName: e.currentTarget.value })}
          error={errors.displayName}
        />
        <Select
          label="Role"
          required
          allowDeselect={false}
          data={ROLE_OPTIONS}
          value={values.role}
          onChange={(v) => setValues({ ...values, role: v ?? 'social_worker' })}
          error={errors.role}
        />
        {kind === 'person' && (
          <PasswordInput
            label="First password"
            description="At least 12 characters; they can change it after signing in."
            autoComplete="new-password"
            required
            value={values.password}
            onChange={(e) => setValues({ ...values, password: e.currentTarget.value })}
            error={errors.password}
            // Mantine's PasswordInput sets data-invalid only; tell assistive technology too.
            aria-invalid={errors.password ? true : undefined}
          />
        )}
        <ProblemAlert error={create.error && Object.keys(errors).length === 0 ? create.error : null} />
        <Button type="submit" loading={create.isPending} w="fit-content">
          Create {kind === 'person' ? 'user' : 'service account'}
        </Button>
      </Stack>
    </form>
  );
}
