import {
  Button,
  Checkbox,
  Fieldset,
  Group,
  MultiSelect,
  NativeSelect,
  Select,
  Stack,
  TagsInput,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { COMMON_LANGUAGES } from '../../../domain/languages.ts';
import type { SdohDomain } from '../../../domain/needs.ts';
import { type AssistanceKind, SERVICE_STATUSES, type ServiceStatus } from '../../../domain/resources.ts';
import type { FieldErrors } from '../../components/field-errors.ts';
import { languageName } from '../../components/language.ts';
import { EligibilityFields } from './EligibilityFields.tsx';
import { LocationFields } from './LocationFields.tsx';
import { ASSISTANCE_CHOICES, DOMAIN_CHOICES } from './labels.ts';
import { OrganizationDialog } from './OrganizationDialog.tsx';
import { ScheduleFields } from './ScheduleFields.tsx';
import { errorAt, type ServiceFormValues } from './service-form.ts';
import { useOrganizations } from './use-resources.ts';

const STATUS_CHOICES: { value: ServiceStatus; label: string }[] = SERVICE_STATUSES.map((s) => ({
  value: s,
  label: s === 'active' ? 'Active (found by search)' : s.charAt(0).toUpperCase() + s.slice(1),
}));

/** The languages to pick from: the common ones, and any the service already lists. */
function languageChoices(current: readonly string[]) {
  return [...new Set([...COMMON_LANGUAGES, ...current])]
    .map((code) => ({ value: code, label: `${languageName(code)} (${code})` }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

/** Every field of a service (ServiceWrite), grouped as an admin thinks of them. */
export function ServiceForm({
  values,
  onChange,
  errors,
}: {
  values: ServiceFormValues;
  onChange: (values: ServiceFormValues) => void;
  errors: FieldErrors;
}) {
  const organizations = useOrganizations();
  const [creatingOrg, setCreatingOrg] = useState(false);
  const set = <K extends keyof ServiceFormValues>(key: K, value: ServiceFormValues[K]) =>
    onChange({ ...values, [key]: value });
  const text = (key: keyof ServiceFormValues & string) => ({
    value: String(values[key] ?? ''),
    onChange: (e: { currentTarget: { value: string } }) => set(key, e.currentTarget.value as never),
    error: errors[key],
  });
  const orgChoices = (organizations.data ?? [])
    .map((o) => ({ value: o.id, label: o.name }))
    .sort((a, b) => a.label.localeCompare(b.label));

  return (
    <Stack gap="md">
      <Fieldset legend="Organisation">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <Select
            label="Offered by"
            required
            searchable
            placeholder="Choose the organisation"
            data={orgChoices}
            value={values.directoryOrganizationId || null}
            onChange={(id) => onChange({ ...values, directoryOrganizationId: id ?? '', locationIds: [] })}
            error={errors.directoryOrganizationId}
            nothingFoundMessage="No organisation by that name"
            w={360}
          />
          <Button variant="default" onClick={() => setCreatingOrg(true)}>
            New organisation
          </Button>
        </Group>
      </Fieldset>

      <Fieldset legend="The service">
        <Stack gap="sm">
          <TextInput label="Name" required maxLength={300} {...text('name')} />
          <TextInput label="Other name" maxLength={300} {...text('alternateName')} />
          <Textarea label="Description" autosize minRows={3} maxLength={10_000} {...text('description')} />
          <Group gap="sm" align="flex-start" wrap="wrap">
            <NativeSelect
              label="Status"
              data={STATUS_CHOICES}
              value={values.status}
              onChange={(e) => set('status', e.currentTarget.value as ServiceStatus)}
              error={errors.status}
              w={260}
            />
            <TextInput
              label="Verified on"
              description="When someone last checked this listing"
              type="date"
              {...text('assuredDate')}
              w={200}
            />
          </Group>
          <Checkbox
            label="Public: may be shown to patients (on handouts)"
            checked={values.public}
            onChange={(e) => set('public', e.currentTarget.checked)}
            error={errors.public}
          />
        </Stack>
      </Fieldset>

      <Fieldset legend="What it helps with">
        <Stack gap="sm">
          <MultiSelect
            label="Needs addressed"
            description="The needs (SDOH domains) a worker finds it under"
            data={DOMAIN_CHOICES}
            value={values.domains}
            onChange={(v) => set('domains', v as SdohDomain[])}
            error={errorAt(errors, 'domains')}
            searchable
            clearable
          />
          <Select
            label="Financial-assistance program"
            placeholder="Not an assistance program"
            data={ASSISTANCE_CHOICES}
            value={values.assistanceKind || null}
            onChange={(v) => set('assistanceKind', (v ?? '') as AssistanceKind | '')}
            error={errors.assistanceKind}
            clearable
            w={360}
          />
          <TagsInput
            label="Taxonomy codes"
            description="e.g. BD-1800.2000; press Enter after each one"
            value={values.taxonomyCodes}
            onChange={(v) => set('taxonomyCodes', v)}
            error={errorAt(errors, 'taxonomyCodes')}
            clearable
          />
        </Stack>
      </Fieldset>

      <Fieldset legend="Contact">
        <Group gap="sm" align="flex-start" wrap="wrap">
          <TextInput label="Phone" type="tel" maxLength={40} {...text('phone')} w={200} />
          <TextInput label="Email" type="email" {...text('email')} w={280} />
          <TextInput label="Website" type="url" placeholder="https://" {...text('url')} w={320} />
        </Group>
      </Fieldset>

      <LocationFields
        organizationId={values.directoryOrganizationId}
        value={values.locationIds}
        onChange={(ids) => set('locationIds', ids)}
        error={errorAt(errors, 'locationIds')}
      />
      <ScheduleFields rows={values.schedules} onChange={(rows) => set('schedules', rows)} errors={errors} />
      <EligibilityFields values={values} set={set} errors={errors} />

      <Fieldset legend="Access">
        <Stack gap="sm">
          <MultiSelect
            label="Languages spoken"
            data={languageChoices(values.languages)}
            value={values.languages}
            onChange={(v) => set('languages', v)}
            error={errorAt(errors, 'languages')}
            searchable
            clearable
          />
          <TextInput
            label="Interpretation"
            placeholder="e.g. phone interpreters for any language"
            {...text('interpretationServices')}
          />
          <TagsInput
            label="What to bring"
            description="Documents the patient needs; press Enter after each one"
            splitChars={[]}
            value={values.requiredDocuments}
            onChange={(v) => set('requiredDocuments', v)}
            error={errorAt(errors, 'requiredDocuments')}
            clearable
          />
          <Group gap="sm" align="flex-start" wrap="wrap">
            <NativeSelect
              label="Cost"
              data={[
                { value: '', label: 'Not stated' },
                { value: 'free', label: 'Free' },
                { value: 'fee', label: 'Fees apply' },
              ]}
              value={values.cost}
              onChange={(e) => set('cost', e.currentTarget.value as ServiceFormValues['cost'])}
              error={errors.free}
              w={160}
            />
            <TextInput
              label="Fees"
              placeholder="e.g. sliding scale"
              {...text('feesDescription')}
              style={{ flex: 1 }}
              miw={260}
            />
          </Group>
          <Textarea
            label="How to apply"
            autosize
            minRows={2}
            maxLength={4000}
            {...text('applicationProcess')}
          />
        </Stack>
      </Fieldset>

      <OrganizationDialog
        opened={creatingOrg}
        organization={null}
        onClose={(created) => {
          setCreatingOrg(false);
          if (created) onChange({ ...values, directoryOrganizationId: created.id, locationIds: [] });
        }}
      />
    </Stack>
  );
}
