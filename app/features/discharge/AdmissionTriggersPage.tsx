import {
  Alert,
  Button,
  Card,
  Group,
  Loader,
  NumberInput,
  Select,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { CONSULT_REASONS, URGENCIES, URGENCY_LABELS } from '../../../domain/casework.ts';
import {
  type AdmissionTrigger,
  type AdmissionTriggersResponse,
  AdmissionTriggersUpdateRequest,
  TRIGGER_PAYERS,
} from '../../../domain/schemas/admissions.ts';
import { TASK_PRIORITIES } from '../../../domain/tasks.ts';
import { api } from '../../api/client.ts';
import { checkWith, fieldErrorsOf } from '../../components/field-errors.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useSignedInUser } from '../auth/session.ts';

const KEY = ['admission-triggers'] as const;

const CONDITIONS = [
  { value: 'age', label: 'Age on admission' },
  { value: 'readmission', label: 'Readmitted within days' },
  { value: 'unit', label: 'Admitted to a unit' },
  { value: 'payer', label: 'Payer kind' },
];
const ACTIONS = [
  { value: 'task', label: 'Create a screening task' },
  { value: 'case', label: 'Open a case for triage' },
];
const options = (labels: Record<string, string>) =>
  Object.entries(labels).map(([value, label]) => ({ value, label }));

function newCondition(kind: string): AdmissionTrigger['condition'] {
  if (kind === 'readmission') return { kind, withinDays: 30 };
  if (kind === 'unit') return { kind, units: [] };
  if (kind === 'payer') return { kind, payers: ['medicaid'] };
  return { kind: 'age', atLeast: 75 };
}
function newAction(kind: string): AdmissionTrigger['action'] {
  if (kind === 'case') return { kind, urgency: 'routine', reasonCode: 'discharge-planning' };
  return { kind: 'task', title: 'Psychosocial screening', dueInHours: 24, priority: 'routine' };
}

/** One rule's editor; `at` prefixes its field names as the server's errors name them (rules.0.name). */
function RuleEditor({
  rule,
  index,
  errors,
  readOnly,
  knownUnits,
  onChange,
  onRemove,
}: {
  rule: AdmissionTrigger;
  index: number;
  errors: Record<string, string>;
  readOnly: boolean;
  knownUnits: string[];
  onChange: (rule: AdmissionTrigger) => void;
  onRemove: () => void;
}) {
  const at = (field: string) => errors[`rules.${index}.${field}`];
  const c = rule.condition;
  const a = rule.action;
  const num = (v: string | number) => (typeof v === 'number' ? v : Number(v));
  const headingId = `trigger-${index}-heading`;
  return (
    <Card withBorder component="section" aria-labelledby={headingId}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4" id={headingId}>
            Rule {index + 1}: {rule.name || 'unnamed'}
          </Title>
          {!readOnly && (
            <Button
              variant="subtle"
              color="red"
              size="xs"
              leftSection={<IconTrash size={14} aria-hidden />}
              onClick={onRemove}
              aria-label={`Remove rule ${index + 1}`}
            >
              Remove
            </Button>
          )}
        </Group>
        <Group grow align="flex-start">
          <TextInput
            label="Name"
            value={rule.name}
            readOnly={readOnly}
            onChange={(e) => onChange({ ...rule, name: e.currentTarget.value })}
            error={at('name')}
          />
          <TextInput
            label="Code"
            description="Lowercase letters, digits and hyphens; shown on the timeline"
            value={rule.id}
            readOnly={readOnly}
            onChange={(e) => onChange({ ...rule, id: e.currentTarget.value })}
            error={at('id') ?? errors.rules}
          />
        </Group>
        <Switch
          label="Enabled"
          checked={rule.enabled}
          disabled={readOnly}
          onChange={(e) => onChange({ ...rule, enabled: e.currentTarget.checked })}
        />
        <Group grow align="flex-start">
          <Select
            label="When"
            data={CONDITIONS}
            value={c.kind}
            readOnly={readOnly}
            allowDeselect={false}
            onChange={(v) => v && onChange({ ...rule, condition: newCondition(v) })}
          />
          {c.kind === 'age' && (
            <NumberInput
              label="Aged at least (years)"
              min={0}
              max={120}
              allowDecimal={false}
              readOnly={readOnly}
              value={c.atLeast}
              onChange={(v) => onChange({ ...rule, condition: { ...c, atLeast: num(v) } })}
              error={at('condition.atLeast')}
            />
          )}
          {c.kind === 'readmission' && (
            <NumberInput
              label="Within days of the last discharge"
              min={1}
              max={365}
              allowDecimal={false}
              readOnly={readOnly}
              value={c.withinDays}
              onChange={(v) => onChange({ ...rule, condition: { ...c, withinDays: num(v) } })}
              error={at('condition.withinDays')}
            />
          )}
          {c.kind === 'unit' && (
            <TagsInput
              label="Units"
              description="As the ADT feed names them; press Enter after each"
              data={knownUnits}
              readOnly={readOnly}
              value={c.units}
              onChange={(units) => onChange({ ...rule, condition: { ...c, units } })}
              error={at('condition.units')}
            />
          )}
          {c.kind === 'payer' && (
            <Select
              label="Payer kinds (any coverage)"
              data={options(TRIGGER_PAYERS)}
              value={null}
              placeholder={c.payers.map((p) => TRIGGER_PAYERS[p]).join(', ') || 'Choose to add'}
              readOnly={readOnly}
              onChange={(v) =>
                v &&
                onChange({
                  ...rule,
                  condition: {
                    ...c,
                    payers: c.payers.includes(v as never)
                      ? c.payers.filter((p) => p !== v)
                      : [...c.payers, v as (typeof c.payers)[number]],
                  },
                })
              }
              description="Choosing a kind again removes it"
              error={at('condition.payers')}
            />
          )}
        </Group>
        <Group grow align="flex-start">
          <Select
            label="Then"
            data={ACTIONS}
            value={a.kind}
            readOnly={readOnly}
            allowDeselect={false}
            onChange={(v) => v && onChange({ ...rule, action: newAction(v) })}
          />
          {a.kind === 'case' && (
            <>
              <Select
                label="Urgency"
                data={URGENCIES.map((u) => ({ value: u, label: URGENCY_LABELS[u] }))}
                value={a.urgency}
                readOnly={readOnly}
                allowDeselect={false}
                onChange={(v) => v && onChange({ ...rule, action: { ...a, urgency: v as typeof a.urgency } })}
              />
              <Select
                label="Reason"
                data={options(CONSULT_REASONS)}
                value={a.reasonCode}
                readOnly={readOnly}
                allowDeselect={false}
                onChange={(v) =>
                  v && onChange({ ...rule, action: { ...a, reasonCode: v as typeof a.reasonCode } })
                }
              />
            </>
          )}
          {a.kind === 'task' && (
            <>
              <TextInput
                label="Task title"
                value={a.title}
                readOnly={readOnly}
                onChange={(e) => onChange({ ...rule, action: { ...a, title: e.currentTarget.value } })}
                error={at('action.title')}
              />
              <NumberInput
                label="Due within (hours of admission)"
                min={1}
                max={720}
                allowDecimal={false}
                readOnly={readOnly}
                value={a.dueInHours}
                onChange={(v) => onChange({ ...rule, action: { ...a, dueInHours: num(v) } })}
                error={at('action.dueInHours')}
              />
              <Select
                label="Priority"
                data={options(TASK_PRIORITIES)}
                value={a.priority}
                readOnly={readOnly}
                allowDeselect={false}
                onChange={(v) =>
                  v && onChange({ ...rule, action: { ...a, priority: v as typeof a.priority } })
                }
              />
            </>
          )}
        </Group>
        {a.kind === 'task' && at('action.assigneeId') && (
          <Text c="red" size="sm">
            Assignee: {at('action.assigneeId')}
          </Text>
        )}
      </Stack>
    </Card>
  );
}

/** The organisation's admission triggers: admins edit them, supervisors read them. */
export function AdmissionTriggersPage() {
  const me = useSignedInUser();
  const readOnly = me.role !== 'admin';
  const queryClient = useQueryClient();
  const current = useQuery({
    queryKey: KEY,
    queryFn: () => api.get<AdmissionTriggersResponse>('/api/admin/admission-triggers'),
  });
  const [draft, setDraft] = useState<AdmissionTrigger[] | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: (rules: AdmissionTrigger[]) =>
      api.put<AdmissionTriggersResponse>('/api/admin/admission-triggers', { rules }),
    onSuccess: (data) => {
      queryClient.setQueryData(KEY, data);
      setDraft(null);
      setSaved(true);
    },
  });
  const rules = draft ?? current.data?.rules ?? [];
  const shown = { ...fieldErrorsOf(save.error), ...errors };
  const edit = (next: AdmissionTrigger[]) => {
    setSaved(false);
    setDraft(next);
  };
  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkWith(AdmissionTriggersUpdateRequest, { rules });
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    save.mutate(checked.data.rules);
  }
  return (
    <Stack>
      <PageTitle>Admission triggers</PageTitle>
      <Text>
        Each new inpatient admission, from the ADT feed or entered by hand, is checked once against these
        rules. A rule that matches opens a case waiting for triage or creates a screening task (for the
        patient&apos;s primary worker, else a supervisor); the chart&apos;s timeline says which rule matched
        and why.
      </Text>
      <ProblemAlert error={current.error ?? save.error} />
      {current.isPending && <Loader aria-label="Loading the admission triggers" />}
      {saved && (
        <Alert color="green" role="status">
          Admission triggers saved.
        </Alert>
      )}
      {current.data && (
        <form onSubmit={submit} noValidate aria-label="Admission triggers">
          <Stack>
            {rules.length === 0 && <Text c="dimmed">No rules: admissions set nothing off.</Text>}
            {rules.map((rule, i) => (
              <RuleEditor
                // biome-ignore lint/suspicious/noArrayIndexKey: rules have no stable key while their code is edited
                key={i}
                rule={rule}
                index={i}
                errors={shown}
                readOnly={readOnly}
                knownUnits={current.data.knownUnits}
                onChange={(next) => edit(rules.map((r, j) => (j === i ? next : r)))}
                onRemove={() => edit(rules.filter((_, j) => j !== i))}
              />
            ))}
            {!readOnly && (
              <Group>
                <Button
                  variant="default"
                  leftSection={<IconPlus size={16} aria-hidden />}
                  onClick={() =>
                    edit([
                      ...rules,
                      {
                        id: `rule-${rules.length + 1}`,
                        name: 'New rule',
                        enabled: true,
                        condition: newCondition('age'),
                        action: newAction('task'),
                      },
                    ])
                  }
                >
                  Add a rule
                </Button>
                <Button type="submit" loading={save.isPending} disabled={!draft}>
                  Save rules
                </Button>
                {draft && (
                  <Button
                    variant="subtle"
                    onClick={() => {
                      setDraft(null);
                      setErrors({});
                    }}
                  >
                    Discard changes
                  </Button>
                )}
              </Group>
            )}
          </Stack>
        </form>
      )}
    </Stack>
  );
}
