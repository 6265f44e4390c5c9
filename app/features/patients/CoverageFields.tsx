import { Button, Checkbox, Fieldset, Group, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { PAYER_TYPES, type PayerType } from '../../../domain/schemas/patients.ts';
import type { Patient } from '../../api/types.ts';
import type { FieldErrors } from '../../components/field-errors.ts';

export interface CoverageDraft {
  payerType: PayerType;
  payerName: string;
  plan: string;
  memberId: string;
  groupNumber: string;
  primary: boolean;
}
export interface PrimaryCareDraft {
  name: string;
  practice: string;
  phone: string;
}

const PAYER_OPTIONS = Object.entries(PAYER_TYPES).map(([value, label]) => ({ value, label }));

export const coverageDrafts = (patient?: Patient): CoverageDraft[] =>
  (patient?.insurance ?? []).map((c) => ({
    payerType: c.payerType,
    payerName: c.payerName ?? '',
    plan: c.plan ?? '',
    memberId: c.memberId ?? '',
    groupNumber: c.groupNumber ?? '',
    primary: c.primary ?? false,
  }));

export const primaryCareDraft = (patient?: Patient): PrimaryCareDraft => ({
  name: patient?.primaryCareProvider?.name ?? '',
  practice: patient?.primaryCareProvider?.practice ?? '',
  phone: patient?.primaryCareProvider?.phone ?? '',
});

const optional = (v: string) => (v.trim() === '' ? undefined : v);

/** Coverages as the API takes them; empty text is left out. */
export const coverageRequest = (drafts: CoverageDraft[]) =>
  drafts.map((c) => ({
    payerType: c.payerType,
    payerName: optional(c.payerName),
    plan: optional(c.plan),
    memberId: optional(c.memberId),
    groupNumber: optional(c.groupNumber),
    ...(c.primary ? { primary: true } : {}),
  }));

/** The primary care provider, or null when every field is empty (which clears it on an edit). */
export const primaryCareRequest = (d: PrimaryCareDraft) =>
  Object.values(d).some((v) => v.trim() !== '')
    ? { name: d.name, practice: optional(d.practice), phone: optional(d.phone) }
    : null;

/** The patient's coverages, in billing order, each with its own labelled fields. */
export function InsuranceFieldset(props: {
  value: CoverageDraft[];
  onChange: (next: CoverageDraft[]) => void;
  errors: FieldErrors;
}) {
  const { value, onChange, errors } = props;
  const set = (index: number, patch: Partial<CoverageDraft>) =>
    onChange(
      value.map((c, i) => (i === index ? { ...c, ...patch } : patch.primary ? { ...c, primary: false } : c)),
    );
  return (
    <Fieldset legend="Insurance">
      <Stack>
        {value.length === 0 && <Text size="sm">No coverage recorded.</Text>}
        {errors.insurance && (
          <Text size="sm" c="red.8" role="alert">
            {errors.insurance}
          </Text>
        )}
        {value.map((coverage, index) => {
          const n = index + 1;
          const field = (key: keyof CoverageDraft) => errors[`insurance.${index}.${key}`];
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: coverages have no id of their own
            <Stack key={index} gap="xs">
              <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
                <Select
                  label={`Coverage ${n}: kind of payer`}
                  data={PAYER_OPTIONS}
                  value={coverage.payerType}
                  allowDeselect={false}
                  onChange={(v) => set(index, { payerType: (v ?? 'other') as PayerType })}
                  error={field('payerType')}
                />
                <TextInput
                  label={`Coverage ${n}: payer`}
                  required={coverage.payerType !== 'self-pay'}
                  value={coverage.payerName}
                  onChange={(e) => set(index, { payerName: e.currentTarget.value })}
                  error={field('payerName')}
                />
                <TextInput
                  label={`Coverage ${n}: plan`}
                  value={coverage.plan}
                  onChange={(e) => set(index, { plan: e.currentTarget.value })}
                  error={field('plan')}
                />
                <TextInput
                  label={`Coverage ${n}: member id`}
                  required={coverage.payerType !== 'self-pay'}
                  value={coverage.memberId}
                  onChange={(e) => set(index, { memberId: e.currentTarget.value })}
                  error={field('memberId')}
                />
                <TextInput
                  label={`Coverage ${n}: group number`}
                  value={coverage.groupNumber}
                  onChange={(e) => set(index, { groupNumber: e.currentTarget.value })}
                  error={field('groupNumber')}
                />
              </SimpleGrid>
              <Group>
                <Checkbox
                  label={`Coverage ${n} is billed first (primary)`}
                  checked={coverage.primary}
                  onChange={(e) => set(index, { primary: e.currentTarget.checked })}
                />
                <Button
                  variant="subtle"
                  color="red"
                  onClick={() => onChange(value.filter((_, i) => i !== index))}
                >
                  Remove coverage {n}
                </Button>
              </Group>
            </Stack>
          );
        })}
        <Button
          variant="default"
          w="fit-content"
          onClick={() =>
            onChange([
              ...value,
              {
                payerType: 'medicare',
                payerName: '',
                plan: '',
                memberId: '',
                groupNumber: '',
                primary: value.length === 0,
              },
            ])
          }
        >
          Add a coverage
        </Button>
      </Stack>
    </Fieldset>
  );
}

export function PrimaryCareFieldset(props: {
  value: PrimaryCareDraft;
  onChange: (next: PrimaryCareDraft) => void;
  errors: FieldErrors;
}) {
  const { value, onChange, errors } = props;
  const input = (key: keyof PrimaryCareDraft) => ({
    value: value[key],
    onChange: (e: { currentTarget: { value: string } }) =>
      onChange({ ...value, [key]: e.currentTarget.value }),
    error: errors[`primaryCareProvider.${key}`],
  });
  return (
    <Fieldset legend="Primary care provider">
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <TextInput label="Name" autoComplete="off" {...input('name')} />
        <TextInput label="Practice" {...input('practice')} />
        <TextInput label="Phone" type="tel" {...input('phone')} />
      </SimpleGrid>
    </Fieldset>
  );
}
