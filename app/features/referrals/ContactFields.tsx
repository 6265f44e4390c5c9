import { Checkbox, Group, Radio, Stack, Textarea, TextInput } from '@mantine/core';
import { CONTACT_METHODS } from '../../../domain/referrals.ts';
import type { FieldErrors } from '../../components/field-errors.ts';
import { CONTACT_METHOD_LABELS } from './labels.tsx';

export interface ReferralDetailsDraft {
  methods: string[];
  phone: string;
  email: string;
  bestTimes: string;
  language: string;
  interpreterNeeded: boolean;
  note: string;
  priority: 'routine' | 'urgent';
}

/** How the organisation should reach the patient, the worker's note and the priority. */
export function ContactFields({
  draft,
  onChange,
  errors,
}: {
  draft: ReferralDetailsDraft;
  onChange: (patch: Partial<ReferralDetailsDraft>) => void;
  errors: FieldErrors;
}) {
  const e = (field: string) => errors[`contactPreferences.${field}`];
  return (
    <Stack gap="sm">
      <Checkbox.Group
        label="How the organisation may reach the patient"
        required
        value={draft.methods}
        onChange={(methods) => onChange({ methods })}
        error={e('methods') ?? errors.methods}
      >
        <Group mt="xs">
          {CONTACT_METHODS.map((m) => (
            <Checkbox key={m} value={m} label={CONTACT_METHOD_LABELS[m]} />
          ))}
        </Group>
      </Checkbox.Group>
      <Group grow align="flex-start">
        <TextInput
          label="Phone"
          type="tel"
          autoComplete="off"
          value={draft.phone}
          onChange={(ev) => onChange({ phone: ev.currentTarget.value })}
          error={e('phone')}
        />
        <TextInput
          label="Email"
          type="email"
          autoComplete="off"
          value={draft.email}
          onChange={(ev) => onChange({ email: ev.currentTarget.value })}
          error={e('email')}
        />
      </Group>
      <TextInput
        label="Best times to call"
        description="e.g. weekday mornings; not after 6 PM"
        value={draft.bestTimes}
        onChange={(ev) => onChange({ bestTimes: ev.currentTarget.value })}
        error={e('bestTimes')}
      />
      <Group grow align="flex-end">
        <TextInput
          label="Language"
          value={draft.language}
          onChange={(ev) => onChange({ language: ev.currentTarget.value })}
          error={e('language')}
        />
        <Checkbox
          label="Needs an interpreter"
          checked={draft.interpreterNeeded}
          onChange={(ev) => onChange({ interpreterNeeded: ev.currentTarget.checked })}
          error={e('interpreterNeeded')}
          mb={8}
        />
      </Group>
      <Textarea
        label="Note for the organisation"
        description="Shared only when the patient agreed to share the worker’s note."
        autosize
        minRows={3}
        maxLength={2000}
        value={draft.note}
        onChange={(ev) => onChange({ note: ev.currentTarget.value })}
        error={errors.note}
      />
      <Radio.Group
        label="Priority"
        value={draft.priority}
        onChange={(v) => onChange({ priority: v as ReferralDetailsDraft['priority'] })}
        error={errors.priority}
      >
        <Group mt="xs">
          <Radio value="routine" label="Routine" />
          <Radio value="urgent" label="Urgent" />
        </Group>
      </Radio.Group>
    </Stack>
  );
}
