import { Button, Card, Group, Loader, NumberInput, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { URGENCY_LABELS } from '../../../domain/casework.ts';
import { ConsultTargets } from '../../../domain/schemas/cases.ts';
import { api, toQuery } from '../../api/client.ts';
import { checkWith, fieldErrorsOf } from '../../components/field-errors.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useSignedInUser } from '../auth/session.ts';
import { formatMinutes } from './first-contact.ts';
import type { ConsultTargetsView, FirstContactReport } from './types.ts';

const TARGETS_KEY = ['cases', 'consult-targets'] as const;

/** A calendar day, YYYY-MM-DD, in a time zone, `daysBack` days before today. */
function localDay(timeZone: string, daysBack = 0): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(Date.now() - daysBack * 86_400_000));
}

function TargetsForm({ targets, onDone }: { targets: ConsultTargetsView; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [values, setValues] = useState({
    emergentMinutes: targets.emergentMinutes,
    urgentMinutes: targets.urgentMinutes,
    routineBusinessDays: targets.routineBusinessDays,
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useMutation({
    mutationFn: (body: typeof values) =>
      api.put<ConsultTargetsView>('/api/organization/consult-targets', body),
    onSuccess: (saved) => {
      queryClient.setQueryData(TARGETS_KEY, saved);
      void queryClient.invalidateQueries({ queryKey: ['cases', 'first-contact-report'] });
      onDone();
    },
  });
  const shown = { ...fieldErrorsOf(save.error), ...errors };
  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkWith(ConsultTargets, values);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    save.mutate(checked.data);
  }
  const field = (name: keyof typeof values, label: string, description: string, max: number) => (
    <NumberInput
      label={label}
      description={description}
      min={name === 'routineBusinessDays' ? 0 : 1}
      max={max}
      allowDecimal={false}
      value={values[name]}
      onChange={(v) => setValues((s) => ({ ...s, [name]: typeof v === 'number' ? v : Number(v) }))}
      error={shown[name]}
    />
  );
  return (
    <form onSubmit={submit} noValidate aria-label="First-contact targets">
      <Stack maw={480}>
        <ProblemAlert error={save.error} />
        {field('emergentMinutes', 'Emergent (minutes)', 'From the request to first contact', 1440)}
        {field('urgentMinutes', 'Urgent (minutes)', 'From the request to first contact', 10080)}
        {field(
          'routineBusinessDays',
          'Routine (business days)',
          '0 means by the end of the same business day',
          10,
        )}
        <Text size="sm">Cases already requested keep the due time they were given.</Text>
        <Group>
          <Button type="submit" loading={save.isPending}>
            Save targets
          </Button>
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The organisation's first-contact targets (admins edit them) and how well they were met in the last 30 days. */
export function ConsultTargetsPanel() {
  const me = useSignedInUser();
  const [editing, setEditing] = useState(false);
  const targets = useQuery({
    queryKey: TARGETS_KEY,
    queryFn: () => api.get<ConsultTargetsView>('/api/organization/consult-targets'),
  });
  const zone = me.organization.timeZone;
  const period = { from: localDay(zone, 29), to: localDay(zone) };
  const report = useQuery({
    queryKey: ['cases', 'first-contact-report', period.from, period.to],
    queryFn: () => api.get<FirstContactReport>(`/api/reports/first-contact${toQuery(period)}`),
  });

  return (
    <Card withBorder component="section" aria-labelledby="first-contact-heading">
      <Stack>
        <Group justify="space-between">
          <Title order={2} size="h3" id="first-contact-heading">
            Time to first contact
          </Title>
          {me.role === 'admin' && targets.data && !editing && (
            <Button variant="default" size="xs" onClick={() => setEditing(true)}>
              Edit targets
            </Button>
          )}
        </Group>
        <ProblemAlert error={targets.error ?? report.error} />
        {targets.data &&
          (editing ? (
            <TargetsForm targets={targets.data} onDone={() => setEditing(false)} />
          ) : (
            <Text>
              Targets{targets.data.isDefault ? ' (department defaults)' : ''}: emergent{' '}
              {targets.data.descriptions.emergent}, urgent {targets.data.descriptions.urgent}, routine{' '}
              {targets.data.descriptions.routine}.
            </Text>
          ))}
        {report.isPending && <Loader aria-label="Loading the report" />}
        {report.data && (
          <Table aria-label="Time to first contact, last 30 days">
            <Table.Caption>Consults requested in the last 30 days</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Urgency</Table.Th>
                <Table.Th scope="col">Target</Table.Th>
                <Table.Th scope="col">Requested</Table.Th>
                <Table.Th scope="col">Reached</Table.Th>
                <Table.Th scope="col">Median time</Table.Th>
                <Table.Th scope="col">Within target</Table.Th>
                <Table.Th scope="col">Missed</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.data.rows.map((r) => (
                <Table.Tr key={r.urgency}>
                  <Table.Th scope="row" fw="normal">
                    {URGENCY_LABELS[r.urgency]}
                  </Table.Th>
                  <Table.Td>{r.target}</Table.Td>
                  <Table.Td>{r.requested}</Table.Td>
                  <Table.Td>{r.contacted}</Table.Td>
                  <Table.Td>{r.medianMinutes === null ? '—' : formatMinutes(r.medianMinutes)}</Table.Td>
                  <Table.Td>
                    {r.percentWithinTarget === null ? '—' : `${r.percentWithinTarget}% (${r.withinTarget})`}
                  </Table.Td>
                  <Table.Td>{r.missed}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Card>
  );
}
