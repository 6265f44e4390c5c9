import { Button, Checkbox, Fieldset, Group, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { COMMON_LANGUAGES } from '../../../domain/languages.ts';
import { PatientCreateRequest } from '../../../domain/schemas/patients.ts';
import type { Patient, PatientCreate } from '../../api/types.ts';
import { checkWith, type FieldErrors } from '../../components/field-errors.ts';
import { languageName } from '../../components/language.ts';
import {
  type CoverageDraft,
  coverageDrafts,
  coverageRequest,
  InsuranceFieldset,
  type PrimaryCareDraft,
  PrimaryCareFieldset,
  primaryCareDraft,
  primaryCareRequest,
} from './CoverageFields.tsx';
import {
  type HouseholdDraft,
  HouseholdFieldset,
  householdDraft,
  householdRequest,
} from './HouseholdFields.tsx';

type PhoneUse = 'home' | 'mobile' | 'work' | 'other';
interface PatientDraft {
  mrn: string;
  givenName: string;
  middleName: string;
  familyName: string;
  preferredName: string;
  birthDate: string;
  sex: string;
  genderIdentity: string;
  pronouns: string;
  preferredLanguage: string;
  interpreterNeeded: boolean;
  address: { line1: string; line2: string; city: string; state: string; postalCode: string };
  phones: { use: PhoneUse; number: string }[];
  insurance: CoverageDraft[];
  primaryCare: PrimaryCareDraft;
  household: HouseholdDraft;
}

function draftOf(patient?: Patient): PatientDraft {
  return {
    mrn: patient?.mrn ?? '',
    givenName: patient?.givenName ?? '',
    middleName: patient?.middleName ?? '',
    familyName: patient?.familyName ?? '',
    preferredName: patient?.preferredName ?? '',
    birthDate: patient?.birthDate ?? '',
    sex: patient?.sex ?? '',
    genderIdentity: patient?.genderIdentity ?? '',
    pronouns: patient?.pronouns ?? '',
    preferredLanguage: patient?.preferredLanguage ?? 'en',
    interpreterNeeded: patient?.interpreterNeeded ?? false,
    address: {
      line1: patient?.address?.line1 ?? '',
      line2: patient?.address?.line2 ?? '',
      city: patient?.address?.city ?? '',
      state: patient?.address?.state ?? '',
      postalCode: patient?.address?.postalCode ?? '',
    },
    phones: patient?.phones.map((p) => ({ use: p.use, number: p.number })) ?? [{ use: 'mobile', number: '' }],
    insurance: coverageDrafts(patient),
    primaryCare: primaryCareDraft(patient),
    household: householdDraft(patient),
  };
}

/** The common languages by name, and the patient's own when it is not among them. */
function languageOptions(current: string) {
  const codes: string[] = [...COMMON_LANGUAGES];
  if (current && !codes.includes(current)) codes.push(current);
  return codes.map((code) => ({ value: code, label: languageName(code) }));
}

/** Empty optional text becomes absent, and an address is sent only when one was started. */
function requestOf(draft: PatientDraft): unknown {
  const optional = (v: string) => (v.trim() === '' ? undefined : v);
  const { address, primaryCare, household, ...rest } = draft;
  const hasAddress = Object.values(address).some((v) => v.trim() !== '');
  return {
    ...rest,
    middleName: optional(draft.middleName),
    preferredName: optional(draft.preferredName),
    genderIdentity: optional(draft.genderIdentity),
    pronouns: optional(draft.pronouns),
    sex: draft.sex || undefined,
    address: hasAddress ? { ...address, line2: optional(address.line2), country: 'US' } : undefined,
    phones: draft.phones.filter((p) => p.number.trim() !== ''),
    insurance: coverageRequest(draft.insurance),
    primaryCareProvider: primaryCareRequest(primaryCare),
    ...householdRequest(household),
  };
}

const SEX_OPTIONS = [
  { value: 'female', label: 'Female' },
  { value: 'male', label: 'Male' },
  { value: 'other', label: 'Other' },
  { value: 'unknown', label: 'Unknown' },
];

/** Demographics, insurance and primary care, shared by "new patient" and "edit"; checked with the server's schema first. */
export function PatientForm(props: {
  patient?: Patient;
  serverErrors: FieldErrors;
  busy: boolean;
  submitLabel: string;
  onSubmit: (request: PatientCreate) => void;
  onCancel?: () => void;
}) {
  const [draft, setDraft] = useState(() => draftOf(props.patient));
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const errors = { ...props.serverErrors, ...localErrors };
  const set = <K extends keyof PatientDraft>(key: K, value: PatientDraft[K]) =>
    setDraft({ ...draft, [key]: value });
  const setAddress = (key: keyof PatientDraft['address'], value: string) =>
    setDraft({ ...draft, address: { ...draft.address, [key]: value } });
  const text = (
    key:
      | 'mrn'
      | 'givenName'
      | 'middleName'
      | 'familyName'
      | 'preferredName'
      | 'genderIdentity'
      | 'pronouns'
      | 'preferredLanguage'
      | 'birthDate',
  ) => ({
    value: draft[key],
    onChange: (e: { currentTarget: { value: string } }) => set(key, e.currentTarget.value),
    error: errors[key],
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkWith(PatientCreateRequest, requestOf(draft));
    if (!checked.ok) return setLocalErrors(checked.errors);
    setLocalErrors({});
    props.onSubmit(checked.data);
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <Fieldset legend="Identity">
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
            <TextInput label="MRN" required {...text('mrn')} />
            <TextInput label="Given name" required autoComplete="off" {...text('givenName')} />
            <TextInput label="Middle name" autoComplete="off" {...text('middleName')} />
            <TextInput label="Family name" required autoComplete="off" {...text('familyName')} />
            <TextInput label="Preferred name" autoComplete="off" {...text('preferredName')} />
            <TextInput label="Date of birth" type="date" required {...text('birthDate')} />
            <Select
              label="Sex"
              required
              data={SEX_OPTIONS}
              value={draft.sex || null}
              onChange={(v) => set('sex', v ?? '')}
              error={errors.sex}
            />
            <TextInput label="Gender identity" {...text('genderIdentity')} />
            <TextInput label="Pronouns" {...text('pronouns')} />
          </SimpleGrid>
        </Fieldset>
        <Fieldset legend="Language">
          <Group align="flex-end">
            <Select
              label="Preferred language"
              searchable
              nothingFoundMessage="No such language"
              data={languageOptions(draft.preferredLanguage)}
              value={draft.preferredLanguage}
              onChange={(value) => set('preferredLanguage', value ?? 'en')}
              allowDeselect={false}
              error={errors.preferredLanguage}
            />
            <Checkbox
              label="Needs an interpreter"
              checked={draft.interpreterNeeded}
              onChange={(e) => set('interpreterNeeded', e.currentTarget.checked)}
              mb={8}
            />
          </Group>
        </Fieldset>
        <Fieldset legend="Address">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label="Street"
              value={draft.address.line1}
              onChange={(e) => setAddress('line1', e.currentTarget.value)}
              error={errors['address.line1']}
            />
            <TextInput
              label="Apartment, unit"
              value={draft.address.line2}
              onChange={(e) => setAddress('line2', e.currentTarget.value)}
              error={errors['address.line2']}
            />
            <TextInput
              label="City"
              value={draft.address.city}
              onChange={(e) => setAddress('city', e.currentTarget.value)}
              error={errors['address.city']}
            />
            <TextInput
              label="State"
              value={draft.address.state}
              onChange={(e) => setAddress('state', e.currentTarget.value)}
              error={errors['address.state']}
            />
            <TextInput
              label="ZIP code"
              value={draft.address.postalCode}
              onChange={(e) => setAddress('postalCode', e.currentTarget.value)}
              error={errors['address.postalCode']}
            />
          </SimpleGrid>
        </Fieldset>
        <Fieldset legend="Phones">
          <Stack>
            {draft.phones.map((phone, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: phones have no id until saved
              <Group key={index} align="flex-end">
                <Select
                  label={`Phone ${index + 1} type`}
                  data={['mobile', 'home', 'work', 'other']}
                  value={phone.use}
                  allowDeselect={false}
                  onChange={(v) =>
                    set(
                      'phones',
                      draft.phones.map((p, i) =>
                        i === index ? { ...p, use: (v ?? 'mobile') as PhoneUse } : p,
                      ),
                    )
                  }
                  w={130}
                />
                <TextInput
                  label={`Phone ${index + 1} number`}
                  type="tel"
                  value={phone.number}
                  onChange={(e) => {
                    const number = e.currentTarget.value;
                    set(
                      'phones',
                      draft.phones.map((p, i) => (i === index ? { ...p, number } : p)),
                    );
                  }}
                  error={errors[`phones.${index}.number`]}
                />
                <Button
                  variant="subtle"
                  color="red"
                  onClick={() =>
                    set(
                      'phones',
                      draft.phones.filter((_, i) => i !== index),
                    )
                  }
                >
                  Remove phone {index + 1}
                </Button>
              </Group>
            ))}
            <Button
              variant="default"
              w="fit-content"
              onClick={() => set('phones', [...draft.phones, { use: 'mobile', number: '' }])}
            >
              Add a phone
            </Button>
          </Stack>
        </Fieldset>
        <InsuranceFieldset
          value={draft.insurance}
          onChange={(insurance) => set('insurance', insurance)}
          errors={errors}
        />
        <PrimaryCareFieldset
          value={draft.primaryCare}
          onChange={(primaryCare) => set('primaryCare', primaryCare)}
          errors={errors}
        />
        <HouseholdFieldset
          value={draft.household}
          onChange={(household) => set('household', household)}
          errors={errors}
        />
        <Group>
          <Button type="submit" loading={props.busy}>
            {props.submitLabel}
          </Button>
          {props.onCancel && (
            <Button variant="default" onClick={props.onCancel}>
              Cancel
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}
