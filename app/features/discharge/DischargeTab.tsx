import {
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import type { z } from 'zod';
import { BARRIERS, DISCHARGE_NEEDS, SERVICES_STARTED } from '../../../domain/discharge.ts';
import { CHARLSON_CONDITIONS } from '../../../domain/instruments/lace.ts';
import { SDOH_DOMAIN_LABELS } from '../../../domain/needs.ts';
import type { DischargePlan, DischargePlanList } from '../../../domain/schemas/discharge.ts';
import { DISPOSITIONS } from '../../../domain/schemas/encounters.ts';
import { api } from '../../api/client.ts';
import { formatCalendarDate, formatDateTime } from '../../components/dates.ts';
import { type FieldErrors, fieldErrorsOf } from '../../components/field-errors.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useSignedInUser } from '../auth/session.ts';
import { PlacementPanel } from '../placement/PlacementPanel.tsx';

type Plan = z.infer<typeof DischargePlan>;

const options = (labels: Record<string, string>) =>
  Object.entries(labels).map(([value, label]) => ({ value, label }));

/** An instant as the browser's datetime-local input shows it (local time, to the minute). */
const localInput = (date: Date) =>
  new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
const instant = (local: string) => (local ? new Date(local).toISOString() : '');

const BAND_COLOURS = { low: '#1e6b30', moderate: '#8a5300', high: '#b02a2a' } as const;
const SOURCE_LABELS = {
  record: 'From the record',
  entered: 'Entered',
  missing: 'Not in the record',
} as const;

const planKey = (patientId: string) => ['patients', patientId, 'discharge-plans'];

/** The chart's Discharge tab: the plan of the current (or last) inpatient stay. */
export function DischargeTab({ patientId }: { patientId: string }) {
  const plans = useQuery({
    queryKey: planKey(patientId),
    queryFn: () => api.get<z.infer<typeof DischargePlanList>>(`/api/patients/${patientId}/discharge-plans`),
  });
  if (plans.error) return <ProblemAlert error={plans.error} />;
  if (!plans.data) return <Text role="status">Loading the discharge plan…</Text>;
  const [current, ...earlier] = plans.data.items;
  return (
    <Stack>
      <Title order={2} size="h3">
        Discharge planning
      </Title>
      {current ? (
        <PlanView plan={current} patientId={patientId} />
      ) : (
        <Text>No inpatient stay: a discharge plan opens when the patient is admitted.</Text>
      )}
      {earlier.length > 0 && (
        <section aria-labelledby="earlier-plans">
          <Title order={3} size="h5" id="earlier-plans">
            Earlier stays
          </Title>
          <ul>
            {earlier.map((p) => (
              <li key={p.id}>
                Admitted {formatDateTime(p.encounter.admittedAt)}, discharged{' '}
                {formatDateTime(p.encounter.dischargedAt)}
                {p.actualDisposition
                  ? ` to ${DISPOSITIONS[p.actualDisposition as keyof typeof DISPOSITIONS]}`
                  : ''}
                {`; ${p.avoidableDays.total} avoidable days; LACE ${p.lace.total} (${p.lace.band})`}
              </li>
            ))}
          </ul>
        </section>
      )}
    </Stack>
  );
}

function usePlanMutation<T>(patientId: string, fn: (input: T) => Promise<Plan>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['patients', patientId] }),
  });
}

