import {
  Button,
  Checkbox,
  Fieldset,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Textarea,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import {
  RELATIONSHIP_CODES,
  RELATIONSHIPS,
  SHARING_SCOPE_CODES,
  SHARING_SCOPES,
} from '../../../domain/contacts.ts';
import { COMMON_LANGUAGES } from '../../../domain/languages.ts';
import { ContactCreateRequest, ContactUpdateRequest } from '../../../domain/schemas/contacts.ts';
import { checkWith, type FieldErrors } from '../../components/field-errors.ts';
import { languageName } from '../../components/language.ts';
import type { Contact, ContactCreate, ContactUpdate } from './types.ts';

type PhoneUse = 'home' | 'mobile' | 'work' | 'other';

function draftOf(c?: Contact) {
  return {
    name: c?.name ?? '',
    relationship: (c?.relationship ?? null) as string | null,
    phones: c?.phones.map((p) => ({ use: p.use, number: p.number })) ?? [
      { use: 'mobile' as PhoneUse, number: '' },
    ],
    email: c?.email ?? '',
    address: {
      line1: c?.address?.line1 ?? '',
      line2: c?.address?.line2 ?? '',
      city: c?.address?.city ?? '',
      state: c?.address?.state ?? '',
      postalCode: c?.address?.postalCode ?? '',
    },
    preferredLanguage: c?.preferredLanguage ?? null,
    isEmergencyContact: c?.isEmergencyContact ?? false,
    isPrimaryCaregiver: c?.isPrimaryCaregiver ?? false,
    isLegalGuardian: c?.isLegalGuardian ?? false,
    isPersonalRepresentative: c?.isPersonalRepresentative ?? false,
    authorized: c?.sharing.authorized ?? false,
    authorizedOn: c?.sharing.authorizedOn ?? '',
    scope: (c?.sharing.scope ?? null) as string | null,
    expiresOn: c?.sharing.expiresOn ?? '',
    sharingNote: c?.sharing.note ?? '',
    notes: c?.notes ?? '',
  };
}
type Draft = ReturnType<typeof draftOf>;

const text = (v: string) => (v.trim() === '' ? undefined : v);

/** The draft as a request; on an edit, emptied fields are sent as null so that they are cleared. */
function requestOf(d: Draft, editing: boolean) {
  const cleared = (v: string | null) => (v && v.trim() !== '' ? v : editing ? null : undefined);
  return {
    name: d.name,
    relationship: d.relationship ?? '',
    phones: d.phones.filter((p) => p.number.trim() !== ''),
    email: cleared(d.email),
    address: Object.values(d.address).some((v) => v.trim() !== '')
      ? { ...d.address, line2: text(d.address.line2), country: 'US' }
      : editing
        ? null
        : undefined,
    preferredLanguage: cleared(d.preferredLanguage),
    isEmergencyContact: d.isEmergencyContact,
    isPrimaryCaregiver: d.isPrimaryCaregiver,
    isLegalGuardian: d.isLegalGuardian,
    isPersonalRepresentative: d.isPersonalRepresentative,
    sharing: {
      authorized: d.authorized,
      authorizedOn: text(d.authorizedOn),
      scope: d.scope ?? undefined,
      expiresOn: text(d.expiresOn),
      note: text(d.sharingNote),
    },
    notes: cleared(d.notes),
  };
}

const RELATIONSHIP_OPTIONS = RELATIONSHIP_CODES.map((value) => ({ value, label: RELATIONSHIPS[value] }));
const SCOPE_OPTIONS = SHARING_SCOPE_CODES.map((value) => ({ value, label: SHARING_SCOPES[value] }));
const LANGUAGE_OPTIONS = COMMON_LANGUAGES.map((code) => ({ value: code, label: languageName(code) }));

/** Adds or edits a contact; checked with the server's schema, each message under its field. */
export function ContactForm(props: {
  contact?: Contact;
  serverErrors: FieldErrors;
  busy: boolean;
  onSubmit: (request: ContactCreate | ContactUpdate) => void;
  onCancel: () => void;
}) {
  const editing = Boolean(props.contact);
  const [draft, setDraft] = useState(() => draftOf(props.contact));
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const errors = { ...props.serverErrors, ...localErrors };
  const nameRef = useRef<HTMLInputElement>(null);
  useEffect(() => nameRef.current?.focus(), []);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const textInput = (key: 'name' | 'email' | 'authorizedOn' | 'expiresOn', field: string = key) => ({
    value: draft[key],
    onChange: (e: { currentTarget: { value: string } }) => set(key, e.currentTarget.value),
    error: errors[field],
  });
  const check = (
    key: 'isEmergencyContact' | 'isPrimaryCaregiver' | 'isLegalGuardian' | 'isPersonalRepresentative',
  ) => ({
    checked: draft[key],
    onChange: (e: { currentTarget: { checked: boolean } }) => set(key, e.currentTarget.checked),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const body = requestOf(draft, editing);
    const checked = props.contact
      ? checkWith(ContactUpdateRequest, { ...body, version: props.contact.version })
      : checkWith(ContactCreateRequest, body);
    if (!checked.ok) return setLocalErrors(checked.errors);
    setLocalErrors({});
    props.onSubmit(checked.data);
  }

  return (
    <form onSubmit={submit} noValidate aria-label={editing ? `Edit ${props.contact?.name}` : 'New contact'}>
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label="Name" required autoComplete="off" ref={nameRef} {...textInput('name')} />
          <Select
            label="Relationship to the patient"
            required
            data={RELATIONSHIP_OPTIONS}
            value={draft.relationship}
            onChange={(v) => set('relationship', v)}
            error={errors.relationship}
          />
          <TextInput label="Email" type="email" autoComplete="off" {...textInput('email')} />
          <Select
            label="Preferred language"
            searchable
            clearable
            data={LANGUAGE_OPTIONS}
            value={draft.preferredLanguage}
            onChange={(v) => set('preferredLanguage', v)}
            error={errors.preferredLanguage}
          />
        </SimpleGrid>
        <Fieldset legend="Phones">
          <Stack gap="xs">
            {draft.phones.map((phone, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: phones have no id until saved
              <Group key={index} align="flex-end">
                <Select
                  label={`Phone ${index + 1} type`}
                  data={['mobile', 'home', 'work', 'other']}
                  value={phone.use}
                  allowDeselect={false}
                  w={130}
                  onChange={(v) =>
                    set(
                      'phones',
                      draft.phones.map((p, i) =>
                        i === index ? { ...p, use: (v ?? 'mobile') as PhoneUse } : p,
                      ),
                    )
                  }
                />
                <TextInput
                  label={`Phone ${index + 1} number`}
                  type="tel"
                  value={phone.number}
                  error={errors[`phones.${index}.number`]}
                  onChange={(e) => {
                    const number = e.currentTarget.value;
                    set(
                      'phones',
                      draft.phones.map((p, i) => (i === index ? { ...p, number } : p)),
                    );
                  }}
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
        <Fieldset legend="Address">
          <SimpleGrid cols={{ base: 1, sm: 2, md: 5 }}>
            {(
              [
                ['line1', 'Street'],
                ['line2', 'Apartment, unit'],
                ['city', 'City'],
                ['state', 'State'],
                ['postalCode', 'ZIP code'],
              ] as const
            ).map(([key, label]) => (
              <TextInput
                key={key}
                label={label}
                value={draft.address[key]}
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  setDraft((d) => ({ ...d, address: { ...d.address, [key]: value } }));
                }}
                error={errors[`address.${key}`]}
              />
            ))}
          </SimpleGrid>
        </Fieldset>
        <Fieldset legend="Role in the patient's care">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Checkbox label="Emergency contact" {...check('isEmergencyContact')} />
            <Checkbox label="Primary caregiver" {...check('isPrimaryCaregiver')} />
            <Checkbox label="Legal guardian" {...check('isLegalGuardian')} />
            <Checkbox
              label="Personal representative (health care agent, power of attorney)"
              {...check('isPersonalRepresentative')}
            />
          </SimpleGrid>
        </Fieldset>
        <Fieldset legend="What the patient allows staff to share with this person">
          <Stack>
            <Switch
              label="The patient authorised sharing information"
              checked={draft.authorized}
              onChange={(e) => set('authorized', e.currentTarget.checked)}
            />
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <TextInput
                label="Authorised on"
                type="date"
                required={draft.authorized}
                {...textInput('authorizedOn', 'sharing.authorizedOn')}
              />
              <Select
                label="What may be shared"
                required={draft.authorized}
                data={SCOPE_OPTIONS}
                value={draft.scope}
                onChange={(v) => set('scope', v)}
                error={errors['sharing.scope']}
              />
              <TextInput
                label="Until (leave empty for no end)"
                type="date"
                {...textInput('expiresOn', 'sharing.expiresOn')}
              />
            </SimpleGrid>
            <TextInput
              label="Note on the authorisation"
              description="How it was given, e.g. verbally at the bedside, or a signed form"
              value={draft.sharingNote}
              onChange={(e) => set('sharingNote', e.currentTarget.value)}
              error={errors['sharing.note']}
            />
          </Stack>
        </Fieldset>
        <Textarea
          label="Notes"
          autosize
          minRows={2}
          value={draft.notes}
          onChange={(e) => set('notes', e.currentTarget.value)}
          error={errors.notes}
        />
        <Group>
          <Button type="submit" loading={props.busy}>
            {editing ? 'Save contact' : 'Add contact'}
          </Button>
          <Button variant="default" onClick={props.onCancel}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
