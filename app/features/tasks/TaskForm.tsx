import { Button, Group, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ROLE_LABELS, type Role } from '../../../domain/roles.ts';
import { TaskCreateRequest } from '../../../domain/schemas/tasks.ts';
import { TASK_ASSIGNEE_ROLES, TASK_PRIORITIES, TASK_PRIORITY_CODES } from '../../../domain/tasks.ts';
import { api, type Page, toQuery } from '../../api/client.ts';
import type { DirectoryUser, PatientListItem } from '../../api/types.ts';
import { checkWith, type FieldErrors, fieldErrorsOf } from '../../components/field-errors.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useSignedInUser } from '../auth/session.ts';
import { useTaskActions } from './use-tasks.ts';

const doesTasks = (role: string) => (TASK_ASSIGNEE_ROLES as readonly string[]).includes(role);

/** Finds a patient by name or MRN, as the patient list does, for a task that is about someone. */
function PatientPicker({
  value,
  onChange,
  error,
}: {
  value: string | null;
  onChange: (id: string | null) => void;
  error?: string | undefined;
}) {
  const [search, setSearch] = useState('');
  const [term] = useDebouncedValue(search.trim(), 250);
  const found = useQuery({
    queryKey: ['patients', 'search', term],
    queryFn: () => api.get<Page<PatientListItem>>(`/api/patients${toQuery({ q: term, pageSize: 10 })}`),
    enabled: term.length >= 2,
  });
  const data = (found.data?.items ?? []).map((p) => ({
    value: p.id,
    label: `${p.familyName}, ${p.givenName} (MRN ${p.mrn})`,
  }));
  return (
    <Select
      label="Patient"
      description="Optional: type a name or MRN"
      searchable
      clearable
      data={data}
      value={value}
      onChange={onChange}
      searchValue={search}
      onSearchChange={setSearch}
      // The server already matched (typos included): show what it found as it is.
      filter={({ options }) => options}
      nothingFoundMessage={term.length >= 2 && !found.isFetching ? 'No patient found' : undefined}
      error={error}
    />
  );
}

/** A new task: what, for whom, by when; about the given patient, or (on My tasks) any patient or none. */
export function TaskForm({ patientId, onDone }: { patientId?: string; onDone: () => void }) {
  const me = useSignedInUser();
  const { create } = useTaskActions();
  const [values, setValues] = useState({
    title: '',
    detail: '',
    assigneeId: me.id as string | null,
    dueAt: '',
    priority: 'routine' as string | null,
    patientId: (patientId ?? null) as string | null,
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const titleRef = useRef<HTMLInputElement>(null);
  // The form opens on a click: the cursor goes where the typing starts.
  useEffect(() => titleRef.current?.focus(), []);
  const directory = useQuery({
    queryKey: ['directory', 'users'],
    queryFn: () => api.get<DirectoryUser[]>('/api/directory/users'),
  });
  const assignees = (directory.data ?? [])
    .filter((u) => doesTasks(u.role))
    .map((u) => ({
      value: u.id,
      label: `${u.displayName}${u.id === me.id ? ' (me)' : ''} · ${ROLE_LABELS[u.role as Role] ?? u.role}`,
    }));

  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkWith(TaskCreateRequest, {
      title: values.title,
      detail: values.detail.trim() || undefined,
      assigneeId: values.assigneeId ?? '',
      // The browser gives a local date and time; the server keeps the instant.
      dueAt: values.dueAt ? new Date(values.dueAt).toISOString() : undefined,
      priority: values.priority ?? 'routine',
      patientId: values.patientId ?? undefined,
    });
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    create.mutate(checked.data, {
      onSuccess: onDone,
      onError: (error) => setErrors(fieldErrorsOf(error)),
    });
  }

  return (
    <form onSubmit={submit} noValidate aria-label="New task">
      <Stack>
        <TextInput
          label="Title"
          required
          value={values.title}
          onChange={(e) => setValues({ ...values, title: e.currentTarget.value })}
          error={errors.title}
          ref={titleRef}
        />
        <Textarea
          label="Details"
          autosize
          minRows={2}
          value={values.detail}
          onChange={(e) => setValues({ ...values, detail: e.currentTarget.value })}
          error={errors.detail}
        />
        <Group align="flex-start" grow>
          <Select
            label="Assigned to"
            searchable
            data={assignees}
            value={values.assigneeId}
            onChange={(assigneeId) => setValues({ ...values, assigneeId })}
            error={errors.assigneeId}
            nothingFoundMessage="No one found"
          />
          <TextInput
            label="Due"
            type="datetime-local"
            value={values.dueAt}
            onChange={(e) => setValues({ ...values, dueAt: e.currentTarget.value })}
            error={errors.dueAt}
          />
          <Select
            label="Priority"
            data={TASK_PRIORITY_CODES.map((p) => ({ value: p, label: TASK_PRIORITIES[p] }))}
            value={values.priority}
            onChange={(priority) => setValues({ ...values, priority })}
            allowDeselect={false}
          />
        </Group>
        {!patientId && (
          <PatientPicker
            value={values.patientId}
            onChange={(id) => setValues({ ...values, patientId: id })}
            error={errors.patientId}
          />
        )}
        <ProblemAlert
          error={directory.error ?? (create.error && Object.keys(errors).length === 0 ? create.error : null)}
        />
        <Group>
          <Button type="submit" loading={create.isPending}>
            Add task
          </Button>
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