function PlanView({ plan, patientId }: { plan: Plan; patientId: string }) {
  const editable = plan.abilities.update;
  const e = plan.encounter;
  return (
    <Stack>
      <Group gap="sm">
        <Badge color={plan.status === 'open' ? '#1e6b30' : '#495057'} variant="filled" tt="none">
          {plan.status === 'open'
            ? 'Open plan'
            : plan.status === 'closed'
              ? 'Closed at discharge'
              : 'Cancelled'}
        </Badge>
        <Text>
          {[e.unit, e.room && `room ${e.room}`, e.bed && `bed ${e.bed}`].filter(Boolean).join(', ') ||
            'No unit'}{' '}
          · admitted {formatDateTime(e.admittedAt)} · day {e.daysIn}
          {e.dischargedAt
            ? ` · discharged ${formatDateTime(e.dischargedAt)}`
            : ` · expected discharge ${formatCalendarDate(e.expectedDischargeOn)}`}
        </Text>
      </Group>
      {plan.actualDisposition && (
        <Text>
          Discharged to:{' '}
          {DISPOSITIONS[plan.actualDisposition as keyof typeof DISPOSITIONS] ?? plan.actualDisposition}
          {plan.targetDisposition && plan.targetDisposition !== plan.actualDisposition
            ? ` (planned: ${DISPOSITIONS[plan.targetDisposition as keyof typeof DISPOSITIONS]})`
            : ''}
        </Text>
      )}
      <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
        <PlanForm plan={plan} patientId={patientId} editable={editable} />
        <LaceCard plan={plan} patientId={patientId} editable={editable} />
      </SimpleGrid>
      <BarriersSection plan={plan} patientId={patientId} editable={editable} />
      <TasksSection plan={plan} patientId={patientId} editable={editable} />
      {plan.status === 'closed' && <FollowUpSection plan={plan} patientId={patientId} editable={editable} />}
      <section aria-labelledby="placement-heading">
        <Title order={3} size="h4" id="placement-heading">
          Post-acute placement
        </Title>
        <PlacementPanel planId={plan.id} patientId={patientId} />
      </section>
    </Stack>
  );
}

function PlanForm({ plan, patientId, editable }: { plan: Plan; patientId: string; editable: boolean }) {
  const [draft, setDraft] = useState({
    targetDisposition: plan.targetDisposition,
    expectedDischargeOn: plan.encounter.expectedDischargeOn ?? '',
    anticipatedNeeds: plan.anticipatedNeeds,
    note: plan.note ?? '',
  });
  // A confirmed placement sets the target on the server (part 4): take it up so that a save does not undo it.
  useEffect(
    () => setDraft((d) => ({ ...d, targetDisposition: plan.targetDisposition })),
    [plan.targetDisposition],
  );
  const save = usePlanMutation(patientId, () =>
    api.patch<Plan>(`/api/discharge-plans/${plan.id}`, {
      version: plan.version,
      targetDisposition: draft.targetDisposition || null,
      anticipatedNeeds: draft.anticipatedNeeds,
      note: draft.note.trim() || null,
      ...(plan.encounter.dischargedAt ? {} : { expectedDischargeOn: draft.expectedDischargeOn || null }),
    }),
  );
  const errors: FieldErrors = fieldErrorsOf(save.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(undefined);
  };
  return (
    <Card withBorder component="section" aria-labelledby="plan-heading">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Title order={3} size="h4" id="plan-heading">
            The plan
          </Title>
          <ProblemAlert error={save.error} />
          <Select
            label="Target disposition"
            placeholder="Not decided"
            data={options(DISPOSITIONS)}
            value={draft.targetDisposition}
            onChange={(v) => setDraft({ ...draft, targetDisposition: v })}
            clearable
            disabled={!editable}
            error={errors.targetDisposition}
          />
          <TextInput
            label="Expected discharge date"
            type="date"
            value={draft.expectedDischargeOn}
            onChange={(ev) => setDraft({ ...draft, expectedDischargeOn: ev.currentTarget.value })}
            disabled={!editable || Boolean(plan.encounter.dischargedAt)}
            error={errors.expectedDischargeOn}
          />
          <Checkbox.Group
            label="Anticipated needs at discharge"
            value={draft.anticipatedNeeds}
            onChange={(v) => setDraft({ ...draft, anticipatedNeeds: v })}
            error={errors.anticipatedNeeds}
          >
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing={4} mt={4}>
              {Object.entries(DISCHARGE_NEEDS).map(([code, label]) => (
                <Checkbox key={code} value={code} label={label} disabled={!editable} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <Textarea
            label="Note"
            autosize
            minRows={2}
            value={draft.note}
            onChange={(ev) => setDraft({ ...draft, note: ev.currentTarget.value })}
            disabled={!editable}
            error={errors.note}
          />
          {editable && (
            <Group>
              <Button type="submit" loading={save.isPending}>
                Save the plan
              </Button>
              {save.isSuccess && (
                <Text size="sm" role="status">
                  Saved.
                </Text>
              )}
            </Group>
          )}
        </Stack>
      </form>
    </Card>
  );
}

function LaceCard({ plan, patientId, editable }: { plan: Plan; patientId: string; editable: boolean }) {
  const { lace } = plan;
  const [draft, setDraft] = useState({
    comorbidities: (plan.laceInputs.comorbidities ?? []) as string[],
    emergent:
      plan.laceInputs.emergent === undefined || plan.laceInputs.emergent === null
        ? 'record'
        : plan.laceInputs.emergent
          ? 'yes'
          : 'no',
    edVisits: plan.laceInputs.edVisits ?? ('' as number | ''),
  });
  const save = usePlanMutation(patientId, () =>
    api.patch<Plan>(`/api/discharge-plans/${plan.id}`, {
      version: plan.version,
      laceInputs: {
        comorbidities: draft.comorbidities,
        emergent: draft.emergent === 'record' ? null : draft.emergent === 'yes',
        edVisits: draft.edVisits === '' ? null : draft.edVisits,
      },
    }),
  );
  const rows = [
    ['L', 'Length of stay', `${lace.l.value} days`, lace.l],
    ['A', 'Acuity of admission', lace.a.value ? 'Emergent' : 'Not emergent', lace.a],
    ['C', 'Comorbidities (Charlson)', `Charlson ${lace.c.value}`, lace.c],
    ['E', 'Emergency visits, 6 months before', `${lace.e.value}`, lace.e],
  ] as const;
  return (
    <Card withBorder component="section" aria-labelledby="lace-heading">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4" id="lace-heading">
            LACE readmission risk
          </Title>
          <Badge color={BAND_COLOURS[lace.band]} variant="filled" tt="none" size="lg">
            {lace.total} · {lace.band} risk{lace.provisional ? ' (so far)' : ''}
          </Badge>
        </Group>
        <Table>
          <Table.Caption>LACE index, part by part (van Walraven 2010)</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Part</Table.Th>
              <Table.Th scope="col">Value</Table.Th>
              <Table.Th scope="col">Points</Table.Th>
              <Table.Th scope="col">Source</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map(([letter, label, value, part]) => (
              <Table.Tr key={letter}>
                <Table.Th scope="row">
                  {letter} — {label}
                </Table.Th>
                <Table.Td>{value}</Table.Td>
                <Table.Td>{part.points}</Table.Td>
                <Table.Td>{SOURCE_LABELS[part.source]}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {editable && (
          <form
            onSubmit={(ev) => {
              ev.preventDefault();
              save.mutate(undefined);
            }}
            noValidate
            aria-label="LACE entries"
          >
            <Stack gap="xs">
              <ProblemAlert error={save.error} />
              <Checkbox.Group
                label="Charlson conditions"
                value={draft.comorbidities}
                onChange={(v) => setDraft({ ...draft, comorbidities: v })}
              >
                <SimpleGrid cols={{ base: 1, sm: 2 }} spacing={4} mt={4}>
                  {Object.entries(CHARLSON_CONDITIONS).map(([code, [label, weight]]) => (
                    <Checkbox key={code} value={code} label={`${label} (${weight})`} />
                  ))}
                </SimpleGrid>
              </Checkbox.Group>
              <Group grow align="flex-start">
                <Select
                  label="Emergent admission"
                  data={[
                    { value: 'record', label: 'As the record says' },
                    { value: 'yes', label: 'Yes, emergent' },
                    { value: 'no', label: 'No, elective' },
                  ]}
                  value={draft.emergent}
                  onChange={(v) => setDraft({ ...draft, emergent: v ?? 'record' })}
                  allowDeselect={false}
                />
                <NumberInput
                  label="Emergency visits in the 6 months before"
                  description="Empty: counted from the record"
                  min={0}
                  max={99}
                  value={draft.edVisits}
                  onChange={(v) => setDraft({ ...draft, edVisits: typeof v === 'number' ? v : '' })}
                />
              </Group>
              <Group>
                <Button type="submit" variant="default" loading={save.isPending}>
                  Save LACE entries
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Card>
  );
}

function BarriersSection({
  plan,
  patientId,
  editable,
}: {
  plan: Plan;
  patientId: string;
  editable: boolean;
}) {
  const [draft, setDraft] = useState({
    code: null as string | null,
    startedAt: localInput(new Date()),
    note: '',
  });
  const add = usePlanMutation(patientId, () =>
    api.post<Plan>(`/api/discharge-plans/${plan.id}/barriers`, {
      code: draft.code,
      startedAt: instant(draft.startedAt),
      note: draft.note.trim() || null,
    }),
  );
  const change = usePlanMutation(patientId, (input: { id: string; version: number; remove?: boolean }) =>
    input.remove
      ? api.delete<Plan>(`/api/discharge-barriers/${input.id}?version=${input.version}`)
      : api.patch<Plan>(`/api/discharge-barriers/${input.id}`, {
          version: input.version,
          endedAt: new Date().toISOString(),
        }),
  );
  const errors = fieldErrorsOf(add.error);
  const open = plan.status === 'open' && editable;
  return (
    <section aria-labelledby="barriers-heading">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h4" id="barriers-heading">
            Barriers to discharge
          </Title>
          <Text fw={600} role="status" aria-live="polite">
            Avoidable days: {plan.avoidableDays.total}
          </Text>
        </Group>
        <ProblemAlert error={change.error} />
        {plan.barriers.length === 0 ? (
          <Text>No barriers recorded.</Text>
        ) : (
          <Table.ScrollContainer minWidth={700}>
            <Table striped>
              <Table.Caption>
                Barriers with their avoidable days (a day counts when a barrier held the patient at midnight)
              </Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Barrier</Table.Th>
                  <Table.Th scope="col">Started</Table.Th>
                  <Table.Th scope="col">Ended</Table.Th>
                  <Table.Th scope="col">Avoidable days</Table.Th>
                  {open && <Table.Th scope="col">Actions</Table.Th>}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {plan.barriers.map((b) => (
                  <Table.Tr key={b.id}>
                    <Table.Th scope="row" fw={400}>
                      {b.label}
                      {b.note && (
                        <Text size="xs" c="dimmed">
                          {b.note}
                        </Text>
                      )}
                    </Table.Th>
                    <Table.Td>{formatDateTime(b.startedAt)}</Table.Td>
                    <Table.Td>{b.endedAt ? formatDateTime(b.endedAt) : 'Still holding'}</Table.Td>
                    <Table.Td>{b.avoidableDays}</Table.Td>
                    {open && (
                      <Table.Td>
                        <Group gap="xs" wrap="nowrap">
                          {!b.endedAt && (
                            <Button
                              size="xs"
                              variant="default"
                              aria-label={`End now: ${b.label}`}
                              onClick={() => change.mutate({ id: b.id, version: b.version })}
                            >
                              End now
                            </Button>
                          )}
                          <Button
                            size="xs"
                            variant="subtle"
                            color="red"
                            aria-label={`Remove barrier: ${b.label}`}
                            onClick={() => change.mutate({ id: b.id, version: b.version, remove: true })}
                          >
                            Remove
                          </Button>
                        </Group>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {open && (
          <Card withBorder>
            <form
              onSubmit={(ev) => {
                ev.preventDefault();
                add.mutate(undefined, {
                  onSuccess: () => setDraft({ code: null, startedAt: localInput(new Date()), note: '' }),
                });
              }}
              noValidate
              aria-label="Add a barrier"
            >
              <Stack gap="xs">
                <Title order={4} size="h5">
                  Add a barrier
                </Title>
                <ProblemAlert error={add.error} />
                <Group grow align="flex-start">
                  <Select
                    label="Barrier"
                    required
                    data={options(BARRIERS)}
                    value={draft.code}
                    onChange={(v) => setDraft({ ...draft, code: v })}
                    error={errors.code}
                  />
                  <TextInput
                    label="Holding the patient since"
                    type="datetime-local"
                    required
                    value={draft.startedAt}
                    onChange={(ev) => setDraft({ ...draft, startedAt: ev.currentTarget.value })}
                    error={errors.startedAt}
                  />
                </Group>
                <TextInput
                  label="Barrier note"
                  value={draft.note}
                  onChange={(ev) => setDraft({ ...draft, note: ev.currentTarget.value })}
                  error={errors.note}
                />
                <Group>
                  <Button type="submit" loading={add.isPending}>
                    Add barrier
                  </Button>
                </Group>
              </Stack>
            </form>
          </Card>
        )}
      </Stack>
    </section>
  );
}

function TasksSection({ plan, patientId, editable }: { plan: Plan; patientId: string; editable: boolean }) {
  const me = useSignedInUser();
  const [draft, setDraft] = useState({ title: '', dueAt: '' });
  const add = usePlanMutation(patientId, () =>
    api.post<Plan>(`/api/discharge-plans/${plan.id}/tasks`, {
      title: draft.title,
      assigneeId: me.id,
      dueAt: draft.dueAt ? instant(draft.dueAt) : null,
    }),
  );
  const errors = fieldErrorsOf(add.error);
  const all = [...(plan.followUpTask ? [plan.followUpTask] : []), ...plan.tasks];
  return (
    <section aria-labelledby="plan-tasks-heading">
      <Stack gap="sm">
        <Title order={3} size="h4" id="plan-tasks-heading">
          Tasks
        </Title>
        {all.length === 0 ? (
          <Text>No discharge tasks.</Text>
        ) : (
          <ul>
            {all.map((t) => (
              <li key={t.id}>
                {t.title} — {t.assignee.displayName}, due {formatDateTime(t.dueAt)} ({t.status})
              </li>
            ))}
          </ul>
        )}
        {editable && plan.status !== 'cancelled' && (
          <form
            onSubmit={(ev) => {
              ev.preventDefault();
              add.mutate(undefined, { onSuccess: () => setDraft({ title: '', dueAt: '' }) });
            }}
            noValidate
            aria-label="Add a discharge task"
          >
            <Group align="flex-end" wrap="wrap">
              <TextInput
                label="New task for me"
                value={draft.title}
                onChange={(ev) => setDraft({ ...draft, title: ev.currentTarget.value })}
                error={errors.title}
                w={320}
              />
              <TextInput
                label="Due"
                type="datetime-local"
                value={draft.dueAt}
                onChange={(ev) => setDraft({ ...draft, dueAt: ev.currentTarget.value })}
                error={errors.dueAt}
              />
              <Button type="submit" variant="default" loading={add.isPending}>
                Add task
              </Button>
            </Group>
            <ProblemAlert error={add.error} />
          </form>
        )}
      </Stack>
    </section>
  );
}

function FollowUpSection({
  plan,
  patientId,
  editable,
}: {
  plan: Plan;
  patientId: string;
  editable: boolean;
}) {
  const empty = {
    reached: true,
    calledAt: localInput(new Date()),
    servicesStarted: null as string | null,
    newNeeds: [] as string[],
    note: '',
  };
  const [draft, setDraft] = useState(empty);
  const record = usePlanMutation(patientId, () =>
    api.post<Plan>(`/api/discharge-plans/${plan.id}/follow-up-calls`, {
      reached: draft.reached,
      calledAt: instant(draft.calledAt),
      servicesStarted: draft.servicesStarted,
      newNeeds: draft.reached ? draft.newNeeds : [],
      note: draft.note.trim() || null,
    }),
  );
  const errors = fieldErrorsOf(record.error);
  return (
    <section aria-labelledby="follow-up-heading">
      <Stack gap="sm">
        <Title order={3} size="h4" id="follow-up-heading">
          Follow-up call
        </Title>
        {plan.followUpTask ? (
          <Text>
            Due {formatDateTime(plan.followUpTask.dueAt)} (within 72 hours of discharge), assigned to{' '}
            {plan.followUpTask.assignee.displayName} — {plan.followUpTask.status}.
          </Text>
        ) : (
          <Text>No follow-up call task.</Text>
        )}
        {plan.followUpCalls.length > 0 && (
          <ul>
            {plan.followUpCalls.map((c) => (
              <li key={c.id}>
                {formatDateTime(c.calledAt)}: {c.reached ? 'reached' : 'no answer'}
                {c.servicesStarted
                  ? `; services: ${SERVICES_STARTED[c.servicesStarted as keyof typeof SERVICES_STARTED]}`
                  : ''}
                {c.newNeeds.length
                  ? `; new needs: ${c.newNeeds.map((d) => SDOH_DOMAIN_LABELS[d as keyof typeof SDOH_DOMAIN_LABELS] ?? d).join(', ')}`
                  : ''}
                {c.note ? ` — ${c.note}` : ''} ({c.calledBy.displayName})
              </li>
            ))}
          </ul>
        )}
        {editable && (
          <Card withBorder>
            <form
              onSubmit={(ev) => {
                ev.preventDefault();
                record.mutate(undefined, { onSuccess: () => setDraft(empty) });
              }}
              noValidate
              aria-label="Record a follow-up call"
            >
              <Stack gap="xs">
                <ProblemAlert error={record.error} />
                <Checkbox
                  label="The patient (or family) was reached"
                  checked={draft.reached}
                  onChange={(ev) => setDraft({ ...draft, reached: ev.currentTarget.checked })}
                />
                <Group grow align="flex-start">
                  <TextInput
                    label="Called at"
                    type="datetime-local"
                    required
                    value={draft.calledAt}
                    onChange={(ev) => setDraft({ ...draft, calledAt: ev.currentTarget.value })}
                    error={errors.calledAt}
                  />
                  <Select
                    label="Services started"
                    data={options(SERVICES_STARTED)}
                    value={draft.servicesStarted}
                    onChange={(v) => setDraft({ ...draft, servicesStarted: v })}
                    clearable
                  />
                </Group>
                {draft.reached && (
                  <Checkbox.Group
                    label="New needs found on the call (each opens a need)"
                    value={draft.newNeeds}
                    onChange={(v) => setDraft({ ...draft, newNeeds: v })}
                    error={errors.newNeeds}
                  >
                    <SimpleGrid cols={{ base: 1, sm: 3 }} spacing={4} mt={4}>
                      {Object.entries(SDOH_DOMAIN_LABELS).map(([code, label]) => (
                        <Checkbox key={code} value={code} label={label} />
                      ))}
                    </SimpleGrid>
                  </Checkbox.Group>
                )}
                <Textarea
                  label="Call note"
                  autosize
                  minRows={2}
                  value={draft.note}
                  onChange={(ev) => setDraft({ ...draft, note: ev.currentTarget.value })}
                />
                <Group>
                  <Button type="submit" loading={record.isPending}>
                    Record the call
                  </Button>
                </Group>
              </Stack>
            </form>
          </Card>
        )}
      </Stack>
    </section>
  );
}
